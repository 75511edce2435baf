"""Pilot tests against real Docker and Podman: the keys change the real containers."""

from __future__ import annotations

import asyncio

import pytest

from tests.conftest import open_real_engine
from tests.engine.harness import TEST_LABEL, RealHarness
from tui.app import AppSettings, BosunApp
from tui.engine import NotFound, State
from tui.screens.dashboard import DashboardOptions

from .conftest import cell_text, dashboard, move_to, row_keys, settle

pytestmark = pytest.mark.engine



def app_for(harness: RealHarness) -> BosunApp:
    options = DashboardOptions(labels={TEST_LABEL: harness.session}, stop_grace=2, stats_interval=0.5)
    # A second connection of its own, as the real app would have.
    return BosunApp(AppSettings(host=harness.engine.url, persist_theme=False, options=options))


async def wait_state(pilot, screen, harness, container_id, state: State, text: str, timeout=15.0):
    for _ in range(int(timeout / 0.1)):
        await settle(pilot, screen, rounds=2)
        try:
            real_state = (await harness.engine.summary(container_id)).state
        except NotFound:
            real_state = None
        shown = cell_text(screen, container_id, "state") if container_id in row_keys(screen) else ""
        if real_state is state and text in shown:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"wanted {state} / {text!r}; engine says {real_state}, screen shows {shown!r}")


async def wait_gone(pilot, screen, container_id, timeout=15.0):
    for _ in range(int(timeout / 0.05)):
        await settle(pilot, screen, rounds=2)
        if container_id not in row_keys(screen):
            return
    raise AssertionError(f"{container_id[:12]} still listed after {timeout}s")


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


async def test_a_stop_from_another_client_shows_within_two_seconds(real):
    cid = await real.idle("outside")
    async with app_for(real).run_test(size=(160, 30)) as pilot:
        screen = await dashboard(pilot)
        await pilot.pause(0.5)  # the event stream is up
        other = await open_real_engine(real.kind)
        try:
            started = asyncio.get_running_loop().time()
            await other.stop(cid, grace=2)
            stopped = asyncio.get_running_loop().time()
            while "exited" not in cell_text(screen, cid, "state"):
                assert asyncio.get_running_loop().time() - stopped < 2.0, cell_text(screen, cid, "state")
                await pilot.pause(0.02)
        finally:
            await other.close()
        assert started <= stopped
