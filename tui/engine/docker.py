"""`DockerEngine`: Docker Engine, or Podman's Docker-compatible API, through aiodocker.

aiodocker gives us the connection handling and exec's hijacked stream; logs,
events and stats are read from the raw HTTP responses ourselves, because
aiodocker's `log()` merges stdout and stderr and its event helper hides
disconnects we need to report.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any, AsyncIterator, Mapping, Sequence

import aiodocker
import aiohttp

from tui.engine.cgroup_stats import CgroupStatsReader
from tui.engine.base import DEFAULT_STOP_GRACE, Engine, ExecSession
from tui.engine.docker_archive import DockerArchive
from tui.engine.docker_exec import DockerExecSession
from tui.engine.docker_prune import DockerHousekeeping
from tui.engine.prune import DiskUsage, PrunePlan, PruneReport
from tui.engine.endpoints import Endpoint
from tui.engine.docker_errors import DockerErrors
from tui.engine.docker_resources import DockerResources, event_filters
from tui.engine.errors import EngineError, EngineTimeout, EngineUnreachable, NotFound
from tui.engine.frames import FrameDemuxer, RawLineSplitter
from tui.engine.processes import DockerProcesses
from tui.engine.parse import event_from_raw, stats_from_raw, summary_from_inspect, summary_from_list
from tui.engine.parse_resources import resource_event_from_raw
from tui.engine.raw_stream import HTTPStatusError, raw_stream
from tui.engine.ssh_relay import SSHRelay
from tui.engine.types import (
    ContainerEvent,
    ContainerSummary,
    EngineEvent,
    EventsLost,
    EventsResumed,
    LogBatch,
    LogChunk,
    StatsSample,
)

# Calls that should answer quickly; streams get no read timeout at all.
CALL_SECONDS = 30.0
# The first word with an engine: one that accepts the connection and then says
# nothing (hung, stopped with SIGSTOP) must not hold the start for a minute.
PING_SECONDS = 5.0
# Over SSH the login is already done when the ping starts (the relay checked it), but through the
# system ssh each new HTTP connection is an ssh process and a `docker system dial-stdio` on the remote.
SSH_PING_SECONDS = 15.0
# stop and restart wait the grace period on the engine's side, then this much more.
ACTION_MARGIN_SECONDS = 30.0
_STREAM_TIMEOUT = aiohttp.ClientTimeout(total=None, connect=5, sock_connect=5, sock_read=None)
_INSPECT_CONCURRENCY = 16
_RECONNECT_DELAYS = (0.25, 0.5, 1.0, 2.0, 5.0)
# A replay keeps the newest this many events (Podman's event log on disk can hold far more).
HISTORY_LIMIT = 20_000


def _call_timeout() -> aiohttp.ClientTimeout:
    # Built per call from the module's figures, so a test can shorten them.
    return aiohttp.ClientTimeout(total=CALL_SECONDS, connect=5, sock_connect=5)


def _epoch(value: datetime | float | None) -> str | None:
    if value is None:
        return None
    seconds = value.timestamp() if isinstance(value, datetime) else float(value)
    return f"{seconds:.9f}"


async def _lines(response: aiohttp.ClientResponse) -> AsyncIterator[bytes]:
    """The newline-delimited documents of a streaming answer (events, stats), as they arrive."""
    pending = b""
    async for data in response.content.iter_any():
        pending += data
        *lines, pending = pending.split(b"\n")
        for line in lines:
            yield line


class DockerEngine(Engine):
    """A Docker-API engine at one endpoint."""

    def __init__(
        self, endpoint: Endpoint, *, kind: str = "docker", name: str | None = None, local_stats: bool = True,
        relay: SSHRelay | None = None,
    ) -> None:
        self.endpoint = endpoint
        # An ssh:// engine is spoken to through a private local socket that carries
        # each connection over SSH (tui.engine.ssh_relay); everything else is unchanged.
        self.relay = relay
        self._socket_path = relay.socket_path if relay is not None else endpoint.socket_path
        self.url = endpoint.url
        # Ports published on every address are shown against this: over SSH, the host an alias stands for.
        self.host = relay.host if relay is not None else endpoint.host
        self.kind = kind
        self.name = name or endpoint.name or kind
        self.errors = DockerErrors(endpoint, lambda: self.name, relay)
        self._client = aiodocker.Docker(
            url=relay.url if relay is not None else endpoint.client_url, ssl_context=endpoint.ssl_context(),
            timeout=_call_timeout(),
        )
        # Raw stats of the last one-shot sample per container, so that
        # `stats_once` can compute CPU % without holding a stream open.
        self._last_stats: dict[str, dict[str, Any]] = {}
        self.version: dict[str, Any] = {}
        # A local engine's containers can be measured from their cgroup files,
        # which costs the daemon nothing; main-process pids come from inspect.
        self._cgroups = CgroupStatsReader() if local_stats and endpoint.socket_path else None
        self._pids: dict[str, int] = {}
        self.processes = DockerProcesses(self)
        self.archive = DockerArchive(self)
        self.housekeeping = DockerHousekeeping(self)
        self.resources = DockerResources(self)

    # -- plumbing -------------------------------------------------------------------------

    @asynccontextmanager
    async def _request(
        self,
        path: str,
        method: str = "GET",
        *,
        params: Mapping[str, Any] | None = None,
        timeout: aiohttp.ClientTimeout | None = None,
        body: Any = None,
    ) -> AsyncIterator[aiohttp.ClientResponse]:
        timeout = timeout or _call_timeout()
        clean = {k: v for k, v in (params or {}).items() if v is not None}
        data = json.dumps(body) if body is not None else None
        try:
            async with self._client._query(path, method, params=clean, timeout=timeout, data=data) as response:
                yield response
        except (aiodocker.DockerError, aiohttp.ClientError, OSError, asyncio.TimeoutError) as exc:
            raise self.errors.error(exc) from exc

    async def _call(self, path: str, method: str = "POST", *, params=None, timeout=None, body=None) -> int:
        """Send a request whose answer has no body we need; returns the HTTP status."""
        async with self._request(path, method, params=params, timeout=timeout, body=body) as response:
            await response.read()
            return response.status

    async def _json(self, path: str, *, params=None) -> Any:
        async with self._request(path, params=params) as response:
            return await response.json(content_type=None)

    @property
    def ping_seconds(self) -> float:
        return SSH_PING_SECONDS if self.relay is not None else PING_SECONDS

    async def ping(self) -> None:
        """Check the engine answers, and learn whether it is Docker or Podman."""
        try:
            # One deadline for all of it: aiodocker asks the engine's version first,
            # under the client-wide timeout, before the request we make.
            async with asyncio.timeout(self.ping_seconds):
                async with self._request("_ping") as response:
                    body = await response.read()
                    kind = response.headers.get("Content-Type", "")
                if body.strip() != b"OK":
                    raise ValueError(f"GET /_ping answered {kind or 'no content type'}: {body[:60]!r}")
                self.version = await self._json("version")
            if not isinstance(self.version, dict) or "ApiVersion" not in self.version:
                raise ValueError("GET /version answered no API version")
        except TimeoutError:
            raise EngineTimeout(f"no answer within {self.ping_seconds:g} s", engine=self.name) from None
        except NotFound as exc:
            raise self.errors.not_an_engine(f"GET /_ping answered HTTP {exc.status}") from None
        except (ValueError, TypeError, KeyError) as exc:
            raise self.errors.not_an_engine(str(exc)) from None
        components = " ".join(c.get("Name", "") for c in self.version.get("Components") or [])
        if "podman" in components.lower() or "podman" in str(self.version.get("Platform", "")).lower():
            self.kind = "podman"
            if not self.endpoint.name or self.endpoint.name == "docker":
                self.name = "podman"
        elif self.name == "podman":
            self.kind = self.name = "docker"

    async def close(self) -> None:
        await self._client.close()
        if self.relay is not None:
            await self.relay.close()

    # -- containers -----------------------------------------------------------------------

    async def list_containers(
        self, *, detailed: bool = True, labels: Mapping[str, str] | None = None
    ) -> list[ContainerSummary]:
        params: dict[str, Any] = {"all": "1"}
        if labels:
            params["filters"] = json.dumps({"label": [f"{k}={v}" if v else k for k, v in labels.items()]})
        raw = await self._json("containers/json", params=params)
        brief = [summary_from_list(entry, self.name) for entry in raw]
        if not detailed:
            return brief
        gate = asyncio.Semaphore(_INSPECT_CONCURRENCY)

        async def detail(item: ContainerSummary) -> ContainerSummary | None:
            async with gate:
                try:
                    doc = await self.inspect(item.id)
                except NotFound:  # removed between list and inspect
                    return None
            return self._remember(summary_from_inspect(doc, self.name, item.status_text))

        results = await asyncio.gather(*(detail(item) for item in brief))
        return [item for item in results if item is not None]

    async def inspect(self, container_id: str) -> dict[str, Any]:
        return await self._json(f"containers/{container_id}/json")

    async def summary(self, container_id: str) -> ContainerSummary:
        return self._remember(summary_from_inspect(await self.inspect(container_id), self.name))

    def _remember(self, summary: ContainerSummary) -> ContainerSummary:
        if summary.pid:
            self._pids[summary.id] = summary.pid
        else:
            self._pids.pop(summary.id, None)
        return summary

    async def start(self, container_id: str) -> bool:
        return await self._call(f"containers/{container_id}/start") != 304

    async def stop(self, container_id: str, grace: float = DEFAULT_STOP_GRACE) -> bool:
        timeout = aiohttp.ClientTimeout(total=grace + ACTION_MARGIN_SECONDS, connect=5)
        status = await self._call(f"containers/{container_id}/stop", params={"t": str(int(grace))}, timeout=timeout)
        return status != 304

    async def restart(self, container_id: str, grace: float = DEFAULT_STOP_GRACE) -> None:
        timeout = aiohttp.ClientTimeout(total=grace + ACTION_MARGIN_SECONDS, connect=5)
        await self._call(f"containers/{container_id}/restart", params={"t": str(int(grace))}, timeout=timeout)

    async def kill(self, container_id: str, signal: str = "SIGKILL") -> None:
        await self._call(f"containers/{container_id}/kill", params={"signal": signal})

    async def pause(self, container_id: str) -> None:
        await self._call(f"containers/{container_id}/pause")

    async def unpause(self, container_id: str) -> None:
        await self._call(f"containers/{container_id}/unpause")

    async def remove(self, container_id: str, *, force: bool = False, volumes: bool = False) -> bool:
        params = {"force": "1" if force else "0", "v": "1" if volumes else "0"}
        try:
            await self._call(f"containers/{container_id}", "DELETE", params=params)
        except NotFound:
            return False
        return True

    # -- disk usage and pruning (tui.engine.docker_prune) ------------------------------------

    async def disk_usage(self) -> DiskUsage:
        return await self.housekeeping.disk_usage()

    async def prune_plan(self, kinds, *, all_images=False, labels=None) -> PrunePlan:
        return await self.housekeeping.plan(frozenset(kinds), all_images=all_images, labels=dict(labels or {}))

    async def prune(self, plan: PrunePlan) -> PruneReport:
        return await self.housekeeping.prune(plan)

    # -- images, volumes, networks (tui.engine.docker_resources) ----------------------------

    async def list_images(self):
        return await self.resources.list_images()

    async def inspect_image(self, image_id):
        return await self.resources.inspect_image(image_id)

    async def remove_image(self, image_id, *, force=False):
        return await self.resources.remove_image(image_id, force=force)

    async def tag_image(self, image_id, repo, tag="latest"):
        await self.resources.tag_image(image_id, repo, tag)

    async def list_volumes(self, *, sizes=True):
        return await self.resources.list_volumes(sizes=sizes)

    async def inspect_volume(self, name):
        return await self.resources.inspect_volume(name)

    async def remove_volume(self, name, *, force=False):
        return await self.resources.remove_volume(name, force=force)

    async def list_networks(self):
        return await self.resources.list_networks()

    async def inspect_network(self, network_id):
        return await self.resources.inspect_network(network_id)

    async def remove_network(self, network_id):
        return await self.resources.remove_network(network_id)

    async def connect_network(self, network_id, container_id):
        await self.resources.connect_network(network_id, container_id)

    async def disconnect_network(self, network_id, container_id, *, force=False):
        await self.resources.disconnect_network(network_id, container_id, force=force)

    # -- streams ----------------------------------------------------------------------------

    async def events(self) -> AsyncIterator[EngineEvent]:
        params = {"filters": event_filters()}
        lost_at: float | None = None
        attempt = 0
        while True:
            try:
                async with self._request("events", params=params, timeout=_STREAM_TIMEOUT) as response:
                    if lost_at is not None:
                        yield EventsResumed(self.name, time.monotonic() - lost_at)
                        lost_at = None
                    attempt = 0
                    async for line in _lines(response):
                        event = self._parse_event(line)
                        if event is not None:
                            yield event
                reason = "the engine closed the event stream"
            except EngineUnreachable as exc:
                reason = exc.attempts[0].reason if exc.attempts else exc.message
            except EngineError as exc:
                reason = exc.message
            except (aiohttp.ClientError, OSError, asyncio.IncompleteReadError) as exc:
                reason = self.errors.lost_reason(exc)
            if lost_at is None:
                lost_at = time.monotonic()
                yield EventsLost(self.name, reason)
            await asyncio.sleep(_RECONNECT_DELAYS[min(attempt, len(_RECONNECT_DELAYS) - 1)])
            attempt += 1

    async def event_history(self, since: datetime, until: datetime) -> list[ContainerEvent]:
        # Docker sends what it holds of the range and closes the answer. Podman 4 answers nothing to a
        # fractional `since` or to `until` (it never ends): whole seconds, `stream=false`, and the end cut here.
        params = {"since": str(int(since.timestamp())), "filters": json.dumps({"type": ["container"]})}
        params |= {"stream": "false"} if self.kind == "podman" else {"until": str(int(until.timestamp()) + 1)}
        held: deque[ContainerEvent] = deque(maxlen=HISTORY_LIMIT)
        async with self._request("events", params=params) as response:
            async for line in _lines(response):
                event = self._parse_event(line)
                if isinstance(event, ContainerEvent) and since <= event.time <= until:
                    held.append(event)
        return list(held)

    def _parse_event(self, line: bytes):
        line = line.strip()
        if not line:
            return None
        try:
            raw = json.loads(line)
            return event_from_raw(raw, self.name) or resource_event_from_raw(raw, self.name)
        except (ValueError, TypeError, AttributeError):
            return None

    async def logs(
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
        async for batch in self.log_batches(container_id, follow=follow, tail=tail, since=since, until=until,
                                            timestamps=timestamps, tty=tty):
            for chunk in batch.chunks():
                yield chunk

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
        if tty is None:
            tty = bool(((await self.inspect(container_id)).get("Config") or {}).get("Tty"))
        params = {
            "stdout": "1",
            "stderr": "1",
            "follow": "1" if follow else "0",
            "timestamps": "1" if timestamps else "0",
            "tail": "all" if tail is None else str(tail),
            "since": _epoch(since),
            "until": _epoch(until),
        }
        decoder = RawLineSplitter() if tty else FrameDemuxer()
        async for data in self._stream(f"containers/{container_id}/logs", params):
            frames = decoder.feed_raw(data)
            if frames:
                yield LogBatch(frames, stamped=timestamps)
        if isinstance(decoder, RawLineSplitter):
            frames = decoder.flush_raw()
            if frames:
                yield LogBatch(frames, stamped=timestamps)

    async def _stream(self, path: str, params: dict[str, str | None]) -> AsyncIterator[bytes]:
        """A streaming answer's body: plain HTTP/1.0 on a local socket (see `raw_stream`), else aiohttp."""
        if self._socket_path and not self.endpoint.tls:
            try:
                async for data in raw_stream(self._socket_path, path, params):
                    yield data
            except (HTTPStatusError, OSError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
                raise self.errors.error(exc) from exc
            return
        async with self._request(path, params=params, timeout=_STREAM_TIMEOUT) as response:
            try:
                async for data in response.content.iter_any():
                    yield data
            except (aiohttp.ClientError, OSError) as exc:
                raise self.errors.error(exc) from exc

    async def stats(self, container_id: str) -> AsyncIterator[StatsSample]:
        previous: dict[str, Any] | None = None
        async with self._request(
            f"containers/{container_id}/stats", params={"stream": "1"}, timeout=_STREAM_TIMEOUT
        ) as response:
            async for line in _lines(response):
                if not line.strip():
                    continue
                raw = json.loads(line)
                yield stats_from_raw(raw, previous)
                previous = raw

    async def stats_once(self, container_id: str) -> StatsSample:
        if self._cgroups is not None:
            pid = self._pids.get(container_id)
            if pid is None:
                pid = (await self.summary(container_id)).pid or 0
            sample = self._cgroups.sample(container_id, pid)
            if sample is not None:
                return sample
        # one-shot skips the engine's own one-second wait for a second sample;
        # our previous sample supplies the CPU delta instead.
        raw = await self._json(f"containers/{container_id}/stats", params={"stream": "0", "one-shot": "1"})
        sample = stats_from_raw(raw, self._last_stats.get(container_id))
        self._last_stats[container_id] = raw
        return sample

    def forget(self, container_id: str) -> None:
        self._last_stats.pop(container_id, None)
        self._pids.pop(container_id, None)
        if self._cgroups is not None:
            self._cgroups.forget(container_id)

    def remembers(self, container_id: str) -> bool:
        """Is anything of this container still cached (what `forget` drops)?"""
        return (container_id in self._last_stats or container_id in self._pids
                or (self._cgroups is not None and self._cgroups.remembers(container_id)))

    # -- inside a container ------------------------------------------------------------------

    async def top(self, container_id: str):
        return await self.processes.top(container_id)

    async def signal_process(self, container_id: str, pid: int, signal: str, *, host_pid: bool) -> None:
        await self.processes.signal(container_id, pid, signal, host_pid=host_pid)

    async def stat_path(self, container_id: str, path: str):
        return await self.archive.stat(container_id, path)

    def get_archive(self, container_id: str, path: str) -> AsyncIterator[bytes]:
        return self.archive.get(container_id, path)

    async def put_archive(self, container_id: str, folder: str, chunks: AsyncIterator[bytes]) -> None:
        await self.archive.put(container_id, folder, chunks)

    async def changes(self, container_id: str):
        return await self.archive.changes(container_id)

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
        body = {
            "AttachStdin": stdin,
            "AttachStdout": True,
            "AttachStderr": True,
            "Tty": tty,
            "Cmd": list(cmd),
            "Env": [f"{k}={v}" for k, v in (env or {}).items()],
            "User": user or "",
            "WorkingDir": workdir or "",
        }
        if size is not None:
            body["ConsoleSize"] = [size[0], size[1]]
        async with self._request(f"containers/{container_id}/exec", "POST", body=body) as response:
            exec_id = (await response.json(content_type=None))["Id"]
        session = DockerExecSession(self.errors, self._client, exec_id, tty)
        await session.start(size)
        return session
