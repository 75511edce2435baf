"""Drawing `LogView`'s rows: the `Strip` of each row on screen, from cached pieces.

`RowPainter` belongs to one `LogView` and reads from it what a row looks like (its
row map, search, columns shown, styles). Only the rows on screen are rendered, and
the finished strips (full line, wrapped rows, gutter/timestamp/container prefix,
finished row) are cached by line seq in an LRU until what a line looks like changes:
the view calls `clear` then (width in wrap mode, timestamps, search, theme).
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Protocol

from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.geometry import Offset
from textual.strip import Strip

from tui.engine.types import LogStream
from tui.logs.buffer import LogBuffer, LogLine
from tui.logs.rows import RowMap
from tui.logs.search import SearchIndex
from tui.widgets.log.wrap import wrap_strip

if TYPE_CHECKING:
    from textual.app import App
    from textual.geometry import Region

GUTTER_STDERR = "\u258c"  # ▌
GUTTER_MARKER = "\u2500"  # ─
TIMESTAMP_WIDTH = 13  # "12:34:56.789 "


CONTAINER_COLOURS = ("cyan", "magenta", "green", "yellow", "bright_blue", "bright_red", "bright_cyan",
                     "bright_magenta", "bright_green", "bright_yellow")


def container_style(index: int) -> Style:
    """The colour of the `index`-th container of a merged view."""
    return Style(color=CONTAINER_COLOURS[index % len(CONTAINER_COLOURS)], bold=True)


def format_time(timestamp: datetime | None, tz: tzinfo | None) -> str:
    """`12:34:56.789` in `tz` (None: local time); empty without a timestamp."""
    if timestamp is None:
        return ""
    local = timestamp.astimezone(tz)
    return f"{local:%H:%M:%S}.{local.microsecond // 1000:03d}"


class Overlay(Protocol):
    """What is drawn over the finished rows (the mouse selection)."""

    @property
    def active(self) -> bool: ...

    def draw(self, strip: Strip, line: LogLine, sub: int, scroll_x: int, width: int) -> Strip: ...


class Drawn(Protocol):
    """What the painter needs of its view (a `LogView`)."""

    buffer: LogBuffer
    rows: RowMap
    finder: SearchIndex
    show_timestamps: bool
    wrap: bool
    container_width: int
    container_styles: dict[str, Style]
    timestamp_tz: tzinfo | None
    scroll_offset: Offset
    scrollable_content_region: Region
    rich_style: Style
    selection: Overlay

    @property
    def prefix_width(self) -> int: ...

    def content_width(self) -> int: ...

    def get_component_rich_style(self, *names: str, partial: bool = False) -> Style: ...

    @property
    def app(self) -> App: ...


class RowPainter:
    """The rows of one view, drawn and cached (see the module docstring)."""

    def __init__(self, view: Drawn) -> None:
        self.view = view
        self.cache: LRUCache[tuple | str, object] = LRUCache(2048)

    def clear(self) -> None:
        self.cache.clear()

    def render_line(self, y: int) -> Strip:
        view = self.view
        scroll_x, scroll_y = view.scroll_offset
        width = view.scrollable_content_region.width
        located = view.rows.locate(scroll_y + y)
        base = self._base_style()
        if located is None:
            return Strip.blank(width, base)
        index, sub = located
        line = view.buffer.visible(index)
        # In follow mode every row moves up each batch: the finished row is what is worth keeping.
        key = ("row", line.seq, sub, scroll_x, width)
        strip = self.cache.get(key)
        if strip is None:
            fill = self._fill_style(line, base)
            content_width = max(0, width - view.prefix_width)
            if view.wrap:
                rows = self._wrapped(line, fill)
                body = rows[sub] if sub < len(rows) else Strip([])
                body = body.crop_extend(0, content_width, fill)
            else:
                body = self._full(line, fill).crop_extend(scroll_x, scroll_x + content_width, fill)
            # One segment per run of a style, not per piece: every segment costs its own SGR sequence
            # (about 40 bytes) in the terminal.
            strip = self.cache[key] = Strip.join([self._prefix(line, sub, base), body]).simplify()
        selection = view.selection
        if selection.active:  # drawn over the cached row, so a selection costs nothing once gone
            strip = selection.draw(strip, line, sub, scroll_x, width)
        return strip

    def _base_style(self) -> Style:
        # `rich_style` walks the DOM's styles on every call; it only changes with them.
        base = self.cache.get("base")
        if base is None:
            base = self.cache["base"] = self.view.rich_style
        return base

    def _fill_style(self, line: LogLine, base: Style) -> Style:
        if line.stream is LogStream.STDERR:
            return base + self.view.get_component_rich_style("log-view--stderr")
        return base

    def _highlighted(self, line: LogLine):
        text = line.text
        finder = self.view.finder
        if not finder.active:
            return text
        found = finder.spans(text.plain)
        if not found:
            return text
        name = "log-view--match-current" if line.seq == finder.current else "log-view--match"
        style = self.view.get_component_rich_style(name, partial=True)
        text = text.copy()
        for start, end in found:
            text.stylize(style, start, end)
        return text

    def _full(self, line: LogLine, fill: Style) -> Strip:
        key = ("full", line.seq)
        strip = self.cache.get(key)
        if strip is None:
            text = self._highlighted(line)
            if line.is_marker:
                text = text.copy()
                text.stylize_before(self.view.get_component_rich_style("log-view--marker", partial=True))
            strip = Strip(text.render(self.view.app.console), line.cells).apply_style(fill)
            self.cache[key] = strip
        return strip

    def _wrapped(self, line: LogLine, fill: Style) -> list[Strip]:
        key = ("wrap", line.seq)
        rows = self.cache.get(key)
        if rows is None:
            full = self._full(line, fill)
            width = self.view.rows.width
            width = width if width > 0 else self.view.content_width()
            rows = [full] if full.cell_length <= width else wrap_strip(full, width)
            self.cache[key] = rows
        return rows

    def _prefix(self, line: LogLine, sub: int, base: Style) -> Strip:
        key = ("prefix", line.seq, sub == 0)
        strip = self.cache.get(key)
        if strip is None:
            view = self.view
            style = view.get_component_rich_style
            if line.stream is LogStream.STDERR:
                segments = [Segment(GUTTER_STDERR, base + style("log-view--stderr-gutter"))]
            elif line.is_marker:
                segments = [Segment(GUTTER_MARKER, base + style("log-view--marker"))]
            else:
                segments = [Segment(" ", base)]
            if view.show_timestamps:
                stamp = format_time(line.timestamp, view.timestamp_tz) if sub == 0 else ""
                segments.append(Segment(stamp.ljust(TIMESTAMP_WIDTH), base + style("log-view--timestamp")))
            if view.container_width:
                name = (line.container or "") if sub == 0 else ""
                shown = name[:view.container_width].ljust(view.container_width) + " "
                segments.append(Segment(shown, base + view.container_styles.get(name, Style())))
            strip = Strip(segments, view.prefix_width)
            self.cache[key] = strip
        return strip
