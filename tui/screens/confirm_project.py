"""Ask once before an action runs on every container of a compose project, naming them in order."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.engine import ContainerSummary
from tui.untrusted import visible

_SHOWN = 8  # names listed before "and N more"


class ConfirmProjectScreen(ModalScreen[bool]):
    CSS_PATH = "confirm.tcss"
    BINDINGS = [
        Binding("escape,n", "cancel", "Cancel"),
        Binding("y", "confirm", "Go"),
    ]

    def __init__(self, label: str, project: str, waves: list[list[ContainerSummary]]) -> None:
        super().__init__()
        self.label = label
        self.project = project
        self.waves = waves

    def compose(self) -> ComposeResult:
        count = sum(len(w) for w in self.waves)
        noun = "its container" if count == 1 else f"its {count} containers"
        ordered = [sorted(wave, key=lambda s: s.name) for wave in self.waves]
        if len(ordered) > 1:  # the order is the list: each group waits for the one before it
            shown = " → ".join(", ".join(visible(s.name) for s in wave) for wave in ordered)
        else:
            names = [visible(s.name) for s in ordered[0]]
            shown = ", ".join(names[:_SHOWN]) + (f" and {len(names) - _SHOWN} more" if len(names) > _SHOWN else "")
        with Vertical(id="dialog"):
            yield Static(Text.assemble((f"{self.label} ", "bold"), (visible(self.project), "bold"),
                                       f": {noun}?"), id="question")
            yield Static(Text(shown), id="names")
            if len(ordered) > 1:
                yield Static(Text("In this order, from the compose depends_on labels."), id="order")
            yield Static(Text("y or enter: go · escape: cancel", "dim"))
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel", variant="default")
                yield Button(self.label, id="go", variant="warning")

    def on_mount(self) -> None:
        # At once, not a turn later: a key sent as soon as the dialog shows must find its focus.
        self.set_focus(self.query_one("#go", Button))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "go")

    def action_cancel(self) -> None:
        self.dismiss(False)

    def action_confirm(self) -> None:
        self.dismiss(True)
