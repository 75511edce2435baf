"""Contract: logs keep stdout and stderr apart, follow, tail and since."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import pytest

from tui.engine import LogStream

pytestmark = pytest.mark.engine

OUT, ERR = LogStream.STDOUT, LogStream.STDERR


async def _collect(aiter, count: int, timeout: float = 15.0) -> list:
    got = []

    async def take():
        async for chunk in aiter:
            got.append(chunk)
            if len(got) >= count:
                return

    await asyncio.wait_for(take(), timeout)
    return got


async def _logs_when(h, cid, count, **kw):
    for _ in range(100):
        chunks = [c async for c in h.engine.logs(cid, **kw)]
        if len(chunks) >= count:
            return chunks
        await asyncio.sleep(0.1)
    return chunks


async def test_stdout_and_stderr_arrive_apart_and_in_order(engine_harness):
    h = engine_harness
    lines = [(OUT, "out 1"), (ERR, "err 1"), (OUT, "out 2"), (ERR, "err [bold]2[/]"), (OUT, "out 3")]
    cid = await h.printing("streams", lines)
    chunks = await _logs_when(h, cid, 5)
    assert [(c.stream, c.data) for c in chunks] == [(s, t.encode() + b"\n") for s, t in lines]


async def test_timestamps_are_parsed_off_the_text(engine_harness):
    h = engine_harness
    cid = await h.printing("stamps", [(OUT, "hello")])
    (chunk,) = await _logs_when(h, cid, 1, timestamps=True)
    assert chunk.data == b"hello\n"
    assert chunk.timestamp is not None
    assert abs((datetime.now(timezone.utc) - chunk.timestamp).total_seconds()) < 120


async def test_tty_container_has_one_stream(engine_harness):
    h = engine_harness
    cid = await h.printing("tty", [(OUT, "a"), (ERR, "b")], tty=True)
    chunks = await _logs_when(h, cid, 2)
    assert {c.stream for c in chunks} == {OUT}
    assert b"".join(c.data for c in chunks).replace(b"\r", b"") == b"a\nb\n"


async def test_follow_receives_lines_written_after_it_started(engine_harness):
    h = engine_harness
    cid = await h.printing("follow", [(OUT, "before")])
    await _logs_when(h, cid, 1)
    stream = h.engine.logs(cid, follow=True, tail=0)
    reader = asyncio.ensure_future(_collect(stream, 2))
    await asyncio.sleep(0.5)
    await h.write(cid, OUT, "after out")
    await h.write(cid, ERR, "after err")
    got = await reader
    await stream.aclose()
    assert [(c.stream, c.data) for c in got] == [(OUT, b"after out\n"), (ERR, b"after err\n")]


async def test_tail_and_since_limit_the_history(engine_harness):
    h = engine_harness
    cid = await h.printing("tail", [(OUT, "one"), (OUT, "two"), (ERR, "three")])
    chunks = await _logs_when(h, cid, 3)
    assert [c.data for c in await _logs_when(h, cid, 1, tail=1)] == [b"three\n"]
    assert [c.data for c in await _logs_when(h, cid, 2, tail=2)] == [b"two\n", b"three\n"]
    await asyncio.sleep(1.1)  # Podman's log times have one-second resolution
    cut = datetime.now(timezone.utc)
    await asyncio.sleep(1.1)
    await h.write(cid, OUT, "late")
    late = await _logs_when(h, cid, 1, since=cut)
    assert [c.data for c in late] == [b"late\n"]
    assert len(chunks) == 3
