"""Unit: the multiplexed-stream demultiplexer and the TTY line splitter."""

from __future__ import annotations

import struct
from datetime import datetime, timezone

from hypothesis import given, strategies as st

from tui.engine.frames import FrameDemuxer, RawLineSplitter
from tui.engine.timestamps import parse_timestamp_prefix
from tui.engine.types import LogStream


def frame(stream: int, payload: bytes) -> bytes:
    return struct.pack(">BxxxL", stream, len(payload)) + payload


STREAM = (
    frame(1, b"out one\n")
    + frame(2, b"err one\n")
    + frame(1, b"")
    + frame(2, "ünïcode ✓\n".encode())
    + frame(1, b"x" * 70000)
)
EXPECTED = [
    (LogStream.STDOUT, b"out one\n"),
    (LogStream.STDERR, b"err one\n"),
    (LogStream.STDOUT, b""),
    (LogStream.STDERR, "ünïcode ✓\n".encode()),
    (LogStream.STDOUT, b"x" * 70000),
]


def test_whole_stream_in_one_feed():
    chunks = FrameDemuxer().feed(STREAM)
    assert [(c.stream, c.data) for c in chunks] == EXPECTED


def test_split_at_every_byte_boundary_gives_the_same_chunks():
    for cut in range(len(STREAM) + 1):
        demux = FrameDemuxer()
        chunks = demux.feed(STREAM[:cut]) + demux.feed(STREAM[cut:])
        assert [(c.stream, c.data) for c in chunks] == EXPECTED, cut
        assert demux.pending == 0


@given(st.lists(st.integers(min_value=0, max_value=len(STREAM)), max_size=12))
def test_split_into_many_pieces_gives_the_same_chunks(cuts):
    demux = FrameDemuxer()
    points = sorted(set(cuts)) + [len(STREAM)]
    chunks, start = [], 0
    for point in points:
        chunks += demux.feed(STREAM[start:point])
        start = point
    assert [(c.stream, c.data) for c in chunks] == EXPECTED


def test_byte_by_byte():
    demux = FrameDemuxer()
    chunks = []
    for i in range(len(STREAM)):
        chunks += demux.feed(STREAM[i : i + 1])
    assert [(c.stream, c.data) for c in chunks] == EXPECTED


def test_raw_frames_are_cut_out_only_when_read():
    demux = FrameDemuxer()
    frames = demux.feed_raw(STREAM[:-5])  # the last frame is not complete yet
    assert len(frames) == 4 and demux.pending == len(frame(1, b"x" * 70000)) - 5
    assert frames[1] == (LogStream.STDERR, b"err one\n", None)
    assert frames[-1] == (LogStream.STDERR, "ünïcode ✓\n".encode(), None)
    rest = frames[2:]
    assert len(rest) == 2 and rest[0] == (LogStream.STDOUT, b"", None)
    assert frames == [(stream, data, None) for stream, data in EXPECTED[:4]]
    assert list(demux.feed_raw(STREAM[-5:])) == [(LogStream.STDOUT, b"x" * 70000, None)]
    assert len(demux.feed_raw(b"")) == 0


def test_timestamps_are_split_off_each_frame():
    data = frame(1, b"2026-11-23T20:45:38.123456789Z hello\n") + frame(2, b"2026-11-23T20:45:38Z oops\n")
    out, err = FrameDemuxer(timestamps=True).feed(data)
    assert out.data == b"hello\n" and out.timestamp == datetime(2026, 11, 23, 20, 45, 38, 123456, tzinfo=timezone.utc)
    assert err.stream is LogStream.STDERR and err.data == b"oops\n"
    assert err.timestamp == datetime(2026, 11, 23, 20, 45, 38, tzinfo=timezone.utc)


def test_timestamp_with_offset_and_text_without_one():
    stamp, rest = parse_timestamp_prefix(b"2026-01-02T03:04:05.5+02:00 x")
    assert rest == b"x" and stamp.utcoffset().total_seconds() == 7200 and stamp.microsecond == 500000
    assert parse_timestamp_prefix(b"no stamp here") == (None, b"no stamp here")


def test_tty_stream_is_cut_into_lines_across_feeds():
    split = RawLineSplitter()
    chunks = split.feed(b"one\ntw") + split.feed(b"o\nthree") + split.flush()
    assert [c.data for c in chunks] == [b"one\n", b"two\n", b"three"]
    assert {c.stream for c in chunks} == {LogStream.STDOUT}


def test_tty_line_without_newline_is_bounded():
    split = RawLineSplitter(max_line=1000)
    chunks = split.feed(b"y" * 2500)
    assert [len(c.data) for c in chunks] == [2500]
    assert split.flush() == []
