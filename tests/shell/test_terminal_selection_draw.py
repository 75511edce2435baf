"""A mouse selection in a shell pane is drawn over the text: the rest of the row stays, the text stays visible."""

from __future__ import annotations

from tests.shell.test_terminal_view_input import CaptureApp, _ready
from tests.waits import wait_until
from tui.widgets.terminal_view import TerminalView


async def test_selected_cells_keep_their_text_and_the_row_keeps_its_tail():
    app = CaptureApp()
    async with app.run_test(size=(60, 12)) as pilot:
        view, _ = await _ready(pilot)
        view.feed(b"hello wonderful world\r\nsecond line")
        await wait_until(lambda: "hello wonderful world" in view.render_line(0).text, "the text drawn", pilot=pilot)
        left, top = view.gutter.left, view.gutter.top  # offsets are the widget's, rows are the content's
        await pilot.mouse_down(TerminalView, offset=(left + 6, top))
        await pilot.hover(TerminalView, offset=(left + 14, top))
        await pilot.mouse_up(TerminalView, offset=(left + 14, top))
        assert app.screen.get_selected_text() == "wonderful"
        row = view.render_line(0)
        assert row.text.rstrip() == "hello wonderful world"  # " world" after the selection is still drawn
        background = app.screen.get_component_rich_style("screen--selection").bgcolor
        selected = [seg for seg in row if seg.style is not None and seg.style.bgcolor == background]
        assert "".join(seg.text for seg in selected) == "wonderful"
        assert all(seg.style.color != background for seg in selected)  # not drawn in its own background
