"""The CLI backend's output pipes: a child's bytes all come through, in few reads when they come fast.

No engine needed: the children are `sh` and a stand-in client that prints stamped
lines on both streams, as `podman logs --timestamps` does.
"""

from __future__ import annotations

import asyncio
import os
import stat

import pytest

from tests.waits import wait_until
from tui.engine.cli import pipes
from tui.engine.cli.engine import CliEngine
from tui.engine.cli.pipes import OutputPipe
from tui.engine.cli.runner import CliRunner
from tui.engine.types import LogStream


async def _read_all(pipe: OutputPipe) -> tuple[bytes, int]:
    data, reads = b"", 0
    while chunk := await pipe.read():
        data += chunk
        reads += 1
    return data, reads


async def test_a_childs_output_comes_through_and_ends_when_it_exits():
    runner = CliRunner(["sh"], lambda: "sh")
    pipe = OutputPipe()
    try:
        process = await runner.spawn(["-c", "i=0; while [ $i -lt 2000 ]; do echo line-$i; i=$((i+1)); done"],
                                     stdout=pipe.child_end)
        pipe.child_started()
        data, reads = await _read_all(pipe)
        assert await runner.finish(process) == 0
    finally:
        pipe.close()
        await runner.close()
    assert data.splitlines() == [b"line-%d" % i for i in range(2000)]
    # 2 000 writes of their own, read in far fewer reads (how many depends on the machine's pace).
    assert reads < 2000


async def test_after_a_short_read_the_pipe_is_left_alone_for_the_gather_time():
    pipe = OutputPipe()
    loop = asyncio.get_running_loop()
    try:
        os.write(pipe.child_end, b"first\n")
        assert await pipe.read() == b"first\n"  # nothing was waiting: read at once
        os.write(pipe.child_end, b"second\n")
        before = loop.time()
        assert await pipe.read() == b"second\n"
        if pipe.gather:  # a pipe that could not be widened is read as soon as it has bytes
            assert loop.time() - before >= pipe.gather * 0.9
    finally:
        pipe.close()


async def test_a_read_that_took_half_the_pipe_is_followed_at_once(monkeypatch):
    monkeypatch.setattr(pipes, "READ_SIZE", 4096)
    pipe = OutputPipe()
    loop = asyncio.get_running_loop()
    try:
        os.write(pipe.child_end, b"x" * 4096)
        assert len(await pipe.read()) == 4096  # behind the writer: no pause
        os.write(pipe.child_end, b"y\n")
        before = loop.time()
        assert await pipe.read() == b"y\n"
        assert loop.time() - before < pipes.GATHER_SECONDS
    finally:
        pipe.close()


async def test_logs_of_a_stand_in_client_keep_both_streams_in_order(tmp_path):
    """Many lines on both pipes, written one by one as the real client does, all handed over in time order."""
    client = tmp_path / "client"
    client.write_text("#!/bin/sh\n"  # `client logs --timestamps <id>`: 3 000 lines, stdout and stderr in turn
                      "i=100000; while [ $i -lt 103000 ]; do\n"
                      "  if [ $((i % 2)) -eq 0 ]; then echo \"2026-12-02T06:00:00.${i}Z out-$i\";\n"
                      "  else echo \"2026-12-02T06:00:00.${i}Z err-$i\" >&2; fi; i=$((i+1)); done\n")
    client.chmod(client.stat().st_mode | stat.S_IEXEC)
    engine = CliEngine("podman-cli", str(client))
    try:
        frames = [frame async for batch in engine.log_batches("c1", timestamps=False) for frame in batch.frames]
    finally:
        await engine.close()
    assert [payload for _, payload, _ in frames] == \
        [(b"out-%d\n" if i % 2 == 0 else b"err-%d\n") % i for i in range(100000, 103000)]
    assert {stream for stream, payload, _ in frames if payload.startswith(b"err")} == {LogStream.STDERR}
    assert {stream for stream, payload, _ in frames if payload.startswith(b"out")} == {LogStream.STDOUT}


async def test_closing_while_a_read_waits_takes_the_reader_off_the_loop():
    pipe = OutputPipe()
    fd = pipe._read_fd
    waiting = asyncio.ensure_future(pipe.read())
    await wait_until(lambda: pipe._watched_by is not None, "the read to wait on the pipe")
    pipe.close()
    assert not asyncio.get_running_loop().remove_reader(fd)  # nothing left watching that fd number
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
