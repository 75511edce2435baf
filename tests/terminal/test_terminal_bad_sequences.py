"""Hostile and malformed sequences never stop the terminal (issue 11, item 5).

`printf 'AAA\\033[1;2\\b;3EBBB\\n'` in a shell stopped the pane drawing: a control
inside a CSI sent the sequence down a path outside the parser's error guard, where
CNL with three parameters raised. Like xterm, the control now runs where it stands
and the sequence goes on; parameters a sequence does not take are ignored; and any
handler that still raises costs only its own sequence. The other shapes are those
bench/fuzz.py found raising inside pyte's handlers.
"""

from __future__ import annotations

import pytest

from tui.testing.hostile import check_strip, make_console
from tui.widgets.terminal_render import render_viewport_line
from tui.terminal.screen import TerminalScreen
from tui.terminal.stream import MAX_TAIL, TerminalStream

CONSOLE = make_console()


def make(columns: int = 20, lines: int = 5) -> tuple[TerminalScreen, TerminalStream]:
    screen = TerminalScreen(columns, lines, on_reply=lambda data: None)
    return screen, TerminalStream(screen)


def rows(screen: TerminalScreen) -> list[str]:
    return [line.rstrip() for line in screen.display]


def render_all(screen: TerminalScreen) -> None:
    for y in range(screen.lines):
        check_strip(render_viewport_line(screen, y, show_cursor=True), CONSOLE, screen.columns, f"row {y}")


def test_a_control_inside_a_csi_runs_and_the_sequence_goes_on() -> None:
    screen, stream = make()
    stream.feed(b"AAA\x1b[1;2\b;3EBBB\r\nafter-bad-csi\r\n")
    # BS moves back one column, then CSI 1;2;3 E is CNL 1 (the extra parameters
    # are ignored, as xterm does): BBB starts the next line.
    assert rows(screen)[:3] == ["AAA", "BBB", "after-bad-csi"]
    assert screen.errors == 0
    render_all(screen)


def test_the_same_sequence_through_the_paced_queue() -> None:
    # As TerminalView feeds it: queued bytes parsed in bounded slices.
    screen, stream = make()
    stream.push(b"$ printf\r\nAAA\x1b[1;2\b;3EBBB\r\n")
    stream.push(b"after-bad-csi\r\n$ ")
    while stream.process_pending(7):
        pass
    assert rows(screen)[:4] == ["$ printf", "AAA", "BBB", "after-bad-csi"]
    assert rows(screen)[4] == "$"


@pytest.mark.parametrize("sequence", [
    b"\x1b[1;2;3;4;5A",       # more parameters than CUU takes (pyte: TypeError)
    b"\x1b[0;1K",             # EL's second parameter landed on pyte's `private`
    b"\x1b[?0;1K",            # ... and collided with it (TypeError)
    b"\x1b[5K",               # EL with an unknown mode (pyte: UnboundLocalError)
    b"\x1b[?6h\x1b[9999d",    # VPA under DECOM without margins (pyte: AssertionError, cursor left off screen)
    b"\x1b[1\x00;2\x7fH",     # NUL and DEL inside a CSI
    b"\x1b[3\x0b1m",          # VT inside SGR
    b"\x1b[1;2\x08;3E" * 50,  # the shell sequence, repeated
    b"\x1b[999999999999999999999;2147483647;9~",
    b"\x1b[" + b";" * 5000 + b"H",
], ids=lambda sequence: repr(sequence)[2:34])
def test_bad_sequences_are_contained_and_the_stream_goes_on(sequence: bytes) -> None:
    screen, stream = make()
    stream.feed(b"before " + sequence + b"\r\nafter")
    assert "after" in "\n".join(rows(screen)), rows(screen)
    assert 0 <= screen.cursor.y < screen.lines and 0 <= screen.cursor.x <= screen.columns
    assert screen.errors == 0
    render_all(screen)
    stream.feed(b"\r\nstill drawing")
    assert "still drawing" in "\n".join(rows(screen))


def test_decom_vpa_then_text_draws_on_screen() -> None:
    screen, stream = make(lines=4)
    stream.feed(b"\x1b[?6h\x1b[9d")
    stream.feed(b"X")
    assert rows(screen)[3] == "X"
    render_all(screen)


def test_can_aborts_a_csi_as_in_xterm() -> None:
    screen, stream = make()
    stream.feed(b"\x1b[31\x18mX")
    assert rows(screen)[0] == "mX"
    assert screen.cursor.attrs.fg == "default"


def test_a_handler_that_raises_costs_only_its_sequence(monkeypatch) -> None:
    screen, stream = make()

    def broken(*args, **kwargs):
        raise RuntimeError("handler bug")

    monkeypatch.setattr(screen, "cursor_down1", broken)
    monkeypatch.setattr(screen, "bell", broken)
    stream._actions = stream._base_actions = stream._control_actions()  # tables hold bound methods
    # Plain, with a control inside (the separately compiled path), and a lone control.
    stream.feed(b"a\x1b[2Eb\x1b[1\x07Ec\x07d")
    assert rows(screen)[0] == "abcd"
    assert screen.errors == 4  # each failing call once: CNL, BEL + CNL, BEL


def test_a_huge_csi_in_small_reads_is_dropped_whole() -> None:
    screen, stream = make()
    data = b"x\x1b[" + b"9" * (MAX_TAIL + 5000) + b"my"
    for start in range(0, len(data), 7):
        stream.feed(data[start:start + 7])
    assert rows(screen)[0] == "xy"  # none of the parameter digits drawn


def test_a_huge_string_in_small_reads_is_dropped_whole() -> None:
    screen, stream = make()
    data = b"x\x1bP" + b"q#1" * 30_000 + b"\x1b\\y"
    for start in range(0, len(data), 5):
        stream.feed(data[start:start + 5])
    assert rows(screen)[0] == "xy"


def test_controls_split_across_reads_inside_a_long_csi() -> None:
    screen, stream = make()
    data = b"\x1b[" + b"1;" * 200 + b"\x08" + b"2;" * 200 + b"31mR"
    for start in range(0, len(data), 3):
        stream.feed(data[start:start + 3])
    assert rows(screen)[0] == "R"
    assert screen.cursor.attrs.fg == "red"
