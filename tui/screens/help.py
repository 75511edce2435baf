"""The `?` help screen: every action of the registry with its key as bound now, by part of the screen."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.keys.registry import CLOSE, SCOPE_TITLES, in_scope, key_label

#: Keys the widgets handle themselves (moving around): shown in help, not actions to remap.
WIDGET_KEYS = {
    "list": [
        ("enter", "Logs (the log pane takes the keys); on a compose project: fold or unfold it"),
        ("↑ ↓ j k g G", "Move the cursor (g the top, G the bottom); a click on a column header sorts by it"),
    ],
    "resources": [
        ("↑ ↓ j k g G", "Move the cursor (g the top, G the bottom), as in the container list"),
    ],
}
GROUP_HELP = (
    "On a compose project's header row: space selects (or unselects) all its containers; s, x, r, p, K and D "
    "act on all of them after one question naming them, in the order of the compose depends_on labels "
    "(dependencies start first, stop last); enter folds or unfolds the project."
)
FILTER_HELP = (
    "Filter words must all match: part of a name, image or compose project; a state or health "
    "(running, exited, healthy…, or state:paused); or a label key=value."
)


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,q,question_mark", CLOSE, "Close")]

    def __init__(self, keys: dict[str, str], read_only: bool = False) -> None:
        """`keys`: action id → key(s) as bound now (the user's `[keys]` applied)."""
        super().__init__()
        self.keys = keys
        self.read_only = read_only

    def rows(self) -> list[tuple[str, Text | str]]:
        """(key, what it does) for every action, with a heading row before each part."""
        rows: list[tuple[str, Text | str]] = []
        for scope, title in SCOPE_TITLES.items():
            rows.append(("", Text(title, "bold")))
            for key, text in WIDGET_KEYS.get(scope.value, []):
                rows.append((key, text))
            for action in in_scope(scope):
                off = self.read_only and action.mutates
                note = Text(" (read-only: off)", "dim") if off else Text("")
                key = key_label(self.keys.get(action.id, action.keys)) or "ctrl+p"  # palette only: no key of its own
                rows.append((key, Text.assemble(action.description, note)))
        return rows

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", justify="right")
        table.add_column()
        for key, description in self.rows():
            table.add_row(key, description)
        with VerticalScroll(id="help"):
            yield Static(Text("bosun keys", "bold"), id="help-title")
            yield Static(table)
            yield Static(Text(GROUP_HELP), id="help-groups")
            yield Static(Text(FILTER_HELP), id="help-filter")
            yield Static(Text("Keys can be changed in the [keys] table of the config file.", "dim"))

    def action_close(self) -> None:
        self.dismiss(None)
