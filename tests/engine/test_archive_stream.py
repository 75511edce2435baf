"""The tar stream code under the files screen: reading, listing, unpacking untrusted tar safely, packing."""

from __future__ import annotations

import asyncio
import io
import os
import tarfile

import pytest

from tui.engine.archive import FileKind, list_tree, looks_binary, members, read_head, resolve_link
from tui.engine.transfer import pack, unpack


def tar_of(*items: tuple[str, str, bytes | str], format=tarfile.PAX_FORMAT) -> bytes:
    """(name, kind, data-or-link) → tar bytes; kind: file, dir, sym, fifo, chr, hard."""
    out = io.BytesIO()
    types = {"file": tarfile.REGTYPE, "dir": tarfile.DIRTYPE, "sym": tarfile.SYMTYPE, "fifo": tarfile.FIFOTYPE,
             "chr": tarfile.CHRTYPE, "hard": tarfile.LNKTYPE}
    with tarfile.open(fileobj=out, mode="w", format=format) as tar:
        for name, kind, value in items:
            info = tarfile.TarInfo(name)
            info.type = types[kind]
            info.mode = 0o755 if kind == "dir" else 0o644
            if kind == "file":
                info.size = len(value)
                tar.addfile(info, io.BytesIO(value))
            else:
                info.linkname = value if isinstance(value, str) else ""
                tar.addfile(info)
    return out.getvalue()


async def chunks(data: bytes, size: int = 777):
    for i in range(0, len(data), size):
        yield data[i:i + size]


async def test_members_read_long_names_in_both_formats_and_skip_unread_data():
    long = "d/" + "n" * 150 + " with space.txt"
    for fmt in (tarfile.PAX_FORMAT, tarfile.GNU_FORMAT):
        data = tar_of(("d", "dir", ""), (long, "file", b"x" * 5000), ("d/after", "file", b"tail"), format=fmt)
        seen = []
        async for m in members(chunks(data)):
            seen.append((m.name, m.kind, m.size, await m.read(4) if m.name.endswith("after") else b""))
        assert seen == [("d", FileKind.DIR, 0, b""), (long, FileKind.FILE, 5000, b""),
                        ("d/after", FileKind.FILE, 4, b"tail")]


async def test_list_tree_of_a_folder_and_of_the_root():
    data = tar_of(("etc", "dir", ""), ("etc/passwd", "file", b"root"), ("etc/link", "sym", "/etc/passwd"),
                  ("etc/pipe", "fifo", ""))
    tree = await list_tree(chunks(data), "/etc")
    assert [e.name for e in tree.list("/etc")] == ["link", "passwd", "pipe"]
    assert tree.entries["/etc/link"].link_target == "/etc/passwd" and tree.entries["/etc/pipe"].special
    rooted = tar_of(("/", "dir", ""), ("/bin", "dir", ""), ("/bin/sh", "file", b"elf"))
    tree = await list_tree(chunks(rooted), "/")
    assert [e.path for e in tree.list("/")] == ["/bin"] and tree.entries["/bin/sh"].size == 3


async def test_read_head_stops_at_its_limit():
    data = tar_of(("big", "file", b"a" * 100_000))
    preview = await read_head(chunks(data), "/var/big", limit=10)
    assert preview.data == b"a" * 10 and preview.cut and preview.entry.path == "/var/big"


def test_binary_detection():
    assert looks_binary(b"\x7fELF\x00\x01")
    assert not looks_binary("héllo wörld\n\tok\x1b[31mred\x1b[0m\n".encode())
    assert looks_binary(bytes(range(128, 256)) * 4)


def test_links_resolve_inside_the_container():
    assert resolve_link("/app/current", "/etc/passwd") == "/etc/passwd"
    assert resolve_link("/app/escape", "../../../../etc/shadow") == "/etc/shadow"
    assert resolve_link("/a/b/c", "../d") == "/a/d"


async def test_unpack_never_writes_outside_the_folder(tmp_path):
    dest = tmp_path / "dest"
    dest.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    data = tar_of(("ok", "dir", ""), ("ok/file", "file", b"fine"),
                  ("../evil", "file", b"evil"),
                  ("ok/to-outside", "sym", str(outside)), ("ok/to-outside/planted", "file", b"through a link"),
                  ("ok/abs", "sym", "/etc/passwd"),
                  ("ok/dev", "chr", ""), ("ok/pipe", "fifo", ""))
    result = await unpack(chunks(data), str(dest))
    assert (dest / "ok" / "file").read_text() == "fine"
    assert not (tmp_path / "evil").exists() and not list(outside.iterdir())
    assert os.readlink(dest / "ok" / "abs") == "/etc/passwd"  # made as a link, never written through
    assert not (dest / "ok" / "dev").exists() and not (dest / "ok" / "pipe").exists()
    skipped = " ".join(result.skipped)
    assert "evil" in skipped and "planted" in skipped and "dev" in skipped and "pipe" in skipped
    assert result.files == 1 and result.top == ["ok"]


async def test_an_engine_error_midway_is_raised_and_the_unpacker_ends(tmp_path):
    data = tar_of(("f", "file", b"x" * 100_000))

    async def broken():
        yield data[:3000]
        raise OSError("connection reset")

    with pytest.raises(OSError, match="connection reset"):
        await asyncio.wait_for(unpack(broken(), str(tmp_path)), 10)


async def test_pack_keeps_names_modes_and_links(tmp_path):
    src = tmp_path / "my dir"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "run.sh").write_text("echo\n")
    os.chmod(src / "sub" / "run.sh", 0o750)
    os.symlink("sub/run.sh", src / "link")
    data = b"".join([c async for c in pack(str(src))])
    found = {m.name: m async for m in members(chunks(data))}
    assert set(found) == {"my dir", "my dir/sub", "my dir/sub/run.sh", "my dir/link"}
    assert found["my dir/sub/run.sh"].mode == 0o750 and found["my dir/link"].link == "sub/run.sh"
    with pytest.raises(FileNotFoundError):
        [c async for c in pack(str(tmp_path / "missing"))]
