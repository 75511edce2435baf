"""`ShellPane`: one shell tab of the dashboard, a `TerminalView` plus what it is about.

The pane knows which container its shell runs in and says what happened to
it: the program's exit (the view itself prints the code), the container
stopping, pausing or going away, the engine dropping. That status shows in the
view's border title, in the text of `title()` (the dashboard puts it on the
tab) and, when the shell cannot come back by itself, as a line written into
the emulated screen, where the user is looking.

Container names and commands are untrusted text: the border title is escaped
and the tab title is plain `Text` (see `PaneArea`).
"""

from __future__ import annotations

from typing import Optional

from textual.app import ComposeResult
from textual.containers import Container
from textual.markup import escape

from tui.widgets.terminal_view import Connector, TerminalView


class ShellPane(Container):
    """A shell tab (see the module docstring); the dashboard owns its life."""

    DEFAULT_CSS = """
    ShellPane { height: 1fr; }
    ShellPane > TerminalView { height: 1fr; }
    """

    def __init__(self, container_id: str, container_name: str, connect: Connector, *,
                 label: str, id: Optional[str] = None) -> None:
        super().__init__(id=id)
        self.container_id = container_id
        self.container_name = container_name
        self.label = label  # "sh: web", numbered when several shells share a container
        self.command = ""  # the argv, once chosen
        self.status = ""  # what happened ("container stopped"), empty while all is well
        self.container_state = "running"  # the engine's word for it, as the dashboard last heard
        self.view = TerminalView(connect, title=label)

    def compose(self) -> ComposeResult:
        yield self.view

    # -- what the dashboard tells it ----------------------------------------------------------

    def set_command(self, argv: list[str]) -> None:
        self.command = " ".join(argv)
        self._show_title()

    def rename(self, name: str) -> None:
        """The container was renamed: the titles follow (a " (2)" numbering is kept)."""
        self.label = f"sh: {name}" + self.label.removeprefix(f"sh: {self.container_name}")
        self.container_name = name
        self._show_title()

    def set_status(self, status: str, *, announce: bool = False) -> None:
        """Show `status` in the titles (empty clears it); `announce` also writes it on the screen.

        Only announce when the shell is over (container stopped or gone): a
        line written into a running program's screen would corrupt it.
        """
        if announce and status:
            # Plain text only: \x1b is never in `status`, but names come from outside.
            line = status.replace("\x1b", "").replace("\r", " ").replace("\n", " ")
            self.view.feed(f"\r\n\x1b[0;1;33m[{line}]\x1b[0m\r\n".encode(errors="replace"))
        if status != self.status:
            self.status = status
            self._show_title()

    def title(self) -> str:
        """The tab's title: label, then the exit code or status."""
        if self.status:
            return f"{self.label} — {self.status}"
        if self.view.exited:
            code = self.view.exit_code
            return f"{self.label} — exited" + ("" if code is None else f" {code}")
        return self.label

    def _show_title(self) -> None:
        parts = [self.label]
        if self.command:
            parts.append(self.command)
        if self.status:
            parts.append(self.status)
        self.view.border_title = escape(" · ".join(parts))
