"""The follow after the history starts right after the history's last line, found by its text."""

from __future__ import annotations

from tui.engine.timestamps import timestamp_order_key
from tui.engine.types import LogBatch, LogStream
from tui.logs.follower import _HistoryEnd


def stamped(*lines: bytes) -> LogBatch:
    return LogBatch([(LogStream.STDOUT, line, None) for line in lines], stamped=True)


def texts(batch: LogBatch) -> list[bytes]:
    return [frame[1].split(b" ", 1)[1] for frame in batch.frames]


def test_a_tail_that_cut_a_second_resumes_after_its_last_line():
    # The history is the last 2 of 4 lines in one second: counting that second's lines would skip 2, not 4.
    history = [b"2026-11-24T01:00:01Z c\n", b"2026-11-24T01:00:01Z d\n"]
    finder = _HistoryEnd(history, timestamp_order_key(history[-1]))
    replay = stamped(b"2026-11-24T01:00:00Z z\n", b"2026-11-24T01:00:01Z a\n", b"2026-11-24T01:00:01Z b\n",
                     *history, b"2026-11-24T01:00:01Z e\n", b"2026-11-24T01:00:02Z f\n")
    rest, looking = finder.skip(replay)
    assert texts(rest) == [b"e\n", b"f\n"] and not looking


def test_the_end_is_found_across_batches_and_whatever_the_stamps_say():
    history = [b"2026-11-24T01:00:01Z c\n", b"2026-11-24T01:00:02Z d\n"]
    finder = _HistoryEnd(history, timestamp_order_key(history[-1]))
    first, looking = finder.skip(stamped(b"2026-11-24T01:00:00Z b\n", b"2026-11-24T01:00:01Z c\n"))
    assert not first.frames and looking
    # The same line, stamped a second apart by the second answer.
    rest, looking = finder.skip(stamped(b"2026-11-24T01:00:01Z d\n", b"2026-11-24T01:00:02Z e\n"))
    assert texts(rest) == [b"e\n"] and not looking


def test_without_the_history_s_end_the_lines_stamped_after_it_are_new():
    history = [b"2026-11-24T01:00:01Z gone\n"]
    finder = _HistoryEnd(history, timestamp_order_key(history[-1]))
    rest, looking = finder.skip(stamped(b"2026-11-24T01:00:01Z old\n", b"2026-11-24T01:00:02Z new\n"))
    assert not rest.frames and looking
    rest, looking = finder.skip(stamped(b"2026-11-24T01:00:03Z later\n"))
    assert texts(rest) == [b"new\n", b"later\n"] and not looking


def test_a_line_the_tail_missed_does_not_lose_what_follows_the_history():
    # Podman's tail answer can miss a line that its follow then replays (b here): the history's
    # last lines never show together, but what follows its very last line is new all the same.
    history = [b"2026-11-24T01:00:01Z a\n", b"2026-11-24T01:00:01Z c\n"]
    finder = _HistoryEnd(history, timestamp_order_key(history[-1]))
    rest, looking = finder.skip(stamped(b"2026-11-24T01:00:01Z a\n", b"2026-11-24T01:00:01Z b\n",
                                        b"2026-11-24T01:00:01Z c\n", b"2026-11-24T01:00:01Z d\n"))
    assert not rest.frames and looking
    rest, looking = finder.skip(stamped(b"2026-11-24T01:00:03Z e\n"))
    assert texts(rest) == [b"d\n", b"e\n"] and not looking
