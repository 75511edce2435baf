"""Processes and files of the fake engine's containers, in memory (UI tests and the demo).

The files are served as a real tar stream, so the fake goes through the same
listing, preview, download and upload code as Docker and Podman.
"""

from __future__ import annotations

import io
import posixpath
import tarfile
import time
from dataclasses import dataclass, field
from typing import AsyncIterator

from tui.engine.archive import Change, ChangeKind, FileKind, members
from tui.engine.errors import Conflict, NotFound
from tui.engine.processes import Process, ProcessTable

_TYPES = {FileKind.FILE: tarfile.REGTYPE, FileKind.DIR: tarfile.DIRTYPE, FileKind.SYMLINK: tarfile.SYMTYPE,
          FileKind.FIFO: tarfile.FIFOTYPE, FileKind.CHAR: tarfile.CHRTYPE}


@dataclass
class FakeFile:
    kind: FileKind
    data: bytes = b""
    mode: int = 0o644
    link: str = ""
    mtime: float = field(default_factory=time.time)


def _default_files() -> dict[str, FakeFile]:
    d = lambda: FakeFile(FileKind.DIR, mode=0o755)  # noqa: E731
    return {
        "/": d(), "/bin": d(), "/bin/sh": FakeFile(FileKind.FILE, b"\x7fELF\x02\x01\x01\0" + bytes(2000), 0o755),
        "/bin/ash": FakeFile(FileKind.SYMLINK, link="sh", mode=0o777),
        "/etc": d(), "/etc/hostname": FakeFile(FileKind.FILE, b"demo\n"),
        "/etc/motd": FakeFile(FileKind.FILE, b"Welcome \x1b]0;pwned\x07 [bold]not markup[/bold]\n\x1b[31mred\x1b[0m\n"),
        "/etc/passwd": FakeFile(FileKind.FILE, b"root:x:0:0:root:/root:/bin/sh\n"),
        "/app": d(), "/app/config dir": d(), "/app/config dir/app settings.toml": FakeFile(FileKind.FILE,
                                                                                              b"[server]\nport = 8080\n"),
        "/app/current": FakeFile(FileKind.SYMLINK, link="/etc/passwd", mode=0o777),
        "/app/escape": FakeFile(FileKind.SYMLINK, link="../../../../etc/shadow", mode=0o777),
        "/dev": d(), "/dev/null": FakeFile(FileKind.CHAR, mode=0o666), "/tmp": d(),
        "/tmp/pipe": FakeFile(FileKind.FIFO),
        "/var": d(), "/var/log": d(), "/var/log/app.log": FakeFile(FileKind.FILE, b"".join(
            f"line {i}: GET /items/{i} 200\n".encode() for i in range(3000))),
    }


@dataclass
class FakeInside:
    """One fake container's processes and filesystem."""

    files: dict[str, FakeFile] = field(default_factory=_default_files)
    processes: list[Process] = field(default_factory=lambda: [
        Process(1, "root", 0.3, 4 << 20, "01:02:03", "/bin/sh /entrypoint.sh"),
        Process(7, "app", 12.5, 96 << 20, "01:02:01", "python -m app --workers 2"),
        Process(8, "app", 3.1, 64 << 20, "01:01:59", "python -m app worker"),
        Process(9, "root", 0.0, 2 << 20, "00:10:00", "sleep 1000 \x1b]0;pwned\x07 [bold]x[/bold]"),
    ])
    changed: dict[str, ChangeKind] = field(default_factory=dict)
    signals: list[tuple[int, str]] = field(default_factory=list)

    def top(self, running: bool) -> ProcessTable:
        if not running:
            raise Conflict("the container is not running", status=409, engine="fake")
        return ProcessTable(tuple(self.processes), host_pids=False)

    def signal(self, pid: int, signal: str) -> None:
        if not any(p.pid == pid for p in self.processes):
            raise NotFound(f"no process {pid}", engine="fake")
        self.signals.append((pid, signal))
        if signal in ("SIGTERM", "SIGKILL", "SIGINT") and pid != 1:
            self.processes = [p for p in self.processes if p.pid != pid]

    def tar(self, path: str) -> bytes:
        path = posixpath.normpath("/" + path.lstrip("/"))
        if path not in self.files:
            raise NotFound(f"Could not find the file {path} in container", status=404, engine="fake")
        base = "/" if path == "/" else posixpath.dirname(path)
        out = io.BytesIO()
        with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for name in sorted(self.files):
                if name != path and not name.startswith(path.rstrip("/") + "/"):
                    continue
                item = self.files[name]
                info = tarfile.TarInfo(posixpath.relpath(name, base) if name != base else ".")
                info.type, info.mode, info.mtime, info.linkname = _TYPES[item.kind], item.mode, item.mtime, item.link
                info.size = len(item.data) if item.kind is FileKind.FILE else 0
                tar.addfile(info, io.BytesIO(item.data) if item.kind is FileKind.FILE else None)
        return out.getvalue()

    async def put(self, folder: str, chunks: AsyncIterator[bytes]) -> None:
        folder = posixpath.normpath("/" + folder.lstrip("/"))
        if self.files.get(folder, FakeFile(FileKind.FILE)).kind is not FileKind.DIR:
            raise NotFound(f"Could not find the file {folder} in container", status=404, engine="fake")
        async for member in members(chunks):
            path = posixpath.normpath(posixpath.join(folder, member.name))
            data = await member.read(member.size) if member.kind is FileKind.FILE else b""
            self.changed[path] = ChangeKind.MODIFIED if path in self.files else ChangeKind.ADDED
            self.files[path] = FakeFile(member.kind, data, member.mode, member.link, member.mtime)

    def changes(self) -> list[Change]:
        return [Change(p, k) for p, k in sorted(self.changed.items())]
