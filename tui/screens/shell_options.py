"""Dialogs for shells: options for one shell (`E`), and "start it first?" for a stopped container."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tui.shell.connect import ShellRequest, format_command, format_env, parse_command, parse_env


class ShellOptionsScreen(ModalScreen[ShellRequest | None]):
    """User, working directory, extra environment and command for one shell.

    Enter in any field opens the shell; escape cancels. Empty fields keep the
    image's defaults (and the configured or detected shell).
    """

    CSS_PATH = "shell_options.tcss"
    # tab and shift+tab as priority bindings: they run when the key arrives, so the
    # keys typed right after them (a burst over SSH, a paste) already go to the next
    # field. As the fields' own keys they ran only after the burst was queued to the
    # field that had focus.
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("tab", "next_field", "Next field", show=False, priority=True),
        Binding("shift+tab", "previous_field", "Previous field", show=False, priority=True),
    ]

    def __init__(self, container_name: str, defaults: ShellRequest | None = None) -> None:
        super().__init__()
        self.container_name = container_name
        self.defaults = defaults or ShellRequest()

    def compose(self) -> ComposeResult:
        d = self.defaults
        with Vertical(id="dialog"):
            yield Static(Text.assemble(("Shell in ", "bold"), (self.container_name, "bold")), id="question")
            yield Label("User (name or uid[:gid])")
            yield Input(d.user, placeholder="the image's user", id="user")
            yield Label("Working directory")
            yield Input(d.workdir, placeholder="the image's working directory", id="workdir")
            yield Label("Extra environment (KEY=VALUE, several separated by spaces)")
            yield Input(format_env(d.env), placeholder='DEBUG=1 GREETING="hello there"', id="env")
            yield Label("Command")
            yield Input(format_command(d.command), placeholder="the configured shell, else bash / ash / sh", id="command")
            yield Static(id="error")
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Open shell", id="open", variant="primary")

    def on_mount(self) -> None:
        # At once, not a turn later: a key sent as soon as the dialog shows must find its focus.
        self.set_focus(self.query_one("#user", Input))

    def request(self) -> ShellRequest:
        """The fields as a request; ValueError names the bad field."""
        value = {box.id: box.value.strip() for box in self.query(Input).results(Input)}
        return ShellRequest(user=value["user"], workdir=value["workdir"], env=parse_env(value["env"]),
                            command=parse_command(value["command"]))

    def _submit(self) -> None:
        try:
            chosen = self.request()
        except ValueError as exc:
            self.query_one("#error", Static).update(Text(str(exc)))
            return
        self.dismiss(chosen)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "open":
            self._submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_next_field(self) -> None:
        self.focus_next()

    def action_previous_field(self) -> None:
        self.focus_previous()


class StartForShellScreen(ModalScreen[bool]):
    """The container is stopped (or paused): start (unpause) it and open the shell?"""

    CSS_PATH = "shell_options.tcss"
    BINDINGS = [Binding("escape,n", "cancel", "Cancel"), Binding("y", "confirm", "Start")]

    def __init__(self, container_name: str, *, paused: bool = False) -> None:
        super().__init__()
        self.container_name = container_name
        self.paused = paused

    def compose(self) -> ComposeResult:
        verb = "Unpause" if self.paused else "Start"
        state = "paused" if self.paused else "not running"
        with Vertical(id="dialog"):
            yield Static(Text.assemble((self.container_name, "bold"), f" is {state}."), id="question")
            yield Static(Text(f"{verb} it and open a shell?"))
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button(f"{verb} and open shell", id="start", variant="primary")

    def on_mount(self) -> None:
        # At once, not a turn later: a key sent as soon as the dialog shows must find its focus.
        self.set_focus(self.query_one("#start", Button))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "start")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
