"""Plain domain types the engine layer hands to the rest of bosun.

The UI never sees raw API dictionaries: everything an engine reports is
turned into one of these frozen dataclasses first (see `parse.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Mapping, Sequence

from tui.engine.resources import ResourceEvent
from tui.engine.timestamps import parse_timestamp_prefix

COMPOSE_PROJECT_LABEL = "com.docker.compose.project"
COMPOSE_SERVICE_LABEL = "com.docker.compose.service"
PODMAN_COMPOSE_PROJECT_LABEL = "io.podman.compose.project"

_EMPTY: Mapping[str, str] = MappingProxyType({})


class State(StrEnum):
    CREATED = "created"
    RUNNING = "running"
    PAUSED = "paused"
    RESTARTING = "restarting"
    EXITED = "exited"
    DEAD = "dead"
    REMOVING = "removing"

    @classmethod
    def parse(cls, raw: str | None) -> State:
        value = (raw or "").strip().lower()
        # Podman reports "configured"/"initialized"/"stopped" where Docker has
        # "created"/"exited"; fold them onto Docker's vocabulary.
        value = {"configured": "created", "initialized": "created", "stopped": "exited", "stopping": "running"}.get(
            value, value
        )
        try:
            return cls(value)
        except ValueError:
            return cls.DEAD if value == "unknown" else cls.CREATED


class Health(StrEnum):
    NONE = "none"
    STARTING = "starting"
    HEALTHY = "healthy"
    UNHEALTHY = "unhealthy"

    @classmethod
    def parse(cls, raw: str | None) -> Health:
        try:
            return cls((raw or "none").strip().lower())
        except ValueError:
            return cls.NONE


class LogStream(StrEnum):
    STDOUT = "stdout"
    STDERR = "stderr"


@dataclass(frozen=True, slots=True)
class Port:
    """A container port, and where it is published on the host (if it is)."""

    container_port: int
    protocol: str = "tcp"
    host_ip: str | None = None
    host_port: int | None = None

    @property
    def published(self) -> bool:
        return self.host_port is not None

    def url(self, engine_host: str = "localhost") -> str | None:
        """An http URL for a published TCP port; wildcard binds use the engine's host."""
        if self.host_port is None or self.protocol != "tcp":
            return None
        host = self.host_ip or ""
        if host in ("", "0.0.0.0", "::"):
            host = engine_host
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.host_port}"


@dataclass(frozen=True, slots=True)
class ContainerSummary:
    """What the dashboard needs to show one container in a row."""

    id: str
    name: str
    image: str
    state: State
    engine: str
    status_text: str = ""
    health: Health = Health.NONE
    health_output: str | None = None
    exit_code: int | None = None
    created: datetime | None = None
    started: datetime | None = None
    finished: datetime | None = None
    ports: tuple[Port, ...] = ()
    labels: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    tty: bool | None = None
    pid: int | None = None
    # False when built from the list endpoint alone (no inspect): health output,
    # started/finished times and tty are then unknown rather than absent.
    detailed: bool = False
    # The engine's own id when `id` is a key that also names the engine (several engines in view:
    # two endpoints can reach one daemon, so ids alone repeat). Empty: `id` is the engine's id.
    local_id: str = ""
    # The last run ended because the kernel's OOM killer took it (inspect's State.OOMKilled).
    oom_killed: bool = False

    @property
    def real_id(self) -> str:
        """The id the engine knows the container by (what is shown and copied)."""
        return self.local_id or self.id

    @property
    def short_id(self) -> str:
        return self.real_id[:12]

    @property
    def compose_project(self) -> str | None:
        return self.labels.get(COMPOSE_PROJECT_LABEL) or self.labels.get(PODMAN_COMPOSE_PROJECT_LABEL)

    @property
    def compose_service(self) -> str | None:
        return self.labels.get(COMPOSE_SERVICE_LABEL)

    @property
    def is_running(self) -> bool:
        return self.state in (State.RUNNING, State.RESTARTING)


class EventKind(StrEnum):
    CREATED = "create"
    STARTED = "start"
    RESTARTED = "restart"
    DIED = "die"
    STOPPED = "stop"
    KILLED = "kill"
    OOM = "oom"
    PAUSED = "pause"
    UNPAUSED = "unpause"
    DESTROYED = "destroy"
    RENAMED = "rename"
    HEALTH = "health_status"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class ContainerEvent:
    """Something happened to a container, as the engine's event stream said."""

    kind: EventKind
    action: str
    container_id: str
    engine: str
    time: datetime
    name: str | None = None
    exit_code: int | None = None
    health: Health | None = None
    attributes: Mapping[str, str] = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True, slots=True)
class EventsLost:
    """The event stream broke; events may be missed until `EventsResumed`."""

    engine: str
    reason: str


@dataclass(frozen=True, slots=True)
class EventsResumed:
    """The event stream is back after a break: re-list, anything may have changed."""

    engine: str
    down_seconds: float


EngineEvent = ContainerEvent | EventsLost | EventsResumed | ResourceEvent


@dataclass(frozen=True, slots=True)
class LogChunk:
    """A piece of a container's output, from one stream, as the engine framed it."""

    stream: LogStream
    data: bytes
    timestamp: datetime | None = None


LogFrame = tuple["LogStream", bytes, "datetime | None"]
"""(stream, payload, timestamp) of one frame as read; see `LogBatch`."""


@dataclass(slots=True)
class LogBatch:
    """The frames one read of a log stream held, timestamps possibly still unparsed.

    A flood brings a hundred thousand frames a second, and parsing each one's
    timestamp would cost more than everything else; a viewer only needs the
    timestamps of the lines it shows. With `stamped`, every payload still starts
    with the engine's RFC 3339 stamp and a space (`chunk` splits it off), and
    the third item of each frame is None.
    """

    frames: Sequence[LogFrame]  # a list, or the lazy `tui.engine.frames.FrameList`
    stamped: bool = False

    def __len__(self) -> int:
        return len(self.frames)

    @property
    def nbytes(self) -> int:
        """Bytes this batch keeps alive (about: headers and objects aside)."""
        frames = self.frames
        held = getattr(frames, "nbytes", None)
        return held if held is not None else sum(len(frame[1]) for frame in frames)

    def chunk(self, index: int) -> LogChunk:
        stream, payload, stamp = self.frames[index]
        if self.stamped:
            stamp, payload = parse_timestamp_prefix(payload)
        return LogChunk(stream, payload, stamp)

    def chunks(self, start: int = 0) -> list[LogChunk]:
        return [self.chunk(i) for i in range(start, len(self.frames))]


@dataclass(frozen=True, slots=True)
class StatsSample:
    """Resource use of one container at one moment.

    `cpu_percent` is relative to ONE core (like `docker stats`: 200 % means two
    cores busy); `cpu_percent_of_machine` divides by the online CPUs.
    """

    time: datetime | None
    cpu_percent: float | None
    online_cpus: int
    memory_used: int
    memory_limit: int
    net_rx: int
    net_tx: int
    block_read: int
    block_write: int
    pids: int | None = None

    @property
    def cpu_percent_of_machine(self) -> float | None:
        if self.cpu_percent is None:
            return None
        return self.cpu_percent / max(self.online_cpus, 1)

    @property
    def memory_percent(self) -> float | None:
        if not self.memory_limit:
            return None
        return 100.0 * self.memory_used / self.memory_limit


@dataclass(frozen=True, slots=True)
class ExecOutput:
    """Bytes an exec'd process wrote; a TTY session has only stdout."""

    stream: LogStream
    data: bytes
