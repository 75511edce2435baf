"""Where a `LogFollower` is in the log: the last stamp it delivered, and what it drops after a reopen."""

from __future__ import annotations

from datetime import datetime, timezone

from tui.engine.types import LogBatch, LogStream
from tui.logs.follower import LogFollower


def stamped(*lines: bytes) -> LogBatch:
    return LogBatch([(LogStream.STDOUT, line, None) for line in lines], stamped=True)


def follower() -> LogFollower:
    return LogFollower(None, "c1", deliver=lambda batch: None, note=lambda note: None)  # type: ignore[arg-type]


def test_a_line_without_a_stamp_keeps_the_last_stamp():
    f = follower()
    f._remember(stamped(b"2026-11-24T01:00:00.5Z first\n"))
    f._remember(stamped(b"rest of a cut line, no stamp of its own\n"))
    assert f.last_stamp == datetime(2026, 11, 24, 1, 0, 0, 500000, tzinfo=timezone.utc)


def test_lines_in_the_same_second_are_counted_across_batches():
    f = follower()
    f._remember(stamped(b"2026-11-24T01:00:00Z a\n", b"2026-11-24T01:00:01Z b\n"))
    f._remember(stamped(b"2026-11-24T01:00:01Z c\n", b"2026-11-24T01:00:01Z d\n"))
    assert f.at_last == 3
    f._to_skip = f.at_last
    again = stamped(b"2026-11-24T01:00:00Z a\n", b"2026-11-24T01:00:01Z b\n", b"2026-11-24T01:00:01Z c\n",
                    b"2026-11-24T01:00:01Z d\n", b"2026-11-24T01:00:01Z e\n")
    rest, catching_up = f._skip_seen(again)
    assert [frame[1] for frame in rest.frames] == [b"2026-11-24T01:00:01Z e\n"] and not catching_up


def test_reopen_tells_nanoseconds_apart():
    # Docker stamps carry nanoseconds; these two share their microsecond.
    a, b = b"2026-11-24T01:00:00.123456789Z a\n", b"2026-11-24T01:00:00.12345679Z b\n"
    c = b"2026-11-24T01:00:00.1234568Z c\n"
    f = follower()
    f._remember(stamped(a))
    f._remember(stamped(b))
    assert f.at_last == 1
    f._to_skip = f.at_last
    rest, catching_up = f._skip_seen(stamped(a, b, c))
    assert list(rest.frames) == [(LogStream.STDOUT, c, None)] and not catching_up


def test_everything_seen_keeps_catching_up():
    f = follower()
    f._remember(stamped(b"2026-11-24T01:00:05Z x\n"))
    f._to_skip = f.at_last
    rest, catching_up = f._skip_seen(stamped(b"2026-11-24T01:00:04Z w\n", b"2026-11-24T01:00:05Z x\n"))
    assert not rest.frames and catching_up


async def test_batches_of_an_engine_with_only_logs_honour_until():
    from datetime import timedelta

    from tui.engine import FakeEngine

    fake = FakeEngine()
    cid = fake.add_container("web", "nginx")
    t0 = datetime(2026, 11, 24, 1, 0, 0, tzinfo=timezone.utc)
    for i in range(4):
        fake.emit_log(cid, f"line {i}\n", at=t0 + timedelta(seconds=i))
    batches = [batch async for batch in fake.log_batches(cid, until=t0 + timedelta(seconds=1.5))]
    assert [chunk.data for batch in batches for chunk in batch.chunks()] == [b"line 0\n", b"line 1\n"]
