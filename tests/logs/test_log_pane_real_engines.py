"""Log panes against real Docker and Podman: streams and order, follow, restart, removal."""

from __future__ import annotations

import pytest

from tests.logs.pane_helpers import pane_state, settle_logs
from tests.ui.conftest import dashboard, move_to
from tests.ui.test_dashboard_real_engines import app_for
from tests.waits import poke_until, wait_until
from tui.engine import LogStream
from tui.widgets.log.pane import LogPane, PaneHeader

pytestmark = pytest.mark.engine



def texts(pane: LogPane) -> list[tuple[object, str]]:
    return [(line.stream, line.plain) for line in pane.view.buffer]


async def wait_for(pilot, predicate, timeout: float = 15.0, what: str = "the log pane's condition") -> None:
    main = getattr(pilot.app.screen, "main_log_pane", None)
    await wait_until(predicate, what, pilot=pilot, timeout=timeout, detail=lambda: pane_state(pilot, main))


async def open_pane(pilot, container_id: str) -> LogPane:
    screen = await dashboard(pilot)
    await wait_until(lambda: screen.main_log_pane, "the log pane (mounted after the first frame)", pilot=pilot)
    await move_to(pilot, screen, container_id)
    pane = screen.main_log_pane
    await wait_until(lambda: screen.logs.cursor_timer is None and [t.id for t in pane.targets] == [container_id],
                     "the log pane to follow the row under the cursor", pilot=pilot,
                     detail=lambda: pane_state(pilot, pane))
    return pane


async def test_stdout_and_stderr_arrive_apart_and_in_order(real):
    lines = [(LogStream.STDOUT, "out one"), (LogStream.STDERR, "err two"), (LogStream.STDOUT, "out three"),
             (LogStream.STDERR, "[bold]err four[/bold] \x1b]52;c;cGF3bmVk\x07")]
    cid = await real.printing("streams", lines)
    async with app_for(real).run_test(size=(160, 30)) as pilot:
        pane = await open_pane(pilot, cid)
        await wait_for(pilot, lambda: len(pane.view.buffer) >= 4)
        got = texts(pane)[:4]
        assert [s for s, _ in got] == [LogStream.STDOUT, LogStream.STDERR, LogStream.STDOUT, LogStream.STDERR]
        assert [t for _, t in got][:3] == ["out one", "err two", "out three"]
        assert got[3][1].startswith("[bold]err four[/bold]")  # literal, not markup
        assert "\x1b" not in got[3][1] and "52;" not in got[3][1]  # the OSC is gone
        assert "stdout+stderr" in pane.query_one(PaneHeader)._text.plain


async def test_follow_keeps_up_with_a_burst(real):
    cid = await real.idle("burst")
    async with app_for(real).run_test(size=(160, 30)) as pilot:
        pane = await open_pane(pilot, cid)
        # The view drops lines that waited in its queue over `max_lag` seconds of wall clock (its own
        # policy, tested in test_log_view); on a loaded machine that dropped hundreds here. This test
        # is about the follow losing nothing, so the clock must not decide.
        pane.view.max_lag = float("inf")
        await settle_logs(pilot, pane, lines=0)
        # The follow is open before the burst (else its start would come from the history's tail):
        # a probe line written now reached the pane.
        await poke_until(lambda: real.write(cid, LogStream.STDOUT, "probe"),
                         lambda: any(t == "probe" for _, t in texts(pane)), "a probe line in the pane")
        session = await real.engine.exec(cid, ["sh", "-c", "i=0; while [ $i -lt 3000 ]; do echo line-$i; "
                                                           "i=$((i+1)); done > /proc/1/fd/1"], stdin=False)
        async with session:
            while await session.read() is not None:
                pass
        await wait_for(pilot, lambda: any(t == "line-2999" for _, t in texts(pane)[-5:]))
        numbered = [t for _, t in texts(pane) if t.startswith("line-")]
        assert numbered == [f"line-{i}" for i in range(3000)]  # all of them, in order, once
        assert pane.view.skipped == 0


async def test_restart_is_marked_and_output_carries_on(real):
    cid = await real.idle("restart")
    await real.write(cid, LogStream.STDOUT, "before restart")
    async with app_for(real).run_test(size=(160, 30)) as pilot:
        pane = await open_pane(pilot, cid)
        await wait_for(pilot, lambda: any(t == "before restart" for _, t in texts(pane)))
        await real.engine.restart(cid, grace=1)
        await wait_for(pilot, lambda: any("restarted at" in t for _, t in texts(pane)))
        await real.write(cid, LogStream.STDERR, "after restart")
        await wait_for(pilot, lambda: texts(pane)[-1] == (LogStream.STDERR, "after restart"))
        assert [t for _, t in texts(pane)].count("before restart") == 1


async def test_removed_container_is_said_and_lines_kept(real):
    cid = await real.idle("removed")
    await real.write(cid, LogStream.STDOUT, "keep me")
    async with app_for(real).run_test(size=(160, 30)) as pilot:
        pane = await open_pane(pilot, cid)
        await wait_for(pilot, lambda: any(t == "keep me" for _, t in texts(pane)))
        await pilot.press("l", "P", "escape")  # pinned: the pane stays when the row goes
        await real.engine.remove(cid, force=True)
        await wait_for(pilot, lambda: "removed" in pane.query_one(PaneHeader)._text.plain)
        await wait_for(pilot, lambda: any("container removed" in t for _, t in texts(pane)), what="the removal marker")
        assert any(t == "keep me" for _, t in texts(pane))
