"""Log panes against real Docker: cost per line, ingest rate, key latency in a flood, memory, opening a big log.

Five measurements, each on containers this script makes (label `bosun.bench`):

1. steady   bosun (`python -m tui`, 160x40 pty, scoped to the bench label) following a
            container that writes about 2 000 lines/s; bosun's CPU (% of one core) and RSS
            over `--seconds`. Targets: ≤ 10 % and ≤ 100 MB.
2. ingest   in-process (headless app, real Docker engine): a log pane follows a container
            running `yes`; lines per second the pane reads off the stream (and how many it
            stored and skipped), against a bare Python client reading the same stream (same
            `timestamps=1` request, raw frames over the unix socket, no parsing beyond the
            frame headers). Target: ratio ≥ 0.8. Then the same with 16 kB lines (no target:
            the ratio, and the process's peak RSS, show that long lines neither slow the
            reading nor pile up in memory).
3. keys     bosun in a pty following the `yes` container, pane focused: `p` (pin) pressed
            every 150 ms, time until the pane header shows (or drops) `[pinned]`; median
            and p95. Target: p95 < 100 ms.
4. flood    the same session over `--flood-seconds` (60 by default): bosun's CPU and RSS
            every 10 s. Targets: ≤ 60 % of one core, ≤ 150 MB, no growth once the buffer is full.
5. open     a container whose log already holds 1 000 000 lines: bosun started scoped to it;
            time from its name showing in the list to the last log line showing in the pane
            (default tail: the last 1 000 lines). Target: < 0.5 s.

    python bench/log_pane.py [--seconds 20] [--flood-seconds 60] [--only steady,ingest,keys,flood,open]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import struct
import time

from _common import (DOCKER_URL, BenchContainers, Docker, PtyApp, cpu_seconds, descendants, machine_note,
                     rss_mb, run)

STEADY = ("i=0; while true; do j=0; while [ $j -lt 100 ]; do echo \"steady line $i.$j status=ok\"; j=$((j+1)); "
          "done; i=$((i+1)); usleep 50000; done")
FLOOD = "yes 'flood line: the quick brown fox jumps over the lazy dog'"
LONG_FLOOD = "yes \"$(head -c 16000 /dev/zero | tr '\\0' x)\""  # 16 kB lines, as fast as they go
MILLION = "seq 1 1000000; echo million-done; trap 'exit 0' TERM; sleep 100000 & wait"


def verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def make(docker: Docker, bench: BenchContainers, what: str, script: str) -> str:
    name = f"{bench.prefix}-{what}"
    container_id = docker.create(name, bench.labels, script)
    bench.ids.append(container_id)
    docker.start(container_id)
    return container_id


def bosun(host: str, bench: BenchContainers, rows: int = 40) -> PtyApp:
    return PtyApp(["--host", host, "--label", bench.label, "--log-layout", "below"], cols=160, rows=rows)


def sample(pid: int, seconds: float, every: float = 1.0) -> tuple[float, list[float]]:
    """CPU % of one core over `seconds`, and RSS (MB) every `every` seconds."""
    pids = descendants(pid)
    before = cpu_seconds(pids)
    start = time.monotonic()
    rss = []
    while (elapsed := time.monotonic() - start) < seconds:
        time.sleep(min(every, seconds - elapsed))
        rss.append(rss_mb(descendants(pid)))
    return 100 * (cpu_seconds(descendants(pid)) - before) / (time.monotonic() - start), rss


def bare_reader(host: str, container_id: str, seconds: float) -> float:
    """A bare client: `GET /logs?follow=1&timestamps=1` over the socket, counting frames. Lines/s."""
    path = host.removeprefix("unix://")
    sock = socket.socket(socket.AF_UNIX)
    sock.connect(path)
    sock.sendall(f"GET /containers/{container_id}/logs?follow=1&stdout=1&stderr=1&timestamps=1&tail=0 HTTP/1.1\r\n"
                 f"Host: docker\r\n\r\n".encode())
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, rest = data.partition(b"\r\n\r\n")
    chunked = b"chunked" in head.lower()
    buffer = bytearray(rest)
    raw = bytearray()
    lines = 0
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if chunked:  # strip chunk framing
            while True:
                cut = buffer.find(b"\r\n")
                if cut < 0:
                    break
                size = int(buffer[:cut], 16)
                if len(buffer) < cut + 2 + size + 2:
                    break
                raw += buffer[cut + 2:cut + 2 + size]
                del buffer[:cut + 2 + size + 2]
        else:
            raw += buffer
            buffer.clear()
        offset = 0
        while len(raw) - offset >= 8:
            _, size = struct.unpack_from(">BxxxL", raw, offset)
            if len(raw) - offset - 8 < size:
                break
            lines += 1
            offset += 8 + size
        del raw[:offset]
        buffer += sock.recv(1 << 18)
    elapsed = time.monotonic() - start
    sock.close()
    return lines / elapsed


# -- 1. steady --------------------------------------------------------------------------------

def steady(options, docker: Docker) -> None:
    with BenchContainers(docker, "logsteady") as bench:
        cid = make(docker, bench, "steady", STEADY)
        time.sleep(1)
        rate = bare_reader(options.host, cid, 3.0)  # what the container writes
        print(f"\n[steady] the container writes {rate:,.0f} lines/s", flush=True)
        with bosun(options.host, bench) as app:
            app.wait_for(re.compile(r"steady line \d+\.\d+"), timeout=30)
            time.sleep(3)
            cpu, rss = sample(app.pid, options.seconds)
            shown = app.line_with("steady line")
        print(f"[steady] pane showing e.g. {shown.strip()[:60]!r}")
        print(f"[steady] bosun CPU {cpu:.1f} % of one core   target ≤ 10 %: {verdict(cpu <= 10)}")
        print(f"[steady] bosun RSS {rss[-1]:.1f} MB (peak {max(rss):.1f})   target ≤ 100 MB: {verdict(max(rss) <= 100)}")


# -- 2. ingest (in-process) ----------------------------------------------------------------------

async def pane_ingest(host: str, container_id: str, seconds: float) -> dict[str, float]:
    from tui.app import BosunApp, RunOptions
    from tui.settings import Settings

    docker = Docker(host)
    label = next(iter(docker.call("GET", f"/containers/{container_id}/json")["Config"]["Labels"].items()))
    settings = Settings().replace(engine={"host": host}, list={"labels": {label[0]: label[1]}},
                                  stats={"enabled": False})
    app = BosunApp(settings, RunOptions(persist_theme=False))
    async with app.run_test(size=(160, 40)) as pilot:
        for _ in range(500):
            screen = app.screen
            pane = getattr(screen, "main_log_pane", None)
            if pane is not None and pane.followers:
                break
            await pilot.pause(0.02)
        follower = next(iter(pane.followers.values()))
        await asyncio.sleep(2)  # the tail is in; now the steady state
        view = pane.view
        read0, stored0, skipped0 = follower.delivered, view.buffer.appended, view.skipped
        start = time.monotonic()
        rss = []
        while time.monotonic() - start < seconds:
            await asyncio.sleep(min(0.5, seconds - (time.monotonic() - start)))
            rss.append(rss_mb([os.getpid()]))
        elapsed = time.monotonic() - start
        return {"read": (follower.delivered - read0) / elapsed,
                "stored": (view.buffer.appended - stored0) / elapsed,
                "skipped": (view.skipped - skipped0) / elapsed,
                "buffer": len(view.buffer), "rss": max(rss)}


def ingest(options, docker: Docker) -> None:
    for what, script, target in (("yes", FLOOD, 0.8), ("16 kB lines", LONG_FLOOD, None)):
        with BenchContainers(docker, "logingest") as bench:
            cid = make(docker, bench, "flood", script)
            time.sleep(1)
            bare = bare_reader(options.host, cid, options.ingest_seconds)
            got = asyncio.run(pane_ingest(options.host, cid, options.ingest_seconds))
            bare_after = bare_reader(options.host, cid, options.ingest_seconds)
        bare_mean = (bare + bare_after) / 2
        ratio = got["read"] / bare_mean
        print(f"\n[ingest {what}] bare Python reader: {bare:,.0f} lines/s before, {bare_after:,.0f} after "
              f"(mean {bare_mean:,.0f})")
        print(f"[ingest {what}] log pane read {got['read']:,.0f} lines/s: stored {got['stored']:,.0f}/s, "
              f"skipped {got['skipped']:,.0f}/s (said in the pane header); buffer {got['buffer']:,} lines; "
              f"process RSS peak {got['rss']:.0f} MB")
        print(f"[ingest {what}] ratio {ratio:.2f}   "
              + (f"target ≥ {target}: {verdict(ratio >= target)}" if target else "(no target: long lines)"))


# -- 3 + 4. keys and flood ------------------------------------------------------------------------

def keys_and_flood(options, docker: Docker, do_keys: bool, do_flood: bool) -> None:
    with BenchContainers(docker, "logflood") as bench:
        make(docker, bench, "yes", FLOOD)
        with bosun(options.host, bench) as app:
            app.wait_for("flood line", timeout=30)
            app.press("l")
            time.sleep(2)
            if do_keys:
                latencies = []
                pinned = False
                for _ in range(options.presses):
                    sent = time.monotonic()
                    app.press("P")  # pin (was p)
                    pinned = not pinned
                    if pinned:
                        latencies.append(app.wait_for("[pinned]", timeout=5, since=sent))
                    else:
                        latencies.append(app.wait_until_gone("[pinned]", timeout=5, since=sent))
                    time.sleep(0.15)
                ms = sorted(1000 * x for x in latencies)
                p95 = ms[int(0.95 * (len(ms) - 1))]
                print(f"\n[keys] {len(ms)} presses of `p` while flooding: median {statistics.median(ms):.1f} ms, "
                      f"p95 {p95:.1f} ms, max {ms[-1]:.1f} ms   target p95 < 100 ms: {verdict(p95 < 100)}")
            if do_flood:
                print(f"\n[flood] following `yes` for {options.flood_seconds:.0f} s…", flush=True)
                cpu, rss = sample(app.pid, options.flood_seconds, every=1.0)
                marks = ", ".join(f"{rss[i]:.0f}" for i in range(9, len(rss), 10))
                print(f"[flood] bosun CPU {cpu:.1f} % of one core   target ≤ 60 %: {verdict(cpu <= 60)}")
                print(f"[flood] bosun RSS every 10 s (MB): {marks}; peak {max(rss):.1f}   "
                      f"target ≤ 150 MB: {verdict(max(rss) <= 150)}")
                header = app.line_with("following") or app.line_with("skipped") or ""
                print(f"[flood] pane header: {header.strip()[:150]!r}")


# -- 5. open on a million lines ----------------------------------------------------------------------

def open_big(options, docker: Docker) -> None:
    with BenchContainers(docker, "logmillion") as bench:
        cid = make(docker, bench, "million", MILLION)
        for _ in range(600):
            tail = docker_tail(options.host, cid)
            if b"million-done" in tail:
                break
            time.sleep(0.5)
        times = []
        for _ in range(options.runs):
            launched = time.monotonic()
            with bosun(options.host, bench) as app:
                listed = app.wait_for(bench.prefix, timeout=30, since=launched)
                shown = app.wait_for("million-done", timeout=30, since=launched)
                times.append(shown - listed)
        print(f"\n[open] 1 000 000-line log, default tail: pane shows its last line {statistics.median(times):.3f} s "
              f"(median of {len(times)}; min {min(times):.3f}) after the list   target < 0.5 s: "
              f"{verdict(statistics.median(times) < 0.5)}")


def docker_tail(host: str, container_id: str) -> bytes:
    path = host.removeprefix("unix://")
    sock = socket.socket(socket.AF_UNIX)
    sock.connect(path)
    sock.sendall(f"GET /containers/{container_id}/logs?stdout=1&tail=2 HTTP/1.0\r\n\r\n".encode())
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    sock.close()
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=DOCKER_URL)
    parser.add_argument("--seconds", type=float, default=20.0, help="steady-rate measurement")
    parser.add_argument("--ingest-seconds", type=float, default=8.0)
    parser.add_argument("--flood-seconds", type=float, default=60.0)
    parser.add_argument("--presses", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5, help="runs of the open measurement")
    parser.add_argument("--only", default="steady,ingest,keys,flood,open")
    options = parser.parse_args()
    wanted = set(options.only.split(","))
    docker = Docker(options.host)
    print(machine_note(), flush=True)
    if "steady" in wanted:
        steady(options, docker)
    if "ingest" in wanted:
        ingest(options, docker)
    if wanted & {"keys", "flood"}:
        keys_and_flood(options, docker, "keys" in wanted, "flood" in wanted)
    if "open" in wanted:
        open_big(options, docker)


if __name__ == "__main__":
    run(main)
