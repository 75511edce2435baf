"""Unpinning a pane whose container was removed: the very next cursor move switches the pane (issue 11, item 10)."""

from __future__ import annotations

from tests.ui.conftest import dashboard, make_app, move_to, row_keys
from tests.waits import wait_until
from tui.engine import FakeEngine
from tui.dashboard.container_table import ContainerTable
from tui.widgets.log.pane import PaneHeader
from tui.widgets.log.view import LogView


async def test_the_first_cursor_move_after_unpinning_switches_the_pane():
    engine = FakeEngine()
    engine.add_container("a-stays")
    dies = engine.add_container("b-dies")
    engine.add_container("c-stays")
    async with make_app(engine).run_test(size=(160, 40)) as pilot:
        screen = await dashboard(pilot)
        await wait_until(lambda: screen.main_log_pane is not None, "the log pane", pilot=pilot)
        await move_to(pilot, screen, dies)
        pane = screen.main_log_pane
        await wait_until(lambda: [t.id for t in pane.targets] == [dies], "the pane on b-dies", pilot=pilot)
        await pilot.press("l", "P", "escape")
        assert pane.pinned
        engine.exit(dies, 1)
        await engine.remove(dies)
        await wait_until(lambda: dies not in row_keys(screen), "the row to go", pilot=pilot)
        header = pane.query_one(PaneHeader)
        await wait_until(lambda: "removed" in header._text.plain, "the header to say removed", pilot=pilot)
        await pilot.press("l")
        await wait_until(lambda: isinstance(pilot.app.focused, LogView), "the pane to take the keys", pilot=pilot)
        await pilot.press("P", "escape")
        assert not pane.pinned
        table = screen.query_one(ContainerTable)
        await wait_until(lambda: pilot.app.focused is table, "the list to take the keys", pilot=pilot)
        at = table.cursor_key
        await pilot.press("up" if at == table._order[-1] else "down")
        await wait_until(lambda: table.cursor_key != at and [t.id for t in pane.targets] == [table.cursor_key],
                         "the pane to follow the first cursor move", pilot=pilot,
                         detail=lambda: (table.cursor_key, [t.name for t in pane.targets]))


async def test_unpinning_shows_the_container_under_the_cursor_at_once():
    engine = FakeEngine()
    first = engine.add_container("a-first")
    second = engine.add_container("b-second")
    async with make_app(engine).run_test(size=(160, 40)) as pilot:
        screen = await dashboard(pilot)
        await wait_until(lambda: screen.main_log_pane is not None, "the log pane", pilot=pilot)
        await move_to(pilot, screen, first)
        pane = screen.main_log_pane
        await wait_until(lambda: [t.id for t in pane.targets] == [first], "the pane on a-first", pilot=pilot)
        await pilot.press("l", "P", "escape")
        await move_to(pilot, screen, second)
        await wait_until(lambda: screen.logs.cursor_timer is None, "the follow delay to pass", pilot=pilot)
        assert [t.id for t in pane.targets] == [first], "a pinned pane followed the cursor"
        await pilot.press("l", "P")
        await wait_until(lambda: [t.id for t in pane.targets] == [second], "the unpinned pane to show b-second",
                         pilot=pilot, detail=lambda: [t.name for t in pane.targets])
