"""A following LogView redraws a row per new line, not the whole view (jump scroll).

What a view redraws is what bosun writes to the terminal: a view that moved by a row
for every line redrew every row (about 10 kB a line at 160x48). These tests watch the
view's refresh calls: a call without regions is a redraw of the whole view.
"""

from __future__ import annotations

from textual.geometry import Region

from tui.testing.log_app import LogApp, lines, screen_text
from tests.waits import wait_until
from tui.widgets.log.view import LogView
from tui.widgets.log.follow import JUMP_MIN


class Refreshes:
    """Records the regions of every `refresh` of a widget (an empty tuple: all of it)."""

    def __init__(self, widget) -> None:
        self.calls: list[tuple[Region, ...]] = []
        original = widget.refresh

        def refresh(*regions, **kwargs):
            self.calls.append(regions)
            return original(*regions, **kwargs)

        widget.refresh = refresh

    @property
    def whole(self) -> int:
        return sum(1 for regions in self.calls if not regions)

    @property
    def rows(self) -> int:
        return sum(region.height for regions in self.calls for region in regions)


def shown(app, text: str):
    return lambda: any(row.strip() == text for row in screen_text(app))


async def start(pilot, app, last: str) -> LogView:
    view = app.query_one(LogView)
    await wait_until(lambda: screen_text(app)[-1].strip() == last, f"{last!r} at the bottom", pilot=pilot,
                     detail=lambda: "\n".join(screen_text(app)))
    return view


async def test_a_new_line_below_the_newest_redraws_one_row():
    app = LogApp(lines(0, 100))
    async with app.run_test(size=(60, 12)) as pilot:
        view = await start(pilot, app, "line 99")
        # The first line after the history has no blank row to go to: the view jumps once,
        # by a quarter of its height (at least JUMP_MIN rows), leaving blank rows below it.
        view.add_chunks(lines(100, 101))
        await wait_until(shown(app, "line 100"), "line 100 shown", pilot=pilot)
        rows = screen_text(app)
        newest = next(i for i, row in enumerate(rows) if row.strip() == "line 100")
        blank = len(rows) - 1 - newest
        assert blank >= JUMP_MIN and all(not row.strip() for row in rows[newest + 1:])
        assert rows[newest - 1].strip() == "line 99"
        top = view.scroll_y
        refreshes = Refreshes(view)
        view.add_chunks(lines(101, 102))
        await wait_until(shown(app, "line 101"), "line 101 shown", pilot=pilot)
        after = screen_text(app)
        assert after[newest + 1].strip() == "line 101"
        assert after[:newest + 1] == rows[:newest + 1]  # nothing else moved
        assert view.scroll_y == top and view.following
        assert refreshes.whole == 0 and refreshes.rows == 1


async def test_the_view_jumps_again_when_the_blank_rows_run_out():
    app = LogApp(lines(0, 100))
    async with app.run_test(size=(60, 12)) as pilot:
        view = await start(pilot, app, "line 99")
        height = view.scrollable_content_region.height
        for i in range(100, 100 + height):  # one line per tick, as a slow container writes them
            view.add_chunks(lines(i, i + 1))
            await wait_until(shown(app, f"line {i}"), f"line {i} shown", pilot=pilot)
            assert view.following
        rows = screen_text(app)
        assert any(row.strip() == f"line {99 + height}" for row in rows)
        assert not rows[-1].strip() or rows[-1].strip() == f"line {99 + height}"


async def test_a_burst_as_big_as_a_jump_ends_at_the_bottom():
    app = LogApp(lines(0, 100))
    async with app.run_test(size=(60, 12)) as pilot:
        view = await start(pilot, app, "line 99")
        view.add_chunks(lines(100, 130))
        await wait_until(lambda: screen_text(app)[-1].strip() == "line 129", "line 129 at the bottom", pilot=pilot,
                         detail=lambda: "\n".join(screen_text(app)))
        assert view.following


async def test_follow_puts_the_newest_line_at_the_bottom():
    app = LogApp(lines(0, 100))
    async with app.run_test(size=(60, 12)) as pilot:
        view = await start(pilot, app, "line 99")
        view.add_chunks(lines(100, 101))
        await wait_until(shown(app, "line 100"), "line 100 shown", pilot=pilot)
        assert screen_text(app)[-1].strip() == ""
        view.follow()
        await wait_until(lambda: screen_text(app)[-1].strip() == "line 100", "line 100 at the bottom", pilot=pilot,
                         detail=lambda: "\n".join(screen_text(app)))


async def test_a_full_buffer_stays_still_while_old_lines_drop_off():
    app = LogApp(lines(0, 100), max_lines=100)
    async with app.run_test(size=(60, 12)) as pilot:
        view = await start(pilot, app, "line 99")
        view.add_chunks(lines(100, 101))  # the jump
        await wait_until(shown(app, "line 100"), "line 100 shown", pilot=pilot)
        rows = screen_text(app)
        refreshes = Refreshes(view)
        bar = Refreshes(view.vertical_scrollbar)
        view.add_chunks(lines(101, 102))  # line 1 drops off the front; the screen must not move
        await wait_until(shown(app, "line 101"), "line 101 shown", pilot=pilot)
        assert view.line_count == 100 and view.buffer.lines[0].plain == "line 2"
        after = screen_text(app)
        newest = next(i for i, row in enumerate(rows) if row.strip() == "line 100")
        assert after[:newest + 1] == rows[:newest + 1] and after[newest + 1].strip() == "line 101"
        assert refreshes.whole == 0 and refreshes.rows == 1
        assert bar.whole == 0  # the thumb did not move: the scrollbar is not redrawn


async def test_a_plain_row_is_one_segment():
    # Each segment costs an SGR sequence in the terminal: the gutter, the text and the padding
    # of a plain line share one style, so they go out as one.
    app = LogApp(lines(0, 3))
    async with app.run_test(size=(60, 6)) as pilot:
        view = app.query_one(LogView)
        await wait_until(shown(app, "line 2"), "line 2 shown", pilot=pilot)
        y = next(i for i, row in enumerate(screen_text(app)) if row.strip() == "line 2")
        assert len(list(view.render_line(y))) == 1


async def test_a_line_that_fits_below_the_newest_is_not_held_back():
    # A stream that keeps the view jumping is drawn 10 times a second; a line that only needs
    # a blank row is taken at the next `tick` (20 Hz), however recently the last one came.
    app = LogApp(lines(0, 100))
    async with app.run_test(size=(60, 12)) as pilot:
        view = await start(pilot, app, "line 99")
        view.add_chunks(lines(100, 101))  # the jump: blank rows below from now on
        await wait_until(shown(app, "line 100"), "line 100 shown", pilot=pilot)
        view.add_chunks(lines(101, 102))
        await wait_until(shown(app, "line 101"), "line 101 shown", pilot=pilot)
        view.add_chunks(lines(102, 103))  # right after a drain: a "steady" stream
        assert view._drain_timer is not None and view._drain_timer._interval == view.tick
