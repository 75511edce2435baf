"""Shown instead of the dashboard when no engine answers: what was tried, why, how to go on."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from tui.widgets.footer import LeanFooter
from tui.engine import EngineError, EngineUnreachable


def explain(error: EngineError) -> Text:
    text = Text()
    if isinstance(error, EngineUnreachable):
        text.append("bosun found no container engine it could talk to.\n\n", "bold")
        text.append("Tried, in order:\n")
        for attempt in error.attempts:
            text.append(f"  • {attempt.endpoint}", "bold")
            text.append(f"  ({attempt.source})\n", "dim")
            text.append(f"      {attempt.reason}\n", "red")
            if attempt.hint:
                text.append(f"      fix: {attempt.hint}\n", "dim")
    else:
        text.append("bosun cannot use the configured engine.\n\n", "bold")
        text.append(str(error) + "\n", "red")
    text.append("\nTo go on:\n", "bold")
    text.append("  • start Docker or Podman, then press r to retry\n")
    text.append("  • name an engine: bosun --host unix:///path/to/docker.sock, or --context NAME\n")
    text.append("  • or look around with the built-in demo engine: bosun --demo\n")
    return text


class NoEngineScreen(Screen):
    BINDINGS = [Binding("r", "retry", "Retry"), Binding("q", "quit", "Quit")]
    DEFAULT_CSS = """
    NoEngineScreen VerticalScroll { padding: 1 2; }
    NoEngineScreen #no-engine-title { color: $error; margin-bottom: 1; }
    """

    def __init__(self, error: EngineError) -> None:
        super().__init__()
        self.error = error

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text("No engine reachable", "bold"), id="no-engine-title")
            yield Static(explain(self.error), id="no-engine-detail")
        yield LeanFooter()

    def action_retry(self) -> None:
        self.app.connect_engine()

    def action_quit(self) -> None:
        self.app.exit()
