"""The `?` help screen: every key of the dashboard, and the filter syntax."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.keymap import DASHBOARD_ACTIONS

MUTATING = {"start", "stop", "restart", "pause", "kill", "remove"}
EXTRA_KEYS = [
    ("enter", "Fold or unfold a compose project"),
    ("O", "Reverse the sort order"),
    ("escape", "Clear the filter"),
    ("ctrl+p", "Command palette (actions, themes)"),
]
PANE_KEYS = [
    ("", Text("In a log pane (l or enter to get there)", "bold")),
    ("t / w", "Timestamps / wrap long lines"),
    ("f, end", "Follow again (scrolling up pauses; the header counts new lines)"),
    ("/ n N", "Search, next, previous match (/regex/ for a regular expression)"),
    ("\\", "Filter: text shows only matching lines, !text hides them"),
    ("I", "Case-sensitive search and filter (else: smart case)"),
    ("S", "Both streams, stdout only, stderr only"),
    ("T / M", "History to load: last 100 / 1 000 / 10 000 / all lines; since 1 m / 15 m / 1 h / 24 h"),
    ("p", "Pin the pane to its container (else it follows the cursor)"),
    ("ctrl+s", "Save the pane (or the whole log) to a file"),
    ("escape", "Back to the list"),
    ("", Text("In a shell pane", "bold")),
    ("ctrl+]", "Back to the list (every other key goes to the shell)"),
    ("r", "Reopen a shell that exited"),
    ("shift+pgup", "Scroll back (or the mouse wheel)"),
]
FILTER_HELP = (
    "Filter words must all match: part of a name, image or compose project; a state or health "
    "(running, exited, healthy…, or state:paused); or a label key=value."
)


def _key_label(keys: str) -> str:
    names = {"slash": "/", "question_mark": "?", "space": "space"}
    return ", ".join(names.get(k.strip(), k.strip()) for k in keys.split(","))


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close")]

    def __init__(self, keys: dict[str, str], read_only: bool = False) -> None:
        super().__init__()
        self.keys = keys
        self.read_only = read_only

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", justify="right")
        table.add_column()
        for action, (_, description) in DASHBOARD_ACTIONS.items():
            note = Text(" (read-only: off)", "dim") if self.read_only and action in MUTATING else Text("")
            table.add_row(_key_label(self.keys[action]), Text.assemble(description, note))
        for key, description in EXTRA_KEYS + PANE_KEYS:
            table.add_row(key, description)
        with VerticalScroll(id="help"):
            yield Static(Text("bosun keys", "bold"), id="help-title")
            yield Static(table)
            yield Static(Text(FILTER_HELP), id="help-filter")
            yield Static(Text("Keys can be changed in the [keys] table of the config file.", "dim"))

    def action_close(self) -> None:
        self.dismiss(None)
