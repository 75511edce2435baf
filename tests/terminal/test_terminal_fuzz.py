"""Property tests: hostile output never crashes, hangs or escapes the terminal emulator.

Checked for every case (tui/testing/hostile.py): nothing raises out of feeding, resizing
or rendering; every rendered row, written out as the escape sequences Textual sends,
holds no control character but the renderer's own SGR, and is exactly as wide as
the screen; each case runs under a CPU-time watchdog, so a hang fails it.

Three kinds of input: the structured generators of bench/fuzz.py from a seed (a
failure names the seed: `python3 bench/fuzz.py --replay terminal:SEED`), pieces of
sequences hypothesis combines and shrinks, and plain random bytes.
"""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.testing.hostile import FRAGMENTS, TerminalCase, make_console, run_terminal, terminal_case, watchdog

CONSOLE = make_console()
QUICK = dict(deadline=None, suppress_health_check=list(HealthCheck))
reads = st.lists(st.lists(st.sampled_from(FRAGMENTS) | st.binary(max_size=6), max_size=30).map(b"".join),
                 min_size=1, max_size=5)
sizes = st.tuples(st.integers(1, 50), st.integers(1, 12))


@settings(max_examples=1500, **QUICK)
@given(seed=st.integers(0, 2**63))
def test_structured_hostile_output(seed: int) -> None:
    case = terminal_case(random.Random(seed))
    with watchdog():
        run_terminal(case, CONSOLE)


def case_of(chunks: list[bytes], size: tuple[int, int], resize: tuple[int, int] | None) -> TerminalCase:
    case = TerminalCase(size[0], size[1], 20, [("feed", chunk, 0) for chunk in chunks])
    if resize is not None:
        case.steps.insert(len(chunks) // 2, ("resize", *resize))
    return case


@settings(max_examples=400, **QUICK)
@given(chunks=reads, size=sizes, resize=st.none() | sizes)
def test_sequence_pieces(chunks: list[bytes], size, resize) -> None:
    with watchdog():
        run_terminal(case_of(chunks, size, resize), CONSOLE)


@settings(max_examples=300, **QUICK)
@given(chunks=st.lists(st.binary(max_size=200), min_size=1, max_size=5), size=sizes, resize=st.none() | sizes)
def test_random_bytes(chunks: list[bytes], size, resize) -> None:
    with watchdog():
        run_terminal(case_of(chunks, size, resize), CONSOLE)
