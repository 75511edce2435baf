"""Shared fixtures: the engines under test.

`engine_harness` is parametrized over Docker, Podman and the fake engine. The
real engines are the ones `tests/run` starts (BOSUN_TEST_DOCKER_HOST,
BOSUN_TEST_PODMAN_HOST). When those are not set the real-engine cases fail
under CI and are skipped (saying how to run them) elsewhere: never a silent pass.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

# Property tests judge correctness, not speed: a per-example deadline only
# makes them flaky on a loaded CI machine (benchmarks live in bench/).
settings.register_profile("bosun", deadline=None, print_blob=True)
settings.load_profile("bosun")

from tests.engine.harness import FakeHarness, RealHarness
from tui.engine import FakeEngine
from tui.engine.docker import DockerEngine
from tui.engine.endpoints import Endpoint

ENGINE_HOSTS = {
    "docker": "BOSUN_TEST_DOCKER_HOST",
    "podman": "BOSUN_TEST_PODMAN_HOST",
}


def real_engine_url(kind: str) -> str:
    url = os.environ.get(ENGINE_HOSTS[kind])
    if not url:
        message = f"{ENGINE_HOSTS[kind]} is not set: run the suite with `bash tests/run`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return url


async def open_real_engine(kind: str) -> DockerEngine:
    engine = DockerEngine(Endpoint(real_engine_url(kind), f"test {kind}"))
    await engine.ping()
    assert engine.kind == kind, f"{engine.url} is {engine.kind}, expected {kind}"
    return engine


@pytest.fixture(params=["docker", "podman", "fake"])
async def engine_harness(request):
    kind = request.param
    if kind == "fake":
        harness = FakeHarness(FakeEngine(stats_interval=0.2))
    else:
        harness = RealHarness(await open_real_engine(kind), kind)
    try:
        yield harness
    finally:
        await harness.cleanup()
        await harness.engine.close()


@pytest.fixture(params=["docker", "podman"])
async def real_engine(request):
    engine = await open_real_engine(request.param)
    try:
        yield engine
    finally:
        await engine.close()


@pytest.fixture(params=["docker", "podman"])
async def real(request, tmp_path, monkeypatch):
    """A `RealHarness` on each real engine, its containers removed afterwards; config kept out of $HOME."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    harness = RealHarness(await open_real_engine(request.param), request.param)
    try:
        yield harness
    finally:
        await harness.cleanup()
        await harness.engine.close()
