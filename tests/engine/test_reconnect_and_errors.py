"""The event stream survives the engine going away; unreachable engines say what was tried."""

from __future__ import annotations

import asyncio
import json
import os

import pytest

from tests.conftest import open_real_engine, real_engine_url
from tests.engine.socket_proxy import SocketProxy
from tests.waits import poke_until, wait_until
from tui.engine import ContainerEvent, EngineUnreachable, PermissionDenied, EventKind, EventsLost, EventsResumed, FakeEngine
from tui.engine.connector import connect
from tui.engine.docker import DockerEngine
from tui.engine.endpoints import Endpoint

pytestmark = pytest.mark.engine


async def _next_of(stream, kinds, timeout=20.0):
    async def go():
        async for event in stream:
            if isinstance(event, kinds):
                return event

    return await asyncio.wait_for(go(), timeout)


@pytest.mark.parametrize("kind", ["docker", "podman"])
async def test_event_stream_reconnects_after_the_engine_goes_away(kind, tmp_path):
    target = real_engine_url(kind).removeprefix("unix://")
    proxy = SocketProxy(str(tmp_path / "engine.sock"), target)
    await proxy.start()
    engine = DockerEngine(Endpoint(f"unix://{proxy.listen_path}", "test proxy"))
    helper = await open_real_engine(kind)
    stream = engine.events()
    try:
        await engine.ping()
        # The stream is up before the cut: an event made through the other connection came through it.
        probe_seen = asyncio.ensure_future(_next_of(stream, (ContainerEvent,)))
        probes: list[str] = []

        async def probe():
            async with helper._request("containers/create", "POST", body={
                    "Image": "bosun-test:latest", "Cmd": ["true"], "Labels": {"bosun.test": "reconnect"}}) as r:
                probes.append((await r.json(content_type=None))["Id"])

        try:
            await poke_until(probe, probe_seen.done, "an event through the proxied stream")
            await probe_seen
        finally:
            for probe_id in probes:
                await helper.remove(probe_id, force=True)
        first = asyncio.ensure_future(_next_of(stream, (EventsLost,)))
        await proxy.cut()
        lost = await first
        assert lost.engine == engine.name and lost.reason
        await proxy.restore()
        resumed = await _next_of(stream, (EventsResumed,))
        assert resumed.down_seconds > 0
        # And events flow again after the reconnect. EventsResumed is yielded once the new request
        # is answered, so the subscription is in place: what happens now is buffered for the waiter.
        waiter = asyncio.ensure_future(_next_of(stream, (ContainerEvent,)))
        async with helper._request("containers/create", "POST", body={"Image": "bosun-test:latest", "Cmd": ["true"],
                                                                      "Labels": {"bosun.test": "reconnect"}}) as r:
            created = (await r.json(content_type=None))["Id"]
        event = await waiter
        assert event.container_id == created and event.kind is EventKind.CREATED
        await helper.remove(created, force=True)
    finally:
        await stream.aclose()
        await engine.close()
        await helper.close()
        await proxy.cut()


async def test_fake_engine_reports_lost_and_resumed():
    fake = FakeEngine()
    stream = fake.events()
    waiter = asyncio.ensure_future(_next_of(stream, (EventsLost,)))
    await wait_until(lambda: fake._subscribers, "the fake engine's event subscription")
    fake.drop_events("daemon restarted", 1.5)
    assert (await waiter).reason == "daemon restarted"
    assert (await _next_of(stream, (EventsResumed,))).down_seconds == 1.5
    await stream.aclose()


async def test_unreachable_names_every_endpoint_tried(tmp_path):
    missing = tmp_path / "nothing.sock"
    with pytest.raises(EngineUnreachable) as info:
        await connect(host=f"unix://{missing}")
    text = str(info.value)
    assert f"unix://{missing}" in text and "--host" in text and "no such socket" in text
    with pytest.raises(EngineUnreachable) as info:
        await connect(env={"DOCKER_HOST": "tcp://127.0.0.1:9"})
    assert "tcp://127.0.0.1:9" in str(info.value) and "DOCKER_HOST" in str(info.value)


async def test_stale_socket_file_is_reported_as_refused(tmp_path):
    import socket

    path = tmp_path / "stale.sock"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    sock.close()  # the file stays, nobody listens: a daemon that died
    with pytest.raises(EngineUnreachable) as info:
        await connect(host=f"unix://{path}")
    assert "connection refused" in str(info.value)


def _connect_as_nobody(url: str) -> dict:
    """Run `connect` in a forked child that has dropped root, as a real user would.

    Root may open any socket, so the check has to run unprivileged; forking
    (rather than starting a new interpreter) avoids needing read access to
    wherever Python is installed.
    """
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        answer: dict
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            asyncio.run(connect(host=url))
            answer = {"ok": True}
        except PermissionDenied as exc:
            answer = {"denied": str(exc), "endpoints": [a.endpoint for a in exc.attempts]}
        except BaseException as exc:  # report anything else to the parent
            answer = {"error": repr(exc)}
        os.write(write_fd, json.dumps(answer).encode())
        os._exit(0)
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(data)


@pytest.mark.parametrize("kind", ["docker", "podman"])
def test_permission_denied_names_the_socket_and_the_fix(kind):
    url = real_engine_url(kind)
    if os.getuid() != 0:
        pytest.fail("this test drops root to act as an ordinary user; run the suite as root (tests/run does)")
    answer = _connect_as_nobody(url)
    assert answer.get("endpoints") == [url], answer
    assert "permission denied" in answer["denied"] and "usermod" in answer["denied"]
