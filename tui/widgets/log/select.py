"""Mouse selection and copy for `LogView`: drag across lines, double-click a word, triple-click a line.

`MouseSelection` belongs to one `tui.widgets.log.view.LogView` (the view routes its
mouse events and Textual's selection hooks here, and reads its row map, buffer and
scroll offset for positions). A selection is anchored to line seqs and to
character offsets into a line's *copy text*: the timestamp and container columns when
they are shown, then the line as stored (sanitised: no escape sequences, no gutter
mark). So it stays on the same text while lines arrive, old ones drop off the front,
and the view scrolls or wraps.

Textual's screen-level selection finds positions through offset metadata on every
segment drawn, in screen rows. Adding that to every row would cost on every line
drawn, and rows move under a following view; so the view takes the mouse itself
(`ALLOW_SELECT = False` keeps the screen's drag logic off it) and publishes the result
in `screen.selections` as Textual's own widgets do. `screen.get_selected_text()`, the
screen's copy action and `selection_updated` work with it, and a selection started
elsewhere (or a click, or escape) clears this one. Offsets in the published
`Selection` are `Offset(x=character, y=seq)`, the end exclusive.

Drawing costs nothing while nothing is selected: the row painter only asks `draw`
for rows while `active`.
"""

from __future__ import annotations

import re
from contextlib import AbstractContextManager
from datetime import tzinfo
from typing import Protocol

from rich.cells import cell_len, get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Offset
from textual.selection import Selection
from textual.strip import Strip

from tui.logs.buffer import LogBuffer, LogLine
from tui.logs.rows import RowMap
from tui.widgets.log.draw import TIMESTAMP_WIDTH, RowPainter, format_time

AUTOSCROLL_INTERVAL = 1 / 20
_WORD = re.compile(r"[\w.:/@%+=~-]+")

Point = tuple[int, int]  # (seq, character)


class _Drag:
    __slots__ = ("anchor", "down_y", "pointer", "moved")

    def __init__(self, anchor: Point, pointer: Offset) -> None:
        self.anchor = anchor
        self.down_y = pointer.y
        self.pointer = pointer
        self.moved = False


def char_at_cell(line: LogLine, cell: int) -> int:
    """The index of the character of `line` drawn at `cell` (its length past the end)."""
    plain = line.plain
    if cell <= 0:
        return 0
    if line.cells == len(plain):  # one cell per character: the common case
        return min(cell, len(plain))
    total = 0
    for index, char in enumerate(plain):
        total += get_character_cell_size(char)
        if total > cell:
            return index
    return len(plain)


def cell_of_char(line: LogLine, index: int) -> int:
    """The first cell of the `index`-th character of `line`."""
    plain = line.plain
    if line.cells == len(plain):
        return index
    return cell_len(plain[:index])


class Selectable(Protocol):
    """What the selection needs of its view: a `LogView`."""

    buffer: LogBuffer
    rows: RowMap
    painter: RowPainter
    following: bool
    wrap: bool
    show_timestamps: bool
    container_width: int
    timestamp_tz: tzinfo | None
    scroll_x: float
    scroll_y: float

    @property
    def prefix_width(self) -> int: ...

    @property
    def current_match(self) -> LogLine | None: ...

    def follow(self) -> None: ...

    def scrolling(self) -> AbstractContextManager[None]: ...

    # and the `Widget` members it works with: app, screen, refresh, capture_mouse, release_mouse,
    # set_interval, scroll_to, max_scroll_y, scrollable_content_region, is_attached
    def __getattr__(self, name: str): ...


class MouseSelection:
    """Mouse selection, its drawing and its text (see the module docstring)."""

    def __init__(self, view: Selectable) -> None:
        self.view = view
        self.bounds: tuple[int, int, int, int] | None = None  # start seq, char, end seq, char (exclusive)
        self.drag: _Drag | None = None
        self.paused_follow = False  # the drag paused following: resume when the selection goes
        self._autoscroll_timer = None

    @property
    def active(self) -> bool:
        return self.bounds is not None

    @property
    def dragging(self) -> bool:
        """A drag has moved: it is selecting."""
        return self.drag is not None and self.drag.moved

    # -- the text a selection covers --------------------------------------------------

    def copy_text(self, line: LogLine) -> str:
        """What copying all of `line` gives: the columns shown before it, then its text."""
        view = self.view
        prefix = ""
        if view.show_timestamps:
            prefix = format_time(line.timestamp, view.timestamp_tz).ljust(TIMESTAMP_WIDTH)
        if view.container_width:
            prefix += (line.container or "")[:view.container_width].ljust(view.container_width) + " "
        return prefix + line.plain

    def lines_between(self, bounds: tuple[int, int, int, int] | None) -> list[str]:
        if bounds is None:
            return []
        start_seq, start_char, end_seq, end_char = bounds
        buffer = self.view.buffer
        out: list[str] = []
        for line in buffer.iter_visible(buffer.visible_index(start_seq)):
            if line.seq > end_seq:
                break
            text = self.copy_text(line)
            out.append(text[start_char if line.seq == start_seq else 0:end_char if line.seq == end_seq else len(text)])
        return out

    def lines_to_copy(self) -> tuple[list[str], str]:
        """What `y` copies and what to call it (see `LogView.lines_to_copy`)."""
        if self.bounds is not None:
            return self.lines_between(self.bounds), "selection"
        view = self.view
        buffer = view.buffer
        total = buffer.visible_count
        if not total:
            return [], ""
        top = round(view.scroll_y)
        height = view.scrollable_content_region.height
        current = view.current_match
        if current is not None:
            index = buffer.visible_index(current.seq)
            row = view.rows.row_of(index) if index < total else -1
            if top <= row < top + height:
                return [self.copy_text(current)], "the line of the current match"
        located = view.rows.locate(top + height - 1)
        line = buffer.visible(total - 1 if located is None else located[0])
        what = "the last line" if line.seq == buffer.visible_seq(total - 1) else "the line at the bottom of the view"
        return [self.copy_text(line)], what

    def update(self, selection: Selection | None) -> None:
        """Textual's `selection_updated` for the view."""
        new = None if selection is None else self.resolve(selection)
        if new == self.bounds:
            return
        self.bounds = new
        if new is None and self.paused_follow:
            self.paused_follow = False
            self.view.follow()
        self.view.refresh()

    def resolve(self, selection: Selection) -> tuple[int, int, int, int] | None:
        """Our (start seq, char, end seq, char) for a `Selection`; None-ends (select all) are the first/last line."""
        buffer = self.view.buffer
        total = buffer.visible_count
        if not total:
            return None
        start, end = selection
        if start is None:
            start = Offset(0, buffer.visible_seq(0))
        if end is None:
            last = buffer.visible(total - 1)
            end = Offset(len(self.copy_text(last)), last.seq)
        if (end.y, end.x) <= (start.y, start.x):
            return None
        return start.y, start.x, end.y, end.x

    def select(self, first: Point, last: Point) -> None:
        """Select from `first` to `last`, both (seq, character) and included, in either order."""
        start, end = sorted((first, last))
        selection = Selection(Offset(start[1], start[0]), Offset(end[1] + 1, end[0]))
        view = self.view
        view.screen.selections = {view: selection}
        self.update(selection)  # now, not when the screen's watcher runs

    def clear(self) -> None:
        """Forget the selection (resuming following if the selection paused it)."""
        if self.bounds is None:
            return
        view = self.view
        if view.is_attached and view in view.screen.selections:
            view.screen.selections = {w: s for w, s in view.screen.selections.items() if w is not view}
        self.update(None)

    # -- positions ------------------------------------------------------------------------

    def point_at(self, x: int, y: int) -> Point | None:
        """(seq, character) of the content cell (x, y), clamped into the lines; None when there are none."""
        view = self.view
        buffer = view.buffer
        total = buffer.visible_count
        if not total:
            return None
        row = round(view.scroll_y) + y
        if row < 0:
            return buffer.visible_seq(0), 0
        located = view.rows.locate(row)
        if located is None:
            last = buffer.visible(total - 1)
            return last.seq, len(self.copy_text(last))
        index, sub = located
        line = buffer.visible(index)
        width = view.prefix_width
        prefix_chars = width - 1  # the gutter mark is never copied
        start = sub * view.rows.width if view.wrap else round(view.scroll_x)
        if x < width and sub == 0:
            return line.seq, min(max(0, x - 1), prefix_chars)
        return line.seq, prefix_chars + char_at_cell(line, start + max(0, x - width))

    def word_at(self, x: int, y: int) -> tuple[Point, Point] | None:
        point = self.point_at(x, y)
        if point is None:
            return None
        seq, char = point
        line = self.view.buffer.by_seq(seq)
        text = self.copy_text(line) if line is not None else ""
        for match in _WORD.finditer(text):
            start, end = match.span()
            if start <= char < end:
                while end - start > 1 and text[end - 1] in ".:":  # "done." "error:" take the word only
                    end -= 1
                return (seq, start), (seq, end - 1)
        return None

    # -- the mouse ------------------------------------------------------------------------

    def mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1:
            return
        view = self.view
        pointer = event.get_content_offset_capture(view)
        anchor = self.point_at(pointer.x, pointer.y)
        if anchor is None:
            return
        self.drag = _Drag(anchor, pointer)
        view.capture_mouse()

    def mouse_move(self, event: events.MouseMove) -> None:
        drag = self.drag
        if drag is None:
            return
        view = self.view
        if view.app.mouse_captured is not view:
            self._end_drag()
            return
        drag.pointer = event.get_content_offset_capture(view)
        self.drag_to_pointer()
        self._autoscroll_check()

    def mouse_up(self, event: events.MouseUp) -> None:
        if self.drag is not None:
            self._end_drag()

    def click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self.view)
        if offset is None or event.chain < 2:
            return
        if event.chain == 2:
            word = self.word_at(offset.x, offset.y)
            if word is not None:
                self._pause_following()
                self.select(*word)
        else:
            point = self.point_at(offset.x, offset.y)
            line = None if point is None else self.view.buffer.by_seq(point[0])
            if line is not None:
                self._pause_following()
                self.select((line.seq, 0), (line.seq, max(0, len(self.copy_text(line)) - 1)))

    def _pause_following(self) -> None:
        view = self.view
        if view.following:
            # Lines arriving would move the selected text away (and from under the pointer).
            view.following = False
            self.paused_follow = True

    def drag_to_pointer(self) -> None:
        """Select from the drag's anchor to the text under the pointer (also after the view scrolled)."""
        drag = self.drag
        if drag is None:
            return
        point = self.point_at(drag.pointer.x, drag.pointer.y)
        if point is None:
            return
        if not drag.moved:
            if point == drag.anchor:
                return
            drag.moved = True
            self._pause_following()
        self.select(drag.anchor, point)

    def _end_drag(self) -> None:
        self.drag = None
        self._stop_autoscroll()
        self.view.release_mouse()

    def _autoscroll_rows(self) -> int:
        """Rows per tick to scroll while dragging: the pointer on the first/last row or past it."""
        drag = self.drag
        if drag is None or not drag.moved:
            return 0
        y, height = drag.pointer.y, self.view.scrollable_content_region.height
        if y < 0 or (y == 0 and drag.down_y != 0):
            return -min(5, 1 - y)
        if y >= height or (y == height - 1 and drag.down_y != height - 1):
            return min(5, y - height + 2)
        return 0

    def _autoscroll_check(self) -> None:
        if self._autoscroll_rows():
            if self._autoscroll_timer is None:
                self._autoscroll_timer = self.view.set_interval(AUTOSCROLL_INTERVAL, self._autoscroll_tick)
        else:
            self._stop_autoscroll()

    def _autoscroll_tick(self) -> None:
        view = self.view
        rows = self._autoscroll_rows()
        target = max(0, min(view.max_scroll_y, round(view.scroll_y) + rows))
        if not rows or target == round(view.scroll_y):
            self._stop_autoscroll()
            return
        with view.scrolling():
            view.scroll_to(y=target, animate=False, immediate=True, force=True)
        self.drag_to_pointer()

    def _stop_autoscroll(self) -> None:
        if self._autoscroll_timer is not None:
            self._autoscroll_timer.stop()
            self._autoscroll_timer = None

    # -- drawing ----------------------------------------------------------------------------

    def draw(self, strip: Strip, line: LogLine, sub: int, scroll_x: int, width: int) -> Strip:
        """`strip` (row `sub` of `line`) with the selected part in the selection style."""
        start_seq, start_char, end_seq, end_char = self.bounds
        seq = line.seq
        if seq < start_seq or seq > end_seq:
            return strip
        view = self.view
        prefix = view.prefix_width
        prefix_chars = prefix - 1
        length = prefix_chars + len(line.plain)
        low = start_char if seq == start_seq else 0
        # A selection going on to the next line takes this line's end: one cell past the text shows that.
        high = min(end_char, length) if seq == end_seq else length + 1
        if low >= high:
            return strip
        ranges: list[tuple[int, int]] = []
        if sub == 0 and low < prefix_chars:
            ranges.append((1 + low, 1 + min(high, prefix_chars)))
        body_low, body_high = max(low, prefix_chars) - prefix_chars, high - prefix_chars
        if body_high > body_low:
            plain_len = len(line.plain)
            cell_low = cell_of_char(line, min(body_low, plain_len)) + max(0, body_low - plain_len)
            cell_high = cell_of_char(line, min(body_high, plain_len)) + max(0, body_high - plain_len)
            window = sub * view.rows.width if view.wrap else scroll_x
            shown = width - prefix
            a, b = max(cell_low, window), min(cell_high, window + shown)
            if b > a:
                ranges.append((prefix + a - window, prefix + b - window))
        return _highlight(strip, ranges, self._selection_style())

    def _selection_style(self) -> Style:
        # The theme's selection foreground is usually "transparent" (keep the text's colours), which a
        # Rich style cannot say: the full style blends it into the background, and the text vanishes.
        # Kept with the drawn rows: forgotten whenever they are (a theme change).
        cache = self.view.painter.cache
        style = cache.get("selection-style")
        if style is None:
            screen = self.view.screen
            full = screen.get_component_rich_style("screen--selection")
            keep_colours = screen.get_component_styles("screen--selection").color.a == 0
            style = cache["selection-style"] = Style(bgcolor=full.bgcolor, color=None if keep_colours else full.color)
        return style


def _highlight(strip: Strip, ranges: list[tuple[int, int]], style: Style) -> Strip:
    length = strip.cell_length
    ranges = [(max(0, a), min(b, length)) for a, b in ranges if min(b, length) > max(0, a)]
    if not ranges:
        return strip
    cuts = sorted({c for r in ranges for c in r if 0 < c < length} | {length})
    parts = strip.divide(cuts)
    out: list[Strip] = []
    position = 0
    for part in parts:
        end = position + part.cell_length
        if any(a <= position and end <= b for a, b in ranges):
            part = Strip([Segment(text, (seg_style or Style()) + style, control)
                          for text, seg_style, control in part], part.cell_length)
        out.append(part)
        position = end
    return Strip.join(out)
