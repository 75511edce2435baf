"""Pilot tests against real Docker and Podman: the keys change the real containers."""

from __future__ import annotations

import pytest

from tests.conftest import open_real_engine
from tests.engine.harness import TEST_LABEL, RealHarness
from tests.waits import poke_until, wait_until
from tests.settings_shorthand import flat_settings
from tui.app import BosunApp, RunOptions
from tui.engine import NotFound, State

from .conftest import cell_text, dashboard, move_to, row_keys, settle

pytestmark = pytest.mark.engine



def app_for(harness: RealHarness) -> BosunApp:
    settings = flat_settings(host=harness.engine.url, labels={TEST_LABEL: harness.session}, stop_grace=2,
                             stats_interval=0.5)
    # A second connection of its own, as the real app would have.
    return BosunApp(settings, RunOptions(persist_theme=False))


async def wait_state(pilot, screen, harness, container_id, state: State, text: str, timeout=15.0):
    seen = {"engine": None, "shown": ""}

    async def both():
        try:
            seen["engine"] = (await harness.engine.summary(container_id)).state
        except NotFound:
            seen["engine"] = None
        seen["shown"] = cell_text(screen, container_id, "state") if container_id in row_keys(screen) else ""
        return seen["engine"] is state and text in seen["shown"] and not screen._rows_scheduled

    await wait_until(both, f"the engine to say {state} and the row {text!r}", pilot=pilot, timeout=timeout,
                     interval=0.1, detail=lambda: f"engine says {seen['engine']}, screen shows {seen['shown']!r}")
    await settle(pilot, screen)


async def wait_gone(pilot, screen, container_id, timeout=15.0):
    await wait_until(lambda: container_id not in row_keys(screen) and not screen._rows_scheduled,
                     f"{container_id[:12]} to leave the list", pilot=pilot, timeout=timeout)


async def test_keys_change_the_real_container(real):
    cid = await real.idle("keys")
    async with app_for(real).run_test(size=(160, 30)) as pilot:
        screen = await dashboard(pilot)
        assert row_keys(screen) == [cid]
        await move_to(pilot, screen, cid)
        await pilot.press("x")
        await wait_state(pilot, screen, real, cid, State.EXITED, "exited")
        await pilot.press("s")
        await wait_state(pilot, screen, real, cid, State.RUNNING, "running")
        await pilot.press("p")
        await wait_state(pilot, screen, real, cid, State.PAUSED, "paused")
        await pilot.press("p")
        await wait_state(pilot, screen, real, cid, State.RUNNING, "running")
        before = (await real.engine.summary(cid)).started
        await pilot.press("r")
        await wait_state(pilot, screen, real, cid, State.RUNNING, "running")
        assert (await real.engine.summary(cid)).started > before
        await pilot.press("K")
        await wait_state(pilot, screen, real, cid, State.EXITED, "exited (137)")
        await pilot.press("D")
        await pilot.pause()
        await pilot.press("y")
        await wait_gone(pilot, screen, cid)
        with pytest.raises(NotFound):
            await real.engine.inspect(cid)


async def test_force_removing_a_running_container(real):
    cid = await real.idle("force")
    async with app_for(real).run_test(size=(160, 30)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, cid)
        await pilot.press("D")
        await pilot.pause()
        await pilot.click("#force")
        await wait_gone(pilot, screen, cid)
        with pytest.raises(NotFound):
            await real.engine.inspect(cid)


async def test_a_stop_from_another_client_shows(real):
    # How soon it shows is a figure (bench/outside_change.py), not a test; this checks that the event
    # stream, not the periodic re-list, brings it: the re-list is an hour away.
    cid = await real.idle("outside")
    app = app_for(real)
    app.settings = flat_settings(app.settings, reconcile_interval=3600)
    async with app.run_test(size=(160, 30)) as pilot:
        screen = await dashboard(pilot)
        # The event stream is up: a probe container created now (in the test's label scope) is listed.
        probes: list[str] = []

        async def probe():
            probes.append(await real.created(f"outside-probe{len(probes)}"))

        await poke_until(probe, lambda: any(p in row_keys(screen) for p in probes), "a probe container's row")
        other = await open_real_engine(real.kind)
        try:
            await other.stop(cid, grace=2)
            await wait_until(lambda: "exited" in cell_text(screen, cid, "state"), "the row to say exited",
                             pilot=pilot, detail=lambda: cell_text(screen, cid, "state"))
        finally:
            await other.close()
