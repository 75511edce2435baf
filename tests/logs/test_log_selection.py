"""Mouse selection in a LogView: drag, double/triple click, drawing, Textual's selection API."""

from __future__ import annotations

from tui.testing.log_app import LogApp, chunk, lines, screen_text
from tests.waits import wait_until
from tui.engine.types import LogStream
from tui.widgets.log.view import LogView


async def drained(pilot, view: LogView, count: int) -> None:
    await wait_until(lambda: view.line_count >= count and not view.queued_lines, f"{count} lines taken in",
                     pilot=pilot)
    await pilot.pause()


async def drag(pilot, start: tuple[int, int], *through: tuple[int, int]) -> None:
    await pilot.mouse_down(LogView, offset=start)
    for point in through:
        await pilot.hover(LogView, offset=point)
    await pilot.mouse_up(LogView, offset=through[-1])


def selected_cells(view: LogView, y: int) -> str:
    """The characters of row `y` drawn in the selection style."""
    background = view.screen.get_component_rich_style("screen--selection").bgcolor
    segments = [seg for seg in view.render_line(y) if seg.style is not None and seg.style.bgcolor == background]
    # The text keeps a colour of its own: not the selection background (that would hide it).
    assert all(seg.style.color != background for seg in segments if seg.text.strip())
    return "".join(seg.text for seg in segments)


async def test_drag_across_lines_selects_those_characters_and_draws_them():
    app = LogApp(lines(0, 50))
    async with app.run_test(size=(60, 12)) as pilot:
        view = app.query_one(LogView)
        await drained(pilot, view, 50)
        assert screen_text(app)[2].strip() == "line 40"
        # Cell 3 of row 2 ("ne 40": the gutter is cell 0) to cell 5 of row 4, that cell included.
        await drag(pilot, (3, 2), (4, 3), (5, 4))
        assert app.screen.get_selected_text() == "ne 40\nline 41\nline "
        assert view.selected_lines() == ["ne 40", "line 41", "line "]
        assert selected_cells(view, 2) == "ne 40 "  # the line break shows as one cell
        assert selected_cells(view, 3) == "line 41 "
        assert selected_cells(view, 4) == "line "
        assert selected_cells(view, 1) == "" and selected_cells(view, 5) == ""
        assert not view.following  # lines arriving would move the text under the pointer


async def test_the_selection_stays_on_its_text_while_lines_arrive():
    app = LogApp(lines(0, 50), max_lines=60)
    async with app.run_test(size=(60, 12)) as pilot:
        view = app.query_one(LogView)
        await drained(pilot, view, 50)
        await drag(pilot, (1, 5), (8, 6))
        assert view.selected_lines() == ["line 43", "line 44"]
        view.add_chunks(lines(50, 65))  # 5 of the old lines drop off the front
        await wait_until(lambda: view.buffer.appended == 65 and not view.queued_lines, "new lines", pilot=pilot)
        assert view.selected_lines() == ["line 43", "line 44"]
        assert screen_text(app)[5].strip() == "line 43"  # paused: the view did not move
        assert selected_cells(view, 5) == "line 43 "


async def test_dragging_onto_the_last_row_scrolls_and_extends_the_selection():
    app = LogApp(lines(0, 100))
    async with app.run_test(size=(60, 12)) as pilot:
        view = app.query_one(LogView)
        await drained(pilot, view, 100)
        view.scroll_to(y=0, animate=False, immediate=True)
        await pilot.pause()
        await pilot.mouse_down(LogView, offset=(1, 1))
        await pilot.hover(LogView, offset=(3, 5))
        await pilot.hover(LogView, offset=(3, 11))  # the last row: the view scrolls on while held there
        await wait_until(lambda: view.scroll_y >= view.max_scroll_y, "the view scrolled to the end", pilot=pilot)
        await pilot.mouse_up(LogView, offset=(3, 11))
        selected = view.selected_lines()
        assert selected[0] == "line 1" and selected[-1] == "lin" and len(selected) == 99
        assert not view.following  # still paused: the user has not asked to follow


async def test_double_click_selects_a_word_and_triple_click_the_line():
    app = LogApp([chunk("GET /api/items status=200 took 12ms error: done.\n")])
    async with app.run_test(size=(60, 12)) as pilot:
        view = app.query_one(LogView)
        await drained(pilot, view, 1)
        row = next(y for y, text in enumerate(screen_text(app)) if "GET" in text)
        await pilot.double_click(LogView, offset=(8, row))
        assert app.screen.get_selected_text() == "/api/items"
        assert not view.following  # the selected text stays put
        await pilot.double_click(LogView, offset=(40, row))
        assert app.screen.get_selected_text() == "error"
        await pilot.double_click(LogView, offset=(47, row))
        assert app.screen.get_selected_text() == "done"
        await pilot.triple_click(LogView, offset=(8, row))
        assert app.screen.get_selected_text() == "GET /api/items status=200 took 12ms error: done."


async def test_a_click_clears_the_selection_and_following_comes_back():
    app = LogApp(lines(0, 50))
    async with app.run_test(size=(60, 12)) as pilot:
        view = app.query_one(LogView)
        await drained(pilot, view, 50)
        await drag(pilot, (1, 2), (5, 3))
        assert view.has_selection and not view.following
        await pilot.click(LogView, offset=(4, 6))
        await wait_until(lambda: not view.has_selection, "the selection cleared", pilot=pilot)
        assert app.screen.get_selected_text() is None
        assert view.following  # the drag paused following; it ends with the selection


async def test_copied_text_is_the_stored_text_with_timestamps_when_shown_and_no_gutter_mark():
    app = LogApp([chunk("\x1b[31mred\x1b[0m plain\n", seconds=1), chunk("oops\n", LogStream.STDERR, seconds=2)])
    async with app.run_test(size=(60, 12)) as pilot:
        view = app.query_one(LogView)
        await drained(pilot, view, 2)
        rows = screen_text(app)
        first = next(y for y, text in enumerate(rows) if "red plain" in text)
        await drag(pilot, (0, first), (40, first + 1))
        assert app.screen.get_selected_text() == "red plain\noops"
        view.show_timestamps = True  # what the offsets count changed: the selection goes
        await pilot.pause()
        assert not view.has_selection
        await drag(pilot, (0, first), (40, first + 1))
        assert app.screen.get_selected_text() == "08:15:03.000 red plain\n08:15:04.000 oops"


async def test_select_all_from_textual_takes_every_line():
    app = LogApp(lines(0, 30))
    async with app.run_test(size=(60, 12)) as pilot:
        view = app.query_one(LogView)
        await drained(pilot, view, 30)
        view.text_select_all()
        await wait_until(lambda: view.has_selection, "select all reached the view", pilot=pilot)
        assert app.screen.get_selected_text() == "\n".join(f"line {i}" for i in range(30))


async def test_wrapped_rows_select_by_character_across_rows():
    long = "".join(chr(ord("a") + i % 26) for i in range(70))
    app = LogApp([chunk(long + "\n")])
    async with app.run_test(size=(40, 8)) as pilot:
        view = app.query_one(LogView)
        view.wrap = True
        await drained(pilot, view, 1)
        rows = screen_text(app)
        first = next(y for y, text in enumerate(rows) if text.strip().startswith("abc"))
        width = view.content_width()
        # From the 3rd character of the first row to the 2nd cell of the second row.
        await drag(pilot, (3, first), (2, first + 1))
        assert app.screen.get_selected_text() == long[2:width + 2]


async def test_nothing_selected_draws_nothing_extra():
    app = LogApp(lines(0, 50))
    async with app.run_test(size=(60, 12)) as pilot:
        view = app.query_one(LogView)
        await drained(pilot, view, 50)
        calls = []
        original = view.selection.draw
        view.selection.draw = lambda *a: calls.append(a) or original(*a)
        view.add_chunks(lines(50, 80))
        await drained(pilot, view, 80)
        screen_text(app)
        assert calls == []


async def test_scrolling_during_a_drag_moves_the_end_with_the_text_under_the_pointer():
    app = LogApp(lines(0, 100))
    async with app.run_test(size=(60, 12)) as pilot:
        view = app.query_one(LogView)
        await drained(pilot, view, 100)
        await pilot.mouse_down(LogView, offset=(1, 10))  # "line 98"
        await pilot.hover(LogView, offset=(1, 8))  # "line 96", its start
        assert view.selected_lines() == ["line 96", "line 97", "l"]
        view.scroll_to(y=view.scroll_y - 20, animate=False, immediate=True)  # as the wheel does
        await pilot.pause()
        selected = view.selected_lines()
        assert selected[0] == "line 76" and selected[-1] == "l" and len(selected) == 23
        await pilot.mouse_up(LogView, offset=(1, 8))
        assert not view.following


async def test_textual_copy_key_copies_the_selection_too():
    app = LogApp(lines(0, 50))
    async with app.run_test(size=(60, 12)) as pilot:
        view = app.query_one(LogView)
        await drained(pilot, view, 50)
        await drag(pilot, (1, 9), (7, 10))
        await pilot.press("ctrl+c")  # the screen's copy_text binding
        assert app.clipboard == "line 47\nline 48"
