"""Stats on real Docker and Podman: CPU, memory with its limit, network and block I/O, on every path
bosun reads them by: the cgroup files (a local engine), the engine's API, the CLI's `stats --no-stream`."""

from __future__ import annotations

import pytest

from tests.conftest import open_real_engine, real_engine_url
from tests.engine.stats_busy import MEMORY_LIMIT, BusyContainer, kernel_counts_block_io
from tests.waits import wait_until
from tui.charts.metrics import memory_limit_of
from tui.engine.cli.engine import CliEngine
from tui.engine.docker import DockerEngine

pytestmark = pytest.mark.engine

MIB = 1 << 20


@pytest.fixture(autouse=True)
def patient_first_answer(monkeypatch):
    """A loaded machine may take the engines' first answer past the app's 5 s; the figures are the point here."""
    import tui.engine.docker

    monkeypatch.setattr(tui.engine.docker, "PING_SECONDS", 30.0)


@pytest.fixture(params=["docker", "podman"])
def busy(request):
    box = BusyContainer(request.param, real_engine_url(request.param))
    try:
        yield request.param, box
    finally:
        box.remove()


async def grown(engine, container_id: str) -> dict[str, bool]:
    """Two samples a moment apart: what rose between them, and whether each figure is plausible."""
    samples = []

    async def two() -> bool:
        samples.append(await engine.stats_once(container_id))
        return len(samples) >= 2 and (samples[-1].time - samples[0].time).total_seconds() >= 1.0

    await wait_until(two, "two stats samples a second apart", timeout=20, interval=0.5)
    first, last = samples[0], samples[-1]
    figures = {
        "cpu": (last.cpu_percent or 0) > 5,  # a core spinning; on a loaded 2-CPU machine it gets little
        "memory": last.memory_used > 32 * MIB,
        # The CLI's figure is text rounded to 3-4 digits (`256MiB`, Podman's `268.4MB`).
        "limit": abs(last.memory_limit - MEMORY_LIMIT) <= MEMORY_LIMIT // 100,
        "net_rx": last.net_rx > first.net_rx,
        "net_tx": last.net_tx > first.net_tx,
    }
    # Where the kernel counts none, the engine's own figure is 0 too: nothing to show but 0.
    figures["block_write"] = last.block_write > first.block_write if kernel_counts_block_io() else \
        last.block_write == first.block_write == 0
    return figures


async def all_grow(engine, container_id: str, what: str) -> None:
    seen: dict = {}

    async def every() -> bool:
        seen.update(await grown(engine, container_id))
        return all(seen.values())

    await wait_until(every, f"{what}: CPU busy, 40 MB used of a 256 MB limit, network and block I/O rising",
                     timeout=60, detail=lambda: seen)


async def test_the_cgroup_files_give_every_figure(busy):
    kind, box = busy
    engine = await open_real_engine(kind)
    try:
        assert engine._cgroups is not None
        await all_grow(engine, box.id, f"{kind} cgroup files")
        assert engine._cgroups.remembers(box.id)  # really read from the files, not the API
        assert memory_limit_of(await engine.inspect(box.id)) == MEMORY_LIMIT
    finally:
        await engine.close()


async def test_the_engine_api_gives_every_figure(busy):
    kind, box = busy
    local = await open_real_engine(kind)
    engine = DockerEngine(local.endpoint, local_stats=False)
    try:
        await engine.ping()
        await all_grow(engine, box.id, f"{kind} API")
    finally:
        await engine.close()
        await local.close()


async def test_the_cli_gives_every_figure(busy, monkeypatch):
    kind, box = busy
    if kind == "docker":  # the podman command (as root, as here) sees the service's containers without a URL
        monkeypatch.setenv("DOCKER_HOST", real_engine_url(kind))
    engine = CliEngine(f"{kind}-cli", name=f"test {kind}-cli", local_stats=False)
    try:
        await engine.ping()
        await all_grow(engine, box.id, f"{kind} CLI stats --no-stream")
    finally:
        await engine.close()
