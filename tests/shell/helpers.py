"""A small App hosting one TerminalView, and waiting helpers for Pilot tests."""

from __future__ import annotations

import os
from typing import Callable, Optional

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Input

from tests.waits import wait_until
from tui.terminal.transport import LocalPtyTransport
from tui.widgets.terminal_view import Connector, TerminalView, terminal_owns_action


def local_sh() -> Connector:
    """Connector for /bin/sh in a local pty with a fixed prompt."""
    env = {**os.environ, "TERM": "xterm-256color", "PS1": "$ ", "ENV": "/dev/null"}
    env.pop("PROMPT_COMMAND", None)

    def connect(rows, cols, on_output, on_exit):
        return LocalPtyTransport(["/bin/sh"], rows=rows, cols=cols, on_output=on_output, on_exit=on_exit, env=env)

    return connect


class TerminalApp(App):
    """The terminal pane plus an input to return focus to; records messages."""

    CSS = "TerminalView { height: 1fr; } Input { height: 3; }"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]

    def __init__(self, connect: Optional[Connector], **view_kwargs) -> None:
        super().__init__()
        self.connect = connect
        self.view_kwargs = view_kwargs
        self.messages: list = []

    def compose(self) -> ComposeResult:
        yield TerminalView(self.connect, title="test shell", **self.view_kwargs)
        yield Input(id="dashboard")

    def on_mount(self) -> None:
        self.query_one(TerminalView).focus()

    def check_action(self, action: str, parameters) -> bool | None:
        if terminal_owns_action(self, action):
            return False
        return True

    def on_terminal_view_leave(self, message: TerminalView.Leave) -> None:
        self.messages.append(message)
        self.query_one("#dashboard").focus()

    def on_terminal_view_exited(self, message: TerminalView.Exited) -> None:
        self.messages.append(message)

    def on_terminal_view_reopen(self, message: TerminalView.Reopen) -> None:
        self.messages.append(message)


async def wait_for(pilot, predicate: Callable[[], bool], timeout: float = 10.0, what: str = "") -> None:
    """Wait until `predicate()`; fail naming `what` and showing the terminal's screen."""
    view = pilot.app.query_one(TerminalView)
    await wait_until(predicate, what or repr(predicate), pilot=pilot, timeout=timeout,
                     detail=lambda: f"screen:\n{view.screen_text()}")


async def wait_parsed(pilot, view: TerminalView, timeout: float = 10.0) -> None:
    """Wait until everything fed to `view` has been parsed onto its screen (no tick pending)."""
    await wait_until(lambda: not view.stream.pending_bytes and view._tick_handle is None,
                     "the terminal to parse what it was fed", pilot=pilot, timeout=timeout,
                     detail=lambda: f"{view.stream.pending_bytes} bytes pending")
    await pilot.pause()


async def wait_text(pilot, text: str, timeout: float = 10.0) -> None:
    view = pilot.app.query_one(TerminalView)
    await wait_for(pilot, lambda: text in view.screen_text(), timeout, repr(text))


async def type_text(pilot, text: str) -> None:
    """Type printable text key by key (as Pilot would), then nothing else."""
    keys = []
    for char in text:
        keys.append({" ": "space"}.get(char, char))
    await pilot.press(*keys)


async def run_line(pilot, line: str) -> None:
    await type_text(pilot, line)
    await pilot.press("enter")


def last_prompt_line(view: TerminalView) -> str:
    lines = [line.rstrip() for line in view.screen_lines() if line.strip()]
    return lines[-1] if lines else ""
