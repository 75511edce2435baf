"""A container's processes: `top` through the engine API, and signalling one of them.

Docker runs the host's `ps` and reports host pids; Podman runs its own ps
library inside the container's namespace and reports the container's pids,
and without `ps_args` answers busybox-style rows of one string each. We ask
both for the same columns and read whatever titles come back, so a table from
either (or an engine that refuses our columns) becomes the same `ProcessTable`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

from tui.engine.errors import Conflict, EngineError

#: The signals the UI offers, most used first.
SIGNALS = ("SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGKILL", "SIGUSR1", "SIGUSR2", "SIGSTOP", "SIGCONT")

# Docker passes these to the host's procps `ps`; Podman to its own, which takes bare descriptors.
_DOCKER_PS_ARGS = "-eo pid,user,pcpu,rss,etime,args"
_PODMAN_PS_ARGS = "pid,user,pcpu,rss,etime,args"

_TITLES = {
    "pid": ("PID",),
    "user": ("USER", "UID"),
    "cpu": ("%CPU", "C", "CPU"),
    "memory": ("RSS", "RSS(KB)"),
    "elapsed": ("ELAPSED", "ETIME"),
    "command": ("COMMAND", "CMD", "ARGS"),
}


@dataclass(frozen=True)
class Process:
    pid: int
    user: str
    cpu: float | None  # percent of one core, as ps says it
    memory: int | None  # resident bytes
    elapsed: str
    command: str


@dataclass(frozen=True)
class ProcessTable:
    processes: tuple[Process, ...]
    #: True when the pids are the host's (Docker), False when they are the container's own.
    host_pids: bool


def _float(value: str) -> float | None:
    try:
        return float(value.strip().rstrip("%"))
    except ValueError:
        return None


def _memory(value: str) -> int | None:
    value = value.strip()
    try:
        return int(float(value) * 1024)  # ps reports RSS in KiB
    except ValueError:
        return None


_GO_DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:([\d.]+)s)?$")


def elapsed_text(value: str) -> str:
    """ps's `[[dd-]hh:]mm:ss` for a time Podman gives as a Go duration ("1h2m3.52s"); ps's own text as it is."""
    value = value.strip()
    if re.fullmatch(r"[\d.]+(?:ms|µs|us|ns)", value):
        return "00:00"
    match = _GO_DURATION.match(value) if value and value[-1] == "s" else None
    if not match:
        return value
    hours, minutes, seconds = int(match[1] or 0), int(match[2] or 0), int(float(match[3] or 0))
    days, hours = divmod(hours, 24)
    text = f"{hours:02d}:{minutes:02d}:{seconds:02d}" if hours or days else f"{minutes:02d}:{seconds:02d}"
    return f"{days}-{text}" if days else text


def parse_top(raw: dict[str, Any], *, host_pids: bool) -> ProcessTable:
    """The engine's `{Titles, Processes}` answer as a `ProcessTable`, whichever titles it used."""
    titles = [str(t) for t in raw.get("Titles") or []]
    rows = [[str(cell) for cell in row] for row in raw.get("Processes") or []]
    if len(titles) == 1 and " " in titles[0].strip():
        # Podman without ps_args: one string per row, columns separated by spaces, the last free text.
        titles = titles[0].split()
        rows = [row[0].split(None, len(titles) - 1) if row else [] for row in rows]
    index: dict[str, int] = {}
    for field, names in _TITLES.items():
        for i, title in enumerate(titles):
            if title.strip().upper() in names:
                index[field] = i
                break

    def cell(row: list[str], field: str) -> str:
        i = index.get(field)
        return row[i] if i is not None and i < len(row) else ""

    out = []
    for row in rows:
        try:
            pid = int(cell(row, "pid"))
        except ValueError:
            continue
        out.append(Process(pid=pid, user=cell(row, "user"), cpu=_float(cell(row, "cpu")) if "cpu" in index else None,
                           memory=_memory(cell(row, "memory")) if "memory" in index else None,
                           elapsed=elapsed_text(cell(row, "elapsed")), command=cell(row, "command")))
    return ProcessTable(tuple(out), host_pids)


def container_pid(host_pid: int, container_id: str, proc: str = "/proc") -> int | None:
    """The pid a host process has inside its container, read from /proc (a local engine only).

    None unless the process is there and belongs to this container (its cgroup names the id):
    on an engine in a VM the same number is some other process of ours.
    """
    try:
        with open(os.path.join(proc, str(host_pid), "cgroup"), encoding="utf-8", errors="replace") as f:
            if container_id not in f.read():
                return None
        with open(os.path.join(proc, str(host_pid), "status"), encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("NSpid:"):
                    return int(line.split()[-1])
    except (OSError, ValueError, IndexError):
        return None
    return None


class DockerProcesses:
    """`top` and signals for a `DockerEngine` (composed into it)."""

    def __init__(self, engine: Any) -> None:
        # A DockerEngine (not named: the engine module imports this one).
        self.engine = engine

    async def top(self, container_id: str) -> ProcessTable:
        engine = self.engine
        podman = engine.kind == "podman"
        try:
            raw = await engine._json(f"containers/{container_id}/top",
                                     params={"ps_args": _PODMAN_PS_ARGS if podman else _DOCKER_PS_ARGS})
        except Conflict:
            raise  # not running: the plain call would say the same
        except EngineError as exc:
            if exc.status not in (500, 400):
                raise
            # An engine whose ps does not know our columns (or a busybox host): its own default table.
            raw = await engine._json(f"containers/{container_id}/top")
        if not isinstance(raw, dict):
            # Podman answers a stopped container's top with 200 and no body.
            state = ((await engine.inspect(container_id)).get("State") or {}).get("Status", "stopped")
            raise Conflict(f"the container is not running ({state})", status=409, engine=engine.name)
        return parse_top(raw, host_pids=not podman)

    async def signal(self, container_id: str, pid: int, signal: str, *, host_pid: bool) -> None:
        """Send `signal` to one process; `pid` as `top` gave it (`host_pid` says which namespace)."""
        engine = self.engine
        inner: int | None = pid
        if host_pid:
            main = (await engine.inspect(container_id)).get("State", {}).get("Pid")
            inner = 1 if pid == main else (container_pid(pid, container_id) if engine._cgroups else None)
            if inner is None:
                raise EngineError(f"process {pid} is a host pid this engine is not local for: bosun cannot tell "
                                  "its pid inside the container (only the main process can be signalled)",
                                  engine=engine.name)
        if inner == 1:
            await engine.kill(container_id, signal)  # no `kill` binary needed, scratch images too
            return
        await signal_by_exec(engine, container_id, inner, signal)


async def signal_by_exec(engine, container_id: str, pid: int, signal: str) -> None:
    """`kill -SIG pid` run inside the container (any engine with exec)."""
    name = signal.upper().removeprefix("SIG")
    session = await engine.exec(container_id, ["kill", f"-{name}", str(pid)], stdin=False)
    output = b""
    async with session:
        while (chunk := await session.read()) is not None:
            output += chunk.data
        code = await session.exit_code(10)
    if code != 0:
        said = output.decode(errors="replace").strip()
        if code in (126, 127) and not said:
            said = "the container has no `kill` command"
        raise EngineError(f"kill -{name} {pid} failed (exit {code}): {said or 'no message'}", engine=engine.name)
