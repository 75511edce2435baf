"""A flood (`yes`) is parsed in short slices and repainted at a flood's pace; the last rows always show.

The clock the pane paces itself by is a fake here: the test counts slices and
repaints per (fake) second, it never waits for time to pass.
"""

from __future__ import annotations

from tests.shell.helpers import TerminalApp
from tui.widgets import terminal_output
from tui.widgets.terminal_view import TerminalView


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


async def test_a_flood_repaints_at_most_at_the_flood_pace_and_ends_painted(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(terminal_output, "monotonic", clock.monotonic)
    async with TerminalApp(None).run_test(size=(80, 24)) as pilot:
        view = pilot.app.query_one(TerminalView)
        await pilot.pause()
        repaints = []
        real = view._repaint_dirty
        monkeypatch.setattr(view, "_repaint_dirty", lambda: (repaints.append(clock.now), real()))
        # Each slice costs the fake clock its whole time: one slice per tick, as on a busy loop.
        process = view.stream.process_pending

        def slow_process(budget: int) -> bool:
            more = process(budget)
            clock.now += terminal_output.TICK_TIME
            return more

        monkeypatch.setattr(view.stream, "process_pending", slow_process)
        view.stream.push(b"y\r\n" * 40_000 + b"last line\r\n")  # 120 kB: a moment of `yes`
        ticks = 0
        while view.stream.pending_bytes and ticks < 10_000:
            view._tick()
            clock.now += terminal_output.FRAME
            ticks += 1
        view._tick()  # the tick the flood's end schedules
        flood_seconds = clock.now - 1000.0
        assert ticks > 10
        # At most one repaint per flood frame (and the one at the end), not one per tick.
        assert len(repaints) <= flood_seconds / terminal_output.FLOOD_FRAME + 2 < ticks
        assert "last line" in view.screen_text()
        assert not view.terminal.take_dirty()  # nothing left unpainted


async def test_a_quiet_echo_is_painted_on_its_own_tick(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(terminal_output, "monotonic", clock.monotonic)
    async with TerminalApp(None).run_test(size=(80, 24)) as pilot:
        view = pilot.app.query_one(TerminalView)
        await pilot.pause()
        repaints = []
        real = view._repaint_dirty
        monkeypatch.setattr(view, "_repaint_dirty", lambda: (repaints.append(clock.now), real()))
        for key in b"abc":
            view.stream.push(bytes([key]))
            view._tick()
            clock.now += 0.001  # typing fast: well within one flood frame
        assert len(repaints) == 3
        assert view.screen_text().endswith("abc")
