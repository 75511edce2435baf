"""Screen rows -> Textual ``Strip``s (the Line API's unit).

The one part of the terminal emulator that needs Textual, so it sits with the
terminal widgets and ``tui.terminal`` stays free of Textual.

* Cells with equal attributes become one ``Segment``; ``Style`` objects are
  cached per attribute tuple, so a frame allocates few styles.
* ``"default"`` colours map to no colour, so the widget's own style (theme
  background/foreground) shows through; the 16 ANSI names map to Rich's
  standard colour names, which Textual renders through the theme's ANSI
  palette; hex becomes truecolour.
* Wide characters occupy two columns: the stub cell pyte stores after one is
  skipped. A wide character with no room or no stub, and an orphaned stub,
  become a space, so every strip is exactly ``columns`` cells long.
* The cursor is drawn by toggling reverse on its cell, only when asked
  (``show_cursor``: the widget is focused) and the program has not hidden it.
* A viewport scrolled back by ``scroll_offset`` rows shows the tail of the
  scrollback above the top of the screen.

Rendering a full 200x50 frame costs a few ms; widgets should still repaint
only dirty rows (``TerminalScreen.take_dirty``).
"""

from __future__ import annotations

from functools import lru_cache
from itertools import groupby, repeat
from operator import itemgetter
from typing import Mapping, Optional

from rich.color import Color, ColorParseError
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from pyte.screens import wcwidth

from tui.terminal.attributes import ANSI_NAMES, Cell
from tui.terminal.screen import TerminalScreen

Row = Mapping[int, Cell]

_DATA = itemgetter(0)
_ATTRS = itemgetter(slice(1, None))  # everything but the character

# pyte's colour names -> Rich standard colour names (pyte says "brown" for yellow).
_RICH_NAMES = {name: rich for name, rich in zip(ANSI_NAMES, (
    "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"))}
_RICH_NAMES.update({"bright" + name: "bright_" + rich for name, rich in _RICH_NAMES.items()})
_RICH_NAMES["bfightmagenta"] = "bright_magenta"  # pyte's typo for SGR 105


@lru_cache(maxsize=1024)
def rich_colour(colour: str) -> Optional[Color]:
    """A pyte colour string as a Rich ``Color`` (``None`` for default/unknown)."""
    if colour == "default":
        return None
    name = _RICH_NAMES.get(colour)
    try:
        if name is not None:
            return Color.parse(name)
        if len(colour) == 6:
            return Color.parse("#" + colour)
        return Color.parse(colour)
    except ColorParseError:
        return None


@lru_cache(maxsize=4096)
def style_for(attrs: tuple) -> Style:
    """The Rich style for a cell's attributes (``cell[1:]``), cached.

    False flags become ``None`` (unset) rather than "explicitly off", so the
    widget's base style combines cleanly.
    """
    fg, bg, bold, italics, underscore, strike, reverse, blink, *extra = attrs
    dim = extra[0] if extra else False
    conceal = extra[1] if len(extra) > 1 else False
    return Style(
        color=rich_colour(fg),
        bgcolor=rich_colour(bg),
        bold=bold or None,
        dim=dim or None,
        italic=italics or None,
        underline=underscore or None,
        strike=strike or None,
        reverse=reverse or None,
        blink=blink or None,
        conceal=conceal or None,
    )


def render_row(row: Row, columns: int, cursor_x: Optional[int] = None) -> Strip:
    """One row of cells as a ``Strip`` exactly ``columns`` cells wide.

    :param row: column -> ``Cell`` (a screen or scrollback row; missing
        columns give the row's default cell).
    :param cursor_x: column to draw the cursor at, or ``None``.
    """
    # dict.get with the row's default stays in C; row[x] would call pyte's
    # Python __missing__ for every unwritten cell (most of a typical row).
    default = getattr(row, "default", None) or Cell(" ")
    cells = list(map(row.get, range(columns), repeat(default, columns)))
    if cursor_x is not None and 0 <= cursor_x <= columns:
        cursor_x = min(cursor_x, columns - 1)  # a pending wrap shows in the last column
        if cursor_x > 0 and cells[cursor_x][0] == "":
            cursor_x -= 1  # on the stub of a wide character: mark the character
        cell = cells[cursor_x]
        cells[cursor_x] = cell._replace(reverse=not cell.reverse)
    text = "".join(map(_DATA, cells))
    if len(text) != columns or not text.isascii():
        return _render_complex_row(cells, columns)
    # Fast path: one ASCII character per cell, so text offsets = columns.
    segments = []
    append = segments.append
    position = 0
    for attrs, group in groupby(cells, _ATTRS):
        size = sum(1 for _ in group)
        append(Segment(text[position:position + size], style_for(attrs)))
        position += size
    return Strip(segments, columns)


def _render_complex_row(cells: list[Cell], columns: int) -> Strip:
    """Rows with wide, combining or odd characters: normalise cell by cell."""
    pieces: list[tuple[str, tuple]] = []
    x = 0
    while x < columns:
        cell = cells[x]
        data = cell[0]
        if data == "":
            data = " "  # a stub whose wide character was overwritten
        elif not data.isascii():
            width = wcwidth(data[0])
            if width == 2:
                if x + 1 < columns and cells[x + 1][0] == "":
                    pieces.append((data, _ATTRS(cell)))
                    x += 2
                    continue
                data = " "  # no room or no stub: drawing it would shift the row
            elif width < 1:
                data = " "
        pieces.append((data, _ATTRS(cell)))
        x += 1
    segments = [
        Segment("".join(map(_DATA, group)), style_for(attrs))
        for attrs, group in groupby(pieces, itemgetter(1))
    ]
    return Strip(segments, columns)


def render_screen_line(screen: TerminalScreen, y: int, *, show_cursor: bool = False) -> Strip:
    """Screen row ``y``; the cursor is drawn if ``show_cursor`` (the widget
    has focus) and the program has not hidden it."""
    cursor = screen.cursor
    cursor_x = cursor.x if show_cursor and cursor.y == y and screen.cursor_visible else None
    return render_row(screen.buffer[y], screen.columns, cursor_x)


def render_scrollback_line(screen: TerminalScreen, index: int) -> Strip:
    """Scrollback row ``index`` (0 = oldest), clipped or padded to the screen width."""
    return render_row(screen.scrollback[index], screen.columns)


def viewport_row(screen: TerminalScreen, y: int, scroll_offset: int = 0) -> tuple[Row, Optional[int]]:
    """Row ``y`` of a viewport scrolled back ``scroll_offset`` rows.

    Returns the row and its screen row number (``None`` for a scrollback
    row). The viewport is the last ``scroll_offset`` scrollback rows followed
    by the top of the screen; the offset is clamped to the scrollback size.
    """
    offset = max(0, min(scroll_offset, len(screen.scrollback)))
    if y < offset:
        return screen.scrollback[len(screen.scrollback) - offset + y], None
    return screen.buffer[y - offset], y - offset


def render_viewport_line(screen: TerminalScreen, y: int, scroll_offset: int = 0,
                         *, show_cursor: bool = False) -> Strip:
    """Row ``y`` of the (possibly scrolled-back) viewport as a ``Strip``."""
    if scroll_offset <= 0:
        return render_screen_line(screen, y, show_cursor=show_cursor)
    row, screen_y = viewport_row(screen, y, scroll_offset)
    cursor = screen.cursor
    cursor_x = (
        cursor.x
        if show_cursor and screen_y is not None and screen_y == cursor.y and screen.cursor_visible
        else None
    )
    return render_row(row, screen.columns, cursor_x)
