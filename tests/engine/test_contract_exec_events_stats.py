"""Contract: exec sessions, the event stream, and stats."""

from __future__ import annotations

import asyncio

import pytest

from tests.waits import poke_until
from tui.engine import ContainerEvent, EventKind, LogStream

pytestmark = pytest.mark.engine


async def _ask_until(session, command: bytes, needle: bytes) -> bytes:
    """Send `command` until its output shows `needle`. A client-side exec (the CLI backend) sets the
    exec's size on its own after starting it or after SIGWINCH, so the first answer may predate it."""
    seen = bytearray()

    async def read() -> None:
        while (out := await session.read()) is not None:
            seen.extend(out.data)

    reader = asyncio.create_task(read())
    try:
        await poke_until(lambda: session.write(command), lambda: needle in seen, f"{needle!r} in answer to {command!r}",
                         detail=lambda: bytes(seen[-300:]))
    finally:
        reader.cancel()
        await asyncio.gather(reader, return_exceptions=True)
    return bytes(seen)


async def _read_all(session, timeout: float = 10.0) -> list:
    outputs = []

    async def go():
        while (out := await session.read()) is not None:
            outputs.append(out)

    await asyncio.wait_for(go(), timeout)
    return outputs


async def test_exec_tty_sees_its_size_and_resizes(engine_harness):
    h = engine_harness
    cid = await h.idle("tty")
    session = await h.engine.exec(cid, ["sh"], tty=True, size=(30, 90))
    async with session:
        assert session.tty
        assert b"30 90" in await _ask_until(session, b"stty size\r", b"30 90")
        await session.resize(41, 123)
        assert b"41 123" in await _ask_until(session, b"stty size\r", b"41 123")
        await session.write(b"exit 5\r")
        await _read_all(session)
        assert await session.exit_code(10) == 5


async def test_exec_without_tty_keeps_streams_and_exit_code(engine_harness):
    h = engine_harness
    cid = await h.idle("exec")
    session = await h.engine.exec(cid, ["sh", "-c", "echo to-out; echo to-err >&2; exit 3"], stdin=False)
    async with session:
        outputs = await _read_all(session)
        by_stream = {s: b"".join(o.data for o in outputs if o.stream is s) for s in LogStream}
        if h.kind != "fake":  # the fake shell has no redirections
            assert by_stream == {LogStream.STDOUT: b"to-out\n", LogStream.STDERR: b"to-err\n"}
        assert await session.exit_code(10) == 3


async def test_exec_takes_user_workdir_and_environment(engine_harness):
    h = engine_harness
    cid = await h.idle("execopts")
    script = "pwd; id -un" if h.kind == "fake" else 'pwd; id -un; echo "$GREETING"'
    session = await h.engine.exec(
        cid, ["sh", "-c", script], stdin=False, user="nobody", workdir="/tmp", env={"GREETING": "hi there"}
    )
    async with session:
        text = b"".join(o.data for o in await _read_all(session)).decode()
    assert text.split("\n")[:2] == ["/tmp", "nobody"]
    if h.kind != "fake":
        assert "hi there" in text


async def test_events_for_start_stop_die_destroy(engine_harness):
    h = engine_harness
    e = h.engine
    stream = e.events()
    seen: list[ContainerEvent] = []
    target: set[str] = set()
    probes: set[str] = set()
    probed: list[ContainerEvent] = []

    async def watch():
        async for event in stream:
            if isinstance(event, ContainerEvent):
                # Kept, not matched now: a probe's event can come before its create call returns its id.
                probed.append(event)
            if isinstance(event, ContainerEvent) and event.container_id in target:
                seen.append(event)
                if event.kind is EventKind.DESTROYED:
                    return

    watcher = asyncio.ensure_future(watch())

    async def probe():
        probes.add(await h.created(f"events-probe{len(probes)}"))

    # The subscription is in place before anything happens: a probe container's event came through.
    await poke_until(probe, lambda: any(event.container_id in probes for event in probed),
                     "an event of a probe container")
    cid = await h.created("events")
    target.add(cid)
    await e.start(cid)
    await e.stop(cid, grace=5)
    await e.remove(cid)
    await asyncio.wait_for(watcher, 15)
    await stream.aclose()
    kinds = [ev.kind for ev in seen]
    for wanted in (EventKind.STARTED, EventKind.DIED, EventKind.DESTROYED):
        assert wanted in kinds, kinds
    assert kinds.index(EventKind.STARTED) < kinds.index(EventKind.DIED) < kinds.index(EventKind.DESTROYED)
    died = next(ev for ev in seen if ev.kind is EventKind.DIED)
    assert died.exit_code is not None
    assert all(ev.engine == e.name for ev in seen)


async def test_stats_stream_has_plausible_numbers(engine_harness):
    h = engine_harness
    cid = await h.idle("stats")
    stream = h.engine.stats(cid)
    samples = []

    async def take():
        async for sample in stream:
            samples.append(sample)
            if len(samples) >= 3:
                return

    await asyncio.wait_for(take(), 20)
    await stream.aclose()
    last = samples[-1]
    assert last.online_cpus >= 1
    assert 0 < last.memory_used < last.memory_limit
    assert last.cpu_percent is not None and 0 <= last.cpu_percent <= 100 * last.online_cpus
    assert last.cpu_percent_of_machine <= 100
    assert last.net_rx >= 0 and last.block_read >= 0

    first = await h.engine.stats_once(cid)
    # Kept: a CPU percentage is a rate between two samples, so time has to pass between them.
    await asyncio.sleep(0.3)
    second = await h.engine.stats_once(cid)
    assert second.memory_used > 0 and second.cpu_percent is not None
    assert first.memory_limit == second.memory_limit


async def test_local_cgroup_stats_agree_with_the_engine_api(real_engine, tmp_path):
    """Local engines are sampled from cgroup files; the figures must match what the API says."""
    from tui.engine.docker import DockerEngine

    assert real_engine._cgroups is not None  # a unix socket: local
    body = {"Image": "bosun-test:latest", "Cmd": ["sh", "-c", "while true; do :; done"],
            "Labels": {"bosun.test": "cgroup-stats"}}
    async with real_engine._request("containers/create", "POST", body=body) as response:
        cid = (await response.json(content_type=None))["Id"]
    api = DockerEngine(real_engine.endpoint, local_stats=False)
    try:
        await real_engine.start(cid)
        await real_engine.stats_once(cid)
        # Kept (both): CPU % is measured over an interval; the figures compared need one of real length.
        await asyncio.sleep(1.0)
        local = await real_engine.stats_once(cid)
        await api.ping()
        await api.stats_once(cid)
        await asyncio.sleep(1.0)
        remote = await api.stats_once(cid)
        assert real_engine._cgroups._paths.get(cid) is not None  # really read from the files
        assert local.cpu_percent is not None and 5 < local.cpu_percent <= 100 * local.online_cpus
        assert remote.cpu_percent is not None and 5 < remote.cpu_percent
        assert abs(local.memory_used - remote.memory_used) < 4 << 20
        assert local.memory_limit == remote.memory_limit
        # A pid that is not the container's is refused, not misread.
        assert real_engine._cgroups.sample(cid, 1) is None
    finally:
        await api.close()
        await real_engine.remove(cid, force=True)
