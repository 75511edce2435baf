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


def _read(path: str) -> bytes | None:
    # os.open/os.read, not Path.read_text: a sample reads seven small files, 50 containers
    # every few seconds, and the text layer and the Path objects were most of the cost.
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        return os.read(fd, 1 << 16)
    except OSError:
        return None
    finally:
        os.close(fd)


def _read_int(path: str) -> int | None:
    data = _read(path)
    if data is None:
        return None
    data = data.strip()
    if data == b"max":
        return _UNLIMITED
    try:
        return int(data)
    except ValueError:
        return None


def _read_key(path: str, key: bytes) -> int | None:
    """The value of `key` in a file of `key value` lines (memory.stat, cpu.stat); None if absent."""
    data = _read(path)
    if data is None:
        return None
    if data.startswith(key + b" "):
        at = 0
    else:
        at = data.find(b"\n" + key + b" ")
        if at < 0:
            return None
        at += 1
    end = data.find(b"\n", at)
    try:
        return int(data[at + len(key) + 1:end if end >= 0 else len(data)])
    except ValueError:
        return None


def _host_memory() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return 0


def _net_dev(pid: int) -> tuple[int, int]:
    rx = tx = 0
    data = _read(f"/proc/{pid}/net/dev")
    if data is None:
        return 0, 0
    for line in data.splitlines()[2:]:
        name, _, rest = line.partition(b":")
        if name.strip() == b"lo":
            continue
        fields = rest.split()
        if len(fields) >= 9:
            rx += int(fields[0])
            tx += int(fields[8])
    return rx, tx


@dataclass
class _Paths:
    """The files one container's sample reads, as strings (made once, when the container is first seen)."""

    cpu: str  # cumulative CPU time: nanoseconds (v1), or `usage_usec` in cpu.stat (v2)
    cpu_v2: bool
    memory_used: str
    memory_limit: str
    memory_stat: str
    inactive_key: bytes  # the page cache `docker stats` does not count as used
    io: str | None
    io_v2: bool
    pids: str | None


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
        return _Paths(str(cpuacct / "cpuacct.usage"), False, str(memory / "memory.usage_in_bytes"),
                      str(memory / "memory.limit_in_bytes"), str(memory / "memory.stat"), b"total_inactive_file",
                      str(blkio / "blkio.throttle.io_service_bytes") if blkio else None, False,
                      str(pids / "pids.current") if pids else None)
    if v2 is not None:
        for base in (root, root / "unified"):
            folder = base / v2.lstrip("/")
            if (folder / "cpu.stat").exists() and (folder / "memory.current").exists():
                return _Paths(str(folder / "cpu.stat"), True, str(folder / "memory.current"),
                              str(folder / "memory.max"), str(folder / "memory.stat"), b"inactive_file",
                              str(folder / "io.stat"), True, str(folder / "pids.current"))
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
        pids = _read_int(paths.pids) if paths.pids else None
        return StatsSample(
            time=datetime.now(timezone.utc), cpu_percent=cpu_percent, online_cpus=self._cpus,
            memory_used=used, memory_limit=limit, net_rx=rx, net_tx=tx, block_read=read, block_write=write,
            pids=pids,
        )

    def _cpu_ns(self, paths: _Paths) -> int | None:
        if paths.cpu_v2:
            usec = _read_key(paths.cpu, b"usage_usec")
            return usec * 1000 if usec is not None else None
        return _read_int(paths.cpu)

    def _memory(self, paths: _Paths) -> tuple[int | None, int]:
        usage, limit = _read_int(paths.memory_used), _read_int(paths.memory_limit)
        if usage is None:
            return None, 0
        inactive = _read_key(paths.memory_stat, paths.inactive_key) or 0
        # Like `docker stats`: page cache that can be dropped is not "used";
        # no limit means the machine's memory is the limit.
        if limit is None or limit >= _UNLIMITED or (self._host_memory and limit > self._host_memory):
            limit = self._host_memory
        return (usage - inactive if inactive < usage else usage), limit

    def _io(self, paths: _Paths) -> tuple[int, int]:
        data = _read(paths.io) if paths.io else None
        if data is None:
            return 0, 0
        read = write = 0
        try:
            if paths.io_v2:
                for line in data.splitlines():
                    for field in line.split()[1:]:
                        key, _, value = field.partition(b"=")
                        if key == b"rbytes":
                            read += int(value)
                        elif key == b"wbytes":
                            write += int(value)
                return read, write
            for line in data.splitlines():
                parts = line.split()
                if len(parts) == 3 and parts[1] in (b"Read", b"Write"):
                    if parts[1] == b"Read":
                        read += int(parts[2])
                    else:
                        write += int(parts[2])
        except ValueError:
            pass  # a line in a shape not known: what was summed so far
        return read, write
