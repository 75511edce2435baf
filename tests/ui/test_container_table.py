"""The container table repaints only rows whose cells changed, and shows the new values."""

from __future__ import annotations

from textual.app import App

from tui.engine import FakeEngine
from tui.dashboard.model import ContainerRow, StatsHistory
from tui.dashboard.container_table import ContainerTable


class TableApp(App):
    def compose(self):
        yield ContainerTable()


async def test_changed_cells_show_and_other_rows_keep_their_cache():
    fake = FakeEngine()
    ids = [fake.add_container(f"c{i}") for i in range(5)]
    rows = [ContainerRow(s) for s in sorted(await fake.list_containers(), key=lambda s: s.name)]
    async with TableApp().run_test(size=(160, 20)) as pilot:
        table = pilot.app.query_one(ContainerTable)
        table.show_rows(rows, stats={}, busy={}, selected=set())
        await pilot.pause()
        count = table._update_count
        stats = {ids[2]: StatsHistory()}
        stats[ids[2]].samples.append(await fake.stats_once(ids[2]))
        table.show_rows(rows, stats=stats, busy={ids[3]: "stopping…"}, selected=set())
        await pilot.pause()
        assert table._update_count == count  # no full-table invalidation
        assert "%" in str(table.get_cell(ids[2], "cpu"))
        assert "stopping" in str(table.get_cell(ids[3], "state"))
        rendered = "\n".join(line.text for line in table.render_lines(table.region.reset_offset))
        assert "stopping…" in rendered and "%" in rendered


async def test_a_long_first_fill_shows_a_screenful_then_every_row():
    fake = FakeEngine()
    for i in range(300):
        fake.add_container(f"c{i:03d}")
    rows = [ContainerRow(s) for s in sorted(await fake.list_containers(), key=lambda s: s.name)]
    async with TableApp().run_test(size=(160, 20)) as pilot:
        table = pilot.app.query_one(ContainerTable)
        table.show_rows(rows, stats={}, busy={}, selected=set())
        assert 0 < table.row_count < 300  # only a screenful before the first paint
        await pilot.pause()
        await pilot.pause()
        assert table.row_count == 300 and not table._pending_rows
        table.move_cursor(row=299)
        assert table.cursor_key == rows[299].key
        # An update that arrives while the rest is pending supersedes it.
        table._order = []
        table.show_rows(rows[:250], stats={}, busy={}, selected=set())
        table.show_rows(rows[:250], stats={}, busy={}, selected=set())
        await pilot.pause()
        await pilot.pause()
        assert table.row_count == 250
