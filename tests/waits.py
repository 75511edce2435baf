"""Waiting in tests: on a condition, never on the clock (see `tui.testing.waits`, where it lives)."""

from tui.testing.waits import DEFAULT_TIMEOUT, WaitTimeout, poke_until, wait_until, wait_until_sync

__all__ = ["DEFAULT_TIMEOUT", "WaitTimeout", "poke_until", "wait_until", "wait_until_sync"]
