"""Saving a log in a browser session: the file goes to the browser, not the server's disk.

The dialog is bosun's own (`SaveLogScreen`: the same choices, the same file
format); only where the file lands differs. It is written to a private
temporary folder, read back, removed, and handed to Textual's delivery, which
the web driver sends to the browser as a download.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from pathlib import Path

from textual import work
from textual.widgets import Input

from tui.notice import notify
from tui.screens.save_log import SaveLogScreen


class DownloadLogScreen(SaveLogScreen):
    # Textual looks for CSS_PATH beside the subclass: point it back at the dialog's own.
    CSS_PATH = str(Path(__file__).resolve().parent.parent / "screens" / "save_log.tcss")

    def on_mount(self) -> None:
        super().on_mount()
        box = self.query_one("#path", Input)
        box.value = Path(box.value).name  # a file name for the browser; the server's folders are not the visitor's

    @work(exclusive=True, exit_on_error=False)
    async def save(self, path: Path, whole: bool) -> None:
        name = Path(path).name
        folder = Path(tempfile.mkdtemp(prefix="bosun-serve-"))
        try:
            worker = SaveLogScreen.save.__wrapped__(self, folder / name, whole)  # type: ignore[attr-defined]
            await worker
            written = folder / name
            if not written.exists():
                return  # the dialog said why (and stays open)
            data = written.read_bytes()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        self.app.deliver_binary(io.BytesIO(data), save_filename=name, mime_type="text/plain")
        notify(self.app, f"{name} sent to your browser", title="Download", timeout=5)
