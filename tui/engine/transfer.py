"""Files to and from a container: unpacking a download as it streams, packing an upload as it is read.

The tar a container sends is untrusted: nothing is written outside the folder
chosen (a symlink in it is made as a link and never written through), and
device files and fifos are skipped and counted, not made. Both directions run
at `docker cp`'s pace: disk reads and writes are done in the event loop while
the disk answers at once, and moved to a thread once one is slow.
"""

from __future__ import annotations

import asyncio
import io
import os
import posixpath
import tarfile
import time
from dataclasses import dataclass, field
from typing import AsyncIterator, Callable

from tui.engine.archive import _BLOCK, _CHUNK, FileKind, Member, members

# -- unpacking a download --------------------------------------------------------------------------


@dataclass
class Unpacked:
    files: int = 0
    folders: int = 0
    links: int = 0
    bytes: int = 0
    skipped: list[str] = field(default_factory=list)  # device files, fifos, names that would leave the folder
    top: list[str] = field(default_factory=list)  # what was made directly in the folder

    def summary(self) -> str:
        parts = [f"{self.files} file{'s' * (self.files != 1)}"]
        if self.folders:
            parts.append(f"{self.folders} folder{'s' * (self.folders != 1)}")
        if self.links:
            parts.append(f"{self.links} link{'s' * (self.links != 1)}")
        text = ", ".join(parts)
        if self.skipped:
            text += f"; skipped {len(self.skipped)} special or unsafe: {', '.join(self.skipped[:3])}" \
                    + ("…" if len(self.skipped) > 3 else "")
        return text


def _inside(dest: str, path: str) -> bool:
    return os.path.commonpath([path, dest]) == dest


def _place(dest: str, name: str) -> str | None:
    """Where member `name` goes under `dest`, or None if it would land outside (`..`, or through a link)."""
    if not name or name.startswith("/") or ".." in name.split("/"):
        return None
    target = os.path.join(dest, name)
    # The folder it goes in, with the links made so far followed: a tar that makes `a -> /etc`
    # and then `a/passwd` must not write /etc/passwd.
    return target if _inside(dest, os.path.realpath(os.path.dirname(target))) else None


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


#: A disk read or write that takes longer than this moves the rest of the file's to a thread.
SLOW_WRITE_SECONDS = 0.02


async def _write_file(member: Member, target: str) -> int:
    # O_NOFOLLOW: a link of the same name made earlier is not written through.
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    written = 0
    slow = False
    try:
        # Into the page cache a write takes a millisecond, and done here it keeps pace with
        # docker cp (a thread hop per piece costs a third of the speed). A disk that makes one
        # wait longer gets the rest written in a thread: the event loop never stalls on it.
        while data := await member.read_some(_CHUNK):
            if slow:
                await asyncio.to_thread(_write_all, fd, data)
            else:
                start = time.monotonic()
                _write_all(fd, data)
                slow = time.monotonic() - start > SLOW_WRITE_SECONDS
            written += len(data)
    finally:
        os.close(fd)
    return written


async def unpack(chunks: AsyncIterator[bytes], dest: str, *, progress: Callable[[int], None] | None = None) -> Unpacked:
    """Unpack a tar stream into the folder `dest` as it arrives; `progress` gets the bytes read so far.

    Regular files, folders and links are made (links as they are: their targets are paths in the
    container); device files and fifos are skipped, and so is any name that would leave `dest`.
    Modes are kept without setuid, setgid and sticky bits; nothing is chowned.
    """
    dest = os.path.realpath(dest)
    result = Unpacked()
    folders: list[tuple[str, int, float]] = []

    async def counted() -> AsyncIterator[bytes]:
        seen = 0
        async for data in chunks:
            seen += len(data)
            if progress:
                progress(seen)
            yield data

    async for member in members(counted()):
        target = _place(dest, member.name)
        if target is None:
            result.skipped.append(f"{member.name} (outside the folder)")
            continue
        if member.special:
            result.skipped.append(f"{member.name} ({member.kind.value})")
            continue
        try:
            if member.kind is FileKind.DIR:
                os.makedirs(target, exist_ok=True)
                folders.append((target, member.mode, member.mtime))
                result.folders += 1
            elif member.kind is FileKind.SYMLINK:
                os.symlink(member.link, target)
                result.links += 1
            elif member.kind is FileKind.HARDLINK:
                source = _place(dest, member.link.lstrip("/"))
                if source is None or not os.path.isfile(source) or os.path.islink(source):
                    result.skipped.append(f"{member.name} (hard link to {member.link})")
                    continue
                os.link(source, target)
                result.links += 1
            else:
                result.bytes += await _write_file(member, target)
                os.chmod(target, member.mode & 0o777)
                os.utime(target, (member.mtime, member.mtime))
                result.files += 1
        except FileExistsError:
            result.skipped.append(f"{member.name} (exists already)")
            continue
        top = member.name.split("/", 1)[0]
        if top not in result.top:
            result.top.append(top)
    for path, mode, mtime in reversed(folders):  # last: a read-only folder must not stop what goes in it
        os.chmod(path, mode & 0o777)
        os.utime(path, (mtime, mtime))
    return result


# -- packing an upload -----------------------------------------------------------------------------


def local_size(path: str) -> int:
    """Bytes a local file or folder holds (links not followed)."""
    if not os.path.isdir(path) or os.path.islink(path):
        return os.lstat(path).st_size
    total = 0
    for folder, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(folder, name)).st_size
            except OSError:
                pass
    return total


def _walk(local: str, arcname: str) -> list[tuple[str, str]]:
    """(local path, name in the tar) for `local` and, for a folder, all it holds; links not followed."""
    out = [(local, arcname)]
    if os.path.isdir(local) and not os.path.islink(local):
        for folder, dirs, files in os.walk(local):  # a link to a folder is listed in `dirs`, never entered
            rel = os.path.relpath(folder, local)
            base = arcname if rel == "." else posixpath.join(arcname, *rel.split(os.sep))
            out.extend((os.path.join(folder, name), posixpath.join(base, name)) for name in dirs + files)
    return out


async def pack(local: str, *, progress: Callable[[int], None] | None = None) -> AsyncIterator[bytes]:
    """A tar of the local file or folder `local` (named by its base name; links kept as links), as it is read.

    Written here rather than by `tarfile`, whose stream mode copies its buffer on every small write
    (a fifth of the speed of `docker cp`); `tarfile` still makes each header.
    """
    local = os.path.abspath(os.path.expanduser(local))
    if not os.path.lexists(local):
        raise FileNotFoundError(f"{local}: no such file or folder")
    arcname = os.path.basename(local.rstrip("/")) or "upload"
    items = await asyncio.to_thread(_walk, local, arcname)
    # Folders before what they hold: os.walk lists a folder's files first, so order by name.
    items.sort(key=lambda item: item[1].split("/"))
    maker = tarfile.TarFile(fileobj=io.BytesIO(), mode="w", format=tarfile.PAX_FORMAT)
    sent = 0
    for path, name in items:
        info = maker.gettarinfo(path, name)
        if info is None:  # a socket: tar has no type for it
            continue
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        header = info.tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape")
        yield header
        sent += len(header)
        if info.isreg():
            left = info.size
            slow = False
            with open(path, "rb") as f:
                while left > 0:
                    # As in unpacking: read here while the disk answers at once, else in a thread.
                    if slow:
                        data = await asyncio.to_thread(f.read, min(_CHUNK, left))
                    else:
                        start = time.monotonic()
                        data = f.read(min(_CHUNK, left))
                        slow = time.monotonic() - start > SLOW_WRITE_SECONDS
                    if not data:  # shrank while being read: the header promised `size` bytes
                        data = b"\0" * left
                    left -= len(data)
                    sent += len(data)
                    if progress:
                        progress(sent)
                    yield data
            if info.size % _BLOCK:
                yield b"\0" * (_BLOCK - info.size % _BLOCK)
    yield b"\0" * (2 * _BLOCK)
