"""Several engines in one view: first screen with a dead engine, idle cost of ten, a storm on one (not a test).

Runs bosun in a real pty through `python -m tui.testing.fleet_app` (the test-only
entry that builds several engines; the CLI's own flags for it come with engine
discovery), the way a user would see it.

1. First screen with three engines, Docker, Podman and a TCP port that takes
   connections and never answers: time from launch to a Docker bench container
   on screen, and to a Podman one, against the single-engine first screen (one
   Docker engine, and one Podman engine, through the same entry, and `python -m
   tui --host`, which also draws a frame before Textual loads). Target: each
   live engine's rows within 0.05 s of that engine's single-engine first screen.
2. Ten fake engines × 200 containers, stats on, in a 160x48 pty: after a
   warm-up, bosun's CPU over 20 s (% of one core) and RSS. Targets: ≤ 2 % and
   ≤ 200 MB. (The fakes run in bosun's process, so their cost is counted.)
3. An event storm on one fake engine (each of its 200 containers' health
   flips 20 times a second: 4 000 events/s) while another gets a new container: time until its row shows, with
   and without the storm. Target: the storm does not delay the calm engine.

    python bench/multi_engine.py [--runs 5] [--seconds 20] [--skip first,idle,storm]
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import signal
import socket
import statistics
import sys
import time

from _common import (DOCKER_URL, REPO_ROOT, BenchContainers, Docker, PtyApp, cpu_seconds, descendants,
                     machine_note, rss_mb, run, summary)

PODMAN_URL = "unix:///run/podman/podman.sock"
FLEET = [sys.executable, "-m", "tui.testing.fleet_app"]
FIRST_TARGET, CPU_TARGET, RSS_TARGET = 0.05, 2.0, 200.0


def black_hole() -> socket.socket:
    """A TCP port that takes the connection (the kernel's backlog) and never says a word."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return sock


def first_screen(args: list[str], patterns: list[re.Pattern[str]], command=None) -> list[float]:
    with PtyApp(args, cols=160, rows=48, command=command) as app:
        return [app.wait_for(p, timeout=60, since=app.started) for p in patterns]


def part_first(options) -> None:
    docker, podman = Docker(DOCKER_URL), Docker(PODMAN_URL)
    hole = black_hole()
    port = hole.getsockname()[1]
    with BenchContainers(docker, "multi") as on_docker, BenchContainers(podman, "multip") as on_podman:
        # One session label on both engines: bosun is scoped to this run's containers only.
        on_podman.session, on_podman.label, on_podman.labels = on_docker.session, on_docker.label, on_docker.labels
        on_podman.prefix = f"bench-multip-{on_docker.session}"
        on_docker.make(10)
        on_podman.make(3)
        time.sleep(1)
        d_name = re.compile(re.escape(on_docker.prefix) + r"-\d{3}")
        p_name = re.compile(re.escape(on_podman.prefix) + r"-\d{3}")
        scope = ["--label", on_docker.label]  # both engines' bench containers of this run, nobody else's
        cli = [first_screen(["--host", DOCKER_URL, *scope], [d_name])[0]
               for _ in range(options.runs)]
        # Interleaved, run by run: the one-engine baselines and the three engines side by side, so a change
        # in the machine's load meanwhile falls on all of them alike.
        single, single_p, both = [], [], []
        for _ in range(options.runs):
            single.append(first_screen([*scope, "--host", f"dock={DOCKER_URL}"], [d_name], command=FLEET)[0])
            single_p.append(first_screen([*scope, "--host", f"pod={PODMAN_URL}"], [p_name], command=FLEET)[0])
            both.append(first_screen([*scope, "--host", f"dock={DOCKER_URL}", "--host", f"pod={PODMAN_URL}",
                                      "--host", f"dead=tcp://127.0.0.1:{port}"], [d_name, p_name], command=FLEET))
    hole.close()
    docker_rows, podman_rows = [b[0] for b in both], [b[1] for b in both]
    print("\n1. first screen, three engines (Docker, Podman, a TCP port that never answers):")
    print(f"  python -m tui --host docker (first frame before Textual): {summary(cli)}")
    print(f"  one engine (Docker) through the fleet entry:              {summary(single)}")
    print(f"  one engine (Podman) through the fleet entry:              {summary(single_p)}")
    print(f"  three engines, Docker's rows:                              {summary(docker_rows)}")
    print(f"  three engines, Podman's rows:                              {summary(podman_rows)}")
    gap = statistics.median(docker_rows) - statistics.median(single)
    gap_p = statistics.median(podman_rows) - statistics.median(single_p)
    gap_pd = statistics.median(podman_rows) - statistics.median(single)
    verdict = "meets" if max(gap, gap_p) <= FIRST_TARGET else "MISSES"
    print(f"  each engine's rows vs that engine alone (same entry): Docker {gap:+.3f} s, Podman {gap_p:+.3f} s "
          f"— target ≤ {FIRST_TARGET} s: {verdict} (medians)")
    print(f"  Podman's rows vs Docker alone: {gap_pd:+.3f} s (Podman's own list is slower to answer than Docker's)")
    print(f"  vs `python -m tui --host` (its pre-Textual frame): +{statistics.median(docker_rows) - statistics.median(cli):.3f} s")


def part_idle(options) -> None:
    fakes = []
    for i in range(10):
        fakes += ["--fake", f"e{i}:200"]
    with PtyApp(fakes, cols=160, rows=48, command=FLEET) as app:
        app.wait_for("2000 running / 2000", timeout=120)  # every engine listed
        time.sleep(8)  # warm-up: first stats rounds, every engine listed, imports done
        pids = descendants(app.pid)
        before, started = cpu_seconds(pids), time.monotonic()
        peak = 0.0
        while time.monotonic() - started < options.seconds:
            time.sleep(1)
            peak = max(peak, rss_mb(descendants(app.pid)))
        cpu = 100 * (cpu_seconds(descendants(app.pid)) - before) / (time.monotonic() - started)
        rss = rss_mb(descendants(app.pid))
    print(f"\n2. idle, ten fake engines × 200 containers (stats on, 160x48), over {options.seconds:g} s:")
    print(f"  CPU {cpu:.2f} % of one core (target ≤ {CPU_TARGET} %: {'meets' if cpu <= CPU_TARGET else 'MISSES'})")
    print(f"  RSS {rss:.1f} MB, peak {peak:.1f} MB (target ≤ {RSS_TARGET:.0f} MB: "
          f"{'meets' if max(rss, peak) <= RSS_TARGET else 'MISSES'})")


def time_marks(app: PtyApp, runs: int) -> list[float]:
    times = []
    for n in range(1, runs + 1):
        start = time.monotonic()
        os.kill(app.pid, signal.SIGUSR1)  # fleet_app: a container `mark-<n>` on the calm engine
        app.wait_for(re.compile(rf"mark-{n}\b"), timeout=30)
        times.append(time.monotonic() - start)
    return times


def part_storm(options) -> None:
    results = {}
    for label, extra in (("no storm", []), ("storm on the other engine", ["--storm", "loud"])):
        # Sorted by name, the calm engine's marks come first on screen (engines grouped in order).
        args = ["--fake", "calm:20", "--fake", "loud:200", *extra, "--no-stats"]
        with PtyApp(args, cols=160, rows=48, command=FLEET) as app:
            app.wait_for("calm-0000", timeout=60)
            time.sleep(2)
            results[label] = time_marks(app, options.runs)
    print("\n3. a new container on one engine while another storms (4 000 health events/s):")
    for label, times in results.items():
        print(f"  {label:26} {summary(times)}")
    delay = statistics.median(results["storm on the other engine"]) - statistics.median(results["no storm"])
    print(f"  the storm's delay on the calm engine's row: {delay:+.3f} s (median)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--skip", default="", help="comma-separated parts to skip: first, idle, storm")
    options = parser.parse_args()
    skip = set(filter(None, options.skip.split(",")))
    print(machine_note(), flush=True)
    compileall.compile_dir(str(REPO_ROOT / "tui"), quiet=1)
    if "first" not in skip:
        part_first(options)
    if "idle" not in skip:
        part_idle(options)
    if "storm" not in skip:
        part_storm(options)


if __name__ == "__main__":
    run(main)
