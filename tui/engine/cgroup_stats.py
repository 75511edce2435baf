"""Container stats read straight from the host's cgroup files, for a local engine.

Asking the engine for stats makes it gather cgroup and network figures for
every container on every tick, which is expensive for the daemon (a known
cost of watching dashboards). When the engine runs on this machine the same
figures are in /sys/fs/cgroup and /proc/<pid>/net/dev, readable at almost no
cost. Works with cgroup v1 and v2; anything unreadable means "use the API".
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from tui.engine.types import StatsSample

CGROUP_ROOT = Path("/sys/fs/cgroup")
_UNLIMITED = 1 << 60


def _read_int(path: Path) -> int | None:
    try:
        text = path.read_text().strip()
    except OSError:
        return None
    if text == "max":
        return _UNLIMITED
    try:
        return int(text)
    except ValueError:
        return None


def _read_keyed(path: Path) -> dict[str, int]:
    values: dict[str, int] = {}
    try:
        for line in path.read_text().splitlines():
            key, _, value = line.partition(" ")
            if value.strip().lstrip("-").isdigit():
                values[key] = int(value)
    except OSError:
        pass
    return values


def _host_memory() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return 0


def _net_dev(pid: int) -> tuple[int, int]:
    rx = tx = 0
    try:
        lines = Path(f"/proc/{pid}/net/dev").read_text().splitlines()[2:]
    except OSError:
        return 0, 0
    for line in lines:
        name, _, rest = line.partition(":")
        if name.strip() == "lo":
            continue
        fields = rest.split()
        if len(fields) >= 9:
            rx += int(fields[0])
            tx += int(fields[8])
    return rx, tx


@dataclass
class _Paths:
    cpu: Path | None  # file with cumulative CPU time
    cpu_v2: bool
    memory: Path | None  # the memory cgroup folder
    memory_v2: bool
    io: Path | None
    io_v2: bool
    pids: Path | None


def _locate(pid: int, container_id: str, root: Path) -> _Paths | None:
    """The cgroup files of the container whose main process is `pid`, if they are its own."""
    try:
        lines = Path(f"/proc/{pid}/cgroup").read_text().splitlines()
    except OSError:
        return None
    v1: dict[str, str] = {}
    v2: str | None = None
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if controllers == "":
            v2 = path
        for controller in controllers.split(","):
            v1[controller] = path
    # The id in the path proves the pid still belongs to this container (pids get
    # reused) and that we see the engine's cgroups (not a VM's, as with Docker Desktop).
    if container_id not in " ".join(list(v1.values()) + [v2 or ""]):
        return None

    def v1_dir(controller: str) -> Path | None:
        if controller not in v1:
            return None
        for mount in (controller, "cpu,cpuacct", "cpuacct,cpu"):
            folder = root / mount / v1[controller].lstrip("/")
            if folder.is_dir():
                return folder
        return None

    cpuacct, memory, blkio, pids = v1_dir("cpuacct"), v1_dir("memory"), v1_dir("blkio"), v1_dir("pids")
    if cpuacct and memory:
        return _Paths(cpuacct / "cpuacct.usage", False, memory, False, blkio, False, pids)
    if v2 is not None:
        for base in (root, root / "unified"):
            folder = base / v2.lstrip("/")
            if (folder / "cpu.stat").exists() and (folder / "memory.current").exists():
                return _Paths(folder / "cpu.stat", True, folder, True, folder, True, folder)
    return None


class CgroupStatsReader:
    """Samples containers from cgroup files; CPU % comes from the change since the last sample."""

    def __init__(self, root: Path = CGROUP_ROOT) -> None:
        self.root = root
        self._paths: dict[str, tuple[int, _Paths]] = {}
        self._previous: dict[str, tuple[float, int]] = {}  # id → (monotonic time, cpu ns)
        self._host_memory = _host_memory()
        self._cpus = os.cpu_count() or 1

    def forget(self, container_id: str) -> None:
        self._paths.pop(container_id, None)
        self._previous.pop(container_id, None)

    def remembers(self, container_id: str) -> bool:
        return container_id in self._paths or container_id in self._previous

    def sample(self, container_id: str, pid: int) -> StatsSample | None:
        """A sample, or None when the files cannot be read (then ask the engine)."""
        if pid <= 0:
            return None
        cached = self._paths.get(container_id)
        if cached is None or cached[0] != pid:
            paths = _locate(pid, container_id, self.root)
            if paths is None:
                return None
            self._paths[container_id] = (pid, paths)
            self._previous.pop(container_id, None)
        else:
            paths = cached[1]
        cpu_ns = self._cpu_ns(paths)
        used, limit = self._memory(paths)
        if cpu_ns is None or used is None:
            self.forget(container_id)
            return None
        now = time.monotonic()
        cpu_percent = None
        previous = self._previous.get(container_id)
        if previous is not None and now > previous[0]:
            cpu_percent = max(cpu_ns - previous[1], 0) / ((now - previous[0]) * 1e9) * 100.0
        self._previous[container_id] = (now, cpu_ns)
        rx, tx = _net_dev(pid)
        read, write = self._io(paths)
        pids = _read_int(paths.pids / ("pids.current")) if paths.pids else None
        return StatsSample(
            time=datetime.now(timezone.utc), cpu_percent=cpu_percent, online_cpus=self._cpus,
            memory_used=used, memory_limit=limit, net_rx=rx, net_tx=tx, block_read=read, block_write=write,
            pids=pids,
        )

    def _cpu_ns(self, paths: _Paths) -> int | None:
        if paths.cpu is None:
            return None
        if paths.cpu_v2:
            usec = _read_keyed(paths.cpu).get("usage_usec")
            return usec * 1000 if usec is not None else None
        return _read_int(paths.cpu)

    def _memory(self, paths: _Paths) -> tuple[int | None, int]:
        folder = paths.memory
        if folder is None:
            return None, 0
        if paths.memory_v2:
            usage, limit = _read_int(folder / "memory.current"), _read_int(folder / "memory.max")
            inactive = _read_keyed(folder / "memory.stat").get("inactive_file", 0)
        else:
            usage, limit = _read_int(folder / "memory.usage_in_bytes"), _read_int(folder / "memory.limit_in_bytes")
            inactive = _read_keyed(folder / "memory.stat").get("total_inactive_file", 0)
        if usage is None:
            return None, 0
        # Like `docker stats`: page cache that can be dropped is not "used";
        # no limit means the machine's memory is the limit.
        if limit is None or limit >= _UNLIMITED or (self._host_memory and limit > self._host_memory):
            limit = self._host_memory
        return (usage - inactive if inactive < usage else usage), limit

    def _io(self, paths: _Paths) -> tuple[int, int]:
        if paths.io is None:
            return 0, 0
        read = write = 0
        if paths.io_v2:
            try:
                for line in (paths.io / "io.stat").read_text().splitlines():
                    for field in line.split()[1:]:
                        key, _, value = field.partition("=")
                        if key == "rbytes":
                            read += int(value)
                        elif key == "wbytes":
                            write += int(value)
            except (OSError, ValueError):
                pass
            return read, write
        try:
            for line in (paths.io / "blkio.throttle.io_service_bytes").read_text().splitlines():
                parts = line.split()
                if len(parts) == 3 and parts[1] in ("Read", "Write"):
                    if parts[1] == "Read":
                        read += int(parts[2])
                    else:
                        write += int(parts[2])
        except (OSError, ValueError):
            pass
        return read, write
