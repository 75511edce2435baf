"""Row layout and drawing for `LogView`: the row map, wrap index and cached `Strip`s.

`LogRows` is a mixin for `tui.widgets.log_view.LogView` (it relies on the state
that class's `__init__` sets up: `buffer`, `_cache`, `_cum`, `_cum_head`,
`_cum_width`, `_max_cells`, the search fields). In wrap mode a line takes
`ceil(cells / width)` rows and the cumulative row counts (`_cum`) turn a virtual
row into (line, row within it) and back; otherwise one line is one row. Only the
rows on screen are rendered, and the finished strips (full line, wrapped rows,
gutter/timestamp prefix) are cached by line seq until what a line looks like changes.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import datetime
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

from tui.engine.types import LogStream
from tui.logs.buffer import LogLine

if TYPE_CHECKING:
    from textual.scroll_view import ScrollView as _Base
else:
    _Base = object

GUTTER_STDERR = "\u258c"  # ▌
GUTTER_MARKER = "\u2500"  # ─
TIMESTAMP_WIDTH = 13  # "12:34:56.789 "


CONTAINER_COLOURS = ("cyan", "magenta", "green", "yellow", "bright_blue", "bright_red", "bright_cyan",
                     "bright_magenta", "bright_green", "bright_yellow")


def container_style(index: int) -> Style:
    """The colour of the `index`-th container of a merged view."""
    return Style(color=CONTAINER_COLOURS[index % len(CONTAINER_COLOURS)], bold=True)


class LogRows(_Base):
    """Geometry (row map) and rendering of `LogView` (see the module docstring)."""

    # -- geometry -----------------------------------------------------------------------

    @property
    def _prefix_width(self) -> int:
        width = 1 + (TIMESTAMP_WIDTH if self.show_timestamps else 0)
        return width + (self.container_width + 1 if self.container_width else 0)

    def _content_width(self) -> int:
        return max(1, self.scrollable_content_region.width - self._prefix_width)

    def _rebuild(self) -> None:
        """Recompute the row map, widths and matches from the buffer (after a filter or mode change)."""
        buffer = self.buffer
        self._cache.clear()
        self._last_visible_count = buffer.visible_count
        self._max_cells = max((line.cells for line in buffer.iter_visible()), default=0)
        self._cum_head = 0
        self._cum = [0]
        if self.wrap:
            width = self._cum_width = self._content_width()
            cum, total = self._cum, 0
            for line in buffer.iter_visible():
                total += max(1, -(-line.cells // width))
                cum.append(total)
        pattern = self._search
        self._matches = [] if pattern is None else [
            line.seq for line in buffer.iter_visible() if pattern.search(line.text.plain)]
        if self._current is not None and buffer.visible_index(self._current) >= buffer.visible_count:
            self._current = None
        self._update_virtual_size()

    def _update_virtual_size(self) -> None:
        if self.wrap:
            rows = self._cum[-1] - self._cum[self._cum_head]
            size = Size(self.scrollable_content_region.width, rows)
        else:
            size = Size(self._prefix_width + self._max_cells, self.buffer.visible_count)
        old = self.virtual_size
        if size == old:
            return
        # Setting `virtual_size` asks for a layout of the whole screen, which at 30 new batches a
        # second costs more than everything else. Only a scrollbar appearing or going changes the
        # layout; otherwise updating the scrollbars is enough.
        view = self.scrollable_content_region.size
        if not self.is_mounted or (old.height > view.height) != (size.height > view.height) or \
                (old.width > view.width) != (size.width > view.width):
            self.virtual_size = size
            return
        self.set_reactive(Widget.virtual_size, size)
        self._scroll_update(size)

    def _locate(self, row: int, *, wrap: bool | None = None) -> tuple[int, int] | None:
        """(visible line index, row within that line) for a virtual row, or None past the end."""
        if row < 0:
            return None
        if not (self.wrap if wrap is None else wrap):
            return (row, 0) if row < self.buffer.visible_count else None
        base = self._cum[self._cum_head]
        k = bisect_right(self._cum, base + row, self._cum_head) - 1 - self._cum_head
        if k >= len(self._cum) - 1 - self._cum_head:
            return None
        return k, row - (self._cum[self._cum_head + k] - base)

    def _row_of(self, index: int) -> int:
        if not self.wrap:
            return index
        return self._cum[self._cum_head + index] - self._cum[self._cum_head]
    # -- rendering ----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        located = self._locate(scroll_y + y)
        base = self._base_style()
        if located is None:
            return Strip.blank(width, base)
        index, sub = located
        line = self.buffer.visible(index)
        # In follow mode every row moves up each batch: the finished row is what is worth keeping.
        key = ("row", line.seq, sub, scroll_x, width)
        strip = self._cache.get(key)
        if strip is not None:
            return strip
        fill = self._fill_style(line, base)
        content_width = max(0, width - self._prefix_width)
        if self.wrap:
            rows = self._wrapped(line, fill)
            body = rows[sub] if sub < len(rows) else Strip([])
            body = body.crop_extend(0, content_width, fill)
        else:
            body = self._full(line, fill).crop_extend(scroll_x, scroll_x + content_width, fill)
        strip = self._cache[key] = Strip.join([self._prefix(line, sub, base), body])
        return strip

    def _base_style(self) -> Style:
        # `rich_style` walks the DOM's styles on every call; it only changes with them.
        base = self._cache.get("base")
        if base is None:
            base = self._cache["base"] = self.rich_style
        return base

    def _fill_style(self, line: LogLine, base: Style) -> Style:
        if line.stream is LogStream.STDERR:
            return base + self.get_component_rich_style("log-view--stderr")
        return base

    def _highlighted(self, line: LogLine):
        text = line.text
        pattern = self._search
        if pattern is None:
            return text
        plain = text.plain
        found = [m.span() for m in pattern.finditer(plain) if m.end() > m.start()]
        if not found:
            return text
        name = "log-view--match-current" if line.seq == self._current else "log-view--match"
        style = self.get_component_rich_style(name, partial=True)
        text = text.copy()
        for start, end in found:
            text.stylize(style, start, end)
        return text

    def _full(self, line: LogLine, fill: Style) -> Strip:
        key = ("full", line.seq)
        strip = self._cache.get(key)
        if strip is None:
            text = self._highlighted(line)
            if line.is_marker:
                text = text.copy()
                text.stylize_before(self.get_component_rich_style("log-view--marker", partial=True))
            strip = Strip(text.render(self.app.console), line.cells).apply_style(fill)
            self._cache[key] = strip
        return strip

    def _wrapped(self, line: LogLine, fill: Style) -> list[Strip]:
        key = ("wrap", line.seq)
        rows = self._cache.get(key)
        if rows is None:
            full = self._full(line, fill)
            width = self._cum_width if self._cum_width > 0 else self._content_width()
            cells = full.cell_length
            if cells <= width:
                rows = [full]
            else:
                rows = full.divide(list(range(width, cells, width)) + [cells])
            self._cache[key] = rows
        return rows

    def _prefix(self, line: LogLine, sub: int, base: Style) -> Strip:
        key = ("prefix", line.seq, sub == 0)
        strip = self._cache.get(key)
        if strip is None:
            if line.stream is LogStream.STDERR:
                segments = [Segment(GUTTER_STDERR, base + self.get_component_rich_style("log-view--stderr-gutter"))]
            elif line.is_marker:
                segments = [Segment(GUTTER_MARKER, base + self.get_component_rich_style("log-view--marker"))]
            else:
                segments = [Segment(" ", base)]
            if self.show_timestamps:
                stamp = self._format_time(line.timestamp) if sub == 0 else ""
                segments.append(Segment(stamp.ljust(TIMESTAMP_WIDTH),
                                        base + self.get_component_rich_style("log-view--timestamp")))
            if self.container_width:
                name = (line.container or "") if sub == 0 else ""
                shown = name[:self.container_width].ljust(self.container_width) + " "
                segments.append(Segment(shown, base + self.container_styles.get(name, Style())))
            strip = Strip(segments, self._prefix_width)
            self._cache[key] = strip
        return strip

    def _format_time(self, timestamp: datetime | None) -> str:
        if timestamp is None:
            return ""
        local = timestamp.astimezone(self.timestamp_tz)
        return f"{local:%H:%M:%S}.{local.microsecond // 1000:03d}"