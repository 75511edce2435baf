"""Ask before removing containers: plain remove, with volumes, or forced for running ones."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Static

from tui.engine import ContainerSummary, State
from tui.notice import notify


@dataclass(frozen=True)
class RemoveChoice:
    force: bool
    volumes: bool


class ConfirmRemoveScreen(ModalScreen[RemoveChoice | None]):
    CSS_PATH = "confirm.tcss"
    BINDINGS = [
        Binding("escape,n", "cancel", "Cancel"),
        Binding("y", "confirm", "Remove"),
        Binding("v", "toggle_volumes", "Volumes"),
    ]

    def __init__(self, targets: list[ContainerSummary], *, list_all: bool = False) -> None:
        """`list_all`: name every target, one a line (the user did not pick them one by one)."""
        super().__init__()
        self.targets = targets
        self.list_all = list_all
        self.running = [t for t in targets if t.state in (State.RUNNING, State.PAUSED, State.RESTARTING)]

    def compose(self) -> ComposeResult:
        names = ", ".join(t.name for t in self.targets[:6])
        if len(self.targets) > 6:
            names += f" and {len(self.targets) - 6} more"
        noun = "container" if len(self.targets) == 1 else f"{len(self.targets)} containers"
        with Vertical(id="dialog"):
            yield Static(Text.assemble(("Remove ", "bold"), (noun, "bold"), "?"), id="question")
            if self.list_all:
                with VerticalScroll(id="listed"):
                    yield Static(Text("\n".join(f"{t.name}  {t.id[:12]}  {t.state.value}" for t in self.targets)))
            else:
                yield Static(Text(names), id="names")
            if self.running:
                yield Static(
                    Text(f"{len(self.running)} still running: removing needs force (the container is killed)."),
                    id="warning",
                )
            yield Checkbox("Also remove anonymous volumes", id="volumes")
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel", variant="default")
                if self.running:
                    yield Button("Force remove", id="force", variant="error")
                else:
                    yield Button("Remove", id="remove", variant="error")

    def on_mount(self) -> None:
        # At once, not a turn later: a key sent as soon as the dialog shows must find its focus.
        self.set_focus(self.query_one("#cancel", Button))

    def _volumes(self) -> bool:
        return self.query_one("#volumes", Checkbox).value

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
        else:
            self.dismiss(RemoveChoice(force=event.button.id == "force", volumes=self._volumes()))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_confirm(self) -> None:
        # `y` alone never forces: killing a running container takes the explicit button.
        if self.running:
            self.query_one("#force", Button).focus()
            notify(self, "Running containers: press the Force remove button to kill and remove them", timeout=4)
            return
        self.dismiss(RemoveChoice(force=False, volumes=self._volumes()))

    def action_toggle_volumes(self) -> None:
        box = self.query_one("#volumes", Checkbox)
        box.value = not box.value


class ConfirmQuitScreen(ModalScreen[bool]):
    """Quitting ends the open shells: ask first. `q` or enter quits, escape stays."""

    CSS_PATH = "confirm.tcss"
    BINDINGS = [
        Binding("escape,n", "cancel", "Stay"),
        Binding("q,enter,y", "confirm", "Quit"),
    ]

    def __init__(self, shells: int) -> None:
        super().__init__()
        self.shells = shells

    def compose(self) -> ComposeResult:
        noun = "1 shell is" if self.shells == 1 else f"{self.shells} shells are"
        with Vertical(id="dialog"):
            yield Static(Text("Quit bosun?", "bold"), id="question")
            yield Static(Text(f"{noun} open: quitting ends {'it' if self.shells == 1 else 'them'}."), id="names")
            yield Static(Text("q or enter: quit · escape: stay", "dim"))
            with Horizontal(id="buttons"):
                yield Button("Stay", id="cancel", variant="default")
                yield Button("Quit", id="quit", variant="error")

    def on_mount(self) -> None:
        # At once, not a turn later: a key sent as soon as the dialog shows must find its focus.
        self.set_focus(self.query_one("#quit", Button))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "quit")

    def action_cancel(self) -> None:
        self.dismiss(False)

    def action_confirm(self) -> None:
        self.dismiss(True)


def quit_asking(app, shells: int) -> None:
    """Quit `app`; with `shells` open, ask first (quitting ends them)."""
    if not shells:
        app.exit()
        return

    def decided(yes: bool | None) -> None:
        if yes:
            app.exit()

    app.push_screen(ConfirmQuitScreen(shells), decided)
