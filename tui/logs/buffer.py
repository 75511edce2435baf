"""A bounded store of sanitised log lines, with filtering that keeps up with appends.

`LogBuffer` keeps at most `max_lines` lines and about `max_bytes` of text, whatever
the rate: the oldest lines go first and are counted in `dropped`. Every line gets a
sequence number (`seq`) that never repeats, so views can name lines while the front
of the buffer falls away. A `LineFilter` (streams, plain or regex include/exclude)
gives the list of visible lines; appends only test the new lines against it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable, Iterator

from rich.style import Style
from rich.text import Text

from tui.engine.types import LogChunk, LogStream
from tui.logs.sanitize import MAX_CELLS, SGRState, sanitize_line, split_lines, text_cells

__all__ = ["LineFilter", "LogBuffer", "LogLine", "compile_query"]

MARKER_STYLE = Style(bold=True)
_LINE_OVERHEAD = 160  # bytes a LogLine costs besides its text, roughly


@dataclass(slots=True, eq=False)
class LogLine:
    """One displayed line. `stream` is None for a marker (a separator the UI adds)."""

    stream: LogStream | None
    text: Text
    timestamp: datetime | None = None
    raw_len: int = 0
    container: str | None = None
    seq: int = -1  # set by the buffer
    cells: int = field(default=-1)

    def __post_init__(self) -> None:
        if self.cells < 0:
            self.cells = text_cells(self.text.plain)

    @property
    def plain(self) -> str:
        return self.text.plain

    @property
    def is_marker(self) -> bool:
        return self.stream is None

    @classmethod
    def marker(cls, message: str, timestamp: datetime | None = None, container: str | None = None) -> LogLine:
        """A separator line (`── restarted at 12:00:03 ──`); `message` is shown literally."""
        text = Text(f"\u2500\u2500 {message} \u2500\u2500", style=MARKER_STYLE, end="", no_wrap=True)
        # The message is ours, but may quote container text: never pass controls on.
        text = sanitize_line(text.plain)
        text.stylize(MARKER_STYLE)
        return cls(None, text, timestamp, len(message), container)


def compile_query(query: str, *, regex: bool = False, case: bool = False) -> re.Pattern[str]:
    """A pattern for search and filter; plain queries are escaped. Raises `re.error` on a bad regex."""
    return re.compile(query if regex else re.escape(query), 0 if case else re.IGNORECASE)


@dataclass(frozen=True)
class LineFilter:
    """Which lines to show: a stream subset and/or lines that match (or, inverted, don't) a query.

    Markers always show: they say where a restart happened whatever the filter.
    """

    query: str = ""
    regex: bool = False
    case: bool = False
    invert: bool = False  # hide matching lines instead of showing only them
    streams: frozenset[LogStream] | None = None  # None: both
    pattern: re.Pattern[str] | None = field(default=None, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.query:
            object.__setattr__(self, "pattern", compile_query(self.query, regex=self.regex, case=self.case))

    @property
    def is_trivial(self) -> bool:
        """True when it lets every line through."""
        return self.pattern is None and (self.streams is None or set(LogStream) <= self.streams)

    def matches(self, line: LogLine) -> bool:
        if line.stream is None:
            return True
        if self.streams is not None and line.stream not in self.streams:
            return False
        if self.pattern is None:
            return True
        found = self.pattern.search(line.text.plain) is not None
        return found != self.invert


class LogBuffer:
    """At most `max_lines` lines (and about `max_bytes` of text), oldest dropped first."""

    def __init__(self, max_lines: int = 50_000, *, max_bytes: int = 64 << 20, max_cells: int = MAX_CELLS) -> None:
        if max_lines < 1:
            raise ValueError("max_lines must be at least 1")
        self.max_lines = max_lines
        self.max_bytes = max_bytes
        self.max_cells = max_cells
        self.lines: deque[LogLine] = deque(maxlen=max_lines)
        self.appended = 0  # lines ever appended
        self.dropped = 0  # lines that fell off the front
        self.visible_dropped = 0  # of those, lines that were visible under the filter of the time
        self.bytes = 0
        self._next_seq = 0
        self._filter: LineFilter | None = None
        # Visible seqs when a filter is set: a list read from `_head` on, compacted now and then,
        # so dropping from the front is O(1) amortised and indexing is O(1).
        self._visible: list[int] = []
        self._head = 0

    # -- appending ---------------------------------------------------------------------

    def append(self, line: LogLine) -> LogLine:
        """Add one line (its `seq` is set here); drops the oldest lines when over a bound."""
        line.seq = self._next_seq
        self._next_seq += 1
        self.appended += 1
        cost = _cost(line)
        while self.lines and (len(self.lines) >= self.max_lines or self.bytes + cost > self.max_bytes):
            self._drop_first()
        self.lines.append(line)
        self.bytes += cost
        if self._filter is not None and self._filter.matches(line):
            self._visible.append(line.seq)
        return line

    def append_chunks(self, chunks: Iterable[LogChunk], container: str | None = None) -> int:
        """Sanitise and add every line of `chunks`; returns how many lines were added."""
        added = 0
        for chunk in chunks:
            state = SGRState()
            for raw in split_lines(chunk.data):
                text = sanitize_line(raw, max_cells=self.max_cells, state=state)
                self.append(LogLine(chunk.stream, text, chunk.timestamp, len(raw), container))
                added += 1
        return added

    def append_marker(self, message: str, timestamp: datetime | None = None,
                      container: str | None = None) -> LogLine:
        return self.append(LogLine.marker(message, timestamp, container))

    def clear(self) -> None:
        """Forget every line (counters of appended and dropped lines stay)."""
        self.dropped += len(self.lines)
        self.visible_dropped += self.visible_count
        self.lines.clear()
        self.bytes = 0
        self._visible.clear()
        self._head = 0

    def _drop_first(self) -> None:
        old = self.lines.popleft()
        self.bytes -= _cost(old)
        self.dropped += 1
        if self._filter is None:
            self.visible_dropped += 1
        elif self._head < len(self._visible) and self._visible[self._head] == old.seq:
            self._head += 1
            self.visible_dropped += 1
            if self._head > 1024 and self._head * 2 > len(self._visible):
                del self._visible[:self._head]
                self._head = 0

    # -- reading -----------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.lines)

    def __iter__(self) -> Iterator[LogLine]:
        return iter(self.lines)

    @property
    def first_seq(self) -> int:
        """The seq of the oldest line kept (the next seq when empty)."""
        return self.lines[0].seq if self.lines else self._next_seq

    def by_seq(self, seq: int) -> LogLine | None:
        index = seq - self.first_seq
        if 0 <= index < len(self.lines):
            return self.lines[index]
        return None

    # -- filtering ---------------------------------------------------------------------

    @property
    def filter(self) -> LineFilter | None:
        return self._filter

    def set_filter(self, line_filter: LineFilter | None) -> None:
        """Show only what `line_filter` lets through (None or a trivial filter: everything)."""
        if line_filter is not None and line_filter.is_trivial:
            line_filter = None
        self._filter = line_filter
        self._head = 0
        if line_filter is None:
            self._visible = []
        else:
            matches = line_filter.matches
            self._visible = [line.seq for line in self.lines if matches(line)]

    @property
    def visible_count(self) -> int:
        if self._filter is None:
            return len(self.lines)
        return len(self._visible) - self._head

    def visible(self, index: int) -> LogLine:
        """The `index`-th visible line (0 is the oldest); IndexError past the end."""
        if self._filter is None:
            if index < 0:
                raise IndexError(index)
            return self.lines[index]
        if not 0 <= index < len(self._visible) - self._head:
            raise IndexError(index)
        return self.lines[self._visible[self._head + index] - self.first_seq]

    def visible_seq(self, index: int) -> int:
        if self._filter is None:
            return self.first_seq + index
        return self._visible[self._head + index]

    def visible_index(self, seq: int) -> int:
        """Index among visible lines of the first visible line with a seq >= `seq`."""
        if self._filter is None:
            return max(seq - self.first_seq, 0)
        return bisect_left(self._visible, seq, self._head) - self._head

    def iter_visible(self, start: int = 0) -> Iterator[LogLine]:
        """Visible lines from index `start` on, oldest first."""
        if self._filter is None:
            for i in range(start, len(self.lines)):
                yield self.lines[i]
            return
        first = self.first_seq
        for k in range(self._head + start, len(self._visible)):
            yield self.lines[self._visible[k] - first]


def _cost(line: LogLine) -> int:
    return _LINE_OVERHEAD + len(line.text.plain) + 48 * len(line.text.spans)
