"""TerminalScreen behaviour: pyte's gaps filled, driven through TerminalStream."""

from __future__ import annotations

import pyte
import pytest

from tui.terminal.screen import TerminalScreen
from tui.terminal.stream import TerminalStream


def make(columns: int = 20, lines: int = 5, **kwargs) -> tuple[TerminalScreen, TerminalStream, list[bytes]]:
    replies: list[bytes] = []
    screen = TerminalScreen(columns, lines, on_reply=replies.append, **kwargs)
    return screen, TerminalStream(screen), replies


def rows(screen: TerminalScreen) -> list[str]:
    return [line.rstrip() for line in screen.display]


def scrollback_text(screen: TerminalScreen) -> list[str]:
    return ["".join(row[x].data for x in range(screen.columns)).rstrip() for row in screen.scrollback]


# ------------------------------------------------------------ alternate screen


def test_1049_alt_screen_restores_primary_content_and_cursor() -> None:
    screen, stream, _ = make()
    stream.feed(b"$ vi\r\nline two\x1b[1;31m")
    before_rows, before_cursor = rows(screen), (screen.cursor.x, screen.cursor.y)
    stream.feed(b"\x1b[?1049h")
    assert screen.in_alt_screen
    assert rows(screen) == [""] * 5  # the alt screen starts clear
    stream.feed(b"\x1b[H\x1b[0mFULL SCREEN APP\x1b[5;1H~\r\n~\r\n~")
    stream.feed(b"\x1b[?1049l")
    assert not screen.in_alt_screen
    assert rows(screen) == before_rows
    assert (screen.cursor.x, screen.cursor.y) == before_cursor
    assert screen.cursor.attrs.fg == "red"  # attributes come back with the cursor
    assert screen.scrollback == type(screen.scrollback)()  # alt screen scrolling kept nothing


@pytest.mark.parametrize("mode", [47, 1047])
def test_47_and_1047_swap_buffers(mode: int) -> None:
    screen, stream, _ = make()
    stream.feed(b"primary")
    stream.feed(f"\x1b[?{mode}h".encode() + b"\x1b[Halt")
    assert rows(screen)[0] == "alt"
    stream.feed(f"\x1b[?{mode}l".encode())
    assert rows(screen)[0] == "primary"
    assert not screen.in_alt_screen


def test_alt_screen_marks_everything_dirty() -> None:
    screen, stream, _ = make()
    screen.take_dirty()
    stream.feed(b"\x1b[?1049h")
    assert screen.take_dirty() == set(range(5))


# ---------------------------------------------------------------- replies


def test_cursor_position_report() -> None:
    screen, stream, replies = make()
    stream.feed(b"ab\r\nxyz\x1b[6n")
    assert replies == [b"\x1b[2;4R"]


def test_cursor_position_report_at_pending_wrap_is_last_column() -> None:
    screen, stream, replies = make(columns=5)
    stream.feed(b"12345\x1b[6n")
    assert replies == [b"\x1b[1;5R"]


def test_status_attributes_and_mode_reports() -> None:
    screen, stream, replies = make()
    stream.feed(b"\x1b[5n\x1b[c\x1b[>c\x1b[?6n")
    assert replies == [b"\x1b[0n", b"\x1b[?6c", b"\x1b[>1;10;0c", b"\x1b[?1;1R"]
    replies.clear()
    stream.feed(b"\x1b[?2004h\x1b[?2004$p\x1b[?1$p\x1b[?7777$p\x1b[4$p")
    assert replies == [b"\x1b[?2004;1$y", b"\x1b[?1;2$y", b"\x1b[?7777;0$y", b"\x1b[4;2$y"]


def test_no_reply_callback_is_fine() -> None:
    screen = TerminalScreen(10, 3)
    TerminalStream(screen).feed(b"\x1b[6nok")
    assert screen.display[0].startswith("ok")


# ---------------------------------------------------------- SGR extensions


@pytest.mark.parametrize(
    "sequence,fg,bg",
    [
        (b"\x1b[38:2::10:20:30m", "0a141e", "default"),
        (b"\x1b[38:2:10:20:30m", "0a141e", "default"),
        (b"\x1b[48:2:1:10:20:30m", "default", "0a141e"),
        (b"\x1b[38:5:196m", "ff0000", "default"),
        (b"\x1b[38;5;9;48;5;4m", "brightred", "blue"),
        (b"\x1b[38:5:3m", "brown", "default"),
        (b"\x1b[1;38:2::1:2:3;48;5;15m", "010203", "brightwhite"),
    ],
)
def test_colon_sgr_and_low_palette_names(sequence: bytes, fg: str, bg: str) -> None:
    screen, stream, _ = make()
    stream.feed(sequence + b"X")
    cell = screen.buffer[0][0]
    assert (cell.data, cell.fg, cell.bg) == ("X", fg, bg)
    assert screen.display[0].rstrip() == "X"  # no garbage drawn


def test_underline_styles_via_colon() -> None:
    screen, stream, _ = make()
    stream.feed(b"\x1b[4:3ma\x1b[4:0mb")
    assert screen.buffer[0][0].underscore and not screen.buffer[0][1].underscore


def test_dim_conceal_and_normal_intensity() -> None:
    screen, stream, _ = make()
    stream.feed(b"\x1b[1;2;8ma\x1b[22mb\x1b[28mc")
    a, b, c = (screen.buffer[0][x] for x in range(3))
    assert a.bold and a.dim and a.conceal
    assert not b.bold and not b.dim and b.conceal
    assert not c.conceal


# ------------------------------------------------------- robustness


def test_private_margins_are_dropped() -> None:
    screen, stream, _ = make()
    stream.feed(b"\x1b[2;4r")
    assert screen.margins == (1, 3)
    stream.feed(b"\x1b[?1;2r\x1b[?r\x1b[1;2;3rok")
    assert screen.margins == (1, 3)
    assert "ok" in screen.display[0]
    assert screen.errors == 0


def test_bad_sequences_are_skipped_and_parsing_continues() -> None:
    screen, stream, _ = make()
    # Parameters a sequence does not take are ignored, as in xterm (pyte's
    # cursor_up raised TypeError on five); malformed ones are dropped.
    stream.feed(b"a\x1b[1;2;3;4;5Ab\x1b[?5;6mc\x1b[1:2Hd\x1b[<1~e")
    assert screen.display[0].rstrip() == "abcde"


def test_unknown_and_private_sequences_are_ignored() -> None:
    screen, stream, _ = make()
    stream.feed(b"\x1b[>4;1m\x1b[?u\x1b[=c\x1b[18t\x1b%Gok\x1b[2 q")
    assert screen.display[0].rstrip() == "ok"
    assert screen.cursor_shape == 2


# ------------------------------------------------------------ scrollback


def test_scrollback_fills_from_the_top_and_is_bounded() -> None:
    screen, stream, _ = make(columns=10, lines=3, scrollback_limit=5)
    stream.feed(b"\r\n".join(f"line{i}".encode() for i in range(20)))
    assert rows(screen) == ["line17", "line18", "line19"]
    assert scrollback_text(screen) == [f"line{i}" for i in range(12, 17)]
    assert screen.lines_scrolled_off == 17


def test_scrollback_default_and_disabled() -> None:
    assert TerminalScreen(10, 3).scrollback.maxlen == 10_000
    screen, stream, _ = make(lines=2, scrollback_limit=0)
    stream.feed(b"a\r\nb\r\nc\r\n")
    assert len(screen.scrollback) == 0


def test_scroll_region_below_top_keeps_no_history() -> None:
    screen, stream, _ = make(lines=5)
    stream.feed(b"\x1b[2;4r\x1b[4;1Ha\nb\nc\n")
    assert len(screen.scrollback) == 0


def test_erase_scrollback_only_with_ed3() -> None:
    screen, stream, _ = make(lines=2)
    stream.feed(b"a\r\nb\r\nc")
    assert scrollback_text(screen) == ["a"]
    stream.feed(b"\x1b[3J")
    assert len(screen.scrollback) == 0
    assert rows(screen) == ["b", "c"]


# ------------------------------------------------------------------ resize


def test_shrink_keeps_cursor_row_visible() -> None:
    screen, stream, _ = make(columns=10, lines=10)
    stream.feed(b"\r\n".join(f"r{i}".encode() for i in range(9)))  # cursor on row 8
    screen.resize(lines=4, columns=10)
    assert screen.cursor.y == 3
    assert rows(screen) == ["r5", "r6", "r7", "r8"]
    assert scrollback_text(screen) == ["r0", "r1", "r2", "r3", "r4"]


def test_shrink_with_cursor_near_top_drops_rows_below() -> None:
    screen, stream, _ = make(columns=10, lines=10)
    stream.feed(b"$ prompt")
    screen.resize(lines=4, columns=10)
    assert (screen.cursor.x, screen.cursor.y) == (8, 0)
    assert rows(screen)[0] == "$ prompt"
    assert len(screen.scrollback) == 0


def test_shrink_columns_clamps_cursor_and_clips_rows() -> None:
    screen, stream, _ = make(columns=10, lines=3)
    stream.feed(b"0123456789")  # pending wrap: x == columns
    screen.resize(lines=3, columns=4)
    assert screen.cursor.x == 3
    assert rows(screen)[0] == "0123"
    stream.feed(b"\x1b[6n")


def test_grow_adds_blank_rows_and_tab_stops() -> None:
    screen, stream, _ = make(columns=10, lines=2)
    stream.feed(b"a\r\nb")
    screen.resize(lines=4, columns=30)
    assert rows(screen) == ["a", "b", "", ""]
    stream.feed(b"\r\t\t\tX")
    assert screen.display[1][24] == "X"


def test_resize_in_alt_screen_keeps_primary_consistent() -> None:
    screen, stream, _ = make(columns=10, lines=6)
    stream.feed(b"\r\n".join(f"p{i}".encode() for i in range(6)))
    stream.feed(b"\x1b[?1049h")
    screen.resize(lines=3, columns=10)
    stream.feed(b"\x1b[?1049l")
    assert rows(screen) == ["p3", "p4", "p5"]
    assert screen.cursor.y == 2


# -------------------------------------------------- sequences pyte lacks


def test_scroll_up_and_down() -> None:
    screen, stream, _ = make(columns=5, lines=4)
    stream.feed(b"a\r\nb\r\nc\r\nd\x1b[2S")
    assert rows(screen) == ["c", "d", "", ""]
    assert scrollback_text(screen) == ["a", "b"]
    stream.feed(b"\x1b[T")
    assert rows(screen) == ["", "c", "d", ""]
    assert (screen.cursor.x, screen.cursor.y) == (1, 3)


def test_repeat_last_character() -> None:
    screen, stream, _ = make()
    stream.feed(b"ab\x1b[3b-\x1b[b")
    assert screen.display[0].rstrip() == "abbbb--"


def test_dec_line_drawing_charset() -> None:
    screen, stream, _ = make()
    stream.feed(b"\x1b(0lqk\x1b(Bx")
    assert screen.display[0].rstrip() == "┌─┐x"


def test_insert_and_delete_lines_with_blank_neighbours() -> None:
    # pyte's own IL/DL leave stale rows when a neighbour row is blank.
    screen, stream, _ = make(columns=5, lines=4)
    stream.feed(b"A\r\n\r\nC\r\nD\x1b[1;1H\x1b[M")
    assert rows(screen) == ["", "C", "D", ""]
    stream.feed(b"\x1b[2;1H\x1b[L")
    assert rows(screen) == ["", "", "C", "D"]


def test_erase_display_paints_background_everywhere() -> None:
    screen, stream, _ = make(columns=4, lines=2)
    stream.feed(b"\x1b[44m\x1b[2J")
    assert all(screen.buffer[y][x].bg == "blue" for y in range(2) for x in range(4))


def test_next_line_returns_carriage_and_scos_save_restore() -> None:
    screen, stream, _ = make()
    stream.feed(b"abc\x1bEx\x1b[s\x1b[4;4Hy\x1b[uz")
    assert rows(screen)[:2] == ["abc", "xz"]


def test_deccolm_does_not_resize() -> None:
    screen, stream, _ = make(columns=20)
    stream.feed(b"\x1b[?3h")
    assert screen.columns == 20


def test_title() -> None:
    screen, stream, _ = make()
    stream.feed(b"\x1b]0;my title\x07\x1b]2;other\x1b\\ok")
    assert screen.title == "other"
    assert screen.icon_name == "my title"
    assert screen.display[0].rstrip() == "ok"


# ------------------------------------------------------- modes and dirtiness


def test_mode_helpers() -> None:
    screen, stream, _ = make()
    assert not screen.app_cursor and not screen.bracketed_paste
    assert screen.mouse_tracking is None and not screen.sgr_mouse and screen.cursor_visible
    stream.feed(b"\x1b[?1h\x1b[?2004h\x1b[?1000h\x1b[?1006h\x1b[?25l\x1b[?1004h")
    assert screen.app_cursor and screen.bracketed_paste and screen.sgr_mouse
    assert screen.mouse_tracking == 1000 and not screen.cursor_visible and screen.focus_reporting
    stream.feed(b"\x1b[?1002h")
    assert screen.mouse_tracking == 1002
    stream.feed(b"\x1b[?1003h")
    assert screen.mouse_tracking == 1003
    stream.feed(b"\x1b[?1003l\x1b[?1002l\x1b[?1000l\x1b[?25h\x1b[?1l")
    assert screen.mouse_tracking is None and screen.cursor_visible and not screen.app_cursor


def test_take_dirty_includes_old_and_new_cursor_rows() -> None:
    screen, stream, _ = make(lines=10)
    stream.feed(b"\x1b[3;1H")
    screen.take_dirty()
    stream.feed(b"\x1b[7;5H")  # a pure cursor move: pyte marks nothing
    assert screen.take_dirty() == {2, 6}
    assert screen.take_dirty() == set()
    stream.feed(b"\x1b[?25l")  # visibility change repaints the cursor row
    assert screen.take_dirty() == {6}


def test_stock_pyte_stream_can_drive_the_screen() -> None:
    screen = TerminalScreen(10, 3)
    pyte.ByteStream(screen).feed(b"hi\x1b[31m!\x1b[?1049hX\x1b[?1049l")
    assert screen.display[0].rstrip() == "hi!"
    assert screen.buffer[0][2].fg == "red"
