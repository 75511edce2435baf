"""The narrow interface every container engine backend implements.

Everything above the engine layer talks to an `Engine` and gets domain types
back (`types.py`) or a typed error (`errors.py`).
"""

from __future__ import annotations

import abc
import asyncio
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any, AsyncIterator, Mapping, Sequence

from tui.engine.errors import Conflict, EngineError, EngineTimeout
from tui.engine.prune import DiskUsage, PruneKind, PrunePlan, PruneReport
from tui.engine.resources import ImageSummary, NetworkSummary, RemovedImage, VolumeSummary
from tui.engine.types import ContainerEvent, ContainerSummary, EngineEvent, ExecOutput, Health, LogBatch, LogChunk, State, StatsSample

if TYPE_CHECKING:
    from tui.engine.archive import Change, FileTree, PathStat, Preview
    from tui.engine.processes import ProcessTable

DEFAULT_STOP_GRACE = 10


class ExecSession(abc.ABC):
    """A process started inside a container: write to it, read from it, resize it."""

    tty: bool

    @abc.abstractmethod
    async def read(self) -> ExecOutput | None:
        """The next output, or None once the process has closed its output."""

    @abc.abstractmethod
    async def write(self, data: bytes) -> None:
        """Send bytes to the process's stdin."""

    @abc.abstractmethod
    async def resize(self, rows: int, cols: int) -> None:
        """Resize the process's TTY (rows first, like stty)."""

    @abc.abstractmethod
    async def exit_code(self, timeout: float | None = None) -> int | None:
        """The exit code once the process has ended (waits up to `timeout`), else None."""

    @abc.abstractmethod
    async def close(self) -> None:
        """Close our end (stdin and the connection); the process sees EOF."""

    async def __aenter__(self) -> ExecSession:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


class Engine(abc.ABC):
    """One container engine (a Docker daemon, a Podman service, or the fake)."""

    #: What the UI calls this engine ("docker", "podman", a context name...).
    name: str
    #: "docker", "podman" or "fake".
    kind: str
    #: The endpoint URL, for messages and the header.
    url: str
    #: The host published ports are reachable on.
    host: str = "localhost"
    #: Seconds between two looks at a container's health in `wait_healthy`.
    health_poll: float = 0.25

    @abc.abstractmethod
    async def list_containers(
        self, *, detailed: bool = True, labels: Mapping[str, str] | None = None
    ) -> list[ContainerSummary]:
        """Every container in every state. `detailed=False` skips the per-container
        inspect (fast first screen: no health output, start times or tty flag)."""

    @abc.abstractmethod
    async def summary(self, container_id: str) -> ContainerSummary:
        """A detailed summary of one container (raises NotFound)."""

    @abc.abstractmethod
    async def inspect(self, container_id: str) -> dict[str, Any]:
        """The engine's full inspect document, for the inspect view."""

    @abc.abstractmethod
    async def start(self, container_id: str) -> bool:
        """Start; False if it was already running (HTTP 304 is not an error)."""

    @abc.abstractmethod
    async def stop(self, container_id: str, grace: float = DEFAULT_STOP_GRACE) -> bool:
        """Stop with SIGTERM, killing after `grace` seconds; False if it was already stopped."""

    @abc.abstractmethod
    async def restart(self, container_id: str, grace: float = DEFAULT_STOP_GRACE) -> None:
        """Stop (with grace) and start again."""

    @abc.abstractmethod
    async def kill(self, container_id: str, signal: str = "SIGKILL") -> None:
        """Send a signal (Conflict if the container is not running)."""

    @abc.abstractmethod
    async def pause(self, container_id: str) -> None: ...

    @abc.abstractmethod
    async def unpause(self, container_id: str) -> None: ...

    @abc.abstractmethod
    async def remove(self, container_id: str, *, force: bool = False, volumes: bool = False) -> bool:
        """Remove; False if it was already gone. `volumes` also removes its anonymous volumes."""

    async def wait_healthy(self, container_id: str, timeout: float) -> ContainerSummary:
        """Wait until the health check passes; raise EngineTimeout (with the last
        health output) if it has not by `timeout`, Conflict if the container has
        no health check or is not running."""
        deadline = time.monotonic() + timeout
        current = await self.summary(container_id)
        while True:
            if current.health is Health.HEALTHY:
                return current
            if current.health is Health.NONE and current.state is State.RUNNING:
                raise Conflict(f"{current.name} has no health check", engine=self.name)
            if current.state not in (State.RUNNING, State.RESTARTING, State.CREATED):
                raise Conflict(f"{current.name} is {current.state.value}, not running", engine=self.name)
            if time.monotonic() >= deadline:
                output = (current.health_output or "").strip()
                raise EngineTimeout(
                    f"{current.name} not healthy after {timeout:g}s (health: {current.health.value}"
                    + (f", last check said: {output}" if output else "")
                    + ")",
                    engine=self.name,
                )
            await asyncio.sleep(min(self.health_poll, max(deadline - time.monotonic(), 0.01)))
            current = await self.summary(container_id)

    @abc.abstractmethod
    def events(self) -> AsyncIterator[EngineEvent]:
        """Container events, and image, volume and network ones (`ResourceEvent`), forever:
        reconnects by itself and says so
        (`EventsLost`, then `EventsResumed`) so the caller can re-list."""

    async def event_history(self, since: datetime, until: datetime) -> list[ContainerEvent]:
        """The container events the engine still holds between `since` and `until` (a finished read, oldest
        first): what happened before bosun started. An engine that keeps none says so with an empty list."""
        return []

    @abc.abstractmethod
    def logs(
        self,
        container_id: str,
        *,
        follow: bool = False,
        tail: int | None = None,
        since: datetime | float | None = None,
        until: datetime | float | None = None,
        timestamps: bool = False,
        tty: bool | None = None,
    ) -> AsyncIterator[LogChunk]:
        """Output chunks with their stream kept apart. `tail=None` means all;
        pass `tty` when known to save an inspect."""

    async def log_batches(
        self,
        container_id: str,
        *,
        follow: bool = False,
        tail: int | None = None,
        since: datetime | float | None = None,
        until: datetime | float | None = None,
        timestamps: bool = False,
        tty: bool | None = None,
    ) -> AsyncIterator[LogBatch]:
        """`logs` in batches as they are read, with timestamps parsed only on demand
        (see `LogBatch`): the cheap way to follow a flood. This default wraps `logs`."""
        async for chunk in self.logs(container_id, follow=follow, tail=tail, since=since, until=until,
                                     timestamps=timestamps, tty=tty):
            yield LogBatch([(chunk.stream, chunk.data, chunk.timestamp)])

    @abc.abstractmethod
    def stats(self, container_id: str) -> AsyncIterator[StatsSample]:
        """A stream of samples, about one a second, while the container runs."""

    @abc.abstractmethod
    async def stats_once(self, container_id: str) -> StatsSample:
        """One sample now (cheaper than keeping a stream open)."""

    def forget(self, container_id: str) -> None:
        """Drop what the engine remembers of a container that is gone (stats baselines, pids).

        The UI calls it when it learns of a removal; without it those caches only grow.
        """

    @abc.abstractmethod
    async def exec(
        self,
        container_id: str,
        cmd: Sequence[str],
        *,
        tty: bool = False,
        stdin: bool = True,
        user: str | None = None,
        workdir: str | None = None,
        env: Mapping[str, str] | None = None,
        size: tuple[int, int] | None = None,
    ) -> ExecSession:
        """Start `cmd` in the container; `size` is (rows, cols) for a TTY."""

    # -- inside a container: processes and files (an engine without them says so) ---------

    def _unsupported(self, what: str) -> EngineError:
        return EngineError(f"{what} is not available on this engine", engine=self.name)

    async def top(self, container_id: str) -> ProcessTable:
        """The container's processes (Conflict if it is not running)."""
        raise self._unsupported("Listing processes")

    async def signal_process(self, container_id: str, pid: int, signal: str, *, host_pid: bool) -> None:
        """Send `signal` to one process, `pid` as `top` gave it (`host_pid`: the table's pids are the host's)."""
        raise self._unsupported("Signalling a process")

    async def stat_path(self, container_id: str, path: str) -> PathStat:
        raise self._unsupported("Files")

    def get_archive(self, container_id: str, path: str) -> AsyncIterator[bytes]:
        """A tar of `path` (a file or a folder with all it holds), streamed; works on stopped containers."""
        raise self._unsupported("Files")

    async def put_archive(self, container_id: str, folder: str, chunks: AsyncIterator[bytes]) -> None:
        """Unpack the streamed tar `chunks` into `folder` in the container."""
        raise self._unsupported("Uploading files")

    async def changes(self, container_id: str) -> list[Change]:
        """What changed in the container's filesystem against its image (like `docker diff`)."""
        raise self._unsupported("Changes")

    async def list_dir(self, container_id: str, path: str = "/") -> FileTree:
        """Every entry under the folder `path`, from one archive stream (headers only are kept)."""
        from tui.engine.archive import list_tree

        return await list_tree(self.get_archive(container_id, path), path)

    async def read_file(self, container_id: str, path: str, limit: int | None = None) -> Preview:
        """The head of a file (at most `limit` bytes, default 1 MiB); the rest is never read."""
        from tui.engine.archive import PREVIEW_BYTES, read_head

        chunks = self.get_archive(container_id, path)
        try:
            return await read_head(chunks, path, limit=limit or PREVIEW_BYTES)
        finally:
            await chunks.aclose()  # drops the connection: the engine stops sending
    async def disk_usage(self) -> DiskUsage:
        """What the engine's images, containers, volumes and build cache take (`docker system df`)."""
        raise EngineError(f"{self.name} does not report disk usage", engine=self.name)

    async def prune_plan(self, kinds: frozenset[PruneKind], *, all_images: bool = False,
                         labels: Mapping[str, str] | None = None) -> PrunePlan:
        """Exactly what a prune of `kinds` would remove now, with sizes (see `tui.engine.prune`).
        `labels`: only what carries them (the build cache has none: then it is left out)."""
        raise EngineError(f"{self.name} cannot prune", engine=self.name)

    async def prune(self, plan: PrunePlan) -> PruneReport:
        """Remove the plan's items, one by one, by id: nothing that was not listed."""
        raise EngineError(f"{self.name} cannot prune", engine=self.name)
    # -- images, volumes, networks: an engine without them says so (not abstract: a façade over
    # several engines, or a test double, need not have them to show containers).

    def _no_resources(self, what: str) -> EngineError:
        return EngineError(f"this engine cannot {what}", engine=self.name)

    async def list_images(self) -> list[ImageSummary]:
        """Every image, all tags of one id on one row, with the containers using it."""
        raise self._no_resources("list images")

    async def inspect_image(self, image_id: str) -> dict[str, Any]:
        raise self._no_resources("inspect images")

    async def remove_image(self, image_id: str, *, force: bool = False) -> RemovedImage:
        """Remove an image and every tag of it; Conflict (the engine's words) while a container uses it,
        unless `force`."""
        raise self._no_resources("remove images")

    async def tag_image(self, image_id: str, repo: str, tag: str = "latest") -> None:
        raise self._no_resources("tag images")

    async def list_volumes(self, *, sizes: bool = True) -> list[VolumeSummary]:
        """Every volume with the containers mounting it; `sizes` asks `/system/df` (slow on a big host)."""
        raise self._no_resources("list volumes")

    async def inspect_volume(self, name: str) -> dict[str, Any]:
        raise self._no_resources("inspect volumes")

    async def remove_volume(self, name: str, *, force: bool = False) -> bool:
        """Remove; False if it was already gone; Conflict while a container uses it."""
        raise self._no_resources("remove volumes")

    async def list_networks(self) -> list[NetworkSummary]:
        """Every network with the containers attached and their addresses."""
        raise self._no_resources("list networks")

    async def inspect_network(self, network_id: str) -> dict[str, Any]:
        raise self._no_resources("inspect networks")

    async def remove_network(self, network_id: str) -> bool:
        raise self._no_resources("remove networks")

    async def connect_network(self, network_id: str, container_id: str) -> None:
        raise self._no_resources("connect containers to networks")

    async def disconnect_network(self, network_id: str, container_id: str, *, force: bool = False) -> None:
        raise self._no_resources("disconnect containers from networks")

    @abc.abstractmethod
    async def close(self) -> None:
        """Release connections."""

    async def __aenter__(self) -> Engine:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
