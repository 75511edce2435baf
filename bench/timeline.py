"""The timeline's cost: the store alone, and bosun while containers crash-loop (not a test).

1. The store (tui.timeline, pure): 200 000 events of 1 000 containers fed in, in order, as the live
   stream brings them; then the last 1 000 again as a replay (the overlap at start: all already kept).
   Prints µs per event, the entries held (bounded: 200 per container, 20 000 in all, 2 000 overall),
   and the time to work out the list's marks (restart loops, last deaths) for 1 000 containers.
2. bosun in a 160x48 pty on Docker with `--containers` containers that crash-loop (`restart: always`,
   `sh -c 'sleep 1; exit 1'`): once the list flags them (`↻ looping`), bosun's CPU (% of one core) and
   RSS over `--seconds`, and how many rows the screen shows flagged.

    python bench/timeline.py [--containers 20] [--seconds 30] [--host unix:///var/run/docker.sock] [--store-only]
"""

from __future__ import annotations

import argparse
import re
import time
from datetime import datetime, timedelta, timezone
from types import MappingProxyType

from _common import DOCKER_URL, IMAGE, BenchContainers, Docker, PtyApp, cpu_seconds, descendants, machine_note, \
    parallel, rss_mb, run

from tui.engine.types import ContainerEvent, EventKind  # noqa: E402  (after _common put the checkout on the path)
from tui.timeline import TimelineStore  # noqa: E402

LOOP = "sleep 1; exit 1"


def synthetic(containers: int, per: int) -> list[ContainerEvent]:
    t0 = datetime.now(timezone.utc) - timedelta(minutes=4)
    events = []
    for i in range(per):
        kind = (EventKind.STARTED, EventKind.DIED)[i % 2]
        for c in range(containers):
            at = t0 + timedelta(microseconds=(i * containers + c) * 1000)
            events.append(ContainerEvent(kind=kind, action=kind.value, container_id=f"c{c:04d}", engine="bench",
                                         time=at, name=f"svc-{c}", exit_code=1 if kind is EventKind.DIED else None,
                                         attributes=MappingProxyType({"name": f"svc-{c}"})))
    return events


def bench_store() -> None:
    events = synthetic(1000, 200)
    store = TimelineStore()
    start = time.perf_counter()
    for event in events:
        store.add(event)
    live = time.perf_counter() - start
    overlap = events[-1000:]  # at start the replay and the live stream overlap by a moment
    start = time.perf_counter()
    again = store.add_history(overlap)
    replay = time.perf_counter() - start
    held = sum(len(store.entries(f"c{c:04d}")) for c in range(1000))
    now = datetime.now(timezone.utc)
    start = time.perf_counter()
    looping = store.looping(now, 3, timedelta(minutes=5))
    for c in range(1000):
        store.last_deaths(f"c{c:04d}", now, timedelta(hours=1))
    marks = time.perf_counter() - start
    print(f"store: {len(events):,} live events in {live:.2f} s ({1e6 * live / len(events):.1f} µs each); "
          f"the last 1 000 again as a replay: {again} added, {1e6 * replay / len(overlap):.1f} µs each")
    print(f"store: holds {len(store):,} entries overall, {held:,} in the per-container lists "
          f"(bounds: 2 000 overall; 200 per container and 20 000 in all the containers' lists)")
    print(f"store: marks for 1 000 containers (loops: {len(looping)} flagged, last deaths) in {1e3 * marks:.1f} ms")


def bench_storm(options) -> None:
    docker = Docker(options.host)
    with BenchContainers(docker, "timeline") as bench:
        def make(name: str) -> str:
            body = {"Image": IMAGE, "Cmd": ["sh", "-c", LOOP], "Labels": bench.labels,
                    "HostConfig": {"RestartPolicy": {"Name": "always"}}}
            return docker.call("POST", f"/containers/create?name={name}", body)["Id"]

        bench.ids = parallel(make, bench.names(options.containers))
        parallel(docker.start, bench.ids)
        with PtyApp(["--host", options.host, "--label", bench.label], cols=160, rows=48) as app:
            app.wait_for(re.compile(re.escape(bench.prefix) + r"-\d{3} .*↻ looping"), timeout=120)
            pids = descendants(app.pid)
            before, start = cpu_seconds(pids), time.monotonic()
            rss = []
            while time.monotonic() - start < options.seconds:
                time.sleep(1.0)
                rss.append(rss_mb(descendants(app.pid)))
            cpu = 100 * (cpu_seconds(descendants(app.pid)) - before) / (time.monotonic() - start)
            flagged = len(re.findall(r"↻ looping", app.text()))
    print(f"storm: {options.containers} containers crash-looping (restart: always, {LOOP!r}), 160x48, "
          f"{options.seconds:.0f} s after the first flag")
    print(f"storm: bosun CPU {cpu:.2f} % of one core, RSS {rss[-1]:.1f} MB (peak {max(rss):.1f} MB), "
          f"{flagged} rows flagged on screen")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--containers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--host", default=DOCKER_URL)
    parser.add_argument("--store-only", action="store_true")
    options = parser.parse_args()
    print(machine_note(), flush=True)
    bench_store()
    if not options.store_only:
        bench_storm(options)


if __name__ == "__main__":
    run(main)
