"""A container's files through the engine's archive API, as a stream of tar.

The archive API works on stopped containers too, and it is what `docker cp`
uses, so it is as fast. Everything here streams: a listing reads tar headers
and skips the data as it passes, a preview stops after its cap and drops the
connection; a download unpacks as the bytes arrive and an upload packs as the
engine reads (`tui.engine.transfer`), so a 200 MB file never sits in memory.
"""

from __future__ import annotations

import base64
import json
import posixpath
import tarfile
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import AsyncIterator

#: A file preview reads at most this much.
PREVIEW_BYTES = 1 << 20
#: A listing stops after this many entries (the rest of the tree is said to be cut).
LIST_LIMIT = 200_000
_BLOCK = 512
_CHUNK = 1 << 20


class FileKind(Enum):
    FILE = "file"
    DIR = "folder"
    SYMLINK = "symlink"
    HARDLINK = "hard link"
    CHAR = "character device"
    BLOCK = "block device"
    FIFO = "fifo"
    SOCKET = "socket"
    OTHER = "other"


_TAR_KINDS = {
    tarfile.REGTYPE: FileKind.FILE, tarfile.AREGTYPE: FileKind.FILE, tarfile.CONTTYPE: FileKind.FILE,
    tarfile.DIRTYPE: FileKind.DIR, tarfile.SYMTYPE: FileKind.SYMLINK, tarfile.LNKTYPE: FileKind.HARDLINK,
    tarfile.CHRTYPE: FileKind.CHAR, tarfile.BLKTYPE: FileKind.BLOCK, tarfile.FIFOTYPE: FileKind.FIFO,
}


@dataclass(frozen=True)
class FileEntry:
    path: str  # absolute, inside the container
    kind: FileKind
    size: int = 0
    mode: int = 0  # permission bits
    mtime: float = 0.0
    link_target: str = ""

    @property
    def name(self) -> str:
        return posixpath.basename(self.path) or "/"

    @property
    def special(self) -> bool:
        return self.kind in (FileKind.CHAR, FileKind.BLOCK, FileKind.FIFO, FileKind.SOCKET, FileKind.OTHER)


@dataclass
class FileTree:
    """Every entry under `root`, by folder: one archive stream lists the whole subtree."""

    root: str
    children: dict[str, list[FileEntry]] = field(default_factory=dict)
    entries: dict[str, FileEntry] = field(default_factory=dict)
    cut: bool = False  # stopped at LIST_LIMIT entries

    def add(self, entry: FileEntry) -> None:
        self.entries[entry.path] = entry
        if entry.path != self.root:
            self.children.setdefault(posixpath.dirname(entry.path), []).append(entry)
        if entry.kind is FileKind.DIR:
            self.children.setdefault(entry.path, [])

    def list(self, folder: str) -> list[FileEntry]:
        """`folder`'s entries, folders first, then by name."""
        return sorted(self.children.get(folder, []), key=lambda e: (e.kind is not FileKind.DIR, e.name))


@dataclass(frozen=True)
class PathStat:
    """What the engine says of one path (the archive API's stat header)."""

    name: str
    size: int
    mode: int  # Go's os.FileMode bits
    mtime: str
    link_target: str = ""

    @property
    def is_dir(self) -> bool:
        return bool(self.mode & (1 << 31))

    @property
    def is_symlink(self) -> bool:
        return bool(self.mode & (1 << 27))

    @classmethod
    def from_header(cls, value: str) -> PathStat:
        raw = json.loads(base64.b64decode(value + "=" * (-len(value) % 4)))
        return cls(name=str(raw.get("name", "")), size=int(raw.get("size") or 0), mode=int(raw.get("mode") or 0),
                   mtime=str(raw.get("mtime", "")), link_target=str(raw.get("linkTarget") or ""))


class ChangeKind(Enum):
    MODIFIED = 0
    ADDED = 1
    DELETED = 2

    @property
    def mark(self) -> str:
        return "CAD"[self.value]


@dataclass(frozen=True)
class Change:
    path: str
    kind: ChangeKind


def changes_from_raw(raw: list | None) -> list[Change]:
    out = []
    for item in raw or []:
        try:
            out.append(Change(str(item["Path"]), ChangeKind(int(item["Kind"]))))
        except (KeyError, ValueError, TypeError):
            continue
    return sorted(out, key=lambda c: c.path)


@dataclass(frozen=True)
class Preview:
    """The head of one file: at most PREVIEW_BYTES of it."""

    entry: FileEntry
    data: bytes
    cut: bool  # the file is longer than what was read

    @property
    def binary(self) -> bool:
        return looks_binary(self.data)


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or mostly bytes that are neither text nor UTF-8, in the first 8 KiB."""
    head = data[:8192]
    if b"\0" in head:
        return True
    if not head:
        return False
    text = head.decode("utf-8", errors="replace")
    bad = sum(1 for ch in text if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\n\r\f\b\x1b"))
    return bad > len(text) * 0.1


def join(folder: str, name: str) -> str:
    return posixpath.join(folder or "/", name)


def resolve_link(entry_path: str, target: str) -> str:
    """Where a symlink points, as a path in the same container: never anywhere outside it."""
    base = posixpath.dirname(entry_path)
    return posixpath.normpath(posixpath.join("/", base, target))


# -- reading tar as it streams ---------------------------------------------------------------------


class _Reader:
    def __init__(self, chunks: AsyncIterator[bytes]) -> None:
        self._it = chunks.__aiter__()
        self._buf = bytearray()

    async def _fill(self, n: int) -> None:
        while len(self._buf) < n:
            try:
                self._buf += await self._it.__anext__()
            except StopAsyncIteration:
                return

    async def read(self, n: int) -> bytes:
        await self._fill(n)
        out = bytes(self._buf[:n])
        del self._buf[:n]
        return out

    async def read_some(self, n: int) -> bytes:
        """Up to `n` bytes, as few copies as can be: a piece as it arrived when nothing is buffered."""
        if not self._buf:
            try:
                data = await self._it.__anext__()
            except StopAsyncIteration:
                return b""
            if len(data) <= n:
                return data
            self._buf += data
        out = bytes(self._buf[:n])
        del self._buf[:n]
        return out

    async def skip(self, n: int) -> None:
        while n > 0:
            if not self._buf:
                await self._fill(1)
                if not self._buf:
                    return
            step = min(n, len(self._buf))
            del self._buf[:step]
            n -= step


def _padded(size: int) -> int:
    return (size + _BLOCK - 1) // _BLOCK * _BLOCK


def _pax(data: bytes) -> dict[str, str]:
    out: dict[str, str] = {}
    pos = 0
    while pos < len(data):
        space = data.find(b" ", pos)
        if space < 0:
            break
        length = int(data[pos:space])
        record = data[space + 1:pos + length - 1]
        key, _, value = record.partition(b"=")
        out[key.decode("utf-8", "replace")] = value.decode("utf-8", "surrogateescape")
        pos += length
    return out


@dataclass
class Member:
    name: str  # as the tar has it, without a leading "/" or "./"
    kind: FileKind
    size: int
    mode: int
    mtime: float
    link: str
    _reader: _Reader
    _left: int = 0

    @property
    def special(self) -> bool:
        return self.kind in (FileKind.CHAR, FileKind.BLOCK, FileKind.FIFO, FileKind.SOCKET, FileKind.OTHER)

    async def read(self, n: int) -> bytes:
        data = await self._reader.read(min(n, self._left))
        self._left -= len(data)
        return data

    async def read_some(self, n: int) -> bytes:
        """Whatever has arrived of the data, up to `n` bytes (b"" at its end)."""
        if self._left <= 0:
            return b""
        data = await self._reader.read_some(min(n, self._left))
        self._left -= len(data)
        return data


async def members(chunks: AsyncIterator[bytes]) -> AsyncIterator[Member]:
    """The members of a tar stream, in order; data a caller does not read is skipped."""
    reader = _Reader(chunks)
    long_name = long_link = None
    pax: dict[str, str] = {}
    while True:
        block = await reader.read(_BLOCK)
        if len(block) < _BLOCK or block == b"\0" * _BLOCK:
            return
        try:
            info = tarfile.TarInfo.frombuf(block, "utf-8", "surrogateescape")
        except tarfile.HeaderError as exc:
            raise ValueError(f"the engine sent a broken tar header ({exc})") from None
        size = int(pax.get("size", info.size))
        if info.type in (tarfile.GNUTYPE_LONGNAME, tarfile.GNUTYPE_LONGLINK, tarfile.XHDTYPE, tarfile.XGLTYPE):
            data = await reader.read(info.size)
            await reader.skip(_padded(info.size) - info.size)
            if info.type == tarfile.GNUTYPE_LONGNAME:
                long_name = data.rstrip(b"\0").decode("utf-8", "surrogateescape")
            elif info.type == tarfile.GNUTYPE_LONGLINK:
                long_link = data.rstrip(b"\0").decode("utf-8", "surrogateescape")
            elif info.type == tarfile.XHDTYPE:
                pax = _pax(data)
            continue
        name = pax.get("path") or long_name or info.name
        link = pax.get("linkpath") or long_link or info.linkname
        long_name = long_link = None
        pax = {}
        while name.startswith(("./", "/")):
            name = name[1:] if name.startswith("/") else name[2:]
        kind = _TAR_KINDS.get(info.type, FileKind.OTHER)
        has_data = kind is FileKind.FILE
        member = Member(name.rstrip("/"), kind, size if has_data else 0, info.mode & 0o7777, float(info.mtime), link,
                        reader, size if has_data else 0)
        yield member
        await reader.skip(member._left + (_padded(size) - size if has_data else 0))


def _entry(member: Member, parent: str) -> FileEntry:
    path = join(parent, member.name) if member.name else parent
    return FileEntry(path=posixpath.normpath(path) if path != "/" else "/", kind=member.kind, size=member.size,
                     mode=member.mode, mtime=member.mtime, link_target=member.link)


def archive_parent(path: str) -> str:
    """The folder a tar of `path` is relative to: its members start with `path`'s own name."""
    path = posixpath.normpath("/" + path.lstrip("/"))
    return "/" if path == "/" else posixpath.dirname(path)


async def list_tree(chunks: AsyncIterator[bytes], path: str, *, limit: int = LIST_LIMIT) -> FileTree:
    """Every entry of the archive of `path` (a folder), read from its headers only."""
    root = posixpath.normpath("/" + path.lstrip("/"))
    parent = archive_parent(root)
    tree = FileTree(root)
    count = 0
    async for member in members(chunks):
        entry = _entry(member, parent)
        if count == 0 and entry.path != root and root != "/":
            entry = FileEntry(root, entry.kind, entry.size, entry.mode, entry.mtime, entry.link_target)
        tree.add(entry)
        count += 1
        if count >= limit:
            tree.cut = True
            break
    tree.entries.setdefault(root, FileEntry(root, FileKind.DIR))
    tree.children.setdefault(root, [])
    return tree


async def read_head(chunks: AsyncIterator[bytes], path: str, *, limit: int = PREVIEW_BYTES) -> Preview:
    """The first `limit` bytes of the file the archive of `path` holds (the stream is left unread after)."""
    async for member in members(chunks):
        entry = _entry(member, archive_parent(path))
        entry = FileEntry(posixpath.normpath(path), entry.kind, entry.size, entry.mode, entry.mtime, entry.link_target)
        data = await member.read(limit) if member.kind is FileKind.FILE else b""
        return Preview(entry, data, cut=member.kind is FileKind.FILE and member.size > len(data))
    raise ValueError(f"the engine's archive of {path} is empty")


def when(mtime: float) -> str:
    return datetime.fromtimestamp(mtime).strftime("%Y-%m-%d %H:%M") if mtime else ""
