"""Filtering and search for `LogView`: which lines show, and which ones match.

`LogSearch` is a mixin for `tui.widgets.log_view.LogView` (it relies on the state
that class's `__init__` sets up: `buffer`, `_filter`, `_search`, `_search_query`,
`_matches`, `_current`, and on its row map and scrolling helpers). The filter
hides lines in the buffer and rebuilds the row map, keeping the top line in
place; the search only highlights, keeping the seqs of matching visible lines
sorted (`_matches`) so next/previous are bisections.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING, Iterable

from tui.engine.types import LogStream
from tui.logs.buffer import LineFilter, LogLine, compile_query

if TYPE_CHECKING:
    from textual.scroll_view import ScrollView as _Base
else:
    _Base = object


class LogSearch(_Base):
    """Filter and search of `LogView` (see the module docstring)."""

    def set_filter(self, query: str = "", *, regex: bool = False, case: bool = False, invert: bool = False,
                   streams: Iterable[LogStream] | None = None) -> None:
        """Show only lines matching `query` (or, with `invert`, hide them), from `streams` only.

        Raises `re.error` for a bad regex (the current filter then stays).
        """
        line_filter = LineFilter(query, regex, case, invert, None if streams is None else frozenset(streams))
        self._apply_filter(line_filter)

    def set_streams(self, streams: Iterable[LogStream] | None) -> None:
        """Show stdout only, stderr only, or (None) both; the text filter stays."""
        f = self._filter
        self._apply_filter(LineFilter(f.query, f.regex, f.case, f.invert,
                                      None if streams is None else frozenset(streams)))

    @property
    def line_filter(self) -> LineFilter:
        return self._filter

    def _apply_filter(self, line_filter: LineFilter) -> None:
        anchor = self._top_seq()
        self._filter = line_filter
        self.buffer.set_filter(line_filter)
        self._rebuild()
        self._restore(anchor)
        if self._search is not None:
            self._post_search()
        self.refresh()

    def search(self, query: str, *, regex: bool = False, case: bool = False) -> int:
        """Highlight `query` in the lines; returns how many visible lines match.

        An empty query clears the search. Raises `re.error` for a bad regex.
        Lines still queued are matched when they arrive.
        """
        if not query:
            self.clear_search()
            return 0
        self._search = compile_query(query, regex=regex, case=case)
        self._search_query = query
        self._current = None
        pattern = self._search
        self._matches = [line.seq for line in self.buffer.iter_visible() if pattern.search(line.text.plain)]
        self._cache.clear()
        self._post_search()
        self.refresh()
        return len(self._matches)

    def clear_search(self) -> None:
        self._search, self._search_query, self._matches, self._current = None, "", [], None
        self._cache.clear()
        self.post_message(self.SearchChanged(self, "", 0, 0))
        self.refresh()

    @property
    def match_count(self) -> int:
        return len(self._matches)

    @property
    def current_match(self) -> LogLine | None:
        """The line of the current match, if any."""
        return None if self._current is None else self.buffer.by_seq(self._current)

    def next_match(self) -> bool:
        """Move to the next line that matches (after the current one, or from the top of the view)."""
        if not self._matches:
            return False
        if self._current is not None:
            index = bisect_right(self._matches, self._current)
        else:
            top = self._top_seq()
            index = bisect_left(self._matches, top if top is not None else 0)
        self._goto(self._matches[index % len(self._matches)])
        return True

    def prev_match(self) -> bool:
        """Move to the previous line that matches (before the current one, or from the bottom of the view)."""
        if not self._matches:
            return False
        if self._current is not None:
            index = bisect_left(self._matches, self._current) - 1
        else:
            located = self._locate(round(self.scroll_y) + self.scrollable_content_region.height - 1)
            bottom = self.buffer.visible_seq(located[0]) if located else self._matches[-1]
            index = bisect_right(self._matches, bottom) - 1
        self._goto(self._matches[index % len(self._matches)])
        return True

    def _goto(self, seq: int) -> None:
        self._current = seq
        self._cache.clear()
        if self.following:
            with self._scrolling():
                self.following = False
        row = self._row_of(self.buffer.visible_index(seq))
        height = self.scrollable_content_region.height
        top = round(self.scroll_y)
        if not top <= row < top + height:
            with self._scrolling():
                self.scroll_to(y=max(0, row - height // 2), animate=False, immediate=True, force=True)
        self._post_search()
        self.refresh()

    def _post_search(self) -> None:
        current = 0
        if self._current is not None:
            index = bisect_left(self._matches, self._current)
            if index < len(self._matches) and self._matches[index] == self._current:
                current = index + 1
        self.post_message(self.SearchChanged(self, self._search_query, len(self._matches), current))
