"""Property tests: hostile output never crashes, hangs or escapes the log path.

Frames cut anywhere are joined as the pane joins an engine's cut lines, sanitised,
and rendered (full and wrapped rows) as `RowPainter` draws them; what would be written
to the terminal must hold no control character but the renderer's own SGR. Each
case runs under a CPU-time watchdog. Inputs: the structured generators of
bench/fuzz.py from a seed (`python3 bench/fuzz.py --replay log:SEED`), sequence
pieces hypothesis combines and shrinks, and plain random bytes.
"""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.testing.hostile import FRAGMENTS, LogCase, log_case, make_console, run_log, watchdog
from tui.engine.types import LogStream

CONSOLE = make_console()
QUICK = dict(deadline=None, suppress_health_check=list(HealthCheck))
pieces = st.lists(st.sampled_from(FRAGMENTS) | st.binary(max_size=6), max_size=40).map(b"".join)
streams = st.sampled_from([LogStream.STDOUT, LogStream.STDERR])


@settings(max_examples=1500, **QUICK)
@given(seed=st.integers(0, 2**63))
def test_structured_hostile_output(seed: int) -> None:
    case = log_case(random.Random(seed))
    with watchdog():
        run_log(case, CONSOLE)


@settings(max_examples=400, **QUICK)
@given(frames=st.lists(st.tuples(streams, pieces), max_size=8), max_cells=st.sampled_from([3, 80, 10_000]),
       width=st.integers(1, 100))
def test_sequence_pieces(frames, max_cells: int, width: int) -> None:
    with watchdog():
        run_log(LogCase(max_cells, width, frames), CONSOLE)


@settings(max_examples=300, **QUICK)
@given(frames=st.lists(st.binary(max_size=300), max_size=8), max_cells=st.sampled_from([3, 80, 10_000]),
       width=st.integers(1, 100))
def test_random_bytes(frames: list[bytes], max_cells: int, width: int) -> None:
    with watchdog():
        run_log(LogCase(max_cells, width, [(LogStream.STDOUT, frame) for frame in frames]), CONSOLE)
