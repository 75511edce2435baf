"""Processes and files of a container on real Docker and Podman: `top`, signals, the archive API, `/changes`."""

from __future__ import annotations

import hashlib
import os
import stat

import pytest

from tests.waits import wait_until
from tui.engine import Conflict, NotFound, State
from tui.engine.archive import ChangeKind, FileKind
from tui.engine.transfer import pack, unpack

pytestmark = pytest.mark.engine

SLEEPERS = "trap 'exit 0' TERM; sleep 1000 & sleep 2000 & wait"


async def _sleepers(h, what: str) -> str:
    """A container running `sleep 1000` and `sleep 2000` under a shell, once both show in `top`."""
    cid = await h._create(what, SLEEPERS)

    async def both():
        commands = {p.command for p in (await h.engine.top(cid)).processes}
        return {"sleep 1000", "sleep 2000"} <= commands

    await wait_until(both, f"{what}: both sleeps in top")
    return cid


async def test_top_lists_the_known_processes(real):
    cid = await _sleepers(real, "inside-top")
    table = await real.engine.top(cid)
    commands = sorted(p.command for p in table.processes)
    assert "sleep 1000" in commands and "sleep 2000" in commands
    assert any(c.startswith("sh -c") for c in commands)
    assert all(p.pid > 0 and p.user == "root" for p in table.processes)
    assert all(p.memory is not None and p.memory > 0 for p in table.processes), table
    assert all(p.cpu is not None for p in table.processes)
    assert table.host_pids is (real.kind == "docker")


async def test_signal_one_process_leaves_the_others(real):
    cid = await _sleepers(real, "inside-kill")
    table = await real.engine.top(cid)
    target = next(p for p in table.processes if p.command == "sleep 2000")
    await real.engine.signal_process(cid, target.pid, "SIGTERM", host_pid=table.host_pids)

    async def gone():
        return all(p.command != "sleep 2000" for p in (await real.engine.top(cid)).processes)

    await wait_until(gone, "sleep 2000 to be gone after SIGTERM")
    assert any(p.command == "sleep 1000" for p in (await real.engine.top(cid)).processes)
    assert (await real.engine.summary(cid)).state is State.RUNNING


async def test_top_of_a_stopped_container_is_a_conflict(real):
    cid = await real.exited("inside-stopped", 0)
    with pytest.raises(Conflict):
        await real.engine.top(cid)


async def test_list_dir_read_file_and_changes_after_writing(real):
    cid = await real._create("inside-files", "mkdir -p '/data/a b'; printf 'hello\\n' > '/data/a b/x y.txt'; "
                                             "ln -s /etc/passwd /data/lnk; mkfifo /data/fifo; "
                                             "head -c 3000000 /dev/zero > /data/big; " + SLEEPERS)

    async def written():
        try:
            tree = await real.engine.list_dir(cid, "/data")
        except NotFound:
            return False
        return "/data/big" in tree.entries and tree.entries["/data/big"].size == 3000000

    await wait_until(written, "the container to write its files")
    tree = await real.engine.list_dir(cid, "/data")
    names = {e.name: e for e in tree.list("/data")}
    assert names["a b"].kind is FileKind.DIR
    assert names["lnk"].kind is FileKind.SYMLINK and names["lnk"].link_target == "/etc/passwd"
    assert names["fifo"].kind is FileKind.FIFO
    assert [e.name for e in tree.list("/data/a b")] == ["x y.txt"]
    preview = await real.engine.read_file(cid, "/data/a b/x y.txt")
    assert preview.data == b"hello\n" and not preview.cut and not preview.binary
    big = await real.engine.read_file(cid, "/data/big", limit=1000)
    assert len(big.data) == 1000 and big.cut and big.binary and big.entry.size == 3000000
    root = await real.engine.list_dir(cid, "/")
    assert "/data" in root.entries and root.entries["/bin"].kind is FileKind.DIR
    changes = {c.path: c.kind for c in await real.engine.changes(cid)}
    assert changes["/data/a b/x y.txt"] is ChangeKind.ADDED
    assert "/data/lnk" in changes


async def test_list_dir_of_a_stopped_container(real):
    cid = await real._create("inside-stopped-files", "echo hi > /left; exit 0")

    async def exited():
        return (await real.engine.summary(cid)).state is State.EXITED

    await wait_until(exited, "the container to exit")
    tree = await real.engine.list_dir(cid, "/")
    assert tree.entries["/left"].size == 3, sorted(tree.entries)[:40]


def _digest(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


async def test_upload_and_download_round_trip_a_50mb_file_and_a_folder_with_a_symlink(real, tmp_path):
    cid = await real._create("inside-cp", SLEEPERS)
    src = tmp_path / "up"
    (src / "sub dir").mkdir(parents=True)
    big = src / "big.bin"
    with open(big, "wb") as f:
        for i in range(50):
            f.write(hashlib.sha256(str(i).encode()).digest() * (1 << 15))  # 1 MiB each
    os.chmod(big, 0o640)
    script = src / "sub dir" / "run me.sh"
    script.write_text("#!/bin/sh\necho hi\n")
    os.chmod(script, 0o755)
    os.symlink("sub dir/run me.sh", src / "link")
    os.symlink("/etc/passwd", src / "abs-link")

    await real.engine.put_archive(cid, "/tmp", pack(str(src)))
    tree = await real.engine.list_dir(cid, "/tmp/up")
    assert tree.entries["/tmp/up/big.bin"].size == 50 << 20
    assert tree.entries["/tmp/up/link"].kind is FileKind.SYMLINK
    assert tree.entries["/tmp/up/link"].link_target == "sub dir/run me.sh"

    out = tmp_path / "down"
    out.mkdir()
    result = await unpack(real.engine.get_archive(cid, "/tmp/up"), str(out))
    assert result.files == 2 and result.links == 2 and not result.skipped
    back = out / "up"
    assert _digest(back / "big.bin") == _digest(big)
    assert stat.S_IMODE(os.stat(back / "big.bin").st_mode) == 0o640
    assert stat.S_IMODE(os.stat(back / "sub dir" / "run me.sh").st_mode) == 0o755
    assert os.readlink(back / "link") == "sub dir/run me.sh"
    assert os.readlink(back / "abs-link") == "/etc/passwd"  # made as a link, never followed


async def test_download_skips_special_files_and_says_so(real, tmp_path):
    cid = await real._create("inside-fifo", "mkdir /d; mkfifo /d/pipe; echo x > /d/file; " + SLEEPERS)

    async def made():
        return "/d/file" in (await real.engine.list_dir(cid, "/d")).entries

    await wait_until(made, "the container to make /d")
    result = await unpack(real.engine.get_archive(cid, "/d"), str(tmp_path))
    assert (tmp_path / "d" / "file").read_text() == "x\n"
    assert not (tmp_path / "d" / "pipe").exists()
    assert any("pipe" in s for s in result.skipped)
