"""How long things take that tests used to time with wall-clock assertions (not a test).

Tests check what happens; these are the figures of how fast, printed:

1. megabyte  a 1 MB line and a short one into a LogView (headless app, 80x10): from
             `add_chunks` to the queue drained and `end` pressed. Was `< 2 s` in
             tests/logs/test_log_view.py.
2. sanitize  `sanitize_line` of 1 MB lines (plain, and hostile units repeated), best of 3.
             Was `< 0.05 s` each in tests/logs/test_sanitize.py.
3. close     `LocalPtyTransport.close()` of a running `sleep 30`. Was `< 5 s` in
             tests/terminal/test_terminal_transport.py.
4. outside   a container stopped by another client → its row in bosun's list says
             "exited" (headless `BosunApp` on the real engine, scoped to the bench label, the
             periodic re-list an hour away so only the event stream can bring it). Was
             `< 2 s` in tests/ui/test_dashboard_real_engines.py and `STATE_LATENCY` in
             tests/e2e/test_dashboard_e2e.py. Needs Docker (`--host`); `--only` skips it.

    python bench/timings.py [--host unix:///var/run/docker.sock] [--runs 5] [--only megabyte,sanitize,close,outside]
"""

from __future__ import annotations

import argparse
import asyncio
import time

from _common import DOCKER_URL, BenchContainers, Docker, machine_note, run, summary

from tui.testing.log_app import LogApp, chunk
from tui.logs.sanitize import sanitize_line
from tui.terminal.transport import LocalPtyTransport
from tui.widgets.log.view import LogView


async def _megabyte_once() -> float:
    app = LogApp()
    async with app.run_test(size=(80, 10)) as pilot:
        view = app.query_one(LogView)
        await pilot.pause()
        start = time.perf_counter()
        view.add_chunks([chunk(b"z" * 1_000_000 + b"\n"), chunk("after\n")])
        while view.queued_lines or view._drain_timer is not None:
            await pilot.pause(0.001)
        await pilot.press("end")
        await pilot.pause()
        return time.perf_counter() - start


def megabyte(runs: int) -> None:
    times = [asyncio.run(_megabyte_once()) for _ in range(runs)]
    print(f"megabyte  1 MB line into a LogView, drained and shown: {summary(times)}")


def sanitize(runs: int) -> None:
    units = [b"x", b"\x1b[31mx", b"\x1b]0;t\x07", b"\xe4\xb8\xad", b"\t", b"\x1b[5A", b"a\r"]
    for unit in units:
        data = unit * (1_000_000 // len(unit))
        times = []
        for _ in range(max(3, runs)):
            start = time.perf_counter()
            sanitize_line(data)
            times.append(time.perf_counter() - start)
        print(f"sanitize  1 MB of {unit!r:16}: best {min(times) * 1000:6.1f} ms, median "
              f"{sorted(times)[len(times) // 2] * 1000:6.1f} ms")


def close(runs: int) -> None:
    times = []
    for _ in range(runs):
        transport = LocalPtyTransport(["sleep", "30"], rows=5, cols=20, on_output=lambda _: None)
        transport.start()
        start = time.perf_counter()
        transport.close()
        times.append(time.perf_counter() - start)
    print(f"close     LocalPtyTransport.close() of a running sleep: {summary(times)}")


async def _outside(host: str, docker: Docker, bench: BenchContainers, runs: int) -> list[float]:
    from tui.app import BosunApp, RunOptions
    from tui.dashboard.screen import DashboardScreen
    from tui.settings import Settings
    from tui.dashboard.container_table import ContainerTable

    (cid,) = bench.make(1)
    settings = Settings().replace(engine={"host": host, "reconcile_interval": 3600},
                                  list={"labels": dict(bench.labels)}, stats={"enabled": False})
    app = BosunApp(settings, RunOptions(persist_theme=False))
    times = []
    async with app.run_test(size=(160, 30)) as pilot:
        def state() -> str:
            screen = app.screen
            if not isinstance(screen, DashboardScreen) or screen.engine is None:
                return ""
            table = screen.query_one(ContainerTable)
            return str(table.get_cell(cid, "state")) if cid in table._order else ""

        async def until(word: str, limit: float = 30.0) -> None:
            deadline = time.monotonic() + limit
            while word not in state():
                if time.monotonic() > deadline:
                    raise SystemExit(f"the row never said {word!r} (it says {state()!r})")
                await pilot.pause(0.005)

        await until("running")
        await asyncio.sleep(1.0)  # a bench, not a test: give the event stream time to be up
        for _ in range(runs):
            await asyncio.to_thread(docker.call, "POST", f"/containers/{cid}/stop?t=2")
            stopped = time.perf_counter()
            await until("exited")
            times.append(time.perf_counter() - stopped)
            await asyncio.to_thread(docker.start, cid)
            await until("running")
    return times


def outside(host: str, runs: int) -> None:
    docker = Docker(host)
    with BenchContainers(docker, "timings") as bench:
        times = asyncio.run(_outside(host, docker, bench, runs))
    print(f"outside   stop by another client → row says exited: {summary(times)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=DOCKER_URL)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default="megabyte,sanitize,close,outside")
    args = parser.parse_args()
    only = set(args.only.split(","))
    print(machine_note())
    if "megabyte" in only:
        megabyte(args.runs)
    if "sanitize" in only:
        sanitize(args.runs)
    if "close" in only:
        close(args.runs)
    if "outside" in only:
        outside(args.host, args.runs)


if __name__ == "__main__":
    run(main)
