"""On real engines: once a container is removed, the engine's stats caches no longer hold it."""

from __future__ import annotations

import asyncio
import subprocess

import pytest

from tests.engine.harness import IDLE, IMAGE, TEST_LABEL, RealHarness
from tests.waits import wait_until

from .conftest import dashboard, row_keys
from .test_dashboard_real_engines import app_for

pytestmark = pytest.mark.engine


async def cli(harness: RealHarness, *args: str) -> str:
    done = await asyncio.to_thread(subprocess.run, [harness.kind, *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


async def test_a_removed_containers_stats_are_forgotten(real):
    cid = await cli(real, "run", "-d", "--name", f"seams-forget-{real.session}",
                    "--label", f"{TEST_LABEL}={real.session}", IMAGE, "sh", "-c", IDLE)
    async with app_for(real).run_test(size=(160, 40)) as pilot:
        screen = await dashboard(pilot)
        engine = screen.engine
        await wait_until(lambda: cid in screen.stats, "a stats sample of the container", pilot=pilot, timeout=30)
        assert engine.remembers(cid)
        await cli(real, "rm", "-f", cid)
        await wait_until(lambda: cid not in row_keys(screen), "the row gone", pilot=pilot, timeout=30)
        await wait_until(lambda: not engine.remembers(cid), "the engine's stats caches to drop the container",
                         pilot=pilot, timeout=10)
