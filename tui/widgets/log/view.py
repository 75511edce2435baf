"""`LogView`: a container's log, fast and safe, on the Line API.

The parent feeds `LogBatch`es (`add_batch`) or chunks (`add_chunks`); they are
only queued (`tui.logs.ingest.IngestQueue`), and taken in on a one-shot timer within a
budget: sanitised (`tui.logs.sanitize`) and stored in a bounded `LogBuffer`. What
arrives faster than that is skipped, oldest first, and counted in `skipped`. The timer
runs at 20 Hz, 10 Hz for a stream that keeps making the view redraw every row, and
4 Hz while lines are being skipped; it is re-armed only while data waits, so an idle
view costs nothing.

The view composes plain objects that own their state: the buffer, the ingest queue,
the row map (`tui.logs.rows.RowMap`: where each line sits, wrapped or not) and the
search index (`tui.logs.search.SearchIndex`), none of which knows of Textual; and the
parts bound to the screen: `RowPainter` (drawing, `tui.widgets.log.draw`),
`FollowPlacer` (placing the view after new lines, `tui.widgets.log.follow`) and
`MouseSelection` (`tui.widgets.log.select`). The widget routes input and messages.

Only the rows on screen are rendered, from cached `Strip`s. Stderr lines carry a red
gutter mark and a tint.

Follow mode keeps the newest line in view: new lines go into the blank rows below it,
and when those run out the view jumps a quarter of its height (a batch that big ends at
the bottom), so a new line costs the terminal a row, not a redraw of every row
(`tui.widgets.log.follow`). Scrolling up turns it off and
`pending` counts lines that arrive meanwhile; `follow()` (or scrolling back to the
bottom) turns it on again. Changes are reported with `LogView.FollowChanged`,
counters with `LogView.Stats`, search state with `LogView.SearchChanged`.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from datetime import datetime, tzinfo
from typing import Iterable, Iterator

from rich.style import Style
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from tui.engine.types import LogBatch, LogChunk, LogStream
from tui.logs.buffer import LineFilter, LogBuffer, LogLine
from tui.logs.ingest import CARRY_SECONDS, IngestQueue
from tui.logs.rows import RowMap
from tui.logs.search import SearchIndex
from tui.widgets.log.draw import GUTTER_MARKER, GUTTER_STDERR, TIMESTAMP_WIDTH, RowPainter, container_style  # noqa: F401
from tui.widgets.log.follow import FollowPlacer
from tui.widgets.log.select import MouseSelection, Point

__all__ = ["LogView"]

# While lines are being skipped each draw is sure to be stale soon after, and every millisecond
# the loop spends drawing is one it is not reading: draw 4 times a second.
BEHIND_SLOWDOWN = 2.5


class _ViewMessage(Message):
    def __init__(self, log_view: LogView) -> None:
        super().__init__()
        self.log_view = log_view

    @property
    def control(self) -> LogView:
        return self.log_view


class LogView(ScrollView, can_focus=True):
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
    ALLOW_SELECT = False  # the screen's drag logic stays off: see `tui.widgets.log.select`
    show_timestamps: reactive[bool] = reactive(False, init=False)
    wrap: reactive[bool] = reactive(False, init=False)

    class FollowChanged(_ViewMessage):
        """Following turned on or off, or the count of lines waiting below changed."""

        def __init__(self, log_view: LogView, following: bool, pending: int) -> None:
            super().__init__(log_view)
            self.following = following
            self.pending = pending

    class Stats(_ViewMessage):
        """Counters after a batch: lines kept/visible, ever appended, dropped (bound) and skipped (rate)."""

        def __init__(self, log_view: LogView, *, lines: int, visible: int, appended: int, dropped: int,
                     skipped: int) -> None:
            super().__init__(log_view)
            self.lines, self.visible, self.appended = lines, visible, appended
            self.dropped, self.skipped = dropped, skipped

    class SearchChanged(_ViewMessage):
        """Search results: `matches` lines match; `current` is the 1-based current one (0: none)."""

        def __init__(self, log_view: LogView, query: str, matches: int, current: int) -> None:
            super().__init__(log_view)
            self.query, self.matches, self.current = query, matches, current

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
        # Lines queued beyond what the buffer keeps could never be seen (the default backlog).
        self.ingest = IngestQueue(self.buffer, max_backlog=max_backlog, max_lag=max_lag,
                                  max_queued_bytes=max_queued_bytes)
        self.rows = RowMap(self.buffer)
        self.finder = SearchIndex(self.buffer)
        self.painter = RowPainter(self)
        self.placer = FollowPlacer(self)
        self.selection = MouseSelection(self)
        self.max_lines_per_tick = max_lines_per_tick
        self.tick = tick
        self.tick_budget = tick_budget
        self.steady_tick = 0.1
        self.timestamp_tz = timestamp_tz  # None: local time
        self.container_width = 0  # a merged view shows each line's container in a column this wide
        self.container_styles: dict[str, Style] = {}
        self.stale = False
        """Content changed while not on screen (repainted when shown)."""
        self._drain_timer = None
        self._carry_timer = None
        self._last_drain = 0.0
        self._programmatic = 0  # >0 while this class scrolls (not the user)
        self._filter: LineFilter = LineFilter()

    # -- what it holds ----------------------------------------------------------------------

    @property
    def line_count(self) -> int:
        """Lines kept (before filtering)."""
        return len(self.buffer)

    @property
    def visible_count(self) -> int:
        """Lines that pass the filter."""
        return self.buffer.visible_count

    @property
    def skipped(self) -> int:
        """Lines never shown because they arrived faster than the view takes them."""
        return self.ingest.skipped

    @property
    def queued_lines(self) -> int:
        """Frames waiting for a tick (about one line each)."""
        return self.ingest.queued_lines

    @property
    def max_lag(self) -> float:
        """Seconds a line may wait in the queue before it is skipped (`IngestQueue.max_lag`)."""
        return self.ingest.max_lag

    @max_lag.setter
    def max_lag(self, seconds: float) -> None:
        self.ingest.max_lag = seconds

    # -- feeding ------------------------------------------------------------------------

    def add_batch(self, batch: LogBatch, container: str | None = None) -> None:
        """Queue a batch for the next tick. Cheap: nothing is decoded or drawn here."""
        self.ingest.add_batch(batch, container)
        self._schedule()

    def add_chunks(self, chunks: Iterable[LogChunk], container: str | None = None) -> None:
        """Queue parsed chunks (history loads, tests)."""
        self.ingest.add_chunks(chunks, container)
        self._schedule()

    def add_marker(self, message: str, timestamp: datetime | None = None, container: str | None = None) -> None:
        """Add a separator line (`restarted at …`) after whatever is queued; `message` shows literally."""
        self.ingest.add_marker(message, timestamp, container)
        self._schedule()

    def clear(self) -> None:
        """Forget all lines, anything queued or waiting for the rest of its line, skips and the selection."""
        self.ingest.clear()
        self.buffer.clear()
        self._rebuild()
        self.clear_selection()

    def on_mount(self) -> None:
        super().on_mount()
        self._schedule()

    def _schedule(self) -> None:
        if self._drain_timer is None and self.is_mounted and self.ingest:
            # A stream that makes the view jump (every row redrawn) is drawn 10 times a second; lines
            # that fit in the blank rows below the newest cost a row each and show within `tick`.
            steady = self.placer.repainted and time.monotonic() - self._last_drain < 3 * self.tick
            delay = max(self.tick, self.steady_tick) if steady else self.tick
            if self.ingest.behind:
                delay *= BEHIND_SLOWDOWN
            self._drain_timer = self.set_timer(delay, self._on_tick, name="log-view-drain")

    def _on_tick(self) -> None:
        self._drain_timer = None
        self._last_drain = time.monotonic()
        self._drain()

    def _drain(self) -> None:
        """Move queued lines (oldest first, within the budgets) into the buffer, then redraw once."""
        if not self.ingest:
            return
        before = self.buffer.visible_dropped
        self.ingest.drain(self.max_lines_per_tick, self.tick_budget)
        self._arm_carry()
        self._after_append(before)
        self._schedule()

    def _arm_carry(self) -> None:
        if self._carry_timer is None and self.ingest.has_open_lines:
            self._carry_timer = self.set_timer(CARRY_SECONDS, self._flush_carry)

    def _flush_carry(self) -> None:
        """Lines left open longer than CARRY_SECONDS show as they are (a prompt, a stalled writer)."""
        self._carry_timer = None
        before = self.buffer.visible_dropped
        if self.ingest.flush_carry(CARRY_SECONDS):
            self._after_append(before)
        self._arm_carry()

    def _after_append(self, visible_dropped_before: int) -> None:
        """Bring rows, search, scrolling and counters up to date after lines were appended."""
        buffer, rows, finder = self.buffer, self.rows, self.finder
        dropped = buffer.visible_dropped - visible_dropped_before
        dropped_rows = 0
        if dropped:
            # Rows of the lines that fell off the front (to keep a paused view still).
            dropped_rows = rows.drop(dropped)
            finder.drop_before(buffer.first_seq)
        old_rows = rows.known_rows
        new = rows.new_lines()
        if new:
            rows.extend(new)
            finder.extend(new)
            if not self.following:
                self.pending += len(new)
        self.placer.show_appended(min(old_rows, rows.rows), dropped_rows)
        if finder.active and (new or dropped):
            self._post_search()
        self.post_message(self.Stats(self, lines=len(buffer), visible=buffer.visible_count,
                                     appended=buffer.appended, dropped=buffer.dropped, skipped=self.skipped))

    # -- geometry ---------------------------------------------------------------------------

    @property
    def prefix_width(self) -> int:
        """Cells before a line's text: the gutter mark, then the timestamp and container columns if shown."""
        width = 1 + (TIMESTAMP_WIDTH if self.show_timestamps else 0)
        return width + (self.container_width + 1 if self.container_width else 0)

    def content_width(self) -> int:
        return max(1, self.scrollable_content_region.width - self.prefix_width)

    def _rebuild(self) -> None:
        """Recompute the row map, widths and matches from the buffer (after a filter or mode change)."""
        self.painter.clear()
        self.rows.rebuild(wrap=self.wrap, width=self.content_width() if self.wrap else -1)
        self.placer.pad = 0
        self.finder.rebuild()
        self.placer.update_virtual_size()

    def on_resize(self) -> None:
        if self.wrap and self.content_width() != self.rows.width:
            anchor = self._top_seq()
            self._rebuild()
            self._restore(anchor)
        self.painter.clear()
        if self.following:
            self.call_after_refresh(self._scroll_end)

    def render_line(self, y: int) -> Strip:
        return self.painter.render_line(y)

    # -- scrolling and following ---------------------------------------------------------

    @contextmanager
    def scrolling(self) -> Iterator[None]:
        """A context in which the view scrolls itself (following stays as it is)."""
        self._programmatic += 1
        try:
            yield
        finally:
            self._programmatic -= 1

    def _scroll_end(self) -> None:
        if self.placer.pad:  # asked for the end: the newest line at the bottom
            self.placer.pad = 0
            self.placer.update_virtual_size()
        with self.scrolling():
            self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True, force=True)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self.selection.dragging:
            # The view scrolled (the wheel) during a drag: the pointer is over other text now.
            self.selection.drag_to_pointer()
            return  # following stays paused while a drag selects (even at the bottom)
        if self._programmatic:
            return
        at_end = round(new_value) >= self.max_scroll_y
        if self.following and new_value < old_value and not at_end:
            self.following = False
        elif not self.following and at_end and new_value > old_value:
            self.following = True  # the user scrolled back down to the newest line

    def watch_following(self, following: bool) -> None:
        if following:
            self.selection.paused_follow = False  # the user (or the selection ending) took following back
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
        self.container_styles = {name: container_style(i) for i, name in enumerate(names)}
        self.clear_selection()  # its character offsets count the columns before the text
        if width != self.container_width:
            self.container_width = width
            self._rebuild()
        self.painter.clear()
        self.refresh()

    def action_toggle_timestamps(self) -> None:
        self.show_timestamps = not self.show_timestamps

    def action_toggle_wrap(self) -> None:
        self.wrap = not self.wrap

    def _top_seq(self) -> int | None:
        located = self.rows.locate(round(self.scroll_y))
        return None if located is None else self.buffer.visible_seq(located[0])

    def _restore(self, seq: int | None) -> None:
        """Scroll so the line `seq` (or the first after it) is at the top, unless following."""
        if self.following:
            self._scroll_end()
        elif seq is not None:
            with self.scrolling():
                self.scroll_to(y=self.rows.row_of(self.buffer.visible_index(seq)), animate=False, immediate=True,
                               force=True)

    def watch_show_timestamps(self) -> None:
        self.clear_selection()  # its character offsets count the timestamp column
        anchor = self._top_seq()
        self._rebuild()
        self._restore(anchor)
        self.refresh()

    def watch_wrap(self, wrap: bool) -> None:
        self.styles.overflow_x = "hidden" if wrap else "auto"
        # The top line, looked up in the row map of the mode we are leaving.
        located = self.rows.locate(round(self.scroll_y), wrap=not wrap)
        anchor = None if located is None else self.buffer.visible_seq(located[0])
        self.scroll_x = 0
        self._rebuild()
        self._restore(anchor)
        self.refresh()

    def refresh_if_shown(self) -> None:
        if self.is_on_screen and self.display:
            self.refresh()
        else:
            self.stale = True

    def on_show(self) -> None:
        if self.stale:
            self.stale = False
            self.painter.clear()
            if self.following:
                self.call_after_refresh(self._scroll_end)
            self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.painter.clear()

    # -- filter and search ----------------------------------------------------------------

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
        # The filter hides lines in the buffer; the row map is rebuilt with the top line kept in place.
        anchor = self._top_seq()
        self._filter = line_filter
        self.buffer.set_filter(line_filter)
        self._rebuild()
        self._restore(anchor)
        if self.finder.active:
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
        count = self.finder.search(query, regex=regex, case=case)
        self.painter.clear()
        self._post_search()
        self.refresh()
        return count

    def clear_search(self) -> None:
        self.finder.clear()
        self.painter.clear()
        self.post_message(self.SearchChanged(self, "", 0, 0))
        self.refresh()

    @property
    def match_count(self) -> int:
        return len(self.finder.matches)

    @property
    def current_match(self) -> LogLine | None:
        """The line of the current match, if any."""
        current = self.finder.current
        return None if current is None else self.buffer.by_seq(current)

    def next_match(self) -> bool:
        """Move to the next line that matches (after the current one, or from the top of the view)."""
        seq = self.finder.next_seq(None if self.finder.current is not None else self._top_seq())
        if seq is None:
            return False
        self._goto(seq)
        return True

    def prev_match(self) -> bool:
        """Move to the previous line that matches (before the current one, or from the bottom of the view)."""
        bottom = None
        if self.finder.current is None:
            located = self.rows.locate(round(self.scroll_y) + self.scrollable_content_region.height - 1)
            bottom = self.buffer.visible_seq(located[0]) if located else None
        seq = self.finder.prev_seq(bottom)
        if seq is None:
            return False
        self._goto(seq)
        return True

    def _goto(self, seq: int) -> None:
        self.finder.current = seq
        self.painter.clear()
        if self.following:
            with self.scrolling():
                self.following = False
        row = self.rows.row_of(self.buffer.visible_index(seq))
        height = self.scrollable_content_region.height
        top = round(self.scroll_y)
        if not top <= row < top + height:
            with self.scrolling():
                self.scroll_to(y=max(0, row - height // 2), animate=False, immediate=True, force=True)
        self._post_search()
        self.refresh()

    def _post_search(self) -> None:
        finder = self.finder
        self.post_message(self.SearchChanged(self, finder.query, len(finder.matches), finder.position))

    # -- the mouse selection (`tui.widgets.log.select`) -----------------------------------

    def copy_text(self, line: LogLine) -> str:
        """What copying all of `line` gives: the columns shown before it, then its text."""
        return self.selection.copy_text(line)

    @property
    def has_selection(self) -> bool:
        return self.selection.active

    def selected_lines(self) -> list[str]:
        """The selected text, one string per line (empty when nothing is selected)."""
        return self.selection.lines_between(self.selection.bounds)

    def lines_to_copy(self) -> tuple[list[str], str]:
        """What `y` copies and what to call it: the selection, else the current search match when it is
        on screen, else the line at the bottom of the view (the newest one while following)."""
        return self.selection.lines_to_copy()

    def select_lines(self, first: Point, last: Point) -> None:
        """Select from `first` to `last`, both (seq, character) and included, in either order."""
        self.selection.select(first, last)

    def clear_selection(self) -> None:
        """Forget the selection (resuming following if the selection paused it)."""
        self.selection.clear()

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        lines = self.selection.lines_between(self.selection.resolve(selection))
        return ("\n".join(lines), "\n") if lines else None

    def selection_updated(self, selection: Selection | None) -> None:
        self.selection.update(selection)

    def key_escape(self, event: events.Key) -> bool:
        # Before the screen's own escape (which drops every selection) and the keys' bindings
        # (escape leaves the pane): with a selection, escape only drops the selection.
        if not self.selection.active:
            return False
        event.stop()
        event.prevent_default()
        self.clear_selection()
        return True

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self.selection.mouse_down(event)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self.selection.mouse_move(event)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        self.selection.mouse_up(event)

    def on_click(self, event: events.Click) -> None:
        self.selection.click(event)
