"""Waiting in tests and harnesses: on a condition, never on the clock.

`wait_until` polls a condition between Textual frames (or plain sleeps of a
few milliseconds outside an app) and fails loudly, naming what it waited for,
when the condition never comes true. A wait that returns silently on timeout
proves nothing.

It lives in the package (beside the pty harness, which needs `wait_until_sync`)
so that the benchmarks can share the harnesses without importing the tests;
tests import it as `tests.waits`.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from typing import Awaitable, Callable

DEFAULT_TIMEOUT = 10.0


class WaitTimeout(AssertionError):
    """A condition a test waited on never came true."""


async def wait_until(
    condition: Callable[[], object | Awaitable[object]],
    what: str,
    *,
    pilot=None,
    timeout: float = DEFAULT_TIMEOUT,
    detail: Callable[[], object] | None = None,
    interval: float | None = None,
) -> object:
    """Wait until `condition()` is truthy and return its value; fail saying `what` otherwise.

    With a `pilot`, each poll lets the app process its messages and draw
    (`pilot.pause()`), so what the condition looks at is what a user would see.
    `detail()` is added to the failure message (the screen, the state).
    `interval` spaces the polls of a costly condition (one that asks an engine).
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return value
        if time.monotonic() > deadline:
            extra = ""
            if detail is not None:
                try:
                    extra = f"\n{detail()}"
                except Exception as exc:  # the detail is a courtesy; the timeout is the failure
                    extra = f"\n(detail failed: {exc!r})"
            raise WaitTimeout(f"timed out after {timeout:g} s waiting for {what}{extra}")
        if pilot is not None:
            await pilot.pause(interval or 0.01)
        else:
            await asyncio.sleep(interval or 0.005)


def wait_until_sync(condition: Callable[[], object], what: str, *, timeout: float = DEFAULT_TIMEOUT,
                    detail: Callable[[], object] | None = None, interval: float = 0.005) -> object:
    """`wait_until` for code outside an event loop (threads, subprocesses, pty harnesses)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            extra = f"\n{detail()}" if detail is not None else ""
            raise WaitTimeout(f"timed out after {timeout:g} s waiting for {what}{extra}")
        time.sleep(interval)


async def poke_until(
    poke: Callable[[], Awaitable[object]],
    seen: Callable[[], object],
    what: str,
    *,
    timeout: float = 20.0,
    every: float = 0.5,
    detail: Callable[[], object] | None = None,
) -> object:
    """Prove a subscription is listening: `poke()` (make an event) until `seen()` says it arrived.

    For streams that give no "I am listening" signal (an engine's events, a followed log): a poke made
    before the subscription was in place is simply never seen, so poke again every `every` seconds.
    Fails saying `what` when nothing is seen within `timeout`.
    """
    deadline = time.monotonic() + timeout
    pokes = 0
    while True:
        await poke()
        pokes += 1
        try:
            return await wait_until(seen, what, timeout=min(every, max(0.0, deadline - time.monotonic())))
        except WaitTimeout:
            if time.monotonic() > deadline:
                extra = f"\n{detail()}" if detail is not None else ""
                raise WaitTimeout(f"timed out after {timeout:g} s ({pokes} pokes) waiting for {what}{extra}") from None
