"""Bulk start: 100 containers started at once, until bosun's title says "100 running / 100" (not a test).

bosun runs scoped to this run's label (`--label bosun.bench=<session>`), so
its title bar counts exactly the bench containers. The containers are created
first (the title then reads "0 running / 100"); then all 100 start calls go
out concurrently through the Docker API, and we time from the first start
call to the screen showing "100 running / 100". The time the engine itself
took to answer every start call is printed too: the difference is bosun's lag.
A first burst with bosun not running shows what the engine takes on its own.

    python bench/bulk_start.py [--containers 100] [--runs 1] [--no-baseline] [--host unix:///var/run/docker.sock]
"""

from __future__ import annotations

import argparse
import re
import threading
import time

from _common import DOCKER_URL, BenchContainers, Docker, PtyApp, machine_note, parallel, run, summary


def start_all(docker: Docker, ids: list[str]) -> tuple[float, float]:
    """Start every container at once: (monotonic time of the first call, seconds until all answered)."""
    # Every thread waits at the barrier, so all calls go out together; the
    # barrier's action stamps the moment they are released.
    released: list[float] = []
    gate = threading.Barrier(len(ids), action=lambda: released.append(time.monotonic()))

    def start(container_id: str) -> None:
        gate.wait()
        docker.start(container_id)

    parallel(start, ids, workers=len(ids))
    return released[0], time.monotonic() - released[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--containers", type=int, default=100)
    parser.add_argument("--runs", type=int, default=1, help="repeat with fresh containers each time")
    parser.add_argument("--host", default=DOCKER_URL)
    parser.add_argument("--no-baseline", dest="baseline", action="store_false",
                        help="skip the first burst without bosun (the engine's own time)")
    options = parser.parse_args()
    docker = Docker(options.host)
    print(machine_note(), flush=True)
    n = options.containers
    # \b: "0 running / 100" is also the tail of "100 running / 100".
    none_running = re.compile(rf"\b0 running / {n}\b")
    all_running = re.compile(rf"\b{n} running / {n}\b")

    if options.baseline:
        with BenchContainers(docker, "bulk") as bench:
            bench.create(n)
            _, engine_alone = start_all(docker, bench.ids)
            print(f"baseline, bosun not running: engine answered all {n} starts in {engine_alone:.3f} s", flush=True)

    screen_times, engine_times = [], []
    for number in range(options.runs):
        with BenchContainers(docker, "bulk") as bench:
            bench.create(n)
            with PtyApp(["--host", options.host, "--label", bench.label], cols=120, rows=30) as app:
                app.wait_for(none_running, timeout=60)
                time.sleep(2)  # past the first listing and its detailed pass: a quiet dashboard

                first_call, engine_done = start_all(docker, bench.ids)
                shown = app.wait_for(all_running, timeout=120, since=first_call)
            screen_times.append(shown)
            engine_times.append(engine_done)
            print(f"run {number + 1}: engine answered all {n} starts in {engine_done:.3f} s; "
                  f"bosun showed '{n} running / {n}' {shown:.3f} s after the first start call "
                  f"(lag behind the engine {shown - engine_done:+.3f} s)", flush=True)
    if options.runs > 1:
        print(f"\nbosun screen: {summary(screen_times)}\nengine:       {summary(engine_times)}")


if __name__ == "__main__":
    run(main)
