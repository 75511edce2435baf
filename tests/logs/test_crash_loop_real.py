"""A crash-looping container's live pane shows every run, with a separator between runs (real engines).

`sh -c 'echo about to fail; echo fatal >&2; exit 3'` started with `s` twice:
each run is over in milliseconds, so by the time the pane's follower looks
again the container has exited again. It used to take that for "still
stopped" and never read the new run's lines (the pane showed 2 of 6).
"""

from __future__ import annotations

import pytest

from tests.logs.test_log_pane_real_engines import open_pane
from tests.ui.test_dashboard_real_engines import app_for
from tests.waits import wait_until
from tui.engine import State
from tui.widgets.log.pane import LogPane

pytestmark = pytest.mark.engine

CRASH = "echo about to fail; echo fatal >&2; exit 3"


def shape(pane: LogPane) -> list[str]:
    """The pane as kinds: the two lines of a run as themselves, markers as 'stopped' / 'restarted'."""
    out = []
    for line in pane.view.buffer:
        if line.is_marker:
            out.append("restarted" if "restarted" in line.plain else "stopped" if "exited" in line.plain
                       else line.plain)
        else:
            out.append(line.plain)
    return out


async def test_every_run_of_a_crash_loop_shows_live(real):
    cid = await real._create("crash-loop", CRASH)
    await wait_until(lambda: _exited(real, cid), "the first run to end")
    async with app_for(real).run_test(size=(160, 40)) as pilot:
        pane = await open_pane(pilot, cid)
        await wait_until(lambda: shape(pane).count("stopped") == 1, "the first run's stop", pilot=pilot,
                         detail=lambda: shape(pane))
        for run in (2, 3):
            before = (await real.engine.summary(cid)).started
            await pilot.press("s")
            await wait_until(lambda: _ran_since(real, cid, before), f"run {run} to end", pilot=pilot)
            await wait_until(lambda: shape(pane).count("stopped") == run, f"run {run}'s stop in the pane",
                             pilot=pilot, detail=lambda: shape(pane))
        await wait_until(lambda: len([line for line in pane.view.buffer if not line.is_marker]) >= 6,
                         "six lines", pilot=pilot, detail=lambda: shape(pane))
        got = shape(pane)
        runs = [sorted(part) for part in _split(got)]
        # The engine orders stdout and stderr of one run as it reads two pipes: compare each run as a set.
        assert runs == [sorted(["about to fail", "fatal"])] * 3, got
        assert [k for k in got if k in ("stopped", "restarted")] == ["stopped", "restarted"] * 2 + ["stopped"], got
        history = [c.data.decode().strip() async for c in real.engine.logs(cid)]
        assert sorted(history) == sorted(k for k in got if k not in ("stopped", "restarted")), (history, got)


def _split(kinds: list[str]) -> list[list[str]]:
    runs, current = [], []
    for kind in kinds:
        if kind == "stopped":
            runs.append(current)
            current = []
        elif kind != "restarted":
            current.append(kind)
    return runs + ([current] if current else [])


async def _exited(harness, cid) -> bool:
    return (await harness.engine.summary(cid)).state is State.EXITED


async def _ran_since(harness, cid, before) -> bool:
    summary = await harness.engine.summary(cid)
    return summary.state is State.EXITED and summary.started != before
