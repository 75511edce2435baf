"""Saving a log pane: the pane posts `LogPane.SaveRequested`, the screen opens the dialog, and the
dialog works from the request alone (it never sees the pane)."""

from __future__ import annotations

from datetime import datetime, timezone

from textual.app import App

from tests.logs.pane_helpers import settle_logs
from tests.ui.conftest import dashboard, make_app, move_to
from tests.waits import wait_until
from tui.engine import FakeEngine
from tui.engine.types import LogChunk, LogStream
from tui.logs.buffer import LogBuffer
from tui.logs.export import SaveRequest
from tui.screens.save_log import SaveLogScreen
from tui.widgets.log.pane import LogPane


async def test_ctrl_s_posts_a_save_request_and_the_screen_opens_the_dialog_with_it():
    fake = FakeEngine()
    web = fake.add_container("web", "nginx")
    for i in range(3):
        fake.emit_log(web, f"line {i}\n")
    messages = []
    app = make_app(fake)
    async with app.run_test(size=(160, 40), message_hook=messages.append) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, web)
        pane = await settle_logs(pilot, lines=3)
        await pilot.press("l")
        await pilot.press("ctrl+s")
        await wait_until(lambda: isinstance(app.screen, SaveLogScreen), "the save dialog", pilot=pilot)
        posted = list({id(m): m for m in messages if isinstance(m, LogPane.SaveRequested)}.values())  # bubbled
        assert len(posted) == 1 and posted[0].pane is pane
        request = posted[0].request
        assert app.screen.request is request
        assert request.name == "web" and request.containers == (f"web ({pane.targets[0].short_id})",)
        assert request.buffer is pane.view.buffer and not request.merged
        assert request.engine is pane.engine and request.container_id == web


class DialogApp(App):
    def __init__(self, request: SaveRequest) -> None:
        super().__init__()
        self.request = request

    def on_mount(self) -> None:
        self.push_screen(SaveLogScreen(self.request))


async def test_the_dialog_saves_a_plain_request_without_any_pane(tmp_path):
    buffer = LogBuffer(100)
    stamp = datetime(2026, 3, 4, 5, 6, 7, tzinfo=timezone.utc)
    buffer.append_chunks([LogChunk(LogStream.STDOUT, b"hello\n", stamp), LogChunk(LogStream.STDERR, b"oops\n", stamp)])
    request = SaveRequest(name="db", containers=("db (abc123)",), engine_label="docker unix:///x", buffer=buffer)
    path = tmp_path / "out.log"
    app = DialogApp(request)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(lambda: isinstance(app.screen, SaveLogScreen), "the save dialog", pilot=pilot)
        box = app.screen.query_one("#path")
        box.value = str(path)
        await pilot.press("enter")
        await wait_until(lambda: not isinstance(app.screen, SaveLogScreen), "the dialog to close", pilot=pilot)
    text = path.read_text()
    assert "# bosun log of db (abc123)" in text and "# engine: docker unix:///x" in text
    assert text.rstrip().splitlines()[-2:] == [
        "2026-03-04T05:06:07.000000Z stdout hello", "2026-03-04T05:06:07.000000Z stderr oops"]
