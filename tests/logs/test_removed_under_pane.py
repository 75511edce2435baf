"""A container removed under the unpinned log pane stays shown until the user moves the cursor (fake engine)."""

from __future__ import annotations

from tests.ui.conftest import dashboard, make_app, move_to, row_keys
from tests.waits import wait_until
from tui.engine import FakeEngine
from tui.dashboard.container_table import ContainerTable
from tui.widgets.log.pane import PaneHeader


def _lines(pane) -> list[str]:
    return [line.plain for line in pane.view.buffer]


async def test_the_removal_s_own_cursor_move_does_not_switch_the_pane():
    engine = FakeEngine()
    dies = engine.add_container("a-dies")
    engine.add_container("b-stays")
    engine.add_container("c-stays")
    async with make_app(engine).run_test(size=(160, 40)) as pilot:
        screen = await dashboard(pilot)
        await wait_until(lambda: screen.main_log_pane is not None, "the log pane", pilot=pilot)
        await move_to(pilot, screen, dies)
        pane = screen.main_log_pane
        await wait_until(lambda: [t.id for t in pane.targets] == [dies], "the pane on a-dies", pilot=pilot)
        engine.emit_log(dies, "FATAL: the reason it died\n")
        await wait_until(lambda: "FATAL: the reason it died" in _lines(pane), "the last line", pilot=pilot)
        engine.exit(dies, 1)
        await engine.remove(dies)
        await wait_until(lambda: dies not in row_keys(screen), "the row to go", pilot=pilot)
        header = pane.query_one(PaneHeader)
        await wait_until(lambda: "removed" in header._text.plain, "the header to say removed", pilot=pilot,
                         detail=lambda: header._text.plain)
        await wait_until(lambda: screen.logs.cursor_timer is None and not screen._rows_scheduled, "the list to settle",
                         pilot=pilot)
        for _ in range(5):
            await pilot.pause()
        assert [t.id for t in pane.targets] == [dies]
        assert "FATAL: the reason it died" in _lines(pane)

        table = screen.query_one(ContainerTable)
        at = table.cursor_key
        await pilot.press("up" if at == table._order[-1] else "down")
        await wait_until(lambda: [t.id for t in pane.targets] == [table.cursor_key] and table.cursor_key != at,
                         "the pane to follow the user's cursor move", pilot=pilot)
