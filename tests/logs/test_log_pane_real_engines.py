"""Log panes against real Docker and Podman: streams and order, follow, restart, removal."""

from __future__ import annotations

import asyncio

import pytest

from tests.logs.pane_helpers import settle_logs
from tests.ui.conftest import dashboard, move_to
from tests.ui.test_dashboard_real_engines import app_for
from tui.engine import LogStream
from tui.widgets.log_pane import LogPane, PaneHeader

pytestmark = pytest.mark.engine



def texts(pane: LogPane) -> list[tuple[object, str]]:
    return [(line.stream, line.plain) for line in pane.view.buffer]


async def wait_for(pilot, predicate, timeout: float = 15.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if predicate():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition not met in time")


async def open_pane(pilot, container_id: str) -> LogPane:
    screen = await dashboard(pilot)
    for _ in range(100):  # panes mount after the first frame
        if screen.main_log_pane is not None:
            break
        await pilot.pause(0.02)
    await move_to(pilot, screen, container_id)
    await pilot.pause(0.3)
    return screen.main_log_pane


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
        await settle_logs(pilot, pane, lines=0, timeout=1)
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
        await pilot.press("l", "p", "escape")  # pinned: the pane stays when the row goes
        await real.engine.remove(cid, force=True)
        await wait_for(pilot, lambda: "removed" in pane.query_one(PaneHeader)._text.plain)
        await asyncio.sleep(0.1)
        assert any(t == "keep me" for _, t in texts(pane))
