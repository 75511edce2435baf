"""Untrusted log bytes become safe Text: SGR kept as styles, every other control neutralised."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.color import Color
from rich.console import Console
from rich.text import Text

from tui.logs.sanitize import MAX_CELLS, PLACEHOLDER, SGRState, human_size, sanitize_chunk, sanitize_line, split_lines

SGR = re.compile(r"\x1b\[[0-9;]*m")
C0_C1_DEL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def render(text: Text) -> str:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, color_system="truecolor", width=20_000, legacy_windows=False)
    console.print(text, end="\n", soft_wrap=True)
    return out.getvalue()


def assert_only_sgr(output: str) -> None:
    rest = SGR.sub("", output)
    assert "\x1b" not in rest
    leftover = C0_C1_DEL.findall(rest)
    assert not leftover, leftover


def style_at(text: Text, index: int):
    return text.get_style_at_offset(Console(), index)


# (name, 7-bit form, 8-bit form or None, text that must survive)
HOSTILE = [
    ("CSI cursor up", b"a\x1b[5Ab", "a\xc2\x9b5Ab", "ab"),
    ("CSI erase display", b"a\x1b[2Jb", "a\xc2\x9b2Jb", "ab"),
    ("CSI DSR 6n", b"a\x1b[6nb", "a\xc2\x9b6nb", "ab"),
    ("CSI private mode", b"a\x1b[?1049hb", "a\xc2\x9b?1049hb", "ab"),
    ("CSI with intermediate", b"a\x1b[1 qb", "a\xc2\x9b1 qb", "ab"),
    ("OSC title BEL", b"a\x1b]0;pwned\x07b", "a\xc2\x9d0;pwned\x07b", "ab"),
    ("OSC 52 clipboard ST", b"a\x1b]52;c;aGk=\x1b\\b", "a\xc2\x9d52;c;aGk=\xc2\x9cb", "ab"),
    ("OSC 8 hyperlink", b"\x1b]8;;http://evil/\x1b\\link\x1b]8;;\x1b\\", "\xc2\x9d8;;http://evil/\xc2\x9clink\xc2\x9d8;;\xc2\x9c", "link"),
    ("OSC unterminated", b"a\x1b]0;title to the end", "a\xc2\x9d0;title", "a"),
    ("DCS tmux passthrough", b"a\x1bPtmux;\x1b\x1b]52;c;x\x07\x1b\\b", "a\xc2\x90tmux;x\xc2\x9cb", "a"),
    ("SOS", b"a\x1bXsos\x1b\\b", "a\xc2\x98sos\xc2\x9cb", "ab"),
    ("PM", b"a\x1b^pm\x1b\\b", "a\xc2\x9epm\xc2\x9cb", "ab"),
    ("APC", b"a\x1b_apc\x1b\\b", "a\xc2\x9fapc\xc2\x9cb", "ab"),
    ("RIS reset", b"a\x1bcb", None, "ab"),
    ("DECSC", b"a\x1b7b", None, "ab"),
    ("charset", b"a\x1b(0b", None, "ab"),
    ("lone ESC at end", b"ab\x1b", None, "ab"),
    ("NEL C1", b"a\xc2\x85b", None, "ab"),
    ("BEL", b"a\x07b", None, "ab"),
    ("backspace", b"a\x08b", None, "ab"),
    ("vertical tab", b"a\x0bb", None, "ab"),
    ("DEL", b"a\x7fb", None, "ab"),
    ("NUL", b"a\x00b", None, "ab"),
]


# Every row in its 7-bit form, and in its 8-bit (C1) form where it has one;
# the text of an 8-bit form spells the UTF-8 bytes of the C1 controls.
HOSTILE_CASES = [pytest.param(h[0], h[1], h[3], id=f"{h[0]}-7bit") for h in HOSTILE] + [
    pytest.param(h[0], h[2].encode("latin-1"), h[3], id=f"{h[0]}-8bit") for h in HOSTILE if h[2] is not None
]


@pytest.mark.parametrize(("name", "data", "keep"), HOSTILE_CASES)
def test_hostile_sequences_are_neutralised(name, data, keep):
    text = sanitize_line(data)
    plain = text.plain
    assert "\x1b" not in plain
    assert not C0_C1_DEL.search(plain), repr(plain)
    stripped = re.sub("[\u2400-\u2421]|<[0-9A-F]{2}>", "", plain)
    for ch in keep:
        assert ch in stripped
    assert "pwned" not in plain and "aGk=" not in plain and "http://evil" not in plain
    assert_only_sgr(render(text))


def test_raw_8bit_bytes_are_invalid_utf8_and_become_replacement_chars():
    text = sanitize_line(b"a\x9b6n\x9d0;t\x07b")
    assert "\ufffd" in text.plain
    assert_only_sgr(render(text))


def test_dropped_sequences_leave_a_dim_placeholder_but_not_for_erase_line():
    text = sanitize_line(b"x\x1b]0;t\x07y\x1b[Kz\x1b[2J\x1b[H\x1b]2;t\x07!")
    assert text.plain == f"x{PLACEHOLDER}yz{PLACEHOLDER}!"  # one ␛ for a run of sequences
    assert style_at(text, 1).dim
    assert sanitize_line(b"x\x1b[2Jy", placeholders=False).plain == "xy"


def test_sgr_colours_become_styles():
    text = sanitize_line(b"\x1b[1;31mred\x1b[0m \x1b[38;5;196mx\x1b[38;2;10;20;30my\x1b[38:2::1:2:3mz\x1b[48:5:4mw")
    assert text.plain == "red xyzw"
    assert style_at(text, 0).bold and style_at(text, 0).color == Color.from_ansi(1)
    assert style_at(text, 3).color is None
    assert style_at(text, 4).color == Color.from_ansi(196)
    assert style_at(text, 5).color == Color.from_rgb(10, 20, 30)
    assert style_at(text, 6).color == Color.from_rgb(1, 2, 3)
    assert style_at(text, 7).bgcolor == Color.from_ansi(4)


def test_sgr_edge_cases_do_not_crash():
    for params in ["", "0", ";;", "38", "38;5", "38;2;1", "38;5;999", "4:3", "58;5;1", "9" * 5000, "38:2:1", ":::"]:
        text = sanitize_line(f"\x1b[{params}mx".encode())
        assert text.plain == "x"


def test_conceal_and_blink_are_ignored():
    text = sanitize_line(b"\x1b[8;5mhidden")
    style = style_at(text, 0)
    assert not style.conceal and not style.blink


def test_markup_stays_literal():
    text = sanitize_line(b"[bold]x[/bold] [link=http://a]y[/]")
    assert text.plain == "[bold]x[/bold] [link=http://a]y[/]"
    assert "[bold]" in render(text)


def test_invalid_utf8_is_replaced():
    text = sanitize_line(b"ok \xff\xfe \xe2\x82 end \xed\xa0\x80")
    assert text.plain.startswith("ok \ufffd\ufffd")
    assert "end" in text.plain
    assert_only_sgr(render(text))


def test_bidi_and_invisible_format_characters_are_shown():
    text = sanitize_line("a\u202eb\u200bc".encode())
    assert "\u202e" not in text.plain and "\u200b" not in text.plain
    assert "<U+202E>" in text.plain


def test_tabs_expand_to_tab_stops():
    assert sanitize_line(b"a\tb").plain == "a       b"
    assert sanitize_line(b"\x1b[31mab\x1b[0m\tc").plain == "ab      c"
    assert sanitize_line(b"\t\tx").plain == " " * 16 + "x"


def test_carriage_returns_keep_the_final_state():
    assert sanitize_line(b"10%\r50%\r100%").plain == "100%"
    assert sanitize_line(b"done\r").plain == "done"  # what is left of "done\r\n"
    assert sanitize_line(b"progress\r").plain == "progress"
    # A colour set before the last CR still applies after it.
    text = sanitize_line(b"\x1b[32mwait\rok")
    assert text.plain == "ok" and style_at(text, 0).color == Color.from_ansi(2)


def test_split_lines_and_chunk_state():
    assert split_lines(b"") == []
    assert split_lines(b"\n") == [b""]
    assert split_lines(b"a\nb\n") == [b"a", b"b"]
    assert split_lines(b"a\r\nb") == [b"a\r", b"b"]
    lines = sanitize_chunk(b"\x1b[31mone\ntwo\x1b[0m\nthree\r\n")
    assert [t.plain for t, _ in lines] == ["one", "two", "three"]
    assert style_at(lines[1][0], 0).color == Color.from_ansi(1)  # the colour runs on, as in a terminal
    assert style_at(lines[2][0], 0).color is None
    assert [n for _, n in lines] == [8, 7, 6]


def test_huge_line_is_truncated():
    # How fast is a figure: bench/timings.py ("sanitize"), not a test.
    data = b"x" * 1_000_000
    text = sanitize_line(data)
    assert text.plain.startswith("x" * MAX_CELLS)
    assert text.plain.endswith(f"\u2026 [+{human_size(1_000_000 - MAX_CELLS)}]")
    assert text.cell_len < MAX_CELLS + 20


@pytest.mark.parametrize("unit", [b"\x1b[31mx", b"\x1b]0;t\x07", b"\xe4\xb8\xad", b"\t", b"\x1b[5A", b"a\r"])
def test_hostile_huge_lines_are_bounded(unit):
    # How fast is a figure: bench/timings.py ("sanitize"), not a test.
    data = unit * (1_000_000 // len(unit))
    text = sanitize_line(data)
    assert text.cell_len <= MAX_CELLS + 20
    assert_only_sgr(render(text))


def test_wide_characters_truncate_by_cells():
    text = sanitize_line("中".encode() * 20_000, max_cells=100)
    assert text.plain.startswith("中" * 50)
    assert text.cell_len <= 100 + 20


def test_human_size():
    assert human_size(12) == "12 B"
    assert human_size(990 * 1024) == "990 KB"
    assert human_size(3 * 1024 * 1024 // 2) == "1.5 MB"


def test_sgr_state_transitions_are_cached_and_copied():
    state = SGRState()
    state.apply("1;32")
    copy = state.copy()
    state.apply("0")
    assert copy.style.bold and state.style is None


_ALPHABET = st.sampled_from(
    [b"\x1b", b"[", b"]", b"P", b"\\", b"m", b";", b":", b"0", b"1", b"3", b"8", b"5", b"2", b"?", b"6", b"n",
     b"\x07", b"\r", b"\t", b"\x00", b"\x7f", b"\x9b", b"\x9d", b"\xc2\x9b", b"\xc2\x9d", b"\xc2\x9c", b"\xc2\x85",
     b"\xe2\x80\xae", b"\xff", b"a", b"Z", b" ", b"[bold]", b"\xe4\xb8\xad", b"\x1b[", b"\x1b]", b"\x1bP", b"\x1b\\"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_ALPHABET, st.binary(max_size=8)), max_size=60))
def test_property_rendered_output_has_only_sgr_escapes(pieces):
    data = b"".join(pieces)
    for text, _ in sanitize_chunk(data, max_cells=200):
        assert "\n" not in text.plain
        assert_only_sgr(render(text))


def test_text_cells_counts_wide_characters_in_long_lines():
    from rich.cells import cell_len

    from tui.logs.sanitize import text_cells

    for plain in ["plain ascii", "x" * 5000, "x" * 5000 + " \u2026 [+6 kB]", "漢字" * 400 + "ab" * 300,
                  "a\u200db" * 300, "\u2400" * 600, "👍🏽 ok " * 100]:
        assert text_cells(plain) == cell_len(plain), plain[:20]
    line = sanitize_line(b"y" * 100_000)
    assert text_cells(line.plain) == line.cell_len <= 10_020
