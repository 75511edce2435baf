"""The timeline against real engines: Docker and Podman through their API, and both CLI backends.

Each test makes containers with the engine's own client (restart policy, memory limit, health check are
its options), follows the engine's events into a `TimelineStore` as the dashboard does, and reads back the
engine's history (`event_history`), then checks what the timeline says: a death with its exit code and run
length, an OOM kill, health flips with the check's output, the restarts a policy made.
"""

from __future__ import annotations

import asyncio
import subprocess
import tempfile
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from tests.conftest import open_real_engine, real_engine_url
from tests.engine.cli_harness import CLI_KINDS, open_cli_engine
from tests.engine.harness import IMAGE, TEST_LABEL
from tests.waits import wait_until
from tui.engine import ContainerEvent, Health, State
from tui.timeline import TimelineStore, What

pytestmark = pytest.mark.engine

KINDS = ["docker", "podman", *CLI_KINDS]
# Doubles a shell string until the kernel's OOM killer ends the container (busybox has no stress tool).
ALLOCATE = "x=a; while true; do x=$x$x; done"


class Subject:
    """One engine, its client (to make containers with options), and a store fed by its live events."""

    def __init__(self, kind: str, engine, argv: list[str]) -> None:
        self.kind, self.engine, self.argv = kind, engine, argv
        self.session = f"timeline-{uuid.uuid4().hex[:8]}"
        self.store = TimelineStore()
        self.made: list[str] = []
        self._follow: asyncio.Task | None = None
        self.cwd = tempfile.mkdtemp(prefix="bosun-timeline-")

    @property
    def podman(self) -> bool:
        return self.kind.startswith("podman")

    def cli(self, *args: str, check: bool = True) -> str:
        # In a folder of its own: Podman's conmon writes a file named `oom` into its working directory when
        # the container is OOM-killed (it used to appear in the checkout).
        done = subprocess.run([*self.argv, *args], capture_output=True, text=True, timeout=60, cwd=self.cwd)
        if check:
            assert done.returncode == 0, f"{' '.join(args)}: {done.stderr}"
        return done.stdout.strip()

    async def run(self, what: str, script: str, *options: str) -> str:
        name = f"{self.session}-{what}"
        container_id = await asyncio.to_thread(self.cli, "run", "-d", "--label", f"{TEST_LABEL}={self.session}",
                                               "--name", name, *options, IMAGE, "sh", "-c", script)
        self.made.append(name)
        return container_id.splitlines()[-1]

    async def follow(self) -> None:
        """Live events into the store, as the dashboard's feed does (started before the containers)."""
        ready = asyncio.Event()

        async def go():
            stream = self.engine.events()
            ready.set()
            async for event in stream:
                if isinstance(event, ContainerEvent) and event.attributes.get(TEST_LABEL) == self.session:
                    self.store.add(event)

        self._follow = asyncio.get_running_loop().create_task(go())
        await ready.wait()
        await asyncio.sleep(0)  # let the stream open before anything happens

    async def note(self, container_id: str):
        summary = await self.engine.summary(container_id)
        self.store.note(summary)
        return summary

    async def close(self) -> None:
        if self._follow is not None:
            self._follow.cancel()
        for name in self.made:
            await asyncio.to_thread(self.cli, "rm", "-f", name, check=False)
        await self.engine.close()


@pytest.fixture(params=KINDS)
async def subject(request, monkeypatch):
    import tui.engine.docker

    # Podman's GET /version takes seconds on a loaded machine: the ping's 5 s is for users, not for CI.
    monkeypatch.setattr(tui.engine.docker, "PING_SECONDS", 30.0)
    kind = request.param
    if kind in CLI_KINDS:
        engine = await open_cli_engine(kind)
        argv = list(engine.cli_argv)
    else:
        engine = await open_real_engine(kind)
        url = real_engine_url(kind)
        argv = ["docker", "-H", url] if kind == "docker" else ["podman", "--url", url]
    s = Subject(kind, engine, argv)
    try:
        yield s
    finally:
        await s.close()


async def _exited(s: Subject, container_id: str, what: str):
    async def done():
        summary = await s.engine.summary(container_id)
        return summary if summary.state is State.EXITED else None

    return await wait_until(done, f"{what} ({container_id[:12]}) to exit", timeout=60, interval=0.1)


async def _held(s: Subject, since: datetime) -> list[ContainerEvent]:
    # The engine holds every container's events; other tests' are not this one's.
    held = await s.engine.event_history(since, datetime.now(timezone.utc))
    return [e for e in held if e.attributes.get(TEST_LABEL) == s.session]


async def _history(s: Subject, since: datetime) -> int:
    return s.store.add_history(await _held(s, since))


async def test_a_death_has_its_exit_code_and_run_length_live_and_in_the_history(subject):
    s = subject
    since = datetime.now(timezone.utc) - timedelta(seconds=2)
    await s.follow()
    cid = await s.run("die", "sleep 1; exit 3")
    await _exited(s, cid, "the container")
    await wait_until(lambda: any(e.what is What.DIED for e in s.store.entries(cid)), "the live die event",
                     timeout=20)
    died = next(e for e in s.store.entries(cid) if e.what is What.DIED)
    assert died.exit_code == 3 and died.ran_for is not None and 0.8 <= died.ran_for < 30, died
    assert not died.replayed
    # The replay brings the same events again: nothing doubles (what the live stream missed while it started,
    # the CLI's child not yet running, the replay fills in), and a fresh store gets them all from it.
    await _history(s, since)
    whats = [e.what for e in s.store.entries(cid)]
    assert sorted(whats) == sorted([What.DIED, What.STARTED, What.CREATED]), whats
    fresh = TimelineStore()
    fresh.add_history(await _held(s, since))
    whats = [e.what for e in fresh.entries(cid)]
    assert whats[:1] == [What.DIED] and What.STARTED in whats and What.CREATED in whats, whats
    replayed = fresh.entries(cid)[0]
    assert replayed.replayed and replayed.exit_code == 3 and replayed.ran_for is not None and replayed.ran_for >= 0.8


async def test_an_oom_kill_is_said_so(subject):
    s = subject
    await s.follow()
    cid = await s.run("oom", ALLOCATE, "--memory", "8m", "--memory-swap", "8m")
    summary = await _exited(s, cid, "the allocating container")
    assert summary.exit_code == 137
    await wait_until(lambda: any(e.what is What.DIED for e in s.store.entries(cid)), "the death in the live events",
                     timeout=20)
    await s.note(cid)
    whats = [e.what for e in s.store.entries(cid)]
    died = next(e for e in s.store.entries(cid) if e.what is What.DIED)
    assert died.exit_code == 137
    if s.podman:
        # Podman 4.3 sends no `oom` event and its inspect says OOMKilled false after an OOM kill: the timeline
        # says what it can (a SIGKILL nobody sent through the engine).
        assert not summary.oom_killed and What.OOM not in whats, (summary.oom_killed, whats)
        assert "OOM killer, most likely" in died.detail
    else:
        assert summary.oom_killed, f"inspect's OOMKilled on {s.kind}"
        assert What.OOM in whats, whats  # Docker's `oom` event, before the death


async def test_health_flips_carry_the_check_output(subject):
    s = subject
    await s.follow()
    cid = await s.run("health", "touch /tmp/ok; trap 'exit 0' TERM; sleep 100000 & wait",
                      "--health-cmd", "cat /tmp/ok", "--health-interval", "1s", "--health-retries", "1",
                      "--health-timeout", "5s")

    async def reaches(health: Health):
        if s.podman:  # no systemd here to run Podman's checks: do what its timer would
            await asyncio.to_thread(subprocess.run, ["podman", "healthcheck", "run", cid], capture_output=True,
                                    timeout=30)
        summary = await s.note(cid)
        return summary.health is health and any(
            e.what.value == health.value for e in s.store.entries(cid))

    await wait_until(lambda: reaches(Health.HEALTHY), "healthy, and its event", timeout=60, interval=0.3)
    await asyncio.to_thread(s.cli, "exec", cid, "rm", "/tmp/ok")
    await wait_until(lambda: reaches(Health.UNHEALTHY), "unhealthy, and its event", timeout=60, interval=0.3)
    await s.note(cid)  # the event may have come after the inspect that saw it: the output is filled in now
    unhealthy = next(e for e in s.store.entries(cid) if e.what is What.UNHEALTHY)
    assert "/tmp/ok" in unhealthy.detail, unhealthy  # cat's complaint, from inspect's Health.Log
    await asyncio.to_thread(s.cli, "exec", cid, "touch", "/tmp/ok")
    async def healthy_on_top():
        return await reaches(Health.HEALTHY) and s.store.entries(cid)[0].what is What.HEALTHY

    await wait_until(healthy_on_top, "healthy again, on top", timeout=60, interval=0.3)


async def test_restarts_of_a_policy_are_counted_and_flag_a_loop(subject):
    s = subject
    since = datetime.now(timezone.utc) - timedelta(seconds=2)
    cid = await s.run("loop", "exit 3", "--restart", "on-failure:3")

    async def done():
        count = await asyncio.to_thread(s.cli, "inspect", "--format", "{{.RestartCount}} {{.State.Status}}", cid)
        return count.split() == ["3", "exited"]

    await wait_until(done, "three restarts, then exited", timeout=60, interval=0.2)
    await _history(s, since)
    now = datetime.now(timezone.utc)
    deaths = [e for e in s.store.entries(cid) if e.what is What.DIED]
    assert len(deaths) == 4 and all(d.exit_code == 3 for d in deaths), [e.words() for e in s.store.entries(cid)]
    assert s.store.restarts(cid, now, timedelta(minutes=5)) == 3
    assert s.store.looping(now, 2, timedelta(minutes=5)) == {cid: 3}
    assert s.store.looping(now, 3, timedelta(minutes=5)) == {}
