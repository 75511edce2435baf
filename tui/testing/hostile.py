"""Hostile program output and the checks run on it: shared by the property tests and bench/fuzz.py.

A case is built from a `random.Random`, so the suite (hypothesis drives the Random
and shrinks its choices) and the bench (a seeded Random per case, no shrinking) use
the same generators, and a case is reproduced from its seed alone.

The bytes mix what a container can write to hurt a terminal: CSI/OSC/DCS/SOS/PM/APC
with random and huge parameters and controls inside, their 8-bit C1 forms (raw and
UTF-8 encoded), invalid UTF-8, wide/combining/bidi text, truncated sequences, plain
random bytes. Two paths are checked:

* the terminal emulator: `TerminalStream` + `TerminalScreen` (with resizes in
  between, bounded slices through `push`/`process_pending`) + `render` into Strips;
* the log path: frames cut anywhere, joined by `IngestQueue.take` (as the pane joins
  an engine's cut lines), sanitised, rendered as `RowPainter` renders a line.

What must hold: nothing raises, and what would be written to the user's real
terminal (each Strip rendered to the escape sequences Textual writes) holds no
control character other than the SGR sequences of the rendering itself.
"""

from __future__ import annotations

import contextlib
import io
import random
import re
import signal
from dataclasses import dataclass, field
from datetime import datetime, timezone

from rich.console import Console
from textual.strip import Strip

from tui.engine.types import LogStream
from tui.logs.buffer import LogBuffer
from tui.widgets.terminal_render import render_viewport_line
from tui.terminal.screen import TerminalScreen
from tui.terminal.stream import TerminalStream
from tui.logs.ingest import IngestQueue
from tui.widgets.log.wrap import wrap_strip

# What Rich writes around styled text (SGR) is the renderer's own; anything else that is a
# control character came from the program.
_OWN_SGR = re.compile(r"\x1b\[[0-9;]*m")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

CSI_FINALS = "@ABCDEFGHIJKLMPSTXZ`abcdefghlmnqrstu~pyx"
OSC_CODES = ["0", "1", "2", "4", "7", "8", "10", "11", "12", "52", "104", "133", "777", "1337", ""]
TEXT_POOL = (list("abcxyz0189 -_/.~[]") + ["é", "─", "│", "ß", "中", "文", "\u0301", "\u200d", "😀", "👩\u200d💻",
             "\u202e", "\u2066", "\ufeff", "\u00ad", "\ufffd", "\U0010ffff", "\u0085", "\u2028"])
INVALID_UTF8 = [b"\x80", b"\xbf", b"\xc0\xaf", b"\xc3", b"\xe4\xb8", b"\xf0\x9f\x98", b"\xed\xa0\x80",
                b"\xf4\x90\x80\x80", b"\xfe", b"\xff", b"\xf8\x88\x80\x80\x80"]


def c1(rng: random.Random, code: int | None = None) -> bytes:
    """A C1 control: the raw 8-bit byte, or its UTF-8 encoding (U+0080..U+009F)."""
    code = rng.randrange(0x80, 0xA0) if code is None else code
    return bytes([code]) if rng.random() < 0.5 else chr(code).encode()


def control(rng: random.Random) -> bytes:
    roll = rng.random()
    if roll < 0.6:
        return bytes([rng.choice([*range(0x20), 0x7F])])
    if roll < 0.8:
        return c1(rng)
    return rng.choice([b"\x1b", b"\x18", b"\x1a", b"\r\n", b"\x08\x08", b"\x1b\x1b"])


def _number(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.5:
        return str(rng.randrange(0, 10))
    if roll < 0.7:
        return str(rng.randrange(0, 300))
    if roll < 0.8:
        return ""
    if roll < 0.9:
        return str(rng.choice([1000, 1004, 1006, 1049, 2004, 65535, 2**31 - 1, 2**32, 2**63]))
    return "9" * rng.randrange(5, 60)


def params(rng: random.Random) -> str:
    count = rng.choice([0, 1, 1, 2, 2, 3, 5, 6, rng.randrange(0, 40)])
    parts = []
    for _ in range(count):
        part = _number(rng)
        if rng.random() < 0.1:
            part += ":" + ":".join(_number(rng) for _ in range(rng.randrange(1, 5)))
        parts.append(part)
    body = ";".join(parts)
    if rng.random() < 0.25:
        body = rng.choice("<=>?") + body
    if rng.random() < 0.05:
        at = rng.randrange(len(body) + 1)
        body = body[:at] + rng.choice("<=>?:") + body[at:]
    return body


def _sprinkle(rng: random.Random, body: bytes, rate: float = 0.15) -> bytes:
    """Controls inserted inside a sequence's body (about `rate` per byte, at most 20)."""
    if rng.random() > rate * 3:
        return body
    count = min(20, max(1, round(len(body) * rate)))
    points = sorted(rng.randrange(len(body) + 1) for _ in range(count))
    out, last = [], 0
    for point in points:
        out += [body[last:point], control(rng)]
        last = point
    out.append(body[last:])
    return b"".join(out)


def csi(rng: random.Random) -> bytes:
    intro = b"\x1b[" if rng.random() < 0.8 else c1(rng, 0x9B)
    body = params(rng).encode()
    if rng.random() < 0.15:
        body += bytes(rng.choice(b" !\"#$%&'()*+,-./") for _ in range(rng.randrange(1, 4)))
    body = _sprinkle(rng, body)
    roll = rng.random()
    if roll < 0.8:
        final = rng.choice(CSI_FINALS).encode()
    elif roll < 0.9:
        final = bytes([rng.randrange(0x40, 0x7F)])
    elif roll < 0.95:
        final = bytes([rng.randrange(0, 256)])
    else:
        final = b""  # unterminated
    return intro + body + final


def string_sequence(rng: random.Random) -> bytes:
    """OSC, DCS, SOS, PM or APC with a random body and terminator (or none)."""
    kind = rng.choice("]]]P_^X")
    if rng.random() < 0.75:
        intro = b"\x1b" + kind.encode()
    else:
        intro = c1(rng, {"]": 0x9D, "P": 0x90, "_": 0x9F, "^": 0x9E, "X": 0x98}[kind])
    if kind == "]":
        body = (rng.choice(OSC_CODES) + ";" + text(rng).decode("utf-8", "replace")).encode()
    elif rng.random() < 0.3:
        body = b"q" + b"#0;2;0;0;0#0~~@@vv" * rng.randrange(1, 50)  # sixel-ish
    else:
        body = text(rng) + (b"\x1b[31m" if rng.random() < 0.3 else b"")
    if rng.random() < 0.01 and intro.startswith(b"\x1b"):
        # Longer than the stream buffers (64 KiB). Not after a C1 introducer: in UTF-8
        # those start no string, and 70 000 characters of text are a test of speed.
        body += b"x" * rng.choice([70_000, 130_000])
    body = _sprinkle(rng, body, 0.05)
    terminator = rng.choice([b"\x07", b"\x1b\\", b"\x1b\\", c1(rng, 0x9C), b"", b"\x1b", b"\x18"])
    return intro + body + terminator


def escape(rng: random.Random) -> bytes:
    roll = rng.random()
    if roll < 0.4:
        return b"\x1b" + bytes([rng.randrange(0x20, 0x7F)])
    if roll < 0.7:
        return b"\x1b" + rng.choice([b"(", b")", b"*", b"+", b"#", b"%", b" "]) + bytes([rng.randrange(0x20, 0x7F)])
    return rng.choice([b"\x1bc", b"\x1b7", b"\x1b8", b"\x1bM", b"\x1bD", b"\x1bE", b"\x1bH", b"\x1b#8",
                       b"\x1b(0", b"\x0e", b"\x0f", b"\x1b=", b"\x1b>", b"\x1bN", b"\x1bO", b"\x1b\\"])


def text(rng: random.Random) -> bytes:
    if rng.random() < 0.5:
        return "".join(rng.choice("abcdefghij klmnop") for _ in range(rng.randrange(1, 30))).encode()
    return "".join(rng.choice(TEXT_POOL) for _ in range(rng.randrange(1, 20))).encode("utf-8", "surrogatepass")


def invalid_utf8(rng: random.Random) -> bytes:
    return b"".join(rng.choice(INVALID_UTF8) for _ in range(rng.randrange(1, 4)))


def known(rng: random.Random) -> bytes:
    """Sequences real programs send, some with absurd counts."""
    n = rng.choice(["", "0", "1", "2", "3", "5", "999", "99999999", "4294967296"])
    return rng.choice([
        f"\x1b[{n}b", f"\x1b[{n}S", f"\x1b[{n}T", f"\x1b[{n}L", f"\x1b[{n}M", f"\x1b[{n}@", f"\x1b[{n}P",
        f"\x1b[{n}X", f"\x1b[{n}I", f"\x1b[{n}Z", f"\x1b[{n};{n}r", f"\x1b[{n};{n}H", f"\x1b[{n}J",
        f"\x1b[?{n}h", f"\x1b[?{n}l", "\x1b[?1049h", "\x1b[?1049l", "\x1b[?47h", "\x1b[?1047l",
        "\x1b[?5h", "\x1b[?5l", "\x1b[?6h", "\x1b[?7l", "\x1b[4h", "\x1b[20h", "\x1b[6n", "\x1b[?6n",
        "\x1b[c", "\x1b[>c", "\x1b[?1$p", "\x1b[!p", "\x1b[3 q", "\x1b[38:2::1:2:3m", "\x1b[38;5;300m",
        "\x1b[3J", "\x1b[s", "\x1b[u", "\x1b[1;5s", "\x1b]0;title\x07", "\x1b[2K", "\x1b[1G",
    ]).encode()


def huge(rng: random.Random) -> bytes:
    # Sequences past the stream's 64 KiB tail are discarded cheaply; drawn text is kept
    # smaller, so a case's time stays far below the hang threshold on a loaded machine.
    size = rng.choice([1000, 5000, 20_000, 70_000])
    text_size = min(size, 10_000)
    return rng.choice([
        lambda: b"\x1b[" + b"9" * size + b"m",
        lambda: b"\x1b[" + b";" * size + b"H",
        lambda: b"\x1b[" + b"1;" * (size // 2) + b"m",
        lambda: b"\x1b[1" + b"\x08" * size + b"A",
        lambda: b"\x1b[" + b"\x00" * size,
        lambda: b"\x1b[?" + b"1" * size,
        lambda: b"a" * text_size,
        lambda: "中".encode() * (text_size // 10),
        lambda: b"\n" * (text_size // 10),
        lambda: b"\x1b]0;" + b"t" * size,
        lambda: b"\x1bP" + b"q#1" * (size // 3),
        lambda: b"\x1b[1;2\x08;3E" * (text_size // 10),
    ])()


_PIECES = [(text, 30), (control, 12), (csi, 25), (string_sequence, 8), (escape, 8), (invalid_utf8, 4),
           (known, 10), (c1, 4), (lambda rng: rng.randbytes(rng.randrange(1, 64)), 4), (huge, 0.15)]
_KINDS = [p for p, _ in _PIECES]
_WEIGHTS = [w for _, w in _PIECES]


def hostile_bytes(rng: random.Random, max_pieces: int = 30) -> bytes:
    """One stream of hostile output."""
    count = rng.randrange(1, max_pieces + 1)
    return b"".join(piece(rng) for piece in rng.choices(_KINDS, _WEIGHTS, k=count))


def cut(rng: random.Random, data: bytes, max_cuts: int = 6) -> list[bytes]:
    """`data` in reads cut anywhere (inside characters and sequences)."""
    if not data:
        return []
    points = sorted({rng.randrange(len(data) + 1) for _ in range(rng.randrange(max_cuts + 1))} | {0, len(data)})
    return [data[a:b] for a, b in zip(points, points[1:]) if b > a]


#: Pieces for hypothesis' own strategies (which shrink): introducers, terminators,
#: parameters, finals and controls that combine into every malformed shape.
FRAGMENTS = [b"\x1b[", b"\x1b[?", b"\x1b[>", b"\x1b]", b"\x1b]0;", b"\x1bP", b"\x1b_", b"\x1b^", b"\x1bX",
             b"\x1b\\", b"\x07", b"\x1b", b"\x1b(", b"\x1b#", b"\x9b", b"\x9d", b"\x90", b"\x9c", "\u009b".encode(),
             "\u009d".encode(), "\u009c".encode(), b";", b":", b"0", b"1", b"2", b"6", b"38;5;", b"38:2::", b"9999999999",
             b"1049", b"m", b"H", b"E", b"K", b"J", b"d", b"r", b"h", b"l", b"b", b"@", b"P", b"S", b"T", b"n", b"c",
             b"q", b"$p", b" q", b"\x08", b"\x00", b"\x0b", b"\x0e", b"\x0f", b"\x18", b"\x1a", b"\x7f", b"\r", b"\n",
             b"\t", b"a", b"xyz", "\u4e2d".encode(), "\u0301".encode(), "\u202e".encode(), b"\xe4\xb8", b"\xff", b"\xc0"]

# --------------------------------------------------------------------- terminal


@dataclass
class TerminalCase:
    columns: int
    lines: int
    scrollback: int
    steps: list = field(default_factory=list)  # ("feed", bytes, budget) | ("resize", lines, columns)

    @property
    def data(self) -> bytes:
        return b"".join(step[1] for step in self.steps if step[0] == "feed")


def terminal_case(rng: random.Random) -> TerminalCase:
    case = TerminalCase(rng.randrange(1, 60), rng.randrange(1, 16), rng.choice([0, 5, 100]))
    for _ in range(rng.choice([1, 1, 2])):
        for chunk in cut(rng, hostile_bytes(rng, 12)):
            # 0: one feed; otherwise queued and parsed in slices of that many bytes (the
            # widget's is 4 KiB; tiny ones split every sequence, on short reads only).
            budget = rng.choice([0, 0, 0, 4096, 64, 7]) if len(chunk) < 4096 else rng.choice([0, 4096])
            if len(chunk) < 300 and rng.random() < 0.1:
                budget = 1
            case.steps.append(("feed", chunk, budget))
        if rng.random() < 0.4:
            case.steps.append(("resize", rng.randrange(1, 40), rng.randrange(1, 120)))
    return case


class Escaped(AssertionError):
    """Something a program wrote would reach the user's terminal."""


class Hang(AssertionError):
    """A case used more CPU time than any case should."""


@contextlib.contextmanager
def watchdog(seconds: float = 5.0):
    """Fail a case that uses more than `seconds` of CPU time (not wall time: a busy
    machine must not fail it). Main thread only; elsewhere it does nothing."""
    def expired(signum, frame):
        raise Hang(f"a case ran for more than {seconds} s of CPU time")

    try:
        previous = signal.signal(signal.SIGPROF, expired)
    except ValueError:  # not the main thread
        yield
        return
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def check_strip(strip: Strip, console: Console, width: int | None, where: str) -> None:
    for segment in strip:
        if segment.control:
            raise Escaped(f"{where}: a control segment {segment!r}")
    written = _OWN_SGR.sub("", strip.render(console))
    found = _CONTROL.search(written)
    if found:
        raise Escaped(f"{where}: {found.group()!r} in {written!r}")
    if width is not None and strip.cell_length != width:
        raise Escaped(f"{where}: {strip.cell_length} cells, not {width}")


def run_terminal(case: TerminalCase, console: Console) -> TerminalScreen:
    """Feed, resize and render; raises on a crash or an escaped control."""
    replies: list[bytes] = []
    screen = TerminalScreen(case.columns, case.lines, scrollback_limit=case.scrollback, on_reply=replies.append)
    stream = TerminalStream(screen)
    for step in case.steps:
        if step[0] == "resize":
            screen.resize(lines=step[1], columns=step[2])
            continue
        _, chunk, budget = step
        if budget:
            stream.push(chunk)
            while stream.process_pending(budget):
                pass
        else:
            stream.feed(chunk)
        screen.take_dirty()
    offsets = {0, min(3, len(screen.scrollback))}
    for offset in offsets:
        for y in range(screen.lines):
            strip = render_viewport_line(screen, y, offset, show_cursor=True)
            check_strip(strip, console, screen.columns, f"terminal row {y} (back {offset})")
    return screen


# -------------------------------------------------------------------------- log


@dataclass
class LogCase:
    max_cells: int
    width: int
    frames: list = field(default_factory=list)  # (stream, bytes)

    @property
    def data(self) -> bytes:
        return b"".join(frame for _, frame in self.frames)


def log_case(rng: random.Random) -> LogCase:
    case = LogCase(rng.choice([5, 80, 10_000]), rng.randrange(1, 120))
    for _ in range(rng.choice([1, 1, 2])):
        stream = rng.choice([LogStream.STDOUT, LogStream.STDERR])
        data = b"".join(hostile_bytes(rng, 6) + rng.choice([b"\n", b"\r\n", b"\r", b"", b"\n\n"])
                        for _ in range(rng.randrange(1, 5)))
        case.frames.extend((stream, chunk) for chunk in cut(rng, data))
    return case


_STAMP = datetime(2026, 1, 1, tzinfo=timezone.utc)


def run_log(case: LogCase, console: Console) -> LogBuffer:
    """Join, sanitise and render as the log pane does; raises on a crash or an escaped control."""
    ingest = IngestQueue(LogBuffer(10_000, max_cells=case.max_cells))
    for stream, frame in case.frames:
        ingest.take("c", stream, frame, _STAMP)
    ingest.flush_carry(0)
    for line in ingest.buffer:
        # As RowPainter._full and _wrapped draw it.
        full = Strip(line.text.render(console), line.cells)
        check_strip(full, console, None, f"log line {line.seq}")
        if full.cell_length > case.width:
            for row in wrap_strip(full, case.width):
                check_strip(row, console, None, f"log line {line.seq} wrapped")
    return ingest.buffer


def make_console() -> Console:
    """A console like the one Textual renders with (truecolour, no real file)."""
    return Console(file=io.StringIO(), width=200, color_system="truecolor", force_terminal=True,
                   legacy_windows=False, markup=False, emoji=False, highlight=False)
