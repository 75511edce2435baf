"""The plain parts `LogView` is built from, on their own: the ingest queue, the row map, the search index.

None of them knows of Textual (checked below), so these run without an app.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tui.engine.types import LogBatch, LogChunk, LogStream
from tui.logs.buffer import LineFilter, LogBuffer
from tui.logs.ingest import CARRY_LIMIT, IngestQueue
from tui.logs.rows import RowMap
from tui.logs.search import SearchIndex

OUT, ERR = LogStream.STDOUT, LogStream.STDERR
T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
ROOT = Path(__file__).resolve().parents[2]


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def batch(*payloads: bytes, stream: LogStream = OUT) -> LogBatch:
    return LogBatch([(stream, p, T0) for p in payloads])


def texts(buffer: LogBuffer) -> list[str]:
    return [line.plain for line in buffer]


# -- the ingest queue ------------------------------------------------------------------------


def test_queueing_decodes_nothing_and_drain_stores_oldest_first_within_the_line_budget():
    buffer = LogBuffer(100)
    queue = IngestQueue(buffer, clock=Clock())
    queue.add_batch(batch(*(f"line {i}\n".encode() for i in range(10))))
    assert queue.queued_lines == 10 and len(buffer) == 0 and queue
    queue.drain(4, seconds=10.0)
    assert texts(buffer) == [f"line {i}" for i in range(4)] and queue.queued_lines == 6
    queue.drain(100, seconds=10.0)
    assert len(buffer) == 10 and not queue and queue.queued_bytes == 0


def test_a_backlog_beyond_the_buffer_skips_the_oldest_on_arrival_and_keeps_markers():
    buffer = LogBuffer(1000)
    queue = IngestQueue(buffer, max_backlog=5, clock=Clock())
    queue.add_marker("restarted")
    queue.add_batch(batch(*(f"{i}\n".encode() for i in range(8))))
    # The marker says where something happened: it goes into the buffer, not away (it counted
    # as one of the excess, so the backlog keeps one line fewer this time).
    assert queue.skipped == 4 and queue.queued_lines == 4
    assert len(buffer) == 1 and buffer.lines[0].is_marker
    queue.drain(100, seconds=10.0)
    assert texts(buffer)[1:] == ["4", "5", "6", "7"]


def test_lines_waiting_longer_than_max_lag_are_skipped_at_the_next_drain_and_that_counts_as_behind():
    clock = Clock()
    buffer = LogBuffer(100)
    queue = IngestQueue(buffer, max_lag=2.0, clock=clock)
    queue.add_batch(batch(b"old\n"))
    clock.now += 5
    queue.add_batch(batch(b"new\n"))
    queue.drain(100, seconds=10.0)
    assert texts(buffer) == ["new"] and queue.skipped == 1 and queue.behind
    queue.add_batch(batch(b"next\n"))
    queue.drain(100, seconds=10.0)
    assert not queue.behind  # judged afresh each drain


def test_queued_bytes_are_bounded_too():
    queue = IngestQueue(LogBuffer(100), max_queued_bytes=10_000, clock=Clock())
    for _ in range(5):
        queue.add_batch(batch(b"x" * 4000 + b"\n"))
    assert queue.queued_bytes <= 10_000 and queue.skipped == 3


def test_an_open_line_waits_for_its_rest_from_the_same_source_and_shows_alone_after_the_wait():
    clock = Clock()
    buffer = LogBuffer(100)
    queue = IngestQueue(buffer, clock=clock)
    queue.add_batch(batch(b"hel"))
    queue.add_batch(batch(b"oops\n", stream=ERR))
    queue.add_batch(batch(b"lo\n", b"prompt> "))
    queue.drain(100, seconds=10.0)
    assert texts(buffer) == ["oops", "hello"] and queue.has_open_lines
    assert not queue.flush_carry()  # not waited long enough
    clock.now += 1.5
    assert queue.flush_carry() and texts(buffer)[-1] == "prompt> " and not queue.has_open_lines


def test_a_line_longer_than_the_carry_limit_is_one_line_with_its_length_counted():
    buffer = LogBuffer(100, max_cells=50)
    queue = IngestQueue(buffer, clock=Clock())
    piece = b"y" * (CARRY_LIMIT // 2)
    for _ in range(3):
        queue.take(None, OUT, piece, T0)
    queue.take(None, OUT, b"tail\nnext\n", T0)
    assert [line.plain[:4] for line in buffer] == ["yyyy", "next"]
    assert buffer.lines[0].raw_len == 3 * len(piece) + 4


def test_colours_run_on_from_line_to_line_per_source():
    buffer = LogBuffer(100)
    queue = IngestQueue(buffer, clock=Clock())
    queue.take(None, OUT, b"\x1b[31mred\n", T0)
    queue.take(None, ERR, b"plain\n", T0)
    queue.take(None, OUT, b"still red\n", T0)
    red, plain, still = buffer.lines
    assert still.text.spans and not plain.text.spans


def test_clear_forgets_the_queue_open_lines_and_skips_but_not_the_buffer():
    buffer = LogBuffer(100)
    queue = IngestQueue(buffer, max_backlog=1, clock=Clock())
    queue.add_batch(batch(b"a\n", b"b\n"))
    queue.take(None, OUT, b"open", T0)
    queue.clear()
    assert not queue and queue.skipped == 0 and not queue.has_open_lines and not queue.behind


def test_stamped_batches_have_their_timestamps_parsed_at_drain():
    buffer = LogBuffer(10)
    queue = IngestQueue(buffer, clock=Clock())
    queue.add_batch(LogBatch([(OUT, b"2026-02-03T04:05:06.5Z hello\n", None)], stamped=True))
    queue.drain(10, seconds=10.0)
    line = buffer.lines[0]
    assert line.plain == "hello" and line.timestamp == datetime(2026, 2, 3, 4, 5, 6, 500000, tzinfo=timezone.utc)


# -- the row map ------------------------------------------------------------------------------


def filled(*cells: int) -> LogBuffer:
    buffer = LogBuffer(100)
    buffer.append_chunks([LogChunk(OUT, b"".join(b"x" * n + b"\n" for n in cells), T0)])
    return buffer


def test_without_wrapping_a_line_is_a_row():
    buffer = filled(3, 12, 5)
    rows = RowMap(buffer)
    rows.rebuild(wrap=False, width=-1)
    assert rows.rows == 3 and rows.max_cells == 12
    assert rows.locate(1) == (1, 0) and rows.locate(3) is None and rows.locate(-1) is None
    assert rows.row_of(2) == 2


def test_wrapped_lines_take_as_many_rows_as_their_width_needs():
    buffer = filled(3, 12, 0, 10)
    rows = RowMap(buffer)
    rows.rebuild(wrap=True, width=5)
    assert rows.width == 5 and rows.rows == 1 + 3 + 1 + 2
    assert [rows.locate(r) for r in range(8)] == [(0, 0), (1, 0), (1, 1), (1, 2), (2, 0), (3, 0), (3, 1), None]
    assert [rows.row_of(i) for i in range(4)] == [0, 1, 4, 5]
    # The rows as one per line, whatever the map holds (a view turning wrap on asks where it was).
    assert rows.locate(2, wrap=False) == (2, 0)


def test_appends_and_drops_keep_the_map_in_step_with_the_buffer():
    buffer = LogBuffer(4)
    rows = RowMap(buffer)
    rows.rebuild(wrap=True, width=4)
    for n in (2, 9, 4, 5, 1, 8):
        before = buffer.visible_dropped
        buffer.append_chunks([LogChunk(OUT, b"y" * n + b"\n", T0)])
        rows.drop(buffer.visible_dropped - before)
        new = rows.new_lines()
        assert [line.cells for line in new] == [n]
        rows.extend(new)
    # The buffer keeps the last four (4, 5, 1, 8 cells): 1 + 2 + 1 + 2 rows.
    assert rows.rows == 6 and rows.known == 4 and not rows.new_lines()
    assert [rows.locate(r)[0] for r in range(6)] == [0, 1, 1, 2, 3, 3]


def test_a_drop_returns_the_rows_the_dropped_lines_took_and_the_front_is_compacted():
    buffer = LogBuffer(10)
    rows = RowMap(buffer)
    rows.rebuild(wrap=True, width=2)
    total_dropped_rows = 0
    for i in range(10_000):
        before = buffer.visible_dropped
        buffer.append_chunks([LogChunk(OUT, b"abc\n", T0)])  # 2 rows each
        total_dropped_rows += rows.drop(buffer.visible_dropped - before)
        rows.extend(rows.new_lines())
    assert total_dropped_rows == 2 * (10_000 - 10) and rows.rows == 20
    assert len(rows._cum) < 10_000  # not one entry per line ever seen


def test_a_filter_is_followed_after_a_rebuild():
    buffer = filled(1, 2, 3, 4)
    buffer.set_filter(LineFilter("xxx"))
    rows = RowMap(buffer)
    rows.rebuild(wrap=False, width=-1)
    assert rows.rows == 2 and rows.max_cells == 4


# -- the search index ------------------------------------------------------------------------


def lines_buffer(*texts_: str, max_lines: int = 100) -> LogBuffer:
    buffer = LogBuffer(max_lines)
    buffer.append_chunks([LogChunk(OUT, "".join(t + "\n" for t in texts_).encode(), T0)])
    return buffer


def test_search_finds_visible_lines_and_steps_through_them_wrapping_round():
    buffer = lines_buffer("error one", "ok", "Error two", "fine", "error three")
    finder = SearchIndex(buffer)
    assert finder.search("error") == 3 and finder.matches == [0, 2, 4]
    assert finder.next_seq(top=1) == 2  # none current: the first at or after the top
    finder.current = 2
    assert finder.position == 2
    assert finder.next_seq(None) == 4
    finder.current = 4
    assert finder.next_seq(None) == 0  # round to the first
    finder.current = 0
    assert finder.prev_seq(None) == 4
    finder.current = None
    assert finder.prev_seq(bottom=3) == 2 and finder.prev_seq(bottom=None) == 4


def test_smart_parts_of_a_search_case_regex_and_empty_matches():
    buffer = lines_buffer("Error one", "error two")
    finder = SearchIndex(buffer)
    assert finder.search("Error", case=True) == 1
    assert finder.search(r"e\w+r", regex=True) == 2
    assert finder.spans("an error here") == [(3, 8)]
    assert finder.search("x*", regex=True) == 2 and finder.spans("abc") == []  # empty matches highlight nothing
    with pytest.raises(Exception):
        finder.search("[", regex=True)
    assert finder.query == "x*"  # a bad regex leaves the search as it was


def test_new_lines_are_matched_and_dropped_ones_forgotten():
    buffer = lines_buffer("hit 0", "miss", max_lines=3)
    finder = SearchIndex(buffer)
    finder.search("hit")
    buffer.append_chunks([LogChunk(OUT, b"hit 2\nhit 3\n", T0)])
    finder.extend(list(buffer.iter_visible(buffer.visible_count - 2)))
    finder.drop_before(buffer.first_seq)
    assert finder.matches == [2, 3]


def test_a_filter_that_hides_the_current_match_drops_it_and_clearing_forgets_all():
    buffer = lines_buffer("hit a", "hit b")
    finder = SearchIndex(buffer)
    finder.search("hit")
    finder.current = 1
    buffer.set_filter(LineFilter("a"))
    finder.rebuild()
    assert finder.matches == [0] and finder.current is None and finder.position == 0
    finder.clear()
    assert not finder.active and finder.matches == [] and finder.spans("hit") == []


# -- the shape -------------------------------------------------------------------------------


def test_the_plain_parts_load_no_textual():
    code = ("import sys, tui.logs.ingest, tui.logs.rows, tui.logs.search, tui.logs.export; "
            "print([m for m in sys.modules if m == 'textual' or m.startswith('textual.')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.strip() == "[]"


def test_log_view_is_composed_not_mixed_in():
    from textual.scroll_view import ScrollView

    from tui.widgets.log.view import LogView

    assert LogView.__bases__ == (ScrollView,)
    ours = [cls for cls in LogView.__mro__ if cls.__module__.startswith("tui.")]
    assert ours == [LogView]


def test_the_save_dialog_knows_nothing_of_the_pane():
    source = (ROOT / "tui" / "screens" / "save_log.py").read_text()
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
    assert not {m for m in imported if m.startswith("tui.widgets")}, imported
    assert "pane." not in source


def test_no_import_circles_among_the_log_view_modules():
    folder = ROOT / "tui" / "widgets" / "log"
    names = {f"tui.widgets.log.{p.stem}": p for p in folder.glob("*.py") if p.stem != "__init__"}
    names.update({f"tui.logs.{p.stem}": p for p in (ROOT / "tui" / "logs").glob("*.py") if p.stem != "__init__"})
    graph = {}
    for name, path in names.items():
        deps = set()
        for node in ast.walk(ast.parse(path.read_text())):  # inside functions and TYPE_CHECKING too
            if isinstance(node, ast.ImportFrom) and node.module in names:
                deps.add(node.module)
            elif isinstance(node, ast.Import):
                deps.update(alias.name for alias in node.names if alias.name in names)
        graph[name] = deps

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for dep in graph[start]:
            if dep == goal or (dep not in seen and (seen.add(dep) or reaches(dep, goal, seen))):
                return True
        return False

    circles = sorted(name for name in graph if reaches(name, name, set()))
    assert circles == [], circles
