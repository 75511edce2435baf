"""TerminalStream: same results as stock pyte where pyte is right; split reads,
string stripping and bounded feeding."""

from __future__ import annotations

import pyte
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.terminal.screen import TerminalScreen
from tui.terminal.stream import MAX_TAIL, TerminalStream

COLUMNS, LINES = 12, 5


def stock(data: bytes) -> pyte.Screen:
    screen = pyte.Screen(COLUMNS, LINES)
    pyte.ByteStream(screen).feed(data)
    return screen


def ours(chunks: list[bytes], **kwargs) -> TerminalScreen:
    screen = TerminalScreen(COLUMNS, LINES, **kwargs)
    stream = TerminalStream(screen)
    for chunk in chunks:
        stream.feed(chunk)
    return screen


def assert_same_screen(mine: TerminalScreen, reference: pyte.Screen) -> None:
    # Cells, not ``display``: pyte's ``display`` raises on an orphaned wide-char stub.
    for y in range(LINES):
        for x in range(COLUMNS):
            # pyte.Char's nine fields are the first nine of our Cell.
            assert tuple(mine.buffer[y][x])[:9] == tuple(reference.buffer[y][x]), (y, x)
    assert (mine.cursor.x, mine.cursor.y) == (reference.cursor.x, reference.cursor.y)
    assert tuple(mine.cursor.attrs)[:9] == tuple(reference.cursor.attrs)


def split_at(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(c, len(data)) for c in cuts} | {0, len(data)})
    return [data[a:b] for a, b in zip(points, points[1:])]


# ------------------------------------------------------------------ corpus
# Only what stock pyte handles correctly: its bugs and gaps (ED/IL/DL, SGR
# 2/8/21/105, palette 0-15, CSI S/T/b/s/u, charsets, C1) are covered by
# deterministic tests in test_terminal_screen.py instead.

# Narrow non-ASCII (fast path) plus wide and combining characters (pyte path).
TEXT_ALPHABET = st.sampled_from(list("abcxyz019 -_/.~") + ["é", "─", "│", "ß", "中", "文", "\u0301", "😀"])
text = st.text(TEXT_ALPHABET, min_size=1, max_size=30).map(str.encode)
controls = st.sampled_from([b"\r", b"\n", b"\r\n", b"\t", b"\x08", b"\x07", b"\x00", b"\x7f"])
SGR_CODES = [0, 1, 3, 4, 5, 7, 9, 22, 23, 24, 25, 27, 29, 39, 49] + list(range(30, 38)) + list(
    range(40, 48)) + list(range(90, 98)) + [100, 101, 102, 103, 104, 106, 107]
sgr_param = st.one_of(
    st.sampled_from(SGR_CODES).map(str),
    st.tuples(st.sampled_from([38, 48]), st.integers(16, 255)).map(lambda t: f"{t[0]};5;{t[1]}"),
    st.tuples(st.sampled_from([38, 48]), st.integers(0, 255), st.integers(0, 255), st.integers(0, 255)).map(
        lambda t: f"{t[0]};2;{t[1]};{t[2]};{t[3]}"),
)
sgr = st.lists(sgr_param, min_size=0, max_size=4).map(lambda ps: f"\x1b[{';'.join(ps)}m".encode())
small = st.integers(0, 14)
moves = st.one_of(
    st.tuples(small, st.sampled_from("ABCDGd@PX")).map(lambda t: f"\x1b[{t[0]}{t[1]}".encode()),
    st.tuples(small, small).map(lambda t: f"\x1b[{t[0]};{t[1]}H".encode()),
    st.sampled_from([b"\x1b[K", b"\x1b[1K", b"\x1b[2K", b"\x1b7", b"\x1b8", b"\x1bM", b"\x1bD",
                     b"\x1b[?7l", b"\x1b[?7h", b"\x1b[4h", b"\x1b[4l", b"\x1b[H"]),
)
token = st.one_of(text, text, text, controls, sgr, sgr, moves)
corpus = st.lists(token, max_size=40).map(b"".join)


@settings(max_examples=400, deadline=None)
@given(data=corpus, cuts=st.lists(st.integers(0, 400), max_size=6))
def test_same_screen_as_stock_pyte(data: bytes, cuts: list[int]) -> None:
    assert_same_screen(ours(split_at(data, cuts)), stock(data))


@settings(max_examples=100, deadline=None)
@given(lines=st.lists(st.tuples(sgr, text, sgr, text), min_size=1, max_size=30))
def test_coloured_listing_same_as_stock_pyte(lines) -> None:
    data = b"".join(a + b + c + d + b"\x1b[0m\r\n" for a, b, c, d in lines)
    assert_same_screen(ours([data]), stock(data))


def test_long_plain_text_wraps_and_scrolls_like_pyte() -> None:
    data = b"".join(b"%d " % i * (i % 7) + b"\r\n" for i in range(200))
    data += b"x" * 100  # autowrap over several rows
    assert_same_screen(ours(split_at(data, list(range(0, len(data), 97)))), stock(data))


def test_no_autowrap_overwrites_last_column_like_pyte() -> None:
    data = b"\x1b[?7labcdefghijklmnopqrstuvwxyz\r\nshort"
    assert_same_screen(ours([data]), stock(data))


# -------------------------------------------------------------- split reads


def test_utf8_split_across_reads() -> None:
    data = "héllo 中文 😀!".encode()
    for cut in range(1, len(data)):
        screen = ours([data[:cut], data[cut:]])
        assert screen.display[0].startswith("héllo 中文 😀!"[:9])
        assert "".join(screen.display).replace(" ", "").startswith("héllo中文")


def test_escape_sequence_split_at_every_byte() -> None:
    data = b"a\x1b[38;2;1;2;3mb\x1b]0;title\x07c\x1b[?1049hd\x1b[?1049le"
    reference = ours([data])
    for cut in range(1, len(data)):
        screen = ours([data[:cut], data[cut:]])
        assert screen.display == reference.display
        assert screen.buffer[0][1] == reference.buffer[0][1]
        assert screen.title == "title"


def test_one_byte_at_a_time() -> None:
    data = b"\x1b[1;31mred\x1b[0m \x1bP1$r0m\x1b\\\xe4\xb8\xad\r\nnext"
    screen = ours([data[i:i + 1] for i in range(len(data))])
    assert [line.rstrip() for line in screen.display[:2]] == ["red 中", "next"]
    assert screen.buffer[0][0].fg == "red"


# ----------------------------------------------------------- string stripping


def test_dcs_sos_pm_apc_are_stripped() -> None:
    data = (b"a\x1bP1;2|sixel\ndata#0;2\x1b\\b\x1bXsos\x1b\\c"
            b"\x1b^pm\x1b\\d\x1b_apc\x1b\\e\x1bPq\x1bX\x1b\\f")
    screen = ours([data])
    assert screen.display[0].rstrip() == "abcdef"


def test_dcs_split_across_reads_is_stripped() -> None:
    data = b"before\x1bPq#0;2;0;0;0#0!10~-\x1b\\after"
    for cut in range(1, len(data)):
        screen = ours([data[:cut], data[cut:]])
        assert screen.display[0].rstrip() == "beforeafter", cut


def test_huge_dcs_is_discarded_not_buffered() -> None:
    screen = TerminalScreen(COLUMNS, LINES)
    stream = TerminalStream(screen)
    stream.feed(b"x\x1bPq")
    for _ in range(5):
        stream.feed(b"#" * MAX_TAIL)
    assert len(stream._tail) <= MAX_TAIL
    stream.feed(b"####\x1b")
    stream.feed(b"\\y")
    assert screen.display[0].rstrip() == "xy"


def test_stray_escape_aborts_a_sequence() -> None:
    screen = ours([b"a\x1b[12\x1b[31mb\x1b\x1b[0mc\x1b]0;unterminated\x1b[1md"])
    assert screen.display[0].rstrip() == "abcd"
    assert screen.buffer[0][1].fg == "red"
    assert screen.buffer[0][3].bold


def test_controls_inside_csi_are_executed() -> None:
    screen = ours([b"ab\x1b[3\rC!"])  # CR inside CSI 3 C: return, then forward 3
    assert screen.display[0].rstrip() == "ab !"


# ------------------------------------------------------------ bounded feeding


def test_process_pending_is_bounded() -> None:
    screen = TerminalScreen(80, 24)
    stream = TerminalStream(screen)
    for i in range(2000):
        stream.push(b"line %05d with some text to make it longer\r\n" % i)
    total = stream.pending_bytes
    assert total > 64 * 1024
    turns = 0
    while stream.process_pending(budget=16 * 1024):
        turns += 1
        assert stream.pending_bytes == total - 16 * 1024 * turns
    assert stream.pending_bytes == 0
    assert turns == total // (16 * 1024)
    assert screen.display[-2].startswith("line 01999")
    assert stream.process_pending() is False


def test_push_split_mid_character_through_budget() -> None:
    screen = TerminalScreen(20, 2)
    stream = TerminalStream(screen)
    stream.push("中文中文".encode())
    while stream.process_pending(budget=1):
        pass
    assert screen.display[0].startswith("中文中文")
