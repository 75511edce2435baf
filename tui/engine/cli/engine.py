"""`CliEngine`: an `Engine` that drives a container client (`podman`, `docker`, `nerdctl`) as child processes.

Chosen with `--engine podman-cli|docker-cli` (or `[engine] kind`), or by
bosun itself when no API socket answers but `podman` is installed. It lists
with `ps --all` plus one `inspect` for all containers, acts with the verbs,
follows `events` and `logs --follow` as long-running children, samples stats
from the cgroup files when the containers are local (else `stats --no-stream`,
one for all the containers asked about at once), and runs shells with `exec
-it` in a local pty. `kind` stays "podman" or "docker" (what the engine is);
`transport` says "cli".
"""

from __future__ import annotations

import asyncio
import os
import time
from datetime import datetime
from typing import Any, AsyncIterator, Mapping, Sequence

from tui.engine.base import DEFAULT_STOP_GRACE, Engine, ExecSession
from tui.engine.cgroup_stats import CgroupStatsReader
from tui.engine.cli.dialect import DIALECTS, client_argv, engine_url, label_args, program_name
from tui.engine.cli.events import cli_event_history, cli_events
from tui.engine.cli.inspect import BatchedInspect, inspect_many
from tui.engine.cli.exec import CliExecSession
from tui.engine.cli.logs import cli_log_batches
from tui.engine.cli.parse import documents, summary_from_cli_inspect, summary_from_ps
from tui.engine.cli.runner import CliRunner
from tui.engine.cli.stats import SharedStats
from tui.engine.errors import ClientTooOld, EngineTimeout, NotFound
from tui.engine.types import ContainerEvent, ContainerSummary, EngineEvent, LogBatch, LogChunk, State, StatsSample

# stop and restart wait the grace period in the client, then this much more.
ACTION_MARGIN_SECONDS = 30.0
PING_SECONDS = 10.0
# How long the ping's list stands in for the dashboard's first brief list.
FRESH_SECONDS = 3.0
# `stats()` samples this often: each round is a child process when the cgroup files cannot be read.
STATS_SECONDS = 2.0


class CliEngine(Engine):
    """An engine reached through its command-line client; see the module's doc."""

    transport = "cli"

    def __init__(self, kind: str = "podman-cli", cli: str = "", *, name: str | None = None,
                 source: str = "--engine", local_stats: bool = True) -> None:
        if kind not in DIALECTS:
            raise ValueError(f"not a CLI engine kind: {kind!r}")
        self.spec_kind = kind
        self.dialect = DIALECTS[kind]
        self.cli_argv = client_argv(kind, cli)
        self.kind = self.dialect.kind
        self.name = name or program_name(self.cli_argv)
        self.url = engine_url(self.cli_argv)
        self.host = "localhost"
        self._fresh: tuple[float, list[ContainerSummary]] | None = None  # the ping's list, see `ping`
        self.runner = CliRunner(self.cli_argv, lambda: self.name, source=source)
        self._inspector = BatchedInspect(self.runner, lambda: self.name)
        self._cgroups = CgroupStatsReader() if local_stats else None
        self._pids: dict[str, int] = {}
        self._cpus = os.cpu_count() or 1
        self._client_stats = SharedStats(self.runner, self.dialect.stats, lambda: self.name, self._cpus)

    @classmethod
    def from_spec(cls, spec) -> CliEngine:
        """The engine a `tui.engine.spec.EngineSpec` of kind podman-cli/docker-cli names (its `cli`, else
        its `host` when that is a client rather than an address)."""
        cli = spec.cli or ("" if "://" in spec.host else spec.host)
        return cls(spec.kind, cli, name=spec.name, source=spec.source)

    # -- plumbing -------------------------------------------------------------------------

    async def _call(self, *args: str, timeout: float | None = None, check: bool = True):
        return await self.runner.call(list(args), timeout=timeout, check=check)

    async def ping(self) -> None:
        """Check the client runs and reaches its engine, with the list the dashboard asks for next.

        One `ps` rather than `version` then `ps`: each client start costs tens of milliseconds
        before the first screen, so the brief list it gives is kept for a moment (`_fresh`).
        """
        try:
            brief = await self._brief(None, timeout=PING_SECONDS)
        except EngineTimeout:
            raise EngineTimeout(f"`{' '.join(self.cli_argv)} ps` gave no answer within {PING_SECONDS:g} s",
                                engine=self.name) from None
        self._fresh = (time.monotonic(), brief)

    async def _brief(self, labels: Mapping[str, str] | None, *, timeout: float | None = None) -> list[ContainerSummary]:
        args = [*self.dialect.ps, *label_args(labels)]
        done = await self._call(*args, timeout=timeout)
        brief = [s for s in (summary_from_ps(raw, self.name) for raw in documents(done.stdout)) if s is not None]
        if not brief and done.stdout.strip() not in (b"", b"[]", b"null"):
            raise ClientTooOld(f"`{' '.join(self.cli_argv)} {' '.join(args)}` printed no container in JSON "
                               f"(a client that is too old, or not a container client?)", engine=self.name)
        return brief

    def _cached_brief(self, labels: Mapping[str, str] | None) -> list[ContainerSummary] | None:
        fresh, self._fresh = self._fresh, None  # used once: after that the engine is asked again
        if fresh is None or time.monotonic() - fresh[0] > FRESH_SECONDS:
            return None
        wanted = labels or {}
        return [s for s in fresh[1]
                if all(k in s.labels and (not v or s.labels[k] == v) for k, v in wanted.items())]

    async def close(self) -> None:
        await self.runner.close()

    # -- containers -----------------------------------------------------------------------

    async def list_containers(
        self, *, detailed: bool = True, labels: Mapping[str, str] | None = None
    ) -> list[ContainerSummary]:
        brief = (None if detailed else self._cached_brief(labels)) or await self._brief(labels)
        if not detailed or not brief:
            return brief
        status = {s.id: s.status_text for s in brief}
        docs, _ = await inspect_many(self.runner, [s.id for s in brief], self.name)
        result = []
        for doc in docs:
            summary = summary_from_cli_inspect(doc, self.name, status.get(str(doc.get("Id")), ""))
            if summary is not None and summary.id in status:
                result.append(self._remember(summary))
        return result

    async def inspect(self, container_id: str) -> dict[str, Any]:
        return await self._inspector.get(container_id)

    async def summary(self, container_id: str) -> ContainerSummary:
        summary = summary_from_cli_inspect(await self.inspect(container_id), self.name)
        if summary is None:
            raise NotFound(f"no such container: {container_id}", engine=self.name)
        return self._remember(summary)

    def _remember(self, summary: ContainerSummary) -> ContainerSummary:
        if summary.pid:
            self._pids[summary.id] = summary.pid
        else:
            self._pids.pop(summary.id, None)
        return summary

    async def start(self, container_id: str) -> bool:
        # The clients say nothing different for "already running": ask first, as the API's 304 would.
        if (await self.summary(container_id)).state in (State.RUNNING, State.RESTARTING):
            return False
        await self._call("start", container_id)
        return True

    async def stop(self, container_id: str, grace: float = DEFAULT_STOP_GRACE) -> bool:
        if (await self.summary(container_id)).state not in (State.RUNNING, State.PAUSED, State.RESTARTING):
            return False
        await self._call("stop", "-t", str(int(grace)), container_id, timeout=grace + ACTION_MARGIN_SECONDS)
        return True

    async def restart(self, container_id: str, grace: float = DEFAULT_STOP_GRACE) -> None:
        await self._call("restart", "-t", str(int(grace)), container_id, timeout=grace + ACTION_MARGIN_SECONDS)

    async def kill(self, container_id: str, signal: str = "SIGKILL") -> None:
        await self._call("kill", "-s", signal, container_id)

    async def pause(self, container_id: str) -> None:
        await self._call("pause", container_id)

    async def unpause(self, container_id: str) -> None:
        await self._call("unpause", container_id)

    async def remove(self, container_id: str, *, force: bool = False, volumes: bool = False) -> bool:
        args = ["rm"] + (["-f"] if force else []) + (["-v"] if volumes else []) + [container_id]
        try:
            done = await self._call(*args)
        except NotFound:
            return False
        # `rm -f` of a container that is gone succeeds silently; a removal echoes the name or id.
        return bool(done.stdout.strip())

    # -- streams ----------------------------------------------------------------------------

    def events(self) -> AsyncIterator[EngineEvent]:
        return cli_events(self.runner, self.dialect.events, lambda: self.name)

    async def event_history(self, since: datetime, until: datetime) -> list[ContainerEvent]:
        return await cli_event_history(self.runner, self.dialect.events, lambda: self.name, since, until,
                                       podman=self.dialect.kind == "podman")

    async def logs(self, container_id: str, *, follow: bool = False, tail: int | None = None,
                   since: datetime | float | None = None, until: datetime | float | None = None,
                   timestamps: bool = False, tty: bool | None = None) -> AsyncIterator[LogChunk]:
        async for batch in self.log_batches(container_id, follow=follow, tail=tail, since=since, until=until,
                                            timestamps=timestamps, tty=tty):
            for chunk in batch.chunks():
                yield chunk

    async def log_batches(self, container_id: str, *, follow: bool = False, tail: int | None = None,
                          since: datetime | float | None = None, until: datetime | float | None = None,
                          timestamps: bool = False, tty: bool | None = None) -> AsyncIterator[LogBatch]:
        async for batch in cli_log_batches(self.runner, container_id, follow=follow, tail=tail, since=since,
                                           until=until, timestamps=timestamps, tty=tty):
            yield batch

    async def stats(self, container_id: str) -> AsyncIterator[StatsSample]:
        while True:
            yield await self.stats_once(container_id)
            await asyncio.sleep(STATS_SECONDS)

    async def stats_once(self, container_id: str) -> StatsSample:
        if self._cgroups is not None:
            pid = self._pids.get(container_id)
            if pid is None:
                pid = (await self.summary(container_id)).pid or 0
            sample = self._cgroups.sample(container_id, pid)
            if sample is not None:
                return sample
        return await self._client_stats.get(container_id)

    def forget(self, container_id: str) -> None:
        self._pids.pop(container_id, None)
        if self._cgroups is not None:
            self._cgroups.forget(container_id)

    def remembers(self, container_id: str) -> bool:
        return container_id in self._pids or (self._cgroups is not None and self._cgroups.remembers(container_id))

    async def exec(self, container_id: str, cmd: Sequence[str], *, tty: bool = False, stdin: bool = True,
                   user: str | None = None, workdir: str | None = None, env: Mapping[str, str] | None = None,
                   size: tuple[int, int] | None = None) -> ExecSession:
        return await CliExecSession.start(self.runner, container_id, cmd, tty=tty, stdin=stdin, user=user,
                                          workdir=workdir, env=env, size=size)
