"""Save a log pane to a file: what the pane holds, or the whole log from the engine.

The file starts with a header naming the container(s), the engine and the time
range (`tui.logs.export`). An existing file is never overwritten; an error (a
folder that cannot be written, the engine refusing) is shown with its cause.
The dialog knows the pane only through the `SaveRequest` the pane posted.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Static

from tui.engine import EngineError
from tui.logs.export import ExportHeader, SaveRequest, chunk_lines, default_path, open_new, write_lines
from tui.notice import notify


class SaveLogScreen(ModalScreen[None]):
    CSS_PATH = "save_log.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, request: SaveRequest) -> None:
        super().__init__()
        self.request = request

    def compose(self) -> ComposeResult:
        request = self.request
        with Vertical(id="dialog"):
            yield Static(Text.assemble(("Save the log", "bold"), f" ({len(request.buffer)} lines in the pane)"),
                         id="question")
            yield Input(str(default_path(request.name)), id="path")
            yield Checkbox("The whole log from the engine (not only what the pane holds)", id="whole",
                           disabled=request.merged)
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    def on_mount(self) -> None:
        # At once, not a turn later: a key sent as soon as the dialog shows must find its focus.
        self.set_focus(self.query_one("#path", Input))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
        else:
            self._save()

    def on_input_submitted(self) -> None:
        self._save()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _save(self) -> None:
        path = Path(self.query_one("#path", Input).value.strip()).expanduser()
        if not path.name:
            notify(self, "Give a file name", severity="error")
            return
        self.save(path, self.query_one("#whole", Checkbox).value)

    @work(exclusive=True, exit_on_error=False)
    async def save(self, path: Path, whole: bool) -> None:
        request = self.request
        containers, engine = request.containers, request.engine_label
        try:
            out = open_new(path)
        except OSError as exc:
            notify(self, f"{path}: {exc.strerror or exc}", title="Cannot save", severity="error", timeout=8)
            return
        try:
            with out:
                if whole and request.engine is not None and request.container_id:
                    count = await self._save_whole(out, containers, engine)
                else:
                    lines = list(request.buffer)
                    stamps = [line.timestamp for line in lines if line.timestamp is not None]
                    header = ExportHeader(containers, engine, "what the pane held",
                                          stamps[0] if stamps else None, stamps[-1] if stamps else None)
                    count = write_lines(out, header, lines, with_container=request.merged)
        except (OSError, EngineError) as exc:
            notify(self, f"{path}: {exc}", title="Saving failed", severity="error", timeout=8)
            return
        notify(self, f"{count} lines saved to {path}", title="Log saved", timeout=5)
        self.dismiss(None)

    async def _save_whole(self, out, containers: tuple[str, ...], engine: str) -> int:
        # Streamed to the file as it comes, so a log of millions of lines never sits in memory;
        # the range therefore runs from the container's first line to now.
        from datetime import datetime, timezone

        request = self.request
        header = ExportHeader(containers, engine, "the whole log from the engine, from its first line",
                              None, datetime.now(timezone.utc))
        count = write_lines(out, header, [])
        async for batch in request.engine.log_batches(request.container_id, timestamps=True, tty=request.tty):
            count += write_lines(out, None, chunk_lines(batch.chunks()))
        return count
