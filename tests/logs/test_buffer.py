"""LogBuffer: bounded whatever the rate, seqs that never repeat, filters that keep up with appends."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from tui.engine.types import LogChunk, LogStream
from tui.logs.buffer import LineFilter, LogBuffer, LogLine

OUT, ERR = LogStream.STDOUT, LogStream.STDERR


def chunk(data: str | bytes, stream: LogStream = OUT) -> LogChunk:
    return LogChunk(stream, data.encode() if isinstance(data, str) else data, datetime(2026, 1, 1, tzinfo=timezone.utc))


def test_append_chunks_splits_and_sanitises():
    buffer = LogBuffer(10)
    added = buffer.append_chunks([chunk("a\nb\n"), chunk("\x1b]0;t\x07c", ERR)], container="web")
    assert added == 3
    assert [line.plain for line in buffer] == ["a", "b", "\u241bc"]
    assert [line.seq for line in buffer] == [0, 1, 2]
    assert buffer.lines[2].stream is ERR and buffer.lines[2].container == "web"
    assert buffer.lines[0].raw_len == 1 and buffer.lines[0].timestamp.year == 2026


def test_bounded_under_200k_lines():
    buffer = LogBuffer(1000)
    for start in range(0, 200_000, 1000):
        buffer.append_chunks([chunk("".join(f"line {i}\n" for i in range(start, start + 1000)))])
    assert len(buffer) == 1000
    assert buffer.appended == 200_000 and buffer.dropped == 199_000
    assert buffer.lines[0].plain == "line 199000" and buffer.first_seq == 199_000
    assert buffer.by_seq(199_999).plain == "line 199999"
    assert buffer.by_seq(5) is None


def test_bounded_by_bytes_too():
    buffer = LogBuffer(1000, max_bytes=50_000)
    buffer.append_chunks([chunk(b"y" * 9000 + b"\n") for _ in range(100)])
    assert buffer.bytes <= 50_000
    assert len(buffer) < 10 and buffer.dropped == 100 - len(buffer)


def test_marker_lines():
    buffer = LogBuffer(10)
    buffer.append_chunks([chunk("x\n")])
    marker = buffer.append_marker("restarted at 12:00:03 [bold]")
    assert marker.is_marker and marker.stream is None
    assert "restarted at 12:00:03 [bold]" in marker.plain
    assert not LogLine(OUT, marker.text).is_marker


def test_filter_plain_regex_case_invert_and_streams():
    buffer = LogBuffer(100)
    buffer.append_chunks([chunk("Error one\nok two\n"), chunk("error three\n", ERR), chunk("a.c\nabc\n")])
    buffer.append_marker("restart")

    def shown(f):
        buffer.set_filter(f)
        return [buffer.visible(i).plain for i in range(buffer.visible_count)]

    assert shown(LineFilter("error")) == ["Error one", "error three", "\u2500\u2500 restart \u2500\u2500"]
    assert shown(LineFilter("Error", case=True))[:-1] == ["Error one"]
    assert shown(LineFilter("a.c"))[:-1] == ["a.c"]
    assert shown(LineFilter("a.c", regex=True))[:-1] == ["a.c", "abc"]
    assert shown(LineFilter("error", invert=True))[:-1] == ["ok two", "a.c", "abc"]
    assert shown(LineFilter(streams=frozenset({ERR})))[:-1] == ["error three"]
    assert shown(LineFilter(streams=frozenset({OUT, ERR}))) == shown(None)
    with pytest.raises(re.error):
        LineFilter("(", regex=True)


def test_filter_is_incremental_and_survives_drops():
    buffer = LogBuffer(100)
    buffer.set_filter(LineFilter("keep"))
    for i in range(1000):
        buffer.append_chunks([chunk(f"{'keep' if i % 3 == 0 else 'drop'} {i}\n")])
    assert len(buffer) == 100
    visible = [buffer.visible(i).plain for i in range(buffer.visible_count)]
    assert visible == [f"keep {i}" for i in range(900, 1000) if i % 3 == 0]
    assert buffer.visible_index(buffer.visible_seq(3)) == 3
    assert [line.plain for line in buffer.iter_visible(buffer.visible_count - 1)] == ["keep 999"]
    with pytest.raises(IndexError):
        buffer.visible(buffer.visible_count)


def test_filter_of_200k_lines_stays_bounded():
    buffer = LogBuffer(500)
    buffer.set_filter(LineFilter("7"))
    for start in range(0, 200_000, 2000):
        buffer.append_chunks([chunk("".join(f"{i}\n" for i in range(start, start + 2000)))])
    assert buffer.visible_count <= 500
    assert len(buffer._visible) <= 500 + 2 * 1024 + 1000  # compacted now and then
    assert all("7" in line.plain for line in buffer.iter_visible())


def test_clear_keeps_counters():
    buffer = LogBuffer(10)
    buffer.append_chunks([chunk("a\nb\n")])
    buffer.clear()
    assert len(buffer) == 0 and buffer.appended == 2 and buffer.dropped == 2
    buffer.append_chunks([chunk("c\n")])
    assert buffer.lines[0].seq == 2 and buffer.visible(0).plain == "c"
