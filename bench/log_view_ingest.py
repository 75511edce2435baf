"""LogView under a flood: lines absorbed per second, key-press latency while flooding, peak RSS (not a test).

A headless app (`App.run_test`) hosts one `LogView`. A producer task feeds it
`--lines` synthetic lines (a mix of plain, coloured and stderr lines, a few with
hostile escapes) in chunks of `--chunk` lines, yielding to the event loop between
chunks, as fast as it can. Meanwhile a key press is sent every 20 ms and the time
until the app's handler runs is recorded. Two runs:

- `burst`: every chunk handed over at once (a `docker logs` of a big history), default
  limits (per tick at most 2 000 lines and 15 ms; what waited over 2 s is skipped);
- `paced`: one chunk every 2 ms (a sustained flood of ~250 000 lines/s), default limits;
- `take-all`: paced, but no per-tick or age limit, so every line is sanitised and stored
  (the raw ingest cost; ticks get long, and latency shows it).

    python bench/log_view_ingest.py [--lines 500000] [--chunk 500]

"absorbed" counts lines stored in the buffer; "skipped" lines that arrived faster
than a tick takes (the newest are always kept). Peak RSS is the whole process's.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from textual.app import App, ComposeResult  # noqa: E402
from textual.binding import Binding  # noqa: E402

from tui.engine.types import LogChunk, LogStream  # noqa: E402
from tui.widgets.log.view import LogView  # noqa: E402

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def make_chunks(total: int, per_chunk: int) -> list[LogChunk]:
    chunks = []
    for start in range(0, total, per_chunk):
        out, err = [], []
        for i in range(start, min(start + per_chunk, total)):
            if i % 10 == 0:
                err.append(f"WARN worker {i % 7}: retrying request {i} after timeout\n")
            elif i % 10 == 1:
                out.append(f"\x1b[32mINFO\x1b[0m GET /api/items/{i} 200 {i % 97}ms\n")
            elif i % 1000 == 2:
                out.append(f"evil \x1b]52;c;aGk=\x07 \x1b[6n line {i} [bold]x[/]\n")
            else:
                out.append(f"2026-01-01T00:00:00Z app[{i % 13}] processed job {i} in {i % 31}.{i % 10}ms\n")
        chunks.append(LogChunk(LogStream.STDOUT, "".join(out).encode(), NOW))
        if err:
            chunks.append(LogChunk(LogStream.STDERR, "".join(err).encode(), NOW))
    return chunks


class BenchApp(App):
    BINDINGS = [Binding("x", "ping", "ping")]

    def __init__(self, **options) -> None:
        super().__init__()
        self.options = options
        self.pinged: float | None = None

    def compose(self) -> ComposeResult:
        yield LogView(**self.options)

    def action_ping(self) -> None:
        self.pinged = time.perf_counter()


async def run(label: str, total: int, per_chunk: int, pause: float = 0.0, **options) -> None:
    chunks = make_chunks(total, per_chunk)
    app = BenchApp(**options)
    latencies: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.query_one(LogView)
        await pilot.pause()
        done = asyncio.Event()

        async def produce() -> None:
            for chunk in chunks:
                view.add_chunks([chunk])
                await asyncio.sleep(pause)
            done.set()

        def busy() -> bool:
            return not done.is_set() or bool(view.ingest) or view._drain_timer is not None

        start = time.perf_counter()
        producer = asyncio.create_task(produce())
        while busy():
            app.pinged = None
            sent = time.perf_counter()
            await pilot.press("x")
            if app.pinged is not None:
                latencies.append(app.pinged - sent)
            await asyncio.sleep(0.02)
        await producer
        elapsed = time.perf_counter() - start
        await pilot.pause()
        absorbed = view.buffer.appended
        assert absorbed + view.skipped == total, (absorbed, view.skipped, total)
        p95 = statistics.quantiles(latencies, n=20)[-1] if len(latencies) >= 20 else max(latencies, default=0)
        print(f"{label:9} {total} lines in {elapsed:5.2f} s: offered {total / elapsed:9,.0f} lines/s, "
              f"absorbed {absorbed:,} ({absorbed / elapsed:8,.0f} lines/s), skipped {view.skipped:,}, "
              f"kept {view.line_count:,}")
        print(f"{'':9} key press → handler while flooding: median {statistics.median(latencies) * 1000:5.1f} ms, "
              f"p95 {p95 * 1000:5.1f} ms, max {max(latencies) * 1000:5.1f} ms ({len(latencies)} presses)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=500_000)  # per run
    parser.add_argument("--chunk", type=int, default=500)
    args = parser.parse_args()
    asyncio.run(run("burst", args.lines, args.chunk))
    asyncio.run(run("paced", args.lines, args.chunk, pause=0.002))
    asyncio.run(run("take-all", args.lines, args.chunk, pause=0.002, max_lines_per_tick=10**9,
                    tick_budget=3600.0, max_lag=3600.0))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB (whole process, both runs; buffer bound 50 000 lines)")


if __name__ == "__main__":
    main()
