"""The resource views' dialogs: remove (force a separate button), tag an image, choose a container,
and the `:` prompt that names a view."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.notice import notify
from tui.untrusted import safe_text

FORCE = "force"
REMOVE = "remove"


class ConfirmResourceRemove(ModalScreen[str | None]):
    """Remove these images, volumes or networks? `remove`, `force` (a separate button), or None."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape,n", "cancel", "Cancel"), Binding("y", "confirm", "Remove")]

    def __init__(self, noun: str, names: list[str], *, warning: str = "", force: str = "") -> None:
        """`force`: the force button's warning (empty: no force offered)."""
        super().__init__()
        self.noun, self.names, self.warning, self.force = noun, names, warning, force

    def compose(self) -> ComposeResult:
        shown = ", ".join(self.names[:6]) + (f" and {len(self.names) - 6} more" if len(self.names) > 6 else "")
        what = self.noun if len(self.names) == 1 else f"{len(self.names)} {self.noun}s"
        with Vertical(id="dialog"):
            yield Static(Text.assemble(("Remove ", "bold"), (what, "bold"), "?"), id="question")
            yield Static(safe_text(shown), id="names")
            if self.warning:
                yield Static(safe_text(self.warning), id="warning")
            if self.force:
                yield Static(safe_text(self.force), id="force-note")
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel", variant="default")
                yield Button("Remove", id=REMOVE, variant="error")
                if self.force:
                    yield Button("Force remove", id=FORCE, variant="error")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#cancel", Button))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "cancel" else event.button.id)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_confirm(self) -> None:
        self.dismiss(REMOVE)  # `y` never forces: that takes the button


def split_reference(text: str) -> tuple[str, str]:
    """`repo[:tag]` → (repo, tag), the tag defaulting to latest; a registry port is not a tag."""
    text = text.strip()
    repo, sep, tag = text.rpartition(":")
    if not sep or "/" in tag:
        return text, "latest"
    return repo, tag or "latest"


class TagImageDialog(ModalScreen[tuple[str, str] | None]):
    """Ask for a new `repository:tag` for an image."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, image_name: str) -> None:
        super().__init__()
        self.image_name = image_name

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text.assemble(("Tag ", "bold"), safe_text(self.image_name), " as:"), id="question")
            yield Input(placeholder="repository:tag (tag defaults to latest)", id="reference")
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel", variant="default")
                yield Button("Tag", id="tag", variant="primary")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#reference", Input))

    def _done(self) -> None:
        value = self.query_one("#reference", Input).value.strip()
        self.dismiss(split_reference(value) if value else None)

    @on(Input.Submitted, "#reference")
    def _submitted(self) -> None:
        self._done()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "tag":
            self._done()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChooseContainerDialog(ModalScreen[str | None]):
    """Pick one container (id) from a list: enter chooses, escape cancels."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, choices: list[tuple[str, str]]) -> None:
        """`choices`: (container id, what the line says)."""
        super().__init__()
        self.question, self.choices = question, choices

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(safe_text(self.question), id="question")
            yield OptionList(*(Option(safe_text(label), id=cid) for cid, label in self.choices), id="choices")
            yield Static(Text("enter: choose · escape: cancel", "dim"))

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#choices", OptionList))

    @on(OptionList.OptionSelected, "#choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


#: What the `:` prompt understands: each view by its name, its singular and a few habits.
VIEW_NAMES = {
    "containers": "containers", "container": "containers", "co": "containers", "ps": "containers",
    "images": "images", "image": "images", "img": "images", "im": "images",
    "volumes": "volumes", "volume": "volumes", "vol": "volumes", "vo": "volumes",
    "networks": "networks", "network": "networks", "net": "networks", "ne": "networks",
}


def view_named(text: str) -> str | None:
    """The view a prompt's text names (`:images`, `img`, `Vol`), or None."""
    word = text.strip().lstrip(":").strip().lower()
    if not word:
        return None
    if word in VIEW_NAMES:
        return VIEW_NAMES[word]
    starts = {view for name, view in VIEW_NAMES.items() if name.startswith(word)}
    return starts.pop() if len(starts) == 1 else None


class ViewPrompt(ModalScreen[str | None]):
    """`:` then a view's name, as in k9s: `:images`, `:volumes`, `:networks`, `:containers`."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Horizontal(id="dialog"):
            yield Static(Text(":", "bold"), id="colon")
            yield Input(placeholder="containers  images  volumes  networks", id="view-name",
                        suggester=SuggestFromList(["containers", "images", "volumes", "networks"]))

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#view-name", Input))

    @on(Input.Submitted, "#view-name")
    def _submitted(self, event: Input.Submitted) -> None:
        view = view_named(event.value)
        if view is None:  # stay: the user fixes the word
            notify(self, f"No view called {event.value.strip()!r}: containers, images, volumes or networks",
                   timeout=4)
            return
        self.dismiss(view)

    def action_cancel(self) -> None:
        self.dismiss(None)
