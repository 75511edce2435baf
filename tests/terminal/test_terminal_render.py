"""Rendering known screens to Strips: grouping, colours, wide chars, cursor, scrollback."""

from __future__ import annotations

from rich.color import Color
from rich.segment import Segment
from rich.style import Style

from tui.widgets.terminal_render import (
    render_row,
    render_screen_line,
    render_scrollback_line,
    render_viewport_line,
    rich_colour,
    style_for,
    viewport_row,
)
from tui.terminal.screen import TerminalScreen
from tui.terminal.stream import TerminalStream


def screen_with(data: bytes, columns: int = 10, lines: int = 3, **kwargs) -> TerminalScreen:
    screen = TerminalScreen(columns, lines, **kwargs)
    TerminalStream(screen).feed(data)
    return screen


def segments(strip) -> list[Segment]:
    return list(strip)


def test_equal_attributes_group_into_one_segment() -> None:
    screen = screen_with(b"ab\x1b[1;31mcd\x1b[0mef")
    strip = render_screen_line(screen, 0)
    assert segments(strip) == [
        Segment("ab", Style()),
        Segment("cd", Style(color="red", bold=True)),
        Segment("ef" + " " * 4, Style()),
    ]
    assert strip.cell_length == 10


def test_colour_mapping() -> None:
    assert rich_colour("default") is None
    assert rich_colour("red") == Color.parse("red")
    assert rich_colour("brown") == Color.parse("yellow")  # pyte spells yellow "brown"
    assert rich_colour("brightbrown") == Color.parse("bright_yellow")
    assert rich_colour("brightblack") == Color.parse("bright_black")
    assert rich_colour("bfightmagenta") == Color.parse("bright_magenta")
    assert rich_colour("0a141e") == Color.parse("#0a141e")
    assert rich_colour("nonsense") is None
    # Standard colours stay "standard", so Textual maps them through the theme.
    assert rich_colour("green").number == 2


def test_attributes_to_style() -> None:
    screen = screen_with(b"\x1b[2;3;4;7;9;5;8;38;2;1;2;3;48;5;21mX")
    style = segments(render_screen_line(screen, 0))[0].style
    assert style == Style(
        color="#010203", bgcolor="#0000ff", dim=True, italic=True, underline=True,
        reverse=True, strike=True, blink=True, conceal=True,
    )


def test_low_palette_indexes_render_as_named_colours() -> None:
    screen = screen_with(b"\x1b[38;5;1;48;5;12mX")
    assert segments(render_screen_line(screen, 0))[0].style == Style(color="red", bgcolor="bright_blue")


def test_style_cache_returns_same_object() -> None:
    cell = screen_with(b"\x1b[32mX").buffer[0][0]
    assert style_for(tuple(cell)[1:]) is style_for(tuple(cell)[1:])


def test_wide_characters_skip_the_stub() -> None:
    screen = screen_with("中x文".encode(), columns=8)
    strip = render_screen_line(screen, 0)
    assert segments(strip) == [Segment("中x文   ", Style())]
    assert strip.cell_length == 8


def test_orphaned_stub_and_wide_char_without_room_become_spaces() -> None:
    screen = screen_with("中中\x1b[1;2Hab\x1b[1;5H中".encode(), columns=5)
    # "a" overwrote the second half of the first wide char; "中" at column 4 has no room.
    strip = render_screen_line(screen, 0)
    assert "".join(s.text for s in strip) == " ab  "
    assert strip.cell_length == 5


def test_cursor_only_when_asked_and_visible() -> None:
    screen = screen_with(b"abc\x1b[1;2H")
    assert segments(render_screen_line(screen, 0)) == [Segment("abc" + " " * 7, Style())]
    assert segments(render_screen_line(screen, 0, show_cursor=True)) == [
        Segment("a", Style()),
        Segment("b", Style(reverse=True)),
        Segment("c" + " " * 7, Style()),
    ]
    TerminalStream(screen).feed(b"\x1b[?25l")
    assert segments(render_screen_line(screen, 0, show_cursor=True)) == [Segment("abc" + " " * 7, Style())]


def test_cursor_on_reverse_cell_toggles_back() -> None:
    screen = screen_with(b"\x1b[7mab\x1b[1;1H")
    first = segments(render_screen_line(screen, 0, show_cursor=True))[0]
    assert first == Segment("a", Style())


def test_cursor_on_wide_char_and_at_pending_wrap() -> None:
    screen = screen_with("中\x1b[1;2H".encode(), columns=4)
    assert segments(render_screen_line(screen, 0, show_cursor=True))[0] == Segment("中", Style(reverse=True))
    screen = screen_with(b"abcd", columns=4)  # cursor.x == columns
    assert segments(render_screen_line(screen, 0, show_cursor=True))[-1] == Segment("d", Style(reverse=True))


def test_scrollback_and_scrolled_viewport() -> None:
    screen = screen_with(b"one\r\ntwo\r\nthree\r\nfour\x1b[31m!", columns=6, lines=2)
    assert [s.text for s in render_scrollback_line(screen, 0)] == ["one   "]
    texts = ["".join(s.text for s in render_viewport_line(screen, y, 2, show_cursor=True)) for y in range(2)]
    assert texts == ["one   ", "two   "]
    texts = ["".join(s.text for s in render_viewport_line(screen, y, 1)) for y in range(2)]
    assert texts == ["two   ", "three "]
    row, screen_y = viewport_row(screen, 1, 1)
    assert screen_y == 0
    # Offsets past the scrollback clamp; the cursor shows only on its screen row.
    last = segments(render_viewport_line(screen, 1, 99, show_cursor=True))
    assert "".join(s.text for s in last) == "two   "
    bottom = segments(render_viewport_line(screen, 1, 0, show_cursor=True))
    assert Segment(" ", Style(reverse=True)) in bottom


def test_scrollback_row_from_a_wider_screen_is_clipped() -> None:
    screen = screen_with(b"0123456789\r\nx", columns=10, lines=1)
    screen.resize(lines=1, columns=4)
    assert [s.text for s in render_scrollback_line(screen, 0)] == ["0123"]


def test_render_row_pads_sparse_rows() -> None:
    screen = screen_with(b"\x1b[44m\x1b[2J", columns=3, lines=1)
    assert segments(render_row(screen.buffer[0], 3)) == [Segment("   ", Style(bgcolor="blue"))]
