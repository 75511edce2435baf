"""A table filled by `fill_table` is drawn whole even when a frame comes before the table's idle.

Textual measures auto-width columns on the table's idle; a line drawn before
that is cached cut at the titles' widths and stays cut (CI caught the timeline
showing "17:5" and "died" for 10 s). Here the line is drawn at once, before any
idle, as a busy screen does.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from tests.waits import wait_until
from tui.widgets.sized_table import fill_table

COLUMNS = (("time", "TIME"), ("what", "WHAT"))
ROW = ("0", (Text("17:52:07"), Text("died (exit 3) after 2 s")))


class OneTable(App[None]):
    def compose(self) -> ComposeResult:
        yield DataTable()


def line(table: DataTable, y: int) -> str:
    return table.render_line(y).text


async def test_a_line_drawn_before_the_tables_idle_holds_whole_cells_and_stays_whole():
    async with OneTable().run_test(size=(80, 10)) as pilot:
        table = pilot.app.query_one(DataTable)
        await wait_until(lambda: table.size.width, "the table laid out", pilot=pilot)
        fill_table(table, COLUMNS, ())
        await pilot.pause()
        fill_table(table, COLUMNS, [ROW])
        first = line(table, 1)  # no await since the fill: the table has had no idle
        assert "17:52:07" in first and "died (exit 3) after 2 s" in first, first
        await pilot.pause()
        assert line(table, 1) == first


async def test_columns_follow_what_they_hold_now_and_never_less_than_their_titles():
    async with OneTable().run_test(size=(80, 10)) as pilot:
        table = pilot.app.query_one(DataTable)
        fill_table(table, COLUMNS, [ROW])
        widths = {key.value: column.width for key, column in table.columns.items()}
        assert widths == {"time": 8, "what": 23}
        fill_table(table, COLUMNS, [("0", (Text("1"), Text("ok")))])
        widths = {key.value: column.width for key, column in table.columns.items()}
        assert widths == {"time": 4, "what": 4}
        assert [str(c) for c in table.get_row_at(0)] == ["1", "ok"]
