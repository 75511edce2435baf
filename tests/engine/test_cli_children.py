"""The CLI backend's child processes: none left behind (no zombie, no orphan), and a dead events child restarts.

Counts the children of this process in /proc: every client the backend starts
for a log follow, the event stream, stats or a shell is gone once its view
closes or the engine is closed; one left running after bosun dies is killed
by the kernel (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import textwrap
from pathlib import Path

import pytest

from tests.engine.cli_harness import CliHarness, open_cli_engine
from tests.waits import poke_until, wait_until
from tui.engine import ContainerEvent, EventsLost, EventsResumed, LogStream
from tui.engine.cli.runner import pid_alive

pytestmark = pytest.mark.engine


def children(pid: int | None = None) -> list[tuple[int, str]]:
    """(pid, state) of every child process of `pid` (default: this one), zombies included."""
    pid = os.getpid() if pid is None else pid
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append((int(entry.name), fields[0]))
    return found


@pytest.fixture
async def podman_cli():
    harness = CliHarness(await open_cli_engine("podman-cli"), "podman-cli")
    try:
        yield harness
    finally:
        if not harness.engine.runner.closed:
            await harness.cleanup()
        await harness.engine.close()


async def test_closing_views_and_the_engine_leaves_no_client_behind(podman_cli):
    h = podman_cli
    e = h.engine
    cid = await h.idle("kids")
    before = children()
    # A view of each kind: events, a followed log, a shell, stats.
    events = e.events()
    seen: list = []

    async def watch():
        async for event in events:
            seen.append(event)

    watcher = asyncio.ensure_future(watch())
    follow = e.logs(cid, follow=True, tail=0)
    got: list = []

    async def read():
        async for chunk in follow:
            got.append(chunk)

    reader = asyncio.ensure_future(read())
    await poke_until(lambda: h.write(cid, LogStream.STDOUT, "probe"), lambda: got, "a line through the follow")
    shell = await e.exec(cid, ["sh"], tty=True, size=(20, 60))
    await e.stats_once(cid)
    assert len(e.runner.live_pids()) >= 3, e.runner.live_pids()  # events, logs, shell
    # The log view closes: its client is gone, the others still run.
    log_pids = set(e.runner.live_pids())
    reader.cancel()
    await asyncio.gather(reader, return_exceptions=True)
    await follow.aclose()
    await shell.close()
    await wait_until(lambda: len(e.runner.live_pids()) == 1, "only the events client to be left",
                     detail=lambda: (e.runner.live_pids(), children()))
    watcher.cancel()
    await asyncio.gather(watcher, return_exceptions=True)
    await events.aclose()
    await h.cleanup()
    await e.close()
    for pid in log_pids:
        assert not pid_alive(pid), f"client {pid} still running"
    await wait_until(lambda: set(children()) <= set(before), "no child process of ours but those before",
                     detail=lambda: (children(), before))
    assert not [c for c in children() if c[1] == "Z"], "a zombie child"


async def test_a_client_outlives_no_bosun_killed_hard(podman_cli, tmp_path):
    """bosun killed with SIGKILL (no cleanup at all): the kernel ends its `podman logs -f` too.

    The container is silent, so the client would never learn of it by a broken pipe.
    """
    cid = await podman_cli.idle("orphan")
    script = tmp_path / "follow.py"
    script.write_text(textwrap.dedent(f"""
        import asyncio
        from tui.engine.cli.engine import CliEngine

        async def main():
            engine = CliEngine("podman-cli")
            follow = engine.logs({cid!r}, follow=True, tail=0)
            task = asyncio.ensure_future(follow.__anext__())
            while not engine.runner.live_pids():
                await asyncio.sleep(0.01)
            print(*engine.runner.live_pids(), flush=True)
            await task

        asyncio.run(main())
    """))
    root = str(Path(__file__).resolve().parents[2])
    process = await asyncio.create_subprocess_exec(sys.executable, str(script), stdout=asyncio.subprocess.PIPE,
                                                   cwd=root, env={**os.environ, "PYTHONPATH": root})
    try:
        pids = [int(p) for p in (await asyncio.wait_for(process.stdout.readline(), 20)).split()]
        assert pids and all(pid_alive(p) for p in pids)
    finally:
        process.kill()
        await process.wait()
    await wait_until(lambda: not any(pid_alive(p) for p in pids), "the orphaned client to be gone", timeout=10)


async def test_the_events_child_dies_and_comes_back_with_lost_and_resumed(podman_cli):
    h = podman_cli
    e = h.engine
    stream = e.events()
    seen: list = []

    async def watch():
        async for event in stream:
            seen.append(event)

    watcher = asyncio.ensure_future(watch())
    probes: set[str] = set()
    made = [0]

    def probed():
        return [ev for ev in seen if isinstance(ev, ContainerEvent) and ev.container_id in probes]

    async def probe():
        made[0] += 1
        probes.add(await h.created(f"ev-probe{made[0]}"))

    try:
        await poke_until(probe, probed, "an event through the first events client")
        (pid,) = e.runner.live_pids()
        os.kill(pid, signal.SIGKILL)
        await wait_until(lambda: any(isinstance(ev, EventsResumed) for ev in seen), "the events client back",
                         timeout=15, detail=lambda: seen[-5:])
        lost = [ev for ev in seen if isinstance(ev, EventsLost)]
        assert len(lost) == 1 and "status" in lost[0].reason, lost
        assert seen.index(lost[0]) < next(i for i, ev in enumerate(seen) if isinstance(ev, EventsResumed))
        new_pids = e.runner.live_pids()
        assert new_pids and pid not in new_pids
        probes.clear()
        await poke_until(probe, probed, "an event through the restarted events client")
    finally:
        watcher.cancel()
        await asyncio.gather(watcher, return_exceptions=True)
        await stream.aclose()
