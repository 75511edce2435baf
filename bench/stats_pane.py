"""The stats screen's cost: bosun's CPU and the engine's, with 50 running containers charted at once (not a test).

1. Starts 50 idle bench containers in one compose project
   (`com.docker.compose.project=bench-stats-<session>`) and lets the engine settle.
2. Baseline: the engine's CPU over `--seconds` with bosun NOT running.
3. Starts `python -m tui --host <engine> --label bosun.bench=<session>` (default
   settings: stats every 5 s) in a 160x60 pty, so all 50 are on screen and get
   stats; after a warm-up, over `--seconds`: bosun's CPU (the pty child and any
   children, all threads, utime+stime from /proc) and the engine's.
4. Moves to the project's header, presses `c` (the stats screen: six charts of
   the sum of the 50), waits for the charts, and measures the same again.

The engine is dockerd (the one serving `--host`) with its containerd, or the
Podman service (`podman system service` on that socket); its overhead is its
CPU minus the baseline, in percentage points of one core. The stats screen
asks for no second poll: its figure against the list's says whether it adds
any engine load ("unchanged").

    python bench/stats_pane.py [--containers 50] [--seconds 30] [--host unix:///var/run/docker.sock]

Targets: bosun ≤ 3 % of one core with the stats screen; the engine's overhead with it
no higher than with the list (within the run-to-run noise, ±0.5 points).
"""

from __future__ import annotations

import argparse
import os
import re
import time

from _common import DOCKER_URL, BenchContainers, Docker, PtyApp, cpu_seconds, descendants, machine_note, run

CPU_TARGET, NOISE = 3.0, 0.5
WARM_UP = 12.0  # seconds: the detailed listing, the first stats rounds (CPU % needs two), imports done
PROJECT_LABEL = "com.docker.compose.project"
RETRIES = 5


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    return found


def engine_pids(host: str) -> dict[str, list[int]]:
    """The processes serving `host`: dockerd and its containerd, or the Podman service."""
    socket_path = host.removeprefix("unix://")
    every = [int(p) for p in os.listdir("/proc") if p.isdigit()]
    for pid in every:
        line = _cmdline(pid)
        if line.startswith("dockerd") and (socket_path in line or socket_path == "/var/run/docker.sock"
                                           and " -H " not in line and "--host" not in line):
            return {"engine": [pid], "containerd": [c for c in _children(pid) if "containerd" in _cmdline(c)]}
        if "podman" in line.split(" ", 1)[0] and "system service" in line and socket_path in line:
            return {"engine": [pid]}
    raise SystemExit(f"bench: no dockerd or Podman service found serving {host}")


def measure(seconds: float, groups: dict[str, list[int]]) -> dict[str, float]:
    before = {name: cpu_seconds(pids) for name, pids in groups.items()}
    start = time.monotonic()
    time.sleep(seconds)
    elapsed = time.monotonic() - start
    return {name: 100 * (cpu_seconds(pids) - before[name]) / elapsed for name, pids in groups.items()}


def verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--containers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--host", default=DOCKER_URL)
    options = parser.parse_args()
    docker = Docker(options.host)
    engine = engine_pids(options.host)
    print(machine_note(), flush=True)

    with BenchContainers(docker, "stats") as bench:
        project = f"bench-stats-{bench.session}"
        bench.labels[PROJECT_LABEL] = project
        bench.make(options.containers)
        running, total = docker.count()
        print(f"engine {options.host} (pid {engine['engine'][0]}): {running} running / {total} containers "
              f"({options.containers} of them this bench's, in project {project})", flush=True)
        time.sleep(5)

        print(f"baseline: {options.seconds:.0f} s without bosun…", flush=True)
        base = measure(options.seconds, engine)

        with PtyApp(["--host", options.host, "--label", bench.label], cols=160, rows=60) as app:
            listed_row = re.compile(re.escape(bench.prefix) + r"-\d{3} .*\d+\.\d%")
            for _ in range(RETRIES):  # a loaded Podman may take its first list past bosun's 5 s: retry (r)
                app.wait_for(re.compile(re.escape(bench.prefix) + r"|No engine reachable"), timeout=90)
                if "No engine reachable" not in app.text():
                    break
                print("bench: the engine did not answer bosun within 5 s; retrying (r)", flush=True)
                app.press("r")
            app.wait_for(listed_row, timeout=90)
            time.sleep(WARM_UP)
            groups = {**engine, "bosun": descendants(app.pid)}
            print(f"with bosun's list (pid {app.pid}): {options.seconds:.0f} s…", flush=True)
            listed = measure(options.seconds, groups)
            shown = len(set(re.findall(re.escape(bench.prefix) + r"-\d{3}", app.text())))

            app.press("g")  # the top row: the project's header
            app.wait_for(re.compile(r"▾ " + re.escape(project)), timeout=10)
            app.press("c")
            app.wait_for(f"Stats: {project} (compose project)", timeout=20)
            app.wait_for(re.compile(r"CPU  [\d.]+ %"), timeout=30)
            time.sleep(WARM_UP)
            groups = {**engine, "bosun": descendants(app.pid)}
            print(f"with the stats screen: {options.seconds:.0f} s…", flush=True)
            charted = measure(options.seconds, groups)
            summed = re.search(r"the sum of (\d+) containers \((\d+) running\)", app.text())

    print(f"\nthe list showed {shown} of the {options.containers} bench containers (stats polled for those shown); "
          f"the stats screen charted {summed.group(2) if summed else '?'} running of {summed.group(1) if summed else '?'}")
    print(f"bosun CPU:    list {listed['bosun']:.2f} %, stats screen {charted['bosun']:.2f} % of one core   "
          f"target ≤ {CPU_TARGET:.0f} %: {verdict(charted['bosun'] <= CPU_TARGET)}")
    over_list, over_chart = listed["engine"] - base["engine"], charted["engine"] - base["engine"]
    print(f"engine CPU:   {base['engine']:.2f} % without bosun, {listed['engine']:.2f} % with the list "
          f"({over_list:+.2f} points), {charted['engine']:.2f} % with the stats screen ({over_chart:+.2f} points)   "
          f"target: no more than the list's (±{NOISE} points): {verdict(over_chart <= over_list + NOISE)}")
    if "containerd" in base:
        print(f"containerd:   {base['containerd']:.2f} % without, {listed['containerd']:.2f} % list, "
              f"{charted['containerd']:.2f} % stats screen (information)")


if __name__ == "__main__":
    run(main)
