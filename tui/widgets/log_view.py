"""`LogView`: a container's log, fast and safe, on the Line API.

The parent feeds `LogBatch`es (`add_batch`) or chunks (`add_chunks`); they are
only queued, and taken in on a timer within a budget (`tui.widgets.log_view_ingest`):
sanitised (`tui.logs.sanitize`) and stored in a bounded `LogBuffer`. What arrives
faster than that is skipped, oldest first, and counted in `skipped`.

Only the rows on screen are rendered (`render_line`), and finished `Strip`s are kept
in an LRU cache that is cleared whenever what a line looks like changes (width in wrap
mode, timestamps, search, theme). Stderr lines carry a red gutter mark and a tint.

Follow mode keeps the newest line at the bottom. Scrolling up turns it off and
`pending` counts lines that arrive meanwhile; `follow()` (or scrolling back to the
bottom) turns it on again. Changes are reported with `LogView.FollowChanged`,
counters with `LogView.Stats`, search state with `LogView.SearchChanged`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from datetime import tzinfo

from rich.style import Style
from textual.cache import LRUCache
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView

from tui.logs.buffer import LineFilter, LogBuffer
from tui.widgets.log_view_rows import GUTTER_MARKER, GUTTER_STDERR, TIMESTAMP_WIDTH, LogRows  # noqa: F401
from tui.widgets.log_view_ingest import LogIngest
from tui.widgets.log_view_search import LogSearch

__all__ = ["LogView"]


class LogView(LogIngest, LogSearch, LogRows, ScrollView, can_focus=True):
    """A scrolling, following, searchable view of log lines (see the module docstring)."""

    COMPONENT_CLASSES = {
        "log-view--stderr",
        "log-view--stderr-gutter",
        "log-view--timestamp",
        "log-view--marker",
        "log-view--match",
        "log-view--match-current",
    }

    DEFAULT_CSS = """
    LogView {
        background: $surface;
        color: $foreground;
        scrollbar-gutter: stable;
    }
    LogView > .log-view--stderr { background: $error 10%; }
    LogView > .log-view--stderr-gutter { color: $error; }
    LogView > .log-view--timestamp { color: $text-muted; }
    LogView > .log-view--marker { color: $warning; text-style: bold; }
    LogView > .log-view--match { background: $warning 45%; }
    LogView > .log-view--match-current { background: $primary; color: $text; text-style: bold underline; }
    """

    following: reactive[bool] = reactive(True, init=False, repaint=False)
    """True while the view keeps the newest line at the bottom."""
    pending: reactive[int] = reactive(0, init=False, repaint=False)
    """Lines that arrived (and pass the filter) since following stopped."""
    skipped: int = 0
    """Lines never shown because they arrived faster than the view takes them. A plain
    attribute, not a reactive: it changes on every batch of a flood, and setting a reactive
    costs more than queuing the batch (the pane learns of it from `Stats`)."""
    show_timestamps: reactive[bool] = reactive(False, init=False)
    wrap: reactive[bool] = reactive(False, init=False)

    class FollowChanged(Message):
        """Following turned on or off, or the count of lines waiting below changed."""

        def __init__(self, log_view: LogView, following: bool, pending: int) -> None:
            super().__init__()
            self.log_view = log_view
            self.following = following
            self.pending = pending

        @property
        def control(self) -> LogView:
            return self.log_view

    class Stats(Message):
        """Counters after a batch: lines kept/visible, ever appended, dropped (bound) and skipped (rate)."""

        def __init__(self, log_view: LogView, *, lines: int, visible: int, appended: int, dropped: int,
                     skipped: int) -> None:
            super().__init__()
            self.log_view = log_view
            self.lines, self.visible, self.appended = lines, visible, appended
            self.dropped, self.skipped = dropped, skipped

        @property
        def control(self) -> LogView:
            return self.log_view

    class SearchChanged(Message):
        """Search results: `matches` lines match; `current` is the 1-based current one (0: none)."""

        def __init__(self, log_view: LogView, query: str, matches: int, current: int) -> None:
            super().__init__()
            self.log_view = log_view
            self.query, self.matches, self.current = query, matches, current

        @property
        def control(self) -> LogView:
            return self.log_view

    def __init__(
        self,
        *,
        max_lines: int = 50_000,
        max_lines_per_tick: int = 2_000,
        max_backlog: int | None = None,
        max_lag: float = 2.0,
        max_queued_bytes: int = 16 << 20,
        tick: float = 1 / 20,
        tick_budget: float = 0.015,
        timestamp_tz: tzinfo | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.buffer = LogBuffer(max_lines)
        self.max_lines_per_tick = max_lines_per_tick
        # Lines queued beyond what the buffer keeps could never be seen.
        self.max_backlog = max_lines if max_backlog is None else max_backlog
        self.max_lag = max_lag
        self.max_queued_bytes = max_queued_bytes
        self.tick = tick
        self.tick_budget = tick_budget
        self.timestamp_tz = timestamp_tz  # None: local time
        self.container_width = 0  # a merged view shows each line's container in a column this wide
        self.container_styles: dict[str, Style] = {}
        self._init_ingest()
        self._cache: LRUCache[tuple, object] = LRUCache(2048)
        self._max_cells = 0
        # Wrap mode: cumulative row counts of visible lines, read from _cum_head on
        # (the same trick as the buffer's visible list), for row <-> line lookups.
        self._cum: list[int] = [0]
        self._cum_head = 0
        self._cum_width = -1
        self._programmatic = 0  # >0 while this class scrolls (not the user)
        self._stale = False  # content changed while not on screen
        self._filter: LineFilter = LineFilter()
        self._search: re.Pattern[str] | None = None
        self._search_query = ""
        self._matches: list[int] = []  # seqs of visible lines that match the search
        self._current: int | None = None  # seq of the current match

    @property
    def line_count(self) -> int:
        """Lines kept (before filtering)."""
        return len(self.buffer)

    @property
    def visible_count(self) -> int:
        """Lines that pass the filter."""
        return self.buffer.visible_count

    def on_mount(self) -> None:
        super().on_mount()
        self._schedule()

    def _after_append(self, visible_dropped_before: int) -> None:
        """Bring rows, search, scrolling and counters up to date after lines were appended."""
        buffer = self.buffer
        dropped = buffer.visible_dropped - visible_dropped_before
        # Rows of the lines that fell off the front (to keep a paused view still).
        dropped_rows = 0
        if dropped:
            if self.wrap:
                new_head = min(self._cum_head + dropped, len(self._cum) - 1)
                dropped_rows = self._cum[new_head] - self._cum[self._cum_head]
                self._cum_head = new_head
                if self._cum_head > 4096 and self._cum_head * 2 > len(self._cum):
                    del self._cum[:self._cum_head]
                    self._cum_head = 0
            else:
                dropped_rows = dropped
            first = buffer.first_seq
            if self._matches and self._matches[0] < first:
                del self._matches[:bisect_left(self._matches, first)]
        # New visible lines are the last ones not yet counted in the row map.
        known = (len(self._cum) - 1 - self._cum_head) if self.wrap else None
        total = buffer.visible_count
        if self.wrap:
            new_count = total - known
            width = self._cum_width
        else:
            new_count = total - (self._last_visible_count - dropped)
        self._last_visible_count = total
        new_count = max(0, min(new_count, total))
        if new_count:
            cum, pattern, matches = self._cum, self._search, self._matches
            max_cells = self._max_cells
            for line in buffer.iter_visible(total - new_count):
                if line.cells > max_cells:
                    max_cells = line.cells
                if self.wrap:
                    cum.append(cum[-1] + (max(1, -(-line.cells // width))))
                if pattern is not None and pattern.search(line.text.plain):
                    matches.append(line.seq)
            self._max_cells = max_cells
        self._update_virtual_size()
        if self.following:
            self._scroll_end()
        else:
            if new_count:
                self.pending += new_count
            if dropped_rows:
                with self._scrolling():
                    self.set_scroll(None, max(0, self.scroll_y - dropped_rows))
        if self._search is not None and (new_count or dropped):
            self._post_search()
        self._refresh_if_shown()
        self.post_message(self.Stats(self, lines=len(buffer), visible=total, appended=buffer.appended,
                                     dropped=buffer.dropped, skipped=self.skipped))

    _last_visible_count = 0

    # -- geometry (the row map and drawing live in `tui.widgets.log_view_rows`) --------

    def on_resize(self) -> None:
        if self.wrap and self._content_width() != self._cum_width:
            anchor = self._top_seq()
            self._rebuild()
            self._restore(anchor)
        self._cache.clear()
        if self.following:
            self.call_after_refresh(self._scroll_end)

    # -- scrolling and following ---------------------------------------------------------

    class _Scrolling:
        def __init__(self, view: LogView) -> None:
            self.view = view

        def __enter__(self) -> None:
            self.view._programmatic += 1

        def __exit__(self, *exc: object) -> None:
            self.view._programmatic -= 1

    def _scrolling(self) -> LogView._Scrolling:
        return self._Scrolling(self)

    def _scroll_end(self) -> None:
        with self._scrolling():
            self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True, force=True)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self._programmatic:
            return
        at_end = round(new_value) >= self.max_scroll_y
        if self.following and new_value < old_value and not at_end:
            self.following = False
        elif not self.following and at_end and new_value > old_value:
            self.following = True  # the user scrolled back down to the newest line

    def watch_following(self, following: bool) -> None:
        if following:
            self.pending = 0
            self._scroll_end()
        self.post_message(self.FollowChanged(self, following, self.pending))

    def watch_pending(self, pending: int) -> None:
        if not self.following:
            self.post_message(self.FollowChanged(self, self.following, pending))

    def follow(self) -> None:
        """Jump to the newest line and keep following."""
        if self.following:
            self._scroll_end()
        else:
            self.following = True

    def action_follow(self) -> None:
        self.follow()

    def action_toggle_follow(self) -> None:
        if self.following:
            self.following = False
        else:
            self.follow()

    def show_containers(self, names: list[str], width: int) -> None:
        """Show each line's container (one of `names`, each its own colour) in a column of `width` cells."""
        from tui.widgets.log_view_rows import container_style

        self.container_styles = {name: container_style(i) for i, name in enumerate(names)}
        if width != self.container_width:
            self.container_width = width
            self._rebuild()
        self._cache.clear()
        self.refresh()

    def action_toggle_timestamps(self) -> None:
        self.show_timestamps = not self.show_timestamps

    def action_toggle_wrap(self) -> None:
        self.wrap = not self.wrap

    def _top_seq(self) -> int | None:
        located = self._locate(round(self.scroll_y))
        return None if located is None else self.buffer.visible_seq(located[0])

    def _restore(self, seq: int | None) -> None:
        """Scroll so the line `seq` (or the first after it) is at the top, unless following."""
        if self.following:
            self._scroll_end()
        elif seq is not None:
            with self._scrolling():
                self.scroll_to(y=self._row_of(self.buffer.visible_index(seq)), animate=False, immediate=True, force=True)

    def watch_show_timestamps(self) -> None:
        anchor = self._top_seq()
        self._rebuild()
        self._restore(anchor)
        self.refresh()

    def watch_wrap(self, wrap: bool) -> None:
        self.styles.overflow_x = "hidden" if wrap else "auto"
        # The top line, looked up in the row map of the mode we are leaving.
        located = self._locate(round(self.scroll_y), wrap=not wrap)
        anchor = None if located is None else self.buffer.visible_seq(located[0])
        self.scroll_x = 0
        self._rebuild()
        self._restore(anchor)
        self.refresh()

    def _refresh_if_shown(self) -> None:
        if self.is_on_screen and self.display:
            self.refresh()
        else:
            self._stale = True

    def on_show(self) -> None:
        if self._stale:
            self._stale = False
            self._cache.clear()
            if self.following:
                self.call_after_refresh(self._scroll_end)
            self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()
