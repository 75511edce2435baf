"""Parse throughput: stock pyte vs bosun's terminal layer (not a test).

Feeds the same bytes, in 64 KiB reads as a pty reader would deliver them, to

* stock ``pyte.ByteStream(pyte.Screen(...))`` and
* ``TerminalStream(TerminalScreen(...))`` (scrollback on, the default 10 000 rows),

for (a) ~8 MB of plain text lines and (b) ~8 MB of ``ls -l --color`` style
lines, prints MB/s for each and the ratio, checks both end on the same
screen text, and times rendering a full 200x50 frame.

    python bench/terminal_throughput.py [--mb 8] [--columns 120] [--lines 40]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyte  # noqa: E402

from tui.widgets.terminal_render import render_screen_line  # noqa: E402
from tui.terminal.screen import TerminalScreen  # noqa: E402
from tui.terminal.stream import TerminalStream  # noqa: E402

READ_SIZE = 64 * 1024
WORDS = ("request", "handled", "in", "ms", "status", "ok", "GET", "/api/v1/items", "user",
         "cache", "miss", "worker", "started", "connection", "closed", "200", "404", "retry")


def plain_lines(size: int, rng: random.Random) -> bytes:
    out, total, n = [], 0, 0
    while total < size:
        n += 1
        line = f"2024-05-01T12:{n % 60:02d}:{n % 59:02d}Z INFO " + " ".join(
            rng.choice(WORDS) for _ in range(rng.randint(4, 12))) + "\r\n"
        out.append(line)
        total += len(line)
    return "".join(out).encode()


def ls_colour_lines(size: int, rng: random.Random) -> bytes:
    kinds = [("01;34", "/"), ("01;32", "*"), ("01;36", "@"), ("00", ""), ("01;31", "")]
    out, total, n = [], 0, 0
    while total < size:
        n += 1
        colour, suffix = rng.choice(kinds)
        line = (
            f"-rw-r--r-- 1 user staff {rng.randint(0, 999999):>7} May {n % 28 + 1:>2} "
            f"{n % 24:02d}:{n % 60:02d} \x1b[0m\x1b[{colour}mfile_{n}.txt\x1b[0m{suffix}\r\n"
        )
        out.append(line)
        total += len(line)
    return "".join(out).encode()


def feed_all(feed, data: bytes) -> float:
    start = time.perf_counter()
    for offset in range(0, len(data), READ_SIZE):
        feed(data[offset:offset + READ_SIZE])
    return time.perf_counter() - start


def measure(name: str, data: bytes, columns: int, lines: int) -> None:
    stock_screen = pyte.Screen(columns, lines)
    stock_seconds = feed_all(pyte.ByteStream(stock_screen).feed, data)
    our_screen = TerminalScreen(columns, lines)
    our_seconds = feed_all(TerminalStream(our_screen).feed, data)
    megabytes = len(data) / 1e6
    stock_rate, our_rate = megabytes / stock_seconds, megabytes / our_seconds
    same = [row.rstrip() for row in stock_screen.display] == [row.rstrip() for row in our_screen.display]
    print(f"{name:<22} {megabytes:6.1f} MB   stock pyte {stock_rate:6.2f} MB/s   "
          f"ours {our_rate:6.2f} MB/s   ratio {our_rate / stock_rate:5.1f}x   same screen: {same}")


def frame_render_ms(data: bytes) -> float:
    screen = TerminalScreen(200, 50)
    TerminalStream(screen).feed(data)
    start = time.perf_counter()
    repeats = 20
    for _ in range(repeats):
        for y in range(screen.lines):
            render_screen_line(screen, y, show_cursor=True)
    return (time.perf_counter() - start) / repeats * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=8.0, help="megabytes per workload")
    parser.add_argument("--columns", type=int, default=120)
    parser.add_argument("--lines", type=int, default=40)
    args = parser.parse_args()
    rng = random.Random(1)
    size = int(args.mb * 1e6)
    print(f"screen {args.columns}x{args.lines}, reads of {READ_SIZE // 1024} KiB, Python {sys.version.split()[0]}")
    plain = plain_lines(size, rng)
    coloured = ls_colour_lines(size, rng)
    measure("plain text lines", plain, args.columns, args.lines)
    measure("ls -l --color lines", coloured, args.columns, args.lines)
    print(f"full 200x50 frame render (coloured): {frame_render_ms(coloured[:200_000]):.2f} ms")


if __name__ == "__main__":
    main()
