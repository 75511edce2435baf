"""Save a log pane to a file: what the pane holds, or the whole log from the engine.

The file starts with a header naming the container(s), the engine and the time
range (`tui.logs.export`). An existing file is never overwritten; an error (a
folder that cannot be written, the engine refusing) is shown with its cause.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Static

from tui.engine import EngineError
from tui.logs.export import ExportHeader, chunk_lines, default_path, open_new, write_lines

if TYPE_CHECKING:
    from tui.widgets.log_pane import LogPane


class SaveLogScreen(ModalScreen[None]):
    CSS_PATH = "save_log.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, pane: LogPane) -> None:
        super().__init__()
        self.pane = pane

    def compose(self) -> ComposeResult:
        name = self.pane.targets[0].name if len(self.pane.targets) == 1 else "merged"
        with Vertical(id="dialog"):
            yield Static(Text.assemble(("Save the log", "bold"), f" ({self.pane.view.line_count} lines in the pane)"),
                         id="question")
            yield Input(str(default_path(name)), id="path")
            yield Checkbox("The whole log from the engine (not only what the pane holds)", id="whole",
                           disabled=self.pane.merged)
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

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
            self.notify("Give a file name", severity="error")
            return
        self.save(path, self.query_one("#whole", Checkbox).value)

    @work(exclusive=True, exit_on_error=False)
    async def save(self, path: Path, whole: bool) -> None:
        pane = self.pane
        settings = pane.settings
        containers = tuple(f"{t.name} ({t.short_id})" for t in pane.targets)
        engine = f"{settings.engine_name} {settings.engine_url}".strip()
        try:
            out = open_new(path)
        except OSError as exc:
            self.notify(Text(f"{path}: {exc.strerror or exc}"), title="Cannot save", severity="error", timeout=8)
            return
        try:
            with out:
                if whole and pane.engine is not None:
                    count = await self._save_whole(out, containers, engine)
                else:
                    lines = list(pane.view.buffer)
                    stamps = [line.timestamp for line in lines if line.timestamp is not None]
                    header = ExportHeader(containers, engine, "what the pane held",
                                          stamps[0] if stamps else None, stamps[-1] if stamps else None)
                    count = write_lines(out, header, lines, with_container=pane.merged)
        except (OSError, EngineError) as exc:
            self.notify(Text(f"{path}: {exc}"), title="Saving failed", severity="error", timeout=8)
            return
        self.notify(Text(f"{count} lines saved to {path}"), title="Log saved", timeout=5)
        self.dismiss(None)

    async def _save_whole(self, out, containers: tuple[str, ...], engine: str) -> int:
        # Streamed to the file as it comes, so a log of millions of lines never sits in memory;
        # the range therefore runs from the container's first line to now.
        from datetime import datetime, timezone

        target = self.pane.targets[0]
        header = ExportHeader(containers, engine, "the whole log from the engine, from its first line",
                              None, datetime.now(timezone.utc))
        count = write_lines(out, header, [])
        async for batch in self.pane.engine.log_batches(target.id, timestamps=True, tty=target.tty):
            count += write_lines(out, None, chunk_lines(batch.chunks()))
        return count
