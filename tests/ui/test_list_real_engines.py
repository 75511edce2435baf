"""The list on real Docker and Podman: UDP mappings, renames (row and shell tab), a paused container's pane."""

from __future__ import annotations

import asyncio
import subprocess

import pytest

from tests.engine.harness import IDLE, IMAGE, TEST_LABEL, RealHarness
from tests.shell.dashboard_helpers import open_shell, tab_title
from tests.waits import wait_until

from .conftest import cell_text, dashboard, move_to, row_keys, screen_text
from .test_dashboard_real_engines import app_for

pytestmark = pytest.mark.engine


async def run_cli(harness: RealHarness, *args: str) -> str:
    done = await asyncio.to_thread(subprocess.run, [harness.kind, *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


async def container(harness: RealHarness, what: str, *options: str) -> tuple[str, str]:
    """A running idle container named `list-<what>-<session>` (this helper's prefix), labelled for cleanup."""
    name = f"list-{what}-{harness.session}"
    cid = await run_cli(harness, "run", "-d", "--name", name, "--label", f"{TEST_LABEL}={harness.session}",
                        *options, IMAGE, "sh", "-c", IDLE)
    return cid, name


async def test_a_udp_mapping_shows_in_ports(real):
    cid, _ = await container(real, "udp", "-p", "127.0.0.1::82/udp")
    document = await real.engine.inspect(cid)
    host_port = document["NetworkSettings"]["Ports"]["82/udp"][0]["HostPort"]
    mapping = f"127.0.0.1:{host_port}->82/udp"
    async with app_for(real).run_test(size=(200, 40)) as pilot:
        screen = await dashboard(pilot)
        await wait_until(lambda: cid in row_keys(screen) and mapping in cell_text(screen, cid, "ports"),
                         f"{mapping} in PORTS", pilot=pilot,
                         detail=lambda: cell_text(screen, cid, "ports") if cid in row_keys(screen) else row_keys(screen))
        assert mapping in screen_text(pilot.app)


async def test_a_rename_to_a_longer_name_shows_whole_in_the_row_and_the_shell_tab(real):
    cid, name = await container(real, "a")
    longer = f"list-a-much-longer-name-{real.session}"
    async with app_for(real).run_test(size=(160, 40)) as pilot:
        screen = await dashboard(pilot)
        await wait_until(lambda: cid in row_keys(screen), "the container listed", pilot=pilot)
        await move_to(pilot, screen, cid)
        pane = await open_shell(pilot, screen)
        assert tab_title(screen, pane) == f"sh: {name}"
        await run_cli(real, "rename", name, longer)
        await wait_until(lambda: longer in screen_text(pilot.app), "the new name drawn whole in the list",
                         pilot=pilot, detail=lambda: screen_text(pilot.app))
        await wait_until(lambda: tab_title(screen, pane) == f"sh: {longer}", "the shell tab renamed", pilot=pilot,
                         detail=lambda: tab_title(screen, pane))


async def test_a_paused_containers_pane_says_paused(real):
    cid, name = await container(real, "nap")
    async with app_for(real).run_test(size=(160, 40)) as pilot:
        screen = await dashboard(pilot)
        await wait_until(lambda: cid in row_keys(screen) and screen.main_log_pane is not None, "the list and pane",
                         pilot=pilot)
        await move_to(pilot, screen, cid)
        pane_text = lambda: str(screen.main_log_pane.query_one("PaneHeader").render())  # noqa: E731
        await wait_until(lambda: name in pane_text(), "the pane on the container", pilot=pilot)
        await pilot.press("p")
        await wait_until(lambda: "container paused" in pane_text(), "the pane saying paused", pilot=pilot,
                         detail=pane_text)
        assert "stopped" not in pane_text()
        await pilot.press("p")
        await wait_until(lambda: "running" in cell_text(screen, cid, "state") and "paused" not in pane_text(),
                         "unpaused, and the pane back to normal", pilot=pilot, detail=pane_text)
        assert "stopped" not in pane_text()
