"""Output side of ``TerminalView``: paced parsing, dirty-row repaints, rendering.

``TerminalOutput`` is a mixin for ``tui.widgets.terminal_view.TerminalView``
(it relies on the state that class's ``__init__`` sets up: ``terminal``,
``stream``, ``_back``, the wake/tick fields). Program output is only queued by
``feed``; parsing happens here in bounded slices on the loop, and only the
rows that changed are repainted. Rendering turns the emulated cells (plus
scrollback offset, cursor and Textual's text selection) into Strips.
"""

from __future__ import annotations

from time import monotonic
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip

from tui.widgets.terminal_render import render_viewport_line, viewport_row

if TYPE_CHECKING:
    from textual.widget import Widget as _Base
else:
    _Base = object

#: Bytes parsed per slice; slices repeat until ``TICK_TIME`` is spent. A
#: fixed 64 KiB slice took ~70 ms with newline-dense output (``yes``: every
#: line scrolls), far more per byte than text, hence small slices + a clock.
PARSE_BUDGET = 4 * 1024
#: Parsing time per tick before the loop gets a turn (a quarter of a 60 Hz frame: a flood
#: leaves the loop three quarters of its time, so keys to the shell and the list do not queue
#: behind it; `cat` of a big file still shows about 200 KiB/s of newline-dense text).
TICK_TIME = 0.004
#: Back-pressure: a reader *thread* blocks while this much output waits to be
#: parsed (so ``yes`` fills the kernel's pty buffer, not our memory) ...
HIGH_WATER = 256 * 1024
#: ... until parsing brings it below this.
LOW_WATER = 64 * 1024
#: Minimum time between two slices (60 Hz).
FRAME = 1 / 60
#: While output floods (``yes``), the pane repaints at most this often. Nobody
#: reads a flood at 60 Hz, and repainting every row of a scrolling pane costs the
#: loop as much as parsing it: the keys (to the shell, to the list) wait less.
FLOOD_FRAME = 1 / 15


class TerminalOutput(_Base):
    """Mixin: parse pacing and rendering for ``TerminalView``."""

    # ---------------------------------------------------------------- output

    def _wake(self) -> None:
        """Schedule a parse slice (any thread); at most one wake-up is in flight."""
        with self._wake_lock:
            if self._wake_posted:
                return
            self._wake_posted = True
        loop = self._loop
        if loop is None:
            with self._wake_lock:
                self._wake_posted = False  # not mounted yet: on_mount's size handling ticks
            return
        try:
            loop.call_soon_threadsafe(self._on_wake)
        except RuntimeError:
            pass

    def _on_wake(self) -> None:
        with self._wake_lock:
            self._wake_posted = False
        self._schedule_tick()

    def _schedule_tick(self) -> None:
        if self._tick_handle is not None or self._loop is None:
            return
        delay = self._last_tick + FRAME - monotonic()
        if delay <= 0 or not self._busy:
            # After a quiet tick (an echo, a prompt) handle at once: fast typing
            # must not wait for the next frame. Only a flood is paced at 60 Hz.
            self._tick_handle = self._loop.call_soon(self._tick)
        else:
            self._tick_handle = self._loop.call_later(delay, self._tick)

    def _tick(self) -> None:
        self._tick_handle = None
        self._last_tick = monotonic()
        if not self.is_attached:
            return
        stream = self.stream
        before = stream.pending_bytes
        deadline = self._last_tick + TICK_TIME
        while (more := stream.process_pending(PARSE_BUDGET)) and monotonic() < deadline:
            pass
        self._busy = more or before >= PARSE_BUDGET
        if stream.pending_bytes < LOW_WATER:
            self._drained.set()
        # The screen keeps its dirty rows until taken: a repaint put off while flooding loses none.
        if not self._busy or self._last_tick - self._last_paint >= FLOOD_FRAME:
            self._last_paint = self._last_tick
            self._repaint_dirty()
        if more:
            self._schedule_tick()
        elif self._busy:
            # The flood may end here, between two paced repaints: the last rows must show.
            self._schedule_tick()

    def _repaint_dirty(self) -> None:
        screen = self.terminal
        dirty = screen.take_dirty()
        if self._back:
            scrolled = screen.lines_scrolled_off - self._back_mark
            if scrolled:
                # Keep showing the same rows while output arrives below.
                self._back = min(self._back + scrolled, len(screen.scrollback))
                self._back_mark = screen.lines_scrolled_off
                self.refresh()
                return
            dirty = {y + self._back for y in dirty if y + self._back < screen.lines}
        if not dirty:
            return
        width = self.size.width
        rows = sorted(dirty)
        start = previous = rows[0]
        for y in rows[1:]:
            if y != previous + 1:
                self.refresh(Region(0, start, width, previous - start + 1))
                start = y
            previous = y
        self.refresh(Region(0, start, width, previous - start + 1))

    # ---------------------------------------------------------------- render

    def render_line(self, y: int) -> Strip:
        screen = self.terminal
        width = self.size.width
        base = self.rich_style
        if y >= screen.lines:
            return Strip.blank(width, base)
        strip = render_viewport_line(screen, y, self._back, show_cursor=self.has_focus and not self.exited)
        selection = self.text_selection
        if selection is not None:
            span = selection.get_span(y)
            if span is not None:
                strip = self._highlight(strip, *span)
        strip = strip.apply_style(base)
        if strip.cell_length != width:
            strip = strip.crop_extend(0, width, base)
        return strip.apply_offsets(0, y)

    def _highlight(self, strip: Strip, start: int, end: int) -> Strip:
        length = strip.cell_length
        end = length if end == -1 else min(end, length)
        if start >= end:
            return strip
        screen = self.screen
        style = screen.get_component_rich_style("screen--selection")
        # The theme's selection foreground is usually "transparent" (keep the text's colours), which a
        # Rich style cannot say: blended into the background it would hide the selected text.
        if screen.get_component_styles("screen--selection").color.a == 0:
            style = Style(bgcolor=style.bgcolor)
        # Strip.divide returns one part per cut: the line's end must be a cut, or its tail is lost.
        cuts = [c for c in (start, end) if 0 < c < length] + [length]
        parts = strip.divide(cuts)
        index = 1 if start > 0 else 0
        middle = parts[index]
        parts[index] = Strip(
            [Segment(text, (seg_style or Style()) + style, control) for text, seg_style, control in middle],
            middle.cell_length,
        )
        return Strip.join(parts)

    def _viewport_text(self) -> list[str]:
        """The rows currently shown (scrollback included) as text."""
        screen = self.terminal
        columns = screen.columns
        lines = []
        for y in range(screen.lines):
            row, _ = viewport_row(screen, y, self._back)
            default = getattr(row, "default", None)
            # A wide character's stub cell is "": joining skips it, as it should.
            lines.append("".join(cell.data if cell is not None else " "
                                 for cell in map(row.get, range(columns), [default] * columns)))
        return lines
