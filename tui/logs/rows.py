"""Where each visible line of a `LogBuffer` sits in a view's rows, with and without wrapping.

Without wrapping one visible line is one row. Wrapped at `width` cells a line takes
`ceil(cells / width)` rows (at least one), and `RowMap` keeps the cumulative row
counts of the visible lines, read from `_head` on (the same trick as the buffer's
visible list: dropping lines off the front is O(1) amortised), so a virtual row turns
into (line, row within it) by bisection and back by a lookup. It also keeps the widest
line, for the horizontal extent. Nothing here knows of a screen: the widget says when
lines were appended or dropped and asks where rows are.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Sequence

from tui.logs.buffer import LogBuffer, LogLine

__all__ = ["RowMap"]

_COMPACT_AFTER = 4096  # dropped entries kept at the front of the cumulative list before it is compacted


class RowMap:
    """The rows of `buffer`'s visible lines (see the module docstring)."""

    def __init__(self, buffer: LogBuffer) -> None:
        self.buffer = buffer
        self.wrap = False
        self.width = -1
        """Cells per row the wrap counts were made for (-1: not wrapping)."""
        self.max_cells = 0
        """The widest visible line seen since the last rebuild."""
        self.known = 0
        """Visible lines the map has taken in (the newer ones are still to be `extend`ed)."""
        self._cum: list[int] = [0]
        self._head = 0

    def rebuild(self, *, wrap: bool, width: int) -> None:
        """Recompute everything from the buffer (after a filter, mode or width change)."""
        buffer = self.buffer
        self.wrap = wrap
        self.known = buffer.visible_count
        self.max_cells = max((line.cells for line in buffer.iter_visible()), default=0)
        self._head = 0
        self._cum = [0]
        self.width = -1
        if wrap:
            self.width = width = max(1, width)
            cum, total = self._cum, 0
            for line in buffer.iter_visible():
                total += max(1, -(-line.cells // width))
                cum.append(total)

    def drop(self, count: int) -> int:
        """`count` visible lines fell off the front; returns the rows they took."""
        if not count:
            return 0
        self.known = max(0, self.known - count)
        if not self.wrap:
            return count
        cum = self._cum
        new_head = min(self._head + count, len(cum) - 1)
        rows = cum[new_head] - cum[self._head]
        self._head = new_head
        if new_head > _COMPACT_AFTER and new_head * 2 > len(cum):
            del cum[:new_head]
            self._head = 0
        return rows

    def new_lines(self) -> Sequence[LogLine]:
        """The visible lines appended since the map last took lines in (oldest first)."""
        buffer = self.buffer
        total = buffer.visible_count
        count = max(0, min(total - self.known, total))
        return list(buffer.iter_visible(total - count)) if count else ()

    def extend(self, lines: Sequence[LogLine]) -> None:
        """Take in `lines`, the newest visible lines (from `new_lines`)."""
        self.known += len(lines)
        max_cells = self.max_cells
        if self.wrap:
            cum, width = self._cum, self.width
            for line in lines:
                cells = line.cells
                if cells > max_cells:
                    max_cells = cells
                cum.append(cum[-1] + (max(1, -(-cells // width))))
        else:
            for line in lines:
                if line.cells > max_cells:
                    max_cells = line.cells
        self.max_cells = max_cells

    @property
    def known_rows(self) -> int:
        """Rows of the lines the map has taken in (before an `extend`: the rows that were there)."""
        if self.wrap:
            return self._cum[-1] - self._cum[self._head]
        return self.known

    @property
    def rows(self) -> int:
        """Rows the visible lines take."""
        if self.wrap:
            return self._cum[-1] - self._cum[self._head]
        return self.buffer.visible_count

    def locate(self, row: int, *, wrap: bool | None = None) -> tuple[int, int] | None:
        """(visible line index, row within that line) for a row, or None past the end.

        `wrap` False reads the rows as one per line whatever the map holds (a view that
        just turned wrapping on asks where its top line was)."""
        if row < 0:
            return None
        if not (self.wrap if wrap is None else wrap):
            return (row, 0) if row < self.buffer.visible_count else None
        cum, head = self._cum, self._head
        base = cum[head]
        k = bisect_right(cum, base + row, head) - 1 - head
        if k >= len(cum) - 1 - head:
            return None
        return k, row - (cum[head + k] - base)

    def row_of(self, index: int) -> int:
        """The first row of the `index`-th visible line."""
        if not self.wrap:
            return index
        return self._cum[self._head + index] - self._cum[self._head]
