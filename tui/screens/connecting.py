"""Shown while no engine has answered yet: what bosun is waiting for, and for how long.

A local engine answers in milliseconds and this screen never appears. A hung
engine (stopped, overloaded, a socket nobody reads) used to leave the terminal
blank until the connection timed out.
"""

from __future__ import annotations

import time

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from tui.keys.registry import QUIT
from tui.untrusted import visible
from tui.widgets.footer import LeanFooter


class ConnectingScreen(Screen):
    BINDINGS = [Binding("q", QUIT, "Quit")]
    DEFAULT_CSS = """
    ConnectingScreen VerticalScroll { padding: 1 2; }
    ConnectingScreen #connecting-title { margin-bottom: 1; }
    """

    def __init__(self, targets: list[str]) -> None:
        super().__init__()
        self.targets = targets
        self.started = time.monotonic()

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text("Connecting…", "bold"), id="connecting-title")
            yield Static(self._detail(), id="connecting-detail")
        yield LeanFooter()

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)

    def _detail(self) -> Text:
        waited = time.monotonic() - self.started
        text = Text("Waiting for an answer from:\n")
        for target in self.targets or ["the default engine sockets"]:
            text.append(f"  • {visible(target)}\n", "bold")
        text.append(f"\n{waited:.0f} s so far. ", "dim")
        text.append("An engine that accepts the connection and says nothing is given up on after a few seconds.",
                    "dim")
        return text

    def _tick(self) -> None:
        self.query_one("#connecting-detail", Static).update(self._detail())

    def action_quit(self) -> None:
        self.app.exit(return_code=1, message="bosun: no engine answered")
