"""Contract: listing, inspecting and the lifecycle, the same on Docker, Podman and the fake."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import pytest

from tests.waits import wait_until
from tui.engine import Conflict, EngineTimeout, Health, NotFound, State

pytestmark = pytest.mark.engine


def _assert_status(h, error, http_status: int) -> None:
    """The engine's own word: an HTTP status from an API, the client's exit status from a CLI."""
    if h.kind.endswith("-cli"):
        assert error.status is None and error.exit_status not in (None, 0) and error.message
    else:
        assert error.status == http_status and error.message


async def _state(h, container_id) -> State:
    return (await h.engine.summary(container_id)).state


async def test_list_reports_summaries_in_every_state(engine_harness):
    h = engine_harness
    running = await h.idle("run", labels={"com.docker.compose.project": "shop", "com.docker.compose.service": "web"})
    created = await h.created("new")
    exited = await h.exited("done", 3)
    listed = {s.id: s for s in await h.engine.list_containers(labels=h.labels)}
    assert set(listed) == {running, created, exited}
    run = listed[running]
    assert run.name == h.name("run")
    assert "bosun-test" in run.image
    assert run.state is State.RUNNING and run.health is Health.NONE
    assert run.engine == h.engine.name
    assert run.compose_project == "shop" and run.compose_service == "web"
    assert run.labels["bosun.test"] == h.session
    assert run.started is not None and run.created is not None and run.created <= run.started
    assert listed[created].state is State.CREATED
    assert listed[exited].state is State.EXITED and listed[exited].exit_code == 3


async def test_brief_list_needs_no_inspect_and_still_has_exit_codes(engine_harness):
    h = engine_harness
    exited = await h.exited("brief", 7)
    brief = {s.id: s for s in await h.engine.list_containers(detailed=False, labels=h.labels)}
    assert brief[exited].state is State.EXITED and brief[exited].exit_code == 7


async def test_published_ports_carry_host_address_and_port(engine_harness):
    h = engine_harness
    container_id = await h.idle("ports", ports=[8080])
    summary = await h.engine.summary(container_id)
    (port,) = [p for p in summary.ports if p.container_port == 8080]
    assert port.protocol == "tcp" and port.host_port and port.host_port > 0
    assert port.url() == f"http://127.0.0.1:{port.host_port}"


async def test_inspect_returns_the_full_document(engine_harness):
    h = engine_harness
    container_id = await h.idle("inspect")
    doc = await h.engine.inspect(container_id)
    assert doc["Id"] == container_id
    assert doc["State"]["Running"] is True
    assert doc["Config"]["Labels"]["bosun.test"] == h.session


async def test_lifecycle_transitions_and_idempotence(engine_harness):
    h = engine_harness
    e = h.engine
    cid = await h.idle("life")
    assert await e.start(cid) is False  # already running: 304, not an error
    assert await e.stop(cid, grace=5) is True
    assert await _state(h, cid) is State.EXITED
    assert await e.stop(cid, grace=5) is False  # already stopped: a no-op
    assert await e.start(cid) is True
    assert await _state(h, cid) is State.RUNNING
    await e.pause(cid)
    assert await _state(h, cid) is State.PAUSED
    await e.unpause(cid)
    assert await _state(h, cid) is State.RUNNING
    before = (await e.summary(cid)).started
    # A later start needs a later clock (the fake's is the host's): wait for it to tick past.
    await wait_until(lambda: datetime.now(timezone.utc) > before, "the clock to pass the first start")
    await e.restart(cid, grace=5)
    after = await e.summary(cid)
    assert after.state is State.RUNNING and after.started > before
    await e.kill(cid)
    killed = await e.summary(cid)
    assert killed.state is State.EXITED and killed.exit_code == 137
    with pytest.raises(Conflict) as info:
        await e.kill(cid)
    # Podman says 500 "container state improper" where Docker says 409; both are a Conflict.
    _assert_status(h, info.value, 500 if h.kind == "podman" else 409)


async def test_remove_asks_for_force_and_is_idempotent(engine_harness):
    h = engine_harness
    e = h.engine
    cid = await h.idle("rm")
    with pytest.raises(Conflict) as info:
        await e.remove(cid)
    _assert_status(h, info.value, 500 if h.kind == "podman" else 409)
    assert "force" in info.value.message
    assert await e.remove(cid, force=True, volumes=True) is True
    assert await e.remove(cid, force=True) is False  # already gone: a no-op
    with pytest.raises(NotFound) as missing:
        await e.inspect(cid)
    _assert_status(h, missing.value, 404)


async def test_unknown_container_is_not_found_with_the_engines_word(engine_harness):
    with pytest.raises(NotFound) as info:
        await engine_harness.engine.start("bosun-no-such-container")
    _assert_status(engine_harness, info.value, 404)
    assert info.value.engine == engine_harness.engine.name
    assert "bosun-no-such-container" in info.value.message or "no such container" in info.value.message.lower()


async def _wait_healthy_driving(h, container_id, timeout):
    task = asyncio.ensure_future(h.engine.wait_healthy(container_id, timeout))
    while not task.done():
        await h.drive_health(container_id)
        await asyncio.wait([task], timeout=0.4)
    return task.result()


async def test_health_goes_from_starting_to_healthy(engine_harness):
    h = engine_harness
    cid = await h.healthy_after("hc-ok", 1)
    assert (await h.engine.summary(cid)).health is Health.STARTING
    summary = await _wait_healthy_driving(h, cid, 30)
    assert summary.health is Health.HEALTHY


async def test_health_turns_unhealthy_and_wait_reports_the_check_output(engine_harness):
    h = engine_harness
    cid = await h.never_healthy("hc-bad", "db not ready")
    summary = None

    async def unhealthy():
        nonlocal summary
        await h.drive_health(cid)
        summary = await h.engine.summary(cid)
        return summary.health is Health.UNHEALTHY

    await wait_until(unhealthy, "the check to turn the container unhealthy", timeout=20, interval=0.3,
                     detail=lambda: summary)
    assert summary.health is Health.UNHEALTHY
    assert "db not ready" in (summary.health_output or "")
    with pytest.raises(EngineTimeout) as info:
        await h.engine.wait_healthy(cid, 0.5)
    assert "db not ready" in info.value.message
