"""Make test containers with a given behaviour, on a real engine or on the fake.

The contract tests ask for behaviours ("a container that prints these lines",
"one whose health check passes after a moment"); each harness turns them into
busybox shell scripts (real engines) or fake-engine scripting. Every container
carries the session label so cleanup finds exactly what the tests made.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import subprocess
import uuid
from typing import Sequence

from tests.waits import wait_until
from tui.engine import Engine, FakeEngine, Health, LogStream, Port, State

TEST_LABEL = "bosun.test"
IMAGE = os.environ.get("BOSUN_TEST_IMAGE", "bosun-test:latest")
# Traps TERM so `stop` is quick: a shell as PID 1 ignores signals it has no handler for.
IDLE = "trap 'exit 0' TERM; sleep 100000 & wait"


def _seconds(ns: float) -> int:
    return int(ns * 1_000_000_000)


class Harness:
    engine: Engine
    kind: str

    def __init__(self) -> None:
        self.session = uuid.uuid4().hex[:10]
        self.labels = {TEST_LABEL: self.session}

    def name(self, what: str) -> str:
        return f"bosun-test-{what}-{self.session}"

    async def idle(self, what: str = "idle", *, labels=None, ports: Sequence[int] = (), tty: bool = False) -> str:
        raise NotImplementedError

    async def printing(self, what: str, lines: Sequence[tuple[LogStream, str]], *, tty: bool = False) -> str:
        """Running, after writing `lines` in order (with a pause between streams)."""
        raise NotImplementedError

    async def write(self, container_id: str, stream: LogStream, text: str) -> None:
        """Make the running container write a line now."""
        raise NotImplementedError

    async def created(self, what: str) -> str:
        raise NotImplementedError

    async def exited(self, what: str, code: int) -> str:
        raise NotImplementedError

    async def healthy_after(self, what: str, seconds: float) -> str:
        raise NotImplementedError

    async def never_healthy(self, what: str, output: str) -> str:
        raise NotImplementedError

    async def drive_health(self, container_id: str) -> None:
        """Give the engine a chance to run health checks (only Podman without systemd needs it)."""

    async def cleanup(self) -> None:
        raise NotImplementedError


class RealHarness(Harness):
    def __init__(self, engine, cli: str) -> None:
        super().__init__()
        self.engine = engine
        self.kind = cli
        self.cli = cli

    async def _create(self, what: str, script: str, *, labels=None, ports=(), tty=False,
                      healthcheck: dict | None = None, start: bool = True) -> str:
        body = {
            "Image": IMAGE,
            "Cmd": ["sh", "-c", script],
            "Labels": {**self.labels, **(labels or {})},
            "Tty": tty,
            "ExposedPorts": {f"{p}/tcp": {} for p in ports},
            "HostConfig": {"PortBindings": {f"{p}/tcp": [{"HostIp": "127.0.0.1", "HostPort": ""}] for p in ports}},
        }
        if healthcheck:
            body["Healthcheck"] = healthcheck
        async with self.engine._request("containers/create", "POST", params={"name": self.name(what)}, body=body) as r:
            container_id = (await r.json(content_type=None))["Id"]
        if start:
            await self.engine.start(container_id)
        return container_id

    async def idle(self, what="idle", *, labels=None, ports=(), tty=False) -> str:
        return await self._create(what, IDLE, labels=labels, ports=ports, tty=tty)

    async def printing(self, what, lines, *, tty=False) -> str:
        parts = []
        for stream, text in lines:
            redirect = " >&2" if stream is LogStream.STDERR else ""
            # The engine reads stdout and stderr on separate pipes, so only a
            # pause makes their relative order observable.
            parts.append(f"echo {shlex.quote(text)}{redirect}; sleep 0.05")
        return await self._create(what, "; ".join(parts) + "; " + IDLE, tty=tty)

    async def write(self, container_id, stream, text) -> None:
        fd = 2 if stream is LogStream.STDERR else 1
        session = await self.engine.exec(container_id, ["sh", "-c", f"echo {shlex.quote(text)} > /proc/1/fd/{fd}"], stdin=False)
        async with session:
            while await session.read() is not None:
                pass
            assert await session.exit_code(10) == 0

    async def created(self, what) -> str:
        return await self._create(what, IDLE, start=False)

    async def exited(self, what, code) -> str:
        container_id = await self._create(what, f"exit {code}")

        async def exited():
            return (await self.engine.summary(container_id)).state is State.EXITED

        await wait_until(exited, f"{what} ({container_id[:12]}) to exit with {code}", interval=0.05)
        return container_id

    async def healthy_after(self, what, seconds) -> str:
        check = {"Test": ["CMD-SHELL", "test -f /tmp/ready"], "Interval": _seconds(0.3), "Timeout": _seconds(2),
                 "Retries": 2, "StartPeriod": _seconds(10)}
        return await self._create(what, f"sleep {seconds}; touch /tmp/ready; {IDLE}", healthcheck=check)

    async def never_healthy(self, what, output) -> str:
        check = {"Test": ["CMD-SHELL", f"echo {shlex.quote(output)}; exit 1"], "Interval": _seconds(0.3),
                 "Timeout": _seconds(2), "Retries": 1}
        return await self._create(what, IDLE, healthcheck=check)

    async def drive_health(self, container_id) -> None:
        if self.cli == "podman":
            # Podman schedules health checks with systemd timers; with no
            # systemd (as here) nothing runs them, so we do what the timer does.
            await asyncio.to_thread(
                subprocess.run, ["podman", "healthcheck", "run", container_id], capture_output=True, timeout=30
            )

    async def cleanup(self) -> None:
        for summary in await self.engine.list_containers(detailed=False, labels={TEST_LABEL: self.session}):
            await self.engine.remove(summary.id, force=True)


class FakeHarness(Harness):
    def __init__(self, engine: FakeEngine) -> None:
        super().__init__()
        self.engine = engine
        self.kind = "fake"
        self._tasks: list[asyncio.Task] = []

    def _add(self, what, **kw) -> str:
        labels = {**self.labels, **(kw.pop("labels", None) or {})}
        return self.engine.add_container(self.name(what), IMAGE, labels=labels, **kw)

    async def idle(self, what="idle", *, labels=None, ports=(), tty=False) -> str:
        published = [Port(p, "tcp", "127.0.0.1", 30000 + i) for i, p in enumerate(ports)]
        return self._add(what, labels=labels, ports=published, tty=tty)

    async def printing(self, what, lines, *, tty=False) -> str:
        container_id = self._add(what, tty=tty)
        for stream, text in lines:
            self.engine.emit_log(container_id, text + "\n", stream)
        return container_id

    async def write(self, container_id, stream, text) -> None:
        self.engine.emit_log(container_id, text + "\n", stream)

    async def created(self, what) -> str:
        return self._add(what, state=State.CREATED)

    async def exited(self, what, code) -> str:
        container_id = self._add(what)
        self.engine.exit(container_id, code)
        return container_id

    async def healthy_after(self, what, seconds) -> str:
        container_id = self._add(what, health=Health.STARTING)

        async def later():
            # Not a wait: this is the fake container's behaviour (its check passes after `seconds`).
            await asyncio.sleep(seconds)
            self.engine.set_health(container_id, Health.HEALTHY, "")

        self._tasks.append(asyncio.create_task(later()))
        return container_id

    async def never_healthy(self, what, output) -> str:
        container_id = self._add(what, health=Health.STARTING)
        self.engine.set_health(container_id, Health.UNHEALTHY, output + "\n")
        return container_id

    async def cleanup(self) -> None:
        for task in self._tasks:
            task.cancel()
        for container_id in self.engine.container_ids():
            await self.engine.remove(container_id, force=True)
