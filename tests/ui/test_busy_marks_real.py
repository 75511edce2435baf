"""A row says "stopping…"/"restarting…" until the action is over, on real Docker and Podman.

A container that ignores SIGTERM takes the whole grace period to stop. Docker
sends a `kill` event at once (the TERM), which used to clear the busy mark: the
row read "running" for the grace period, then jumped to "exited (137)".
An event of the container must not end the action; the action's end does.
"""

from __future__ import annotations

import pytest

from tests.engine.harness import TEST_LABEL, RealHarness
from tests.waits import wait_until
from tests.settings_shorthand import flat_settings
from tui.app import BosunApp, RunOptions
from tui.engine import State

from .conftest import cell_text, dashboard, move_to

pytestmark = pytest.mark.engine

STUBBORN = "trap '' TERM; while :; do sleep 1; done"
GRACE = 2


def app_for(harness: RealHarness) -> BosunApp:
    settings = flat_settings(host=harness.engine.url, labels={TEST_LABEL: harness.session}, stop_grace=GRACE,
                             stats=False)
    return BosunApp(settings, RunOptions(persist_theme=False))


async def samples_until_done(pilot, screen, cid: str, busy: str) -> list[str]:
    """The state cell, every frame, from when it first says `busy` until it says something else."""
    seen: list[str] = []
    await wait_until(lambda: busy in cell_text(screen, cid, "state"), f"the row to say {busy!r}", pilot=pilot,
                     detail=lambda: cell_text(screen, cid, "state"))

    def sample() -> bool:
        seen.append(cell_text(screen, cid, "state"))
        return busy not in seen[-1]

    await wait_until(sample, f"the row to stop saying {busy!r}", pilot=pilot, timeout=GRACE + 20,
                     detail=lambda: seen[-5:])
    return seen


async def test_stop_says_stopping_for_the_whole_grace_period(real):
    cid = await real._create("stubborn-stop", STUBBORN)
    async with app_for(real).run_test(size=(160, 30)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, cid)
        await pilot.press("x")
        seen = await samples_until_done(pilot, screen, cid, "stopping…")
        # The first thing shown after "stopping…" is the result, not "running" while the TERM is ignored.
        assert "exited (137)" in seen[-1], seen[-5:]
        assert (await real.engine.summary(cid)).state is State.EXITED


async def test_restart_says_restarting_until_the_container_runs_again(real):
    cid = await real._create("stubborn-restart", STUBBORN)
    before = (await real.engine.summary(cid)).started
    async with app_for(real).run_test(size=(160, 30)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, cid)
        await pilot.press("r")
        seen = await samples_until_done(pilot, screen, cid, "restarting…")
        now = await real.engine.summary(cid)
        # The mark went when the restart was done: a new run, not the old one still ignoring TERM.
        assert now.started > before, (before, now.started, seen[-5:])
        assert "running" in seen[-1], seen[-5:]
