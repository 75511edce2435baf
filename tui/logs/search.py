"""Search in a `LogBuffer`'s visible lines: which ones match, and which match is the current one.

`SearchIndex` keeps the seqs of the matching visible lines sorted, so next/previous
are bisections and lines dropping off the front cost one slice. New lines are matched
as they are appended (`extend`), so a search stays right while a container writes.
It only knows seqs: where those are on screen is the row map's business.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Iterable

from tui.logs.buffer import LogBuffer, LogLine, compile_query

__all__ = ["SearchIndex"]


class SearchIndex:
    """The search over `buffer`'s visible lines (see the module docstring)."""

    def __init__(self, buffer: LogBuffer) -> None:
        self.buffer = buffer
        self.pattern: re.Pattern[str] | None = None
        self.query = ""
        self.matches: list[int] = []
        """Seqs of the visible lines that match, oldest first."""
        self.current: int | None = None
        """Seq of the current match (None: none chosen yet)."""

    @property
    def active(self) -> bool:
        return self.pattern is not None

    def search(self, query: str, *, regex: bool = False, case: bool = False) -> int:
        """Match `query` against the visible lines; returns how many match. Raises `re.error` for a bad
        regex (the old search then stays). An empty query clears the search."""
        if not query:
            self.clear()
            return 0
        pattern = compile_query(query, regex=regex, case=case)
        self.pattern, self.query, self.current = pattern, query, None
        self.matches = [line.seq for line in self.buffer.iter_visible() if pattern.search(line.text.plain)]
        return len(self.matches)

    def clear(self) -> None:
        self.pattern, self.query, self.matches, self.current = None, "", [], None

    def rebuild(self) -> None:
        """Match again (after the filter changed what is visible); a current match now hidden is dropped."""
        pattern, buffer = self.pattern, self.buffer
        self.matches = [] if pattern is None else [
            line.seq for line in buffer.iter_visible() if pattern.search(line.text.plain)]
        if self.current is not None and buffer.visible_index(self.current) >= buffer.visible_count:
            self.current = None

    def extend(self, lines: Iterable[LogLine]) -> None:
        """Match `lines`, newly appended visible lines (oldest first)."""
        pattern = self.pattern
        if pattern is not None:
            self.matches.extend(line.seq for line in lines if pattern.search(line.text.plain))

    def drop_before(self, first_seq: int) -> None:
        """Lines before `first_seq` left the buffer."""
        matches = self.matches
        if matches and matches[0] < first_seq:
            del matches[:bisect_left(matches, first_seq)]

    def spans(self, plain: str) -> list[tuple[int, int]]:
        """Where the query matches in `plain` (empty matches left out)."""
        pattern = self.pattern
        if pattern is None:
            return []
        return [m.span() for m in pattern.finditer(plain) if m.end() > m.start()]

    def next_seq(self, top: int | None) -> int | None:
        """The match after the current one, or (none current) the first at or after seq `top`; wraps."""
        matches = self.matches
        if not matches:
            return None
        if self.current is not None:
            index = bisect_right(matches, self.current)
        else:
            index = bisect_left(matches, top if top is not None else 0)
        return matches[index % len(matches)]

    def prev_seq(self, bottom: int | None) -> int | None:
        """The match before the current one, or (none current) the last at or before seq `bottom`; wraps."""
        matches = self.matches
        if not matches:
            return None
        if self.current is not None:
            index = bisect_left(matches, self.current) - 1
        else:
            index = bisect_right(matches, matches[-1] if bottom is None else bottom) - 1
        return matches[index % len(matches)]

    @property
    def position(self) -> int:
        """1-based place of the current match among the matches (0: none current, or it is gone)."""
        if self.current is None:
            return 0
        index = bisect_left(self.matches, self.current)
        if index < len(self.matches) and self.matches[index] == self.current:
            return index + 1
        return 0
