"""Idle cost: bosun's CPU and memory, and the load it puts on dockerd, with 50 running containers (not a test).

1. Starts 50 idle bench containers and lets the engine settle.
2. Baseline: dockerd's CPU over 30 s with bosun NOT running.
3. Starts `python -m tui --host <docker>` with default settings (stats on) in
   a pty tall enough to show every container, so stats are polled for all 50;
   waits for the list and a first round of stats, then over 30 s measures
   bosun's CPU (the pty child and any children, all threads, from
   /proc/<pid>/stat utime+stime), its RSS (VmRSS, sampled each second: last
   and peak), and dockerd's CPU again.

CPU is given in % of one core; engine overhead is dockerd's CPU with bosun
minus without, in percentage points. containerd (which answers dockerd's
stats calls) and the containers' shims are shown too, for information.

    python bench/idle.py [--containers 50] [--seconds 30] [--rows 60] [--host unix:///var/run/docker.sock]

Targets: bosun ≤ 1 % of one core and ≤ 120 MB; dockerd ≤ 3 points above its baseline.
"""

from __future__ import annotations

import argparse
import re
import time

from _common import (DOCKER_URL, BenchContainers, Docker, PtyApp, cpu_seconds, descendants, machine_note,
                     pids_named, rss_mb, run)

CPU_TARGET, RSS_TARGET, ENGINE_TARGET = 1.0, 120.0, 3.0
WARM_UP = 8.0  # seconds after the list shows: first stats rounds, detailed listing, imports done


def engine_pids() -> dict[str, list[int]]:
    # comm is cut to 15 characters: containerd-shim-runc-v2 reads as containerd-shim.
    return {"dockerd": pids_named("dockerd"), "containerd": pids_named("containerd"),
            "shims": pids_named("containerd-shim")}


def measure(seconds: float, bosun_pid: int | None = None) -> dict[str, float]:
    """CPU % of one core per process group over `seconds`; bosun's RSS sampled each second."""
    groups = engine_pids()
    if bosun_pid is not None:
        groups["bosun"] = descendants(bosun_pid)
    before = {name: cpu_seconds(pids) for name, pids in groups.items()}
    start = time.monotonic()
    rss = []
    while (elapsed := time.monotonic() - start) < seconds:
        time.sleep(min(1.0, seconds - elapsed))
        if bosun_pid is not None:
            rss.append(rss_mb(descendants(bosun_pid)))
    elapsed = time.monotonic() - start
    result = {name: 100 * (cpu_seconds(pids) - before[name]) / elapsed for name, pids in groups.items()}
    if rss:
        result["rss_last"], result["rss_peak"] = rss[-1], max(rss)
    return result


def verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--containers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--rows", type=int, default=60, help="pty rows (60 shows 50 containers, so all get stats)")
    parser.add_argument("--host", default=DOCKER_URL)
    options = parser.parse_args()
    docker = Docker(options.host)
    print(machine_note(), flush=True)
    if not engine_pids()["dockerd"]:
        raise SystemExit("bench: no dockerd process found on this machine to measure")

    with BenchContainers(docker, "idle") as bench:
        bench.make(options.containers)
        running, total = docker.count()
        print(f"engine: {running} running / {total} containers ({options.containers} of them this bench's)")
        time.sleep(5)

        print(f"baseline: {options.seconds:.0f} s without bosun…", flush=True)
        base = measure(options.seconds)

        with PtyApp(["--host", options.host], cols=140, rows=options.rows) as app:
            # Stats show as "n.n%" in the CPU column once the first round is in.
            app.wait_for(re.compile(re.escape(bench.prefix) + r"-\d{3} .*\d+\.\d%"), timeout=60)
            time.sleep(WARM_UP)
            print(f"with bosun (pid {app.pid}): {options.seconds:.0f} s idle…", flush=True)
            busy = measure(options.seconds, app.pid)
            visible = len(re.findall(re.escape(bench.prefix), app.text()))

    print(f"\nbosun showed {visible} of the {options.containers} bench containers (stats polled for those shown)")
    print(f"bosun CPU:        {busy['bosun']:.2f} % of one core   "
          f"target ≤ {CPU_TARGET:.0f} %: {verdict(busy['bosun'] <= CPU_TARGET)}")
    print(f"bosun RSS:        {busy['rss_last']:.1f} MB (peak {busy['rss_peak']:.1f} MB)   "
          f"target ≤ {RSS_TARGET:.0f} MB: {verdict(busy['rss_peak'] <= RSS_TARGET)}")
    overhead = busy["dockerd"] - base["dockerd"]
    print(f"dockerd CPU:      {base['dockerd']:.2f} % without bosun, {busy['dockerd']:.2f} % with bosun: "
          f"{overhead:+.2f} points   target ≤ {ENGINE_TARGET:.0f} points: {verdict(overhead <= ENGINE_TARGET)}")
    print(f"containerd CPU:   {base['containerd']:.2f} % without bosun, {busy['containerd']:.2f} % with bosun: "
          f"{busy['containerd'] - base['containerd']:+.2f} points (information)")
    print(f"shims CPU:        {base['shims']:.2f} % without bosun, {busy['shims']:.2f} % with bosun: "
          f"{busy['shims'] - base['shims']:+.2f} points (containerd-shim-runc-v2, all of them; information)")


if __name__ == "__main__":
    run(main)
