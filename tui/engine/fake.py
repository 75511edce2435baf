"""`FakeEngine`: an in-memory, deterministic engine for UI tests and `bosun --demo`.

Tests script it directly (add containers, write log lines on either stream,
change health, make a container exit, drop the event stream) and it answers
through the same `Engine` interface, with the same errors, as a real engine.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
from collections import deque
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Any, AsyncIterator, Mapping, Sequence

from tui.engine.base import DEFAULT_STOP_GRACE, Engine, ExecSession
from tui.engine.errors import Conflict, NotFound
from tui.engine.fake_resources import FakeResources
from tui.engine.fake_exec import FakeExecSession
from tui.engine.fake_inside import FakeInside
from tui.engine.fake_storage import FakeStorage
from tui.engine.prune import DiskUsage, PrunePlan, PruneReport
from tui.engine.types import (
    ContainerEvent,
    ContainerSummary,
    EngineEvent,
    EventKind,
    EventsLost,
    EventsResumed,
    Health,
    LogChunk,
    LogStream,
    Port,
    State,
    StatsSample,
)

_END = object()  # ends a follower's queue


def _now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class FakeContainer:
    id: str
    name: str
    image: str
    state: State
    labels: dict[str, str]
    ports: tuple[Port, ...]
    tty: bool
    health: Health = Health.NONE
    health_output: str | None = None
    exit_code: int | None = None
    created: datetime = field(default_factory=_now)
    started: datetime | None = None
    finished: datetime | None = None
    logs: deque[LogChunk] = field(default_factory=lambda: deque(maxlen=20_000))
    followers: list[asyncio.Queue] = field(default_factory=list)
    load: float = 1.0  # scales the synthetic CPU and memory figures
    oom_killed: bool = False
    memory_limit: int = 0  # its own limit (`--memory`); 0: none, the samples then give the engine's

    def summary(self, engine: str) -> ContainerSummary:
        return ContainerSummary(
            id=self.id, name=self.name, image=self.image, state=self.state, engine=engine,
            status_text=self.state.value, health=self.health, health_output=self.health_output,
            exit_code=self.exit_code, created=self.created, started=self.started, finished=self.finished,
            ports=self.ports, labels=dict(self.labels), tty=self.tty, detailed=True, oom_killed=self.oom_killed,
        )


class FakeEngine(Engine):
    kind = "fake"
    health_poll = 0.02  # in memory: looking is free

    def __init__(self, name: str = "fake", *, stats_interval: float = 1.0, memory_limit: int = 8 << 30,
                 log_chunks: int = 20_000) -> None:
        self.name = name
        self.log_chunks = log_chunks  # chunks of output kept per container, as a real engine keeps a log file
        self.url = f"fake://{name}"
        self.host = "localhost"
        self.stats_interval = stats_interval
        self.memory_limit = memory_limit
        self.calls: list[tuple[str, str]] = []  # (operation, container id), for tests
        self.forgotten: list[str] = []  # ids `forget` was called with, for tests
        self._containers: dict[str, FakeContainer] = {}
        self._inside: dict[str, FakeInside] = {}  # processes and files, made on first look
        self._subscribers: list[asyncio.Queue] = []
        self.history: deque[ContainerEvent] = deque(maxlen=1000)  # what `event_history` replays
        self._counter = 0
        self._tick = 0
        self.storage = FakeStorage(self)  # images, volumes, networks, build cache: for disk usage and prune
        self.resources = FakeResources(self, self._publish)

    # -- scripting (tests and the demo) -------------------------------------------------

    def add_container(
        self,
        name: str,
        image: str = "demo/app:latest",
        *,
        state: State = State.RUNNING,
        labels: Mapping[str, str] | None = None,
        ports: Sequence[Port] = (),
        health: Health = Health.NONE,
        tty: bool = False,
        exit_code: int | None = None,
        load: float = 1.0,
        age: timedelta = timedelta(0),
        memory_limit: int = 0,
    ) -> str:
        """Add a container; `age` backdates it (a stable "up 3h" for screenshots)."""
        self._counter += 1
        cid = hashlib.sha256(f"{self.name}/{name}/{self._counter}".encode()).hexdigest()
        now = _now() - age
        self._containers[cid] = FakeContainer(
            id=cid, name=name, image=image, state=state, labels=dict(labels or {}), ports=tuple(ports),
            tty=tty, health=health, created=now, exit_code=exit_code if state in (State.EXITED, State.DEAD) else None,
            started=now if state in (State.RUNNING, State.PAUSED) else None,
            finished=now if state in (State.EXITED, State.DEAD) else None, load=load, memory_limit=memory_limit,
            logs=deque(maxlen=self.log_chunks),
        )
        self._emit(cid, EventKind.CREATED, at=now)
        if state is State.RUNNING:
            self._emit(cid, EventKind.STARTED, at=now)
        return cid

    def emit_log(self, container_id: str, data: str | bytes, stream: LogStream = LogStream.STDOUT, *,
                 at: datetime | None = None) -> None:
        """Write output as the container would (a TTY container has one stream); `at` fixes the time."""
        box = self._get(container_id)
        raw = data.encode() if isinstance(data, str) else data
        chunk = LogChunk(LogStream.STDOUT if box.tty else stream, raw, at or _now())
        box.logs.append(chunk)
        for queue in box.followers:
            queue.put_nowait(chunk)

    def set_health(self, container_id: str, health: Health, output: str = "") -> None:
        box = self._get(container_id)
        box.health, box.health_output = health, output
        self._emit(container_id, EventKind.HEALTH, health=health, action=f"health_status: {health.value}")

    def rename(self, container_id: str, name: str) -> None:
        """As `docker rename`: the engine sends a `rename` event."""
        box = self._get(container_id)
        box.name = name
        self._emit(box.id, EventKind.RENAMED)

    def exit(self, container_id: str, code: int) -> None:
        """The container's main process ends with `code`."""
        self._to_stopped(self._get(container_id), code)

    def oom_kill(self, container_id: str) -> None:
        """The kernel's OOM killer ends the container, as Docker says it: `oom`, then `die` with 137."""
        box = self._get(container_id)
        box.oom_killed = True
        self._emit(box.id, EventKind.OOM)
        self._to_stopped(box, 137)

    def crash_loop(self, container_id: str, code: int = 1) -> None:
        """One turn of a restart policy: the container dies with `code` and the engine starts it again."""
        box = self._get(container_id)
        self._to_stopped(box, code)
        self._start(box)

    def exec_started(self, container_id: str, command: str) -> None:
        """Something ran `exec` in the container (the engine sends `exec_start: <command>`)."""
        self._emit(self._get(container_id).id, EventKind.OTHER, action=f"exec_start: {command}")

    def drop_events(self, reason: str = "engine restarted", downtime: float = 0.0) -> None:
        """Pretend the engine went away and came back: followers see EventsLost then EventsResumed."""
        self.lose_events(reason)
        self.resume_events(downtime)

    def lose_events(self, reason: str = "engine restarted") -> None:
        """Followers see EventsLost, and nothing more until `resume_events`."""
        for queue in self._subscribers:
            queue.put_nowait(EventsLost(self.name, reason))

    def resume_events(self, downtime: float = 0.0) -> None:
        for queue in self._subscribers:
            queue.put_nowait(EventsResumed(self.name, downtime))

    def container_ids(self) -> list[str]:
        return list(self._containers)

    # -- internals ---------------------------------------------------------------------------

    def _get(self, container_id: str) -> FakeContainer:
        box = self._containers.get(container_id)
        if box is None:
            for candidate in self._containers.values():
                if candidate.name == container_id or candidate.id.startswith(container_id):
                    return candidate
            raise NotFound(f"No such container: {container_id}", status=404, engine=self.name)
        return box

    def remember(self, container_id: str, kind: EventKind, at: datetime, *, exit_code: int | None = None,
                 health: Health | None = None, action: str | None = None) -> None:
        """An event of the past, for `event_history` only (what happened before anyone followed)."""
        self._emit(container_id, kind, exit_code=exit_code, health=health, action=action, at=at, publish=False)

    def _emit(self, container_id: str, kind: EventKind, *, exit_code: int | None = None,
              health: Health | None = None, action: str | None = None, at: datetime | None = None,
              publish: bool = True) -> None:
        box = self._containers.get(container_id)
        attributes = {"name": box.name, "image": box.image, **box.labels} if box else {}
        if exit_code is not None:
            attributes["exitCode"] = str(exit_code)
        event = ContainerEvent(
            kind=kind, action=action or kind.value, container_id=container_id, engine=self.name, time=at or _now(),
            name=attributes.get("name"), exit_code=exit_code, health=health, attributes=attributes,
        )
        self.history.append(event)
        for queue in self._subscribers if publish else ():
            queue.put_nowait(event)

    def _publish(self, event: object) -> None:
        for queue in self._subscribers:
            queue.put_nowait(event)

    def _end_followers(self, box: FakeContainer) -> None:
        for queue in box.followers:
            queue.put_nowait(_END)
        box.followers.clear()

    def _to_stopped(self, box: FakeContainer, code: int) -> None:
        if box.state not in (State.RUNNING, State.PAUSED, State.RESTARTING):
            return
        box.state, box.exit_code, box.finished = State.EXITED, code, _now()
        box.health = Health.UNHEALTHY if box.health is Health.UNHEALTHY else box.health
        self._emit(box.id, EventKind.DIED, exit_code=code)
        self._end_followers(box)

    def _start(self, box: FakeContainer) -> None:
        box.state, box.started, box.exit_code, box.oom_killed = State.RUNNING, _now(), None, False
        if box.health is not Health.NONE:
            box.health = Health.STARTING
        self._emit(box.id, EventKind.STARTED)

    # -- Engine --------------------------------------------------------------------------------

    async def list_containers(self, *, detailed: bool = True, labels: Mapping[str, str] | None = None) -> list[ContainerSummary]:
        await asyncio.sleep(0)
        result = []
        for box in self._containers.values():
            if labels and any(box.labels.get(k) != v and not (v == "" and k in box.labels) for k, v in labels.items()):
                continue
            result.append(box.summary(self.name))
        return result

    async def summary(self, container_id: str) -> ContainerSummary:
        return self._get(container_id).summary(self.name)

    async def inspect(self, container_id: str) -> dict[str, Any]:
        box = self._get(container_id)
        return {
            "Id": box.id,
            "Name": "/" + box.name,
            "Created": box.created.isoformat(),
            "State": {
                "Status": box.state.value, "Running": box.state is State.RUNNING, "Paused": box.state is State.PAUSED,
                "ExitCode": box.exit_code or 0,
                "StartedAt": box.started.isoformat() if box.started else "0001-01-01T00:00:00Z",
                "FinishedAt": box.finished.isoformat() if box.finished else "0001-01-01T00:00:00Z",
                **({"Health": {"Status": box.health.value, "Log": [{"Output": box.health_output or ""}]}}
                   if box.health is not Health.NONE else {}),
            },
            "HostConfig": {"Memory": box.memory_limit},
            "Config": {"Image": box.image, "Labels": dict(box.labels), "Tty": box.tty,
                       "Env": ["PATH=/usr/local/bin:/usr/bin:/bin", "DEMO_PASSWORD=hunter2", "LANG=C.UTF-8"]},
            "NetworkSettings": {"Ports": {f"{p.container_port}/{p.protocol}": (
                [{"HostIp": p.host_ip or "0.0.0.0", "HostPort": str(p.host_port)}] if p.host_port else None)
                for p in box.ports}},
        }

    async def start(self, container_id: str) -> bool:
        box = self._get(container_id)
        self.calls.append(("start", box.id))
        if box.state is State.RUNNING:
            return False
        if box.state is State.PAUSED:
            raise Conflict("cannot start a paused container, try unpause instead", status=409, engine=self.name)
        self._start(box)
        return True

    async def stop(self, container_id: str, grace: float = DEFAULT_STOP_GRACE) -> bool:
        box = self._get(container_id)
        self.calls.append(("stop", box.id))
        if box.state not in (State.RUNNING, State.PAUSED, State.RESTARTING):
            return False
        await asyncio.sleep(0)
        self._emit(box.id, EventKind.KILLED, action="kill")
        self._to_stopped(box, 143 if box.state is not State.PAUSED else 137)
        self._emit(box.id, EventKind.STOPPED)
        return True

    async def restart(self, container_id: str, grace: float = DEFAULT_STOP_GRACE) -> None:
        box = self._get(container_id)
        self.calls.append(("restart", box.id))
        if box.state in (State.RUNNING, State.PAUSED):
            self._to_stopped(box, 143)
        self._start(box)
        self._emit(box.id, EventKind.RESTARTED)

    async def kill(self, container_id: str, signal: str = "SIGKILL") -> None:
        box = self._get(container_id)
        self.calls.append(("kill", box.id))
        if box.state is not State.RUNNING and box.state is not State.PAUSED:
            raise Conflict(f"Cannot kill container: {box.id[:12]}: Container {box.id} is not running",
                           status=409, engine=self.name)
        self._emit(box.id, EventKind.KILLED, action="kill")
        self._to_stopped(box, 137 if signal in ("SIGKILL", "KILL", "9") else 143)

    async def pause(self, container_id: str) -> None:
        box = self._get(container_id)
        self.calls.append(("pause", box.id))
        if box.state is not State.RUNNING:
            raise Conflict(f"Container {box.id} is not running", status=409, engine=self.name)
        box.state = State.PAUSED
        self._emit(box.id, EventKind.PAUSED)

    async def unpause(self, container_id: str) -> None:
        box = self._get(container_id)
        self.calls.append(("unpause", box.id))
        if box.state is not State.PAUSED:
            raise Conflict(f"Container {box.id} is not paused", status=409, engine=self.name)
        box.state = State.RUNNING
        self._emit(box.id, EventKind.UNPAUSED)

    async def remove(self, container_id: str, *, force: bool = False, volumes: bool = False) -> bool:
        try:
            box = self._get(container_id)
        except NotFound:
            return False
        self.calls.append(("remove", box.id))
        if box.state in (State.RUNNING, State.PAUSED, State.RESTARTING):
            if not force:
                raise Conflict(
                    f"You cannot remove a running container {box.id}. Stop the container before attempting removal or force remove",
                    status=409, engine=self.name)
            self._to_stopped(box, 137)
        self._end_followers(box)
        self._emit(box.id, EventKind.DESTROYED)
        del self._containers[box.id]
        return True

    async def event_history(self, since: datetime, until: datetime) -> list[ContainerEvent]:
        return sorted((event for event in self.history if since <= event.time <= until), key=lambda e: e.time)

    async def events(self) -> AsyncIterator[EngineEvent]:
        queue: asyncio.Queue = asyncio.Queue()
        self._subscribers.append(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self._subscribers.remove(queue)

    async def logs(self, container_id: str, *, follow: bool = False, tail: int | None = None,
                   since: datetime | float | None = None, until: datetime | float | None = None,
                   timestamps: bool = False, tty: bool | None = None) -> AsyncIterator[LogChunk]:
        box = self._get(container_id)
        since_dt = datetime.fromtimestamp(since, timezone.utc) if isinstance(since, (int, float)) else since
        until_dt = datetime.fromtimestamp(until, timezone.utc) if isinstance(until, (int, float)) else until
        queue: asyncio.Queue | None = None
        if follow and box.state in (State.RUNNING, State.PAUSED, State.RESTARTING):
            queue = asyncio.Queue()
            box.followers.append(queue)
        history = [c for c in box.logs if (since_dt is None or c.timestamp >= since_dt)
                   and (until_dt is None or c.timestamp <= until_dt)]
        if tail is not None:
            history = history[-tail:] if tail > 0 else []
        try:
            for chunk in history:
                yield chunk if timestamps else replace(chunk, timestamp=None)
            while queue is not None:
                chunk = await queue.get()
                if chunk is _END:
                    break
                yield chunk if timestamps else replace(chunk, timestamp=None)
        finally:
            if queue is not None and queue in box.followers:
                box.followers.remove(queue)

    def _sample(self, box: FakeContainer) -> StatsSample:
        self._tick += 1
        # Deterministic, lively numbers: a per-container phase on a slow wave.
        phase = int(box.id[:6], 16) % 628 / 100
        wave = (math.sin(self._tick / 5 + phase) + 1) / 2
        running = box.state is State.RUNNING
        return StatsSample(
            time=_now(), cpu_percent=(2 + 40 * wave) * box.load if running else 0.0, online_cpus=4,
            memory_used=int((40 + 60 * wave) * box.load * (1 << 20)), memory_limit=box.memory_limit or self.memory_limit,
            net_rx=self._tick * 1500, net_tx=self._tick * 700, block_read=self._tick * 1024, block_write=self._tick * 4096,
            pids=3,
        )

    async def stats(self, container_id: str) -> AsyncIterator[StatsSample]:
        while True:
            box = self._get(container_id)
            if box.state is not State.RUNNING:
                return
            yield self._sample(box)
            await asyncio.sleep(self.stats_interval)

    async def stats_once(self, container_id: str) -> StatsSample:
        return self._sample(self._get(container_id))

    def forget(self, container_id: str) -> None:
        self.forgotten.append(container_id)

    async def exec(self, container_id: str, cmd: Sequence[str], *, tty: bool = False, stdin: bool = True,
                   user: str | None = None, workdir: str | None = None, env: Mapping[str, str] | None = None,
                   size: tuple[int, int] | None = None) -> ExecSession:
        box = self._get(container_id)
        if box.state is not State.RUNNING:
            raise Conflict(f"Container {box.id} is not running", status=409, engine=self.name)
        self.calls.append(("exec", box.id))
        return FakeExecSession(list(cmd), tty=tty, user=user, workdir=workdir, env=env, size=size)

    # -- inside a container ------------------------------------------------------------------

    def inside(self, container_id: str) -> FakeInside:
        """The container's processes and files (tests script them here)."""
        return self._inside.setdefault(self._get(container_id).id, FakeInside())

    async def top(self, container_id: str):
        return self.inside(container_id).top(self._get(container_id).state is State.RUNNING)

    async def signal_process(self, container_id: str, pid: int, signal: str, *, host_pid: bool) -> None:
        self.calls.append((f"signal {pid} {signal}", self._get(container_id).id))
        self.inside(container_id).signal(pid, signal)

    async def get_archive(self, container_id: str, path: str) -> AsyncIterator[bytes]:
        data = self.inside(container_id).tar(path)
        for start in range(0, len(data), 1 << 16):
            await asyncio.sleep(0)
            yield data[start:start + (1 << 16)]

    async def put_archive(self, container_id: str, folder: str, chunks: AsyncIterator[bytes]) -> None:
        self.calls.append(("put_archive", self._get(container_id).id))
        await self.inside(container_id).put(folder, chunks)

    async def changes(self, container_id: str):
        return self.inside(container_id).changes()
    async def disk_usage(self) -> DiskUsage:
        await asyncio.sleep(0)
        return self.storage.disk_usage()

    async def prune_plan(self, kinds, *, all_images=False, labels=None) -> PrunePlan:
        await asyncio.sleep(0)
        return self.storage.plan(frozenset(kinds), all_images=all_images, labels=labels)

    async def prune(self, plan: PrunePlan) -> PruneReport:
        return await self.storage.prune(plan)
    # -- images, volumes, networks (tui.engine.fake_resources) -----------------------------

    async def list_images(self):
        await asyncio.sleep(0)
        return self.resources.list_images()

    async def inspect_image(self, image_id):
        return self.resources.inspect_image(image_id)

    async def remove_image(self, image_id, *, force=False):
        self.calls.append(("remove_image", image_id))
        return self.resources.remove_image(image_id, force=force)

    async def tag_image(self, image_id, repo, tag="latest"):
        self.calls.append(("tag_image", image_id))
        self.resources.tag_image(image_id, repo, tag)

    async def list_volumes(self, *, sizes=True):
        await asyncio.sleep(0)
        return self.resources.list_volumes(sizes=sizes)

    async def inspect_volume(self, name):
        return self.resources.inspect_volume(name)

    async def remove_volume(self, name, *, force=False):
        self.calls.append(("remove_volume", name))
        return self.resources.remove_volume(name, force=force)

    async def list_networks(self):
        await asyncio.sleep(0)
        return self.resources.list_networks()

    async def inspect_network(self, network_id):
        return self.resources.inspect_network(network_id)

    async def remove_network(self, network_id):
        self.calls.append(("remove_network", network_id))
        return self.resources.remove_network(network_id)

    async def connect_network(self, network_id, container_id):
        self.calls.append(("connect_network", container_id))
        self.resources.connect_network(network_id, container_id)

    async def disconnect_network(self, network_id, container_id, *, force=False):
        self.calls.append(("disconnect_network", container_id))
        self.resources.disconnect_network(network_id, container_id, force=force)

    async def close(self) -> None:
        for box in self._containers.values():
            self._end_followers(box)
