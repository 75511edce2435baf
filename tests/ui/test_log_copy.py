"""`y` in a log pane: copies the mouse selection, else the current match or the bottom line, with a toast."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tests.logs.pane_helpers import settle_logs
from tests.ui.conftest import dashboard, make_app, move_to, screen_text
from tests.waits import wait_until
from tui.engine import FakeEngine, LogStream
from tui.widgets.log.pane import LogPane
from tui.widgets.log.view import LogView

T0 = datetime(2026, 11, 23, 12, 0, 0, tzinfo=timezone.utc)


def engine() -> tuple[FakeEngine, str]:
    fake = FakeEngine()
    web = fake.add_container("web", "nginx")
    for i in range(5):
        fake.emit_log(web, f"web out {i}\n", at=T0 + timedelta(seconds=i))
    fake.emit_log(web, "web err\n", LogStream.STDERR, at=T0 + timedelta(seconds=9))
    return fake, web


async def open_pane(pilot, web: str) -> tuple[LogPane, LogView]:
    screen = await dashboard(pilot)
    await move_to(pilot, screen, web)
    pane = await settle_logs(pilot, lines=6)
    assert pane is not None and pane.view.line_count == 6, "the pane never loaded the six lines"
    await pilot.press("l")
    assert isinstance(pilot.app.focused, LogView)
    return pane, pane.view


def row_of(view: LogView, text: str) -> int:
    for y in range(view.scrollable_content_region.height):
        if view.render_line(y).text.strip() == text:
            return y
    raise AssertionError(f"{text!r} is not on screen")


async def toast(pilot, text: str) -> None:
    await wait_until(lambda: text in screen_text(pilot.app), f"the toast {text!r} drawn", pilot=pilot,
                     detail=lambda: screen_text(pilot.app))


async def test_y_copies_the_dragged_lines_exactly_and_says_so():
    fake, web = engine()
    async with make_app(fake).run_test(size=(160, 40)) as pilot:
        pane, view = await open_pane(pilot, web)
        top = row_of(view, "web out 1")
        await pilot.mouse_down(view, offset=(5, top))
        await pilot.hover(view, offset=(20, top + 1))
        await pilot.hover(view, offset=(3, top + 2))
        await pilot.mouse_up(view, offset=(3, top + 2))
        assert not view.following
        await pilot.press("y")
        assert pilot.app.clipboard == "out 1\nweb out 2\nweb"
        await toast(pilot, "Copied 3 lines")
        # Copying ends the selection, and the following the drag paused comes back.
        assert not view.has_selection and view.following


async def test_y_without_a_selection_copies_the_last_line():
    fake, web = engine()
    async with make_app(fake).run_test(size=(160, 40)) as pilot:
        await open_pane(pilot, web)
        await pilot.press("y")
        assert pilot.app.clipboard == "web err"  # no gutter mark, no escape sequence
        await toast(pilot, "Copied the last line")


async def test_y_copies_the_current_search_match():
    fake, web = engine()
    async with make_app(fake).run_test(size=(160, 40)) as pilot:
        pane, view = await open_pane(pilot, web)
        pane.action_search()
        await pilot.pause()
        await pilot.press(*"out 3", "enter")
        await wait_until(lambda: view.current_match is not None, "a current match", pilot=pilot)
        await pilot.press("y")
        assert pilot.app.clipboard == "web out 3"
        await toast(pilot, "Copied the line of the current match")


async def test_a_partial_line_counts_characters():
    fake, web = engine()
    async with make_app(fake).run_test(size=(160, 40)) as pilot:
        pane, view = await open_pane(pilot, web)
        top = row_of(view, "web out 4")
        await pilot.mouse_down(view, offset=(5, top))
        await pilot.hover(view, offset=(9, top))
        await pilot.mouse_up(view, offset=(9, top))
        await pilot.press("y")
        assert pilot.app.clipboard == "out 4"
        await toast(pilot, "Copied 5 characters")


async def test_escape_clears_the_selection_before_leaving_the_pane():
    fake, web = engine()
    async with make_app(fake).run_test(size=(160, 40)) as pilot:
        pane, view = await open_pane(pilot, web)
        top = row_of(view, "web out 0")
        await pilot.mouse_down(view, offset=(1, top))
        await pilot.hover(view, offset=(8, top + 1))
        await pilot.mouse_up(view, offset=(8, top + 1))
        assert view.has_selection
        await pilot.press("escape")
        assert not view.has_selection and pilot.app.screen.get_selected_text() is None
        assert isinstance(pilot.app.focused, LogView)  # the first escape only dropped the selection
        await pilot.press("escape")
        assert not isinstance(pilot.app.focused, LogView)
