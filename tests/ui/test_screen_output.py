"""tui.screen_output writes fewer bytes and the terminal shows the same cells in the same styles."""

from __future__ import annotations

import pyte
import textual
from rich.color import ColorSystem
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate
from textual.strip import Strip

from tui import screen_output

COLS, ROWS = 40, 3


def screen_after(*outputs: str) -> list[list[tuple]]:
    """Each cell (character, colours, bold, reverse) of a terminal that was given `outputs`."""
    screen = pyte.Screen(COLS, ROWS)
    stream = pyte.Stream(screen)
    for output in outputs:
        stream.feed(output)
    return [[(c.data, c.fg, c.bg, c.bold, c.reverse) for c in (screen.buffer[y][x] for x in range(COLS))]
            for y in range(ROWS)]


def original_render(strip: Strip, console: Console) -> str:
    """Textual's own Strip.render (what screen_output replaces)."""
    system = console._color_system or ColorSystem.TRUECOLOR
    return "".join(text if style is None else Strip.render_style(style, text, system)
                   for text, style, _ in strip._segments)


def row_like_a_table() -> Strip:
    plain = Style(color="white", bgcolor="black")
    green = Style(color="green", bgcolor="black", bold=True)
    return Strip([Segment(" ", plain), Segment("name", plain), Segment(" ", plain), Segment(" ", plain),
                  Segment("running", green), Segment(" ", plain), Segment("plain", None), Segment("大x", plain),
                  Segment("  ", Style()), Segment("end", plain)])


def test_written_for_the_pinned_textual():
    # screen_output replaces two Textual functions: a new Textual pin means reading them again.
    assert textual.__version__ == screen_output.WRITTEN_FOR


def test_a_run_of_one_style_is_set_once_and_shows_the_same():
    console = Console(color_system="truecolor", force_terminal=True)
    strip = row_like_a_table()
    before = original_render(strip, console)
    after = screen_output.render_strip(strip, ColorSystem.TRUECOLOR)
    # Three segments follow one of the same style: each saves setting it again and a reset.
    assert len(after) == len(before) - 3 * len("\x1b[37;40m\x1b[0m")
    assert screen_after(after) == screen_after(before)


def test_a_changed_span_is_written_from_where_it_starts():
    console = Console(color_system="truecolor", force_terminal=True)
    strip = row_like_a_table()
    # The line's widget starts at column 0 and changed from column 11 ("running" and on).
    update = ChopsUpdate([{0: strip}], [(0, 11, 30)], [[strip.cell_length]])
    full = original_render(strip, console)
    cropped = screen_output._render_segments(update, console)
    assert cropped.startswith("\x1b[1;12H")
    assert screen_after(full, cropped) == screen_after(full)
    # Stale cells left of the span stay as they were; those in it are drawn again.
    stale = "\x1b[1;1H" + "#" * COLS
    assert screen_after(stale, cropped)[0][:11] == screen_after(stale)[0][:11]
    assert screen_after(stale, cropped)[0][11:strip.cell_length] == screen_after(full)[0][11:strip.cell_length]


def test_a_span_that_starts_inside_a_wide_character_writes_it_whole():
    console = Console(color_system="truecolor", force_terminal=True)
    strip = row_like_a_table()
    wide = strip.text.index("大")  # characters before it are one cell each
    update = ChopsUpdate([{0: strip}], [(0, wide + 1, 30)], [[strip.cell_length]])
    cropped = screen_output._render_segments(update, console)
    assert cropped.startswith(f"\x1b[1;{wide + 1}H")
    full = original_render(strip, console)
    assert screen_after(full, cropped) == screen_after(full)
