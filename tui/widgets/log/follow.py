"""Placing `LogView` after new lines, and repainting only the rows that changed.

`FollowPlacer` belongs to one `tui.widgets.log.view.LogView` and works on it: its
row map, its scroll offset and virtual size, its scrollbar.

Textual cannot scroll the terminal: moving a view by one row redraws every row of it,
about 10 kB for the log pane of a 160x48 screen, so a view that moved for every new
line cost 50 kB/s for a container writing 5 lines a second, on every SSH link.
Instead, while following, new lines are written into the blank rows below the newest
line, one row each (about 110 bytes), and only when those run out does the view jump,
by a quarter of its height at once, leaving that many blank rows to fill (jump
scroll, as terminals do). The blank rows are `pad`: extra rows at the end of the
virtual size, so the view is still "at the end" (`max_scroll_y`) while following.

Lines dropped off the front of a full buffer would move every row up: the scroll
offset goes down by as many rows so the screen stays still, and neither that nor a
scrollbar whose thumb stays where it was (in eighths of a cell, as Textual draws it)
costs a repaint.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from math import ceil
from typing import Protocol

from textual.geometry import Region, Size
from textual.scrollbar import ScrollBar
from textual.widget import Widget

from tui.logs.rows import RowMap

JUMP_SHARE = 1 / 4  # of the view's height: how far a following view jumps when its blank rows run out
JUMP_MIN = 2


def thumb(bar: ScrollBar, size: int) -> tuple[int, int] | None:
    """Where `ScrollBarRender.render_bar` puts the thumb, in eighths of a cell (None: no thumb)."""
    virtual, window, position = bar.window_virtual_size, bar.window_size, bar.position
    window = window if window < virtual else 0
    if not (window and size and virtual and size != virtual):
        return None
    thumb_size = max(1, window / (virtual / size))
    start = int((size - thumb_size) * (position / (virtual - window)) * 8)
    return start, start + ceil(thumb_size * 8)


class Followed(Protocol):
    """What the placer needs of its view: a `LogView` (a `ScrollView` with a row map)."""

    rows: RowMap
    following: bool
    wrap: bool
    stale: bool
    scroll_y: float
    scroll_target_y: float
    virtual_size: Size
    vertical_scrollbar: ScrollBar

    @property
    def prefix_width(self) -> int: ...

    def scrolling(self) -> AbstractContextManager[None]: ...

    def refresh_if_shown(self) -> None: ...

    # and the `Widget` members it works with: scrollable_content_region, scroll_to, refresh, set_reactive,
    # is_mounted, is_on_screen, display, container_size, show_*_scrollbar, scrollbar_size_horizontal
    def __getattr__(self, name: str): ...


class FollowPlacer:
    """Where the view goes after an append, and what it repaints (see the module docstring)."""

    def __init__(self, view: Followed) -> None:
        self.view = view
        self.pad = 0
        """Blank rows kept below the newest line (part of the virtual height)."""
        self.repainted = False
        """The last append redrew the whole view (the drain then slows down for a steady stream)."""

    @staticmethod
    def jump_rows(height: int) -> int:
        # At least two rows (a small pane would otherwise redraw every other line), at most half.
        return min(max(JUMP_MIN, int(height * JUMP_SHARE)), height // 2)

    def update_virtual_size(self) -> None:
        """Set the virtual size for the rows and blank rows, with a layout only if a scrollbar comes or goes."""
        view = self.view
        rows = view.rows
        if view.wrap:
            size = Size(view.scrollable_content_region.width, rows.rows + self.pad)
        else:
            size = Size(view.prefix_width + rows.max_cells, rows.rows + self.pad)
        old = view.virtual_size
        if size == old:
            return
        # Setting `virtual_size` asks for a layout of the whole screen, which at 30 new batches a
        # second costs more than everything else. Only a scrollbar appearing or going changes the
        # layout; otherwise updating the scrollbars is enough.
        region = view.scrollable_content_region.size
        if not view.is_mounted or (old.height > region.height) != (size.height > region.height) or \
                (old.width > region.width) != (size.width > region.width):
            view.virtual_size = size
            return
        view.set_reactive(Widget.virtual_size, size)
        view._scroll_update(size)

    def show_appended(self, old_rows: int, dropped_rows: int) -> None:
        """Place the view after an append and repaint what changed.

        `old_rows` rows (after `dropped_rows` fell off the front) were there before;
        the new ones follow them.
        """
        view = self.view
        rows = view.rows.rows
        region = view.scrollable_content_region
        height = region.height
        top = max(0, round(view.scroll_y) - dropped_rows)  # the same line stays at the top
        jumped = False
        if view.following:
            if rows - top > height:
                # A batch as big as a jump (a history load, a burst) ends at the bottom: the
                # next one is unlikely to fit in blank rows either.
                jump = self.jump_rows(height)
                top = max(0, rows - height + (jump if rows - old_rows < jump else 0))
                jumped = True
            self.pad = max(0, top + height - rows)
        width = region.width
        size = Size(view.prefix_width + view.rows.max_cells if not view.wrap else width, rows + self.pad)
        self.repainted = jumped or not self._set_quietly(size, top)
        if self.repainted:
            self.update_virtual_size()
            with view.scrolling():
                view.scroll_to(y=top, animate=False, immediate=True, force=True)
            view.refresh_if_shown()
            return
        # Only the new rows that are on screen changed.
        first, last = max(old_rows, top), min(rows, top + height)
        if last > first:
            if view.is_on_screen and view.display:
                # The content's width only: a region reaching into the scrollbar redraws its cells too.
                view.refresh(Region(0, first - top, width, last - first))
            else:
                view.stale = True

    def _set_quietly(self, size: Size, top: int) -> bool:
        """Set the virtual size and scroll offset without a repaint, if nothing on screen moves.

        False (nothing set) when the scrollbars appear or go (a layout) or the view is not mounted.
        """
        view = self.view
        if not view.is_mounted:
            return False
        old = view.virtual_size
        region = view.scrollable_content_region.size
        if (old.height > region.height) != (size.height > region.height) or \
                (old.width > region.width) != (size.width > region.width):
            return False
        if size.width != old.width and view.show_horizontal_scrollbar:
            return False  # the horizontal thumb changes: the ordinary path repaints it
        if top > max(0, size.height - region.height):
            return False
        view.set_reactive(Widget.virtual_size, size)
        shift = top - round(view.scroll_y)
        if shift:  # lines dropped off the front: the same rows stay on screen
            # Moved by the shift, not set: a scroll the user started (an animation) goes on.
            view.set_reactive(Widget.scroll_y, view.scroll_y + shift)
            view.set_reactive(Widget.scroll_target_y, view.scroll_target_y + shift)
        if view.show_vertical_scrollbar:
            bar = view.vertical_scrollbar
            before = thumb(bar, bar.size.height)
            bar.set_reactive(ScrollBar.window_virtual_size, size.height)
            bar.set_reactive(ScrollBar.window_size, view.container_size.height - view.scrollbar_size_horizontal)
            bar.set_reactive(ScrollBar.position, bar.validate_position(view.scroll_y))
            if thumb(bar, bar.size.height) != before:
                bar.refresh()
        return True
