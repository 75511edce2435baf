"""Helpers for driving shells through the real dashboard (fake or real engines)."""

from __future__ import annotations

from typing import Callable

from tests.waits import wait_until as _wait_until
from tui.dashboard.screen import DashboardScreen
from tui.widgets.shell_pane import ShellPane


def shells(screen: DashboardScreen) -> list[ShellPane]:
    return list(screen.shell_tabs.values())


def tab_title(screen: DashboardScreen, pane: ShellPane) -> str:
    tab_id = next(t for t, p in screen.shell_tabs.items() if p is pane)
    return str(screen.panes.get_tab(tab_id).label)


async def wait_until(pilot, predicate: Callable[[], bool], what: str, timeout: float = 10.0,
                     screen_of: ShellPane | None = None) -> None:
    """Wait until `predicate()`; fail naming `what` (and showing `screen_of`'s screen)."""
    await _wait_until(predicate, what, pilot=pilot, timeout=timeout,
                      detail=(lambda: f"screen:\n{screen_of.view.screen_text()}") if screen_of is not None else None)


async def open_shell(pilot, screen: DashboardScreen, key: str = "e", timeout: float = 20.0) -> ShellPane:
    """Press `key` and wait for a new shell pane whose program is connected."""
    before = set(screen.shell_tabs)
    await pilot.press(key)
    await wait_until(pilot, lambda: set(screen.shell_tabs) - before, "a shell tab", timeout)
    (new,) = set(screen.shell_tabs) - before
    pane = screen.shell_tabs[new]
    await wait_until(pilot, lambda: pane.view.transport is not None or pane.view.exited, "the shell to start",
                     timeout, pane)
    return pane


async def wait_text(pilot, pane: ShellPane, text: str, timeout: float = 10.0) -> None:
    await wait_until(pilot, lambda: text in pane.view.screen_text(), repr(text), timeout, pane)


async def wait_line(pilot, pane: ShellPane, text: str, timeout: float = 10.0) -> None:
    """Wait for a screen row that is exactly `text` (output, not the echo of the command)."""
    await wait_until(pilot, lambda: any(line.rstrip() == text for line in pane.view.screen_lines()),
                     f"a line {text!r}", timeout, pane)


async def type_line(pilot, line: str) -> None:
    await pilot.press(*[{" ": "space"}.get(c, c) for c in line], "enter")
