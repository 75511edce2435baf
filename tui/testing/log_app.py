"""A tiny app hosting one LogView, for Pilot and snapshot tests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from textual.app import App, ComposeResult

from tui.testing.waits import wait_until
from tui.engine.types import LogChunk, LogStream
from tui.widgets.log.view import LogView

T0 = datetime(2026, 11, 20, 8, 15, 2, tzinfo=timezone.utc)


def chunk(data: str | bytes, stream: LogStream = LogStream.STDOUT, seconds: float = 0.0) -> LogChunk:
    raw = data.encode() if isinstance(data, str) else data
    return LogChunk(stream, raw, T0 + timedelta(seconds=seconds))


def lines(start: int, stop: int, stream: LogStream = LogStream.STDOUT) -> list[LogChunk]:
    return [chunk(f"line {i}\n", stream, i / 10) for i in range(start, stop)]


class LogApp(App):
    CSS = "LogView { height: 1fr; }"

    def __init__(self, chunks: list[LogChunk] | None = None, **options) -> None:
        super().__init__()
        self.initial = chunks or []
        self.options = options
        self.messages: list = []

    def compose(self) -> ComposeResult:
        yield LogView(timestamp_tz=timezone.utc, **self.options)

    def on_mount(self) -> None:
        view = self.query_one(LogView)
        view.focus()
        if self.initial:
            view.add_chunks(self.initial)

    def on_log_view_follow_changed(self, message: LogView.FollowChanged) -> None:
        self.messages.append(message)

    def on_log_view_search_changed(self, message: LogView.SearchChanged) -> None:
        self.messages.append(message)

    def on_log_view_stats(self, message: LogView.Stats) -> None:
        self.messages.append(message)


async def settle(pilot, view: LogView | None = None, *, timeout: float = 10.0) -> None:
    """Wait until the view has drained its queue (no tick pending), then let the screen repaint."""
    view = view or pilot.app.query_one(LogView)
    await wait_until(lambda: not view.queued_lines and view._drain_timer is None,
                     "the log view to drain its queue", pilot=pilot, timeout=timeout,
                     detail=lambda: f"queued={view.queued_lines} lines={view.line_count}")
    await pilot.pause()


def screen_text(app: App) -> list[str]:
    """What the LogView shows, row by row (plain text)."""
    view = app.query_one(LogView)
    return [view.render_line(y).text for y in range(view.scrollable_content_region.height)]


def mixed_chunks() -> list[LogChunk]:
    out, err = LogStream.STDOUT, LogStream.STDERR
    return [
        chunk("\x1b[32mINFO\x1b[0m server listening on :8000\n", out, 0),
        chunk("\x1b[33mWARN\x1b[0m slow request GET /api/items 1.2s\n", out, 1),
        chunk("Traceback (most recent call last):\n  File \"app.py\", line 3\nValueError: boom [bold]x[/]\n", err, 2),
        chunk("\x1b]52;c;aGk=\x07clipboard attempt \x1b[2J\x1b[Hcursor home\n", out, 3),
        chunk("progress 10%\rprogress 55%\rprogress 100%\r\n", out, 4),
        chunk("\x1b[1;38;5;208mbold orange\x1b[0m and \x1b[38;2;120;200;255mtruecolor\x1b[0m\n", out, 5),
        chunk("error: connection refused (retrying)\n", err, 6),
        chunk("INFO done\n", out, 7),
    ]
