"""Bytes bosun writes to the terminal while a log pane follows a container (not a test).

What a user on SSH pays: every byte bosun writes crosses the link. For each size
(`--sizes`, 160x48 and 80x24) and rate (`--rates`, 1, 5 and 50 lines/s):

1. one busybox container prints 200 lines of history at once, then `line N` at that
   rate (`while :; do i=$((i+1)); echo line $i; usleep <period>; done`), so the pane
   opens full, as on a container that has been running a while;
2. bosun is started as a user does (`bosun` by default; `--command "python3 -m tui"`
   runs a checkout's code) in a real pty of that size, scoped to the bench's label, so
   the cursor is on that container and the log pane follows it;
3. once the pane shows lines and after `--warm-up` seconds, bytes written to the pty
   are counted over `--seconds` (20): bytes/s and bytes per new line;
4. every pty read is fed to a terminal emulator (pyte); the moment each `line N`
   first shows on the emulated screen, against the time Docker stamped it (its log
   timestamp, the same clock), gives the line-visible latency: median, p95, max.

The output of the window is classified by where on the screen it was drawn
(each `ESC[row;colH` starts a run): the title row, the footer row, the list, the
pane's header and tabs, the pane's rows. `--record DIR` keeps the raw bytes. bosun's
CPU over the window (% of one core, the pty child and its children) is shown too.

Then the issue-18 idle scenario (`--only idle`): 50 running containers each
printing a line a second, the cursor on the first so the pane follows it, stats
on (the default), at 160x48: bytes/s.

Then containers coming and going (`--only churn`): `--churn-containers` (30) idle
containers, all on screen at 160x48, stats on; for each of a container added at
the end of the list, one added in the middle (create and start, as `docker run`),
and each removed again (`rm -f`), `--churn-runs` times, once the containers are a
minute old (younger ones repaint their "up 17s" at every redraw): once nothing has been
written for a second, the bytes written from the call until the output is quiet
for a second again, and how many screen rows they touched.

    python bench/bandwidth.py [--command bosun] [--sizes 160x48,80x24] [--rates 1,5,50]
                              [--seconds 20] [--only lines,idle,churn] [--record DIR]

Targets: 5 lines/s at 160x48 ≤ 12 kB/s with every line visible within 0.25 s;
the idle scenario ≤ 4 kB/s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shlex
import statistics
import time
from collections import Counter
from pathlib import Path

from _common import DOCKER_URL, BenchContainers, Docker, PtyApp, cpu_seconds, descendants, machine_note, run

LINE = re.compile(r"\bline (\d+)\b")
MOVE = re.compile(rb"\x1b\[(\d+);(\d+)H")
# A history of 200 lines first, so the pane opens full (as on a container that has been running).
WRITER = ("i=0; while [ $i -lt 200 ]; do i=$((i+1)); echo line $i; done; "
          "while :; do i=$((i+1)); echo line $i; usleep {period}; done")
RATE_TARGET = 12_000  # bytes/s at 5 lines/s, 160x48
IDLE_TARGET = 4_000
LATENCY_TARGET = 0.25


class Watch:
    """Records every pty read (for the byte count and classification) and when each `line N` first shows."""

    def __init__(self, app: PtyApp) -> None:
        self.app = app
        self.seen: dict[int, float] = {}  # line number -> time.time() it first showed on the screen
        self.chunks: list[bytes] = []
        self.recording = False
        self._stop = False
        feed = app._stream.feed

        def recording_feed(data: bytes) -> None:  # runs on the pty reader thread, under app._lock
            if self.recording:
                self.chunks.append(data)
            feed(data)
            self._scan()

        app._stream.feed = recording_feed

    def _scan(self) -> None:
        now = time.time()
        for row in self.app._screen.display:
            for match in LINE.finditer(row):
                self.seen.setdefault(int(match.group(1)), now)

    def start_window(self) -> tuple[int, float, float]:
        with self.app._lock:
            self.chunks = []
            self.recording = True
            return self.app.output_bytes, time.monotonic(), time.time()

    def end_window(self) -> tuple[int, float, bytes]:
        with self.app._lock:
            self.recording = False
            return self.app.output_bytes, time.monotonic(), b"".join(self.chunks)


def docker_stamps(docker: Docker, container_id: str) -> dict[int, float]:
    """`line N` -> the Unix time Docker stamped it, from the container's whole log."""
    from _common import _UnixConnection  # Docker.call wants JSON; a log is a multiplexed stream

    conn = _UnixConnection(docker.path)
    try:
        conn.request("GET", f"/containers/{container_id}/logs?stdout=1&stderr=1&timestamps=1")
        data = conn.getresponse().read()
    finally:
        conn.close()
    stamps: dict[int, float] = {}
    offset = 0
    while offset + 8 <= len(data):
        size = int.from_bytes(data[offset + 4:offset + 8], "big")
        payload = data[offset + 8:offset + 8 + size].decode(errors="replace")
        offset += 8 + size
        for text in payload.splitlines():
            stamp, _, rest = text.partition(" ")
            match = LINE.search(rest)
            if match:
                stamps[int(match.group(1))] = parse_stamp(stamp)
    return stamps


def parse_stamp(stamp: str) -> float:
    # 2026-12-01T20:44:31.123456789Z: datetime takes microseconds only.
    head, _, frac = stamp.rstrip("Z").partition(".")
    base = dt.datetime.fromisoformat(head).replace(tzinfo=dt.UTC).timestamp()
    return base + float("0." + (frac or "0"))


# -- where the bytes went ---------------------------------------------------------------------------------

def layout(screen: list[str]) -> dict[str, object]:
    """Find the pane on the final screen: its header row and first column."""
    rows = len(screen)
    for y, row in enumerate(screen):
        # The header starts with the container's name; "following" and other states come between it and the streams.
        found = re.search(r"(\S+)(?: · [^·]+)*? · (TTY|stdout|stderr)", row)
        if found and y > 0:
            x = max(0, found.start(1) - 1)
            return {"rows": rows, "header_y": y, "pane_x": x, "name": found.group(1)}
    raise SystemExit("bench: no log pane header on the screen:\n" + "\n".join(screen))


def classify(raw: bytes, where: dict[str, object]) -> Counter:
    """Bytes by screen area: each cursor move starts a run that belongs to the row and column it moves to."""
    rows, header_y, pane_x = where["rows"], where["header_y"], where["pane_x"]
    counts: Counter = Counter()
    positions = list(MOVE.finditer(raw))
    counts["before the first move"] += positions[0].start() if positions else len(raw)
    for i, match in enumerate(positions):
        end = positions[i + 1].start() if i + 1 < len(positions) else len(raw)
        y, x = int(match.group(1)) - 1, int(match.group(2)) - 1
        size = end - match.start()
        if y == 0:
            area = "title row"
        elif y == rows - 1:
            area = "footer row"
        elif header_y is None:
            area = "other"
        elif y == header_y and x >= pane_x:
            area = "pane header"
        elif y < header_y and x >= pane_x and (pane_x > 0 or y >= header_y - 2):
            area = "pane tabs"
        elif y > header_y and x >= pane_x:
            area = "pane rows"
        else:
            area = "list"
        counts[area] += size
    return counts


# -- scenarios ------------------------------------------------------------------------------------------

def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(options, docker: Docker, bench: BenchContainers, cols: int, rows: int, label: str) -> dict[str, object]:
    args = ["--host", options.host, "--label", bench.label]
    with PtyApp(args, cols=cols, rows=rows, command=options.command) as app:
        watch = Watch(app)
        app.wait_for(LINE, timeout=60)
        time.sleep(options.warm_up)
        cpu_before = cpu_seconds(descendants(app.pid))
        first_bytes, first_at, wall_start = watch.start_window()
        time.sleep(options.seconds)
        last_bytes, last_at, raw = watch.end_window()
        cpu = cpu_seconds(descendants(app.pid)) - cpu_before
        wall_end = time.time()
        time.sleep(1.0)  # the window's last lines get a second to show
        screen = app.text().splitlines()
        seen = dict(watch.seen)
    elapsed = last_at - first_at
    where = layout(screen)
    # The container the pane followed, by the name in its header.
    followed = docker.call("GET", f"/containers/{where['name']}/json")["Id"]
    stamps = docker_stamps(docker, followed)
    written = [n for n, stamp in stamps.items() if wall_start <= stamp < wall_end]
    latencies = [seen[n] - stamps[n] for n in written if n in seen]
    missing = [n for n in written if n not in seen]
    result = {
        "label": label, "size": f"{cols}x{rows}", "bytes": last_bytes - first_bytes, "seconds": elapsed,
        "cpu": 100 * cpu / elapsed,
        "lines": len(written), "latencies": latencies, "missing": len(missing),
        "areas": classify(raw, where), "where": where,
    }
    if options.record:
        path = Path(options.record) / f"{label.replace(' ', '_').replace('/', '')}-{cols}x{rows}.raw"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)
        result["recorded"] = str(path)
    return result


def report(result: dict[str, object]) -> str:
    rate = result["bytes"] / result["seconds"]
    lines_per_s = result["lines"] / result["seconds"]
    per_line = result["bytes"] / result["lines"] if result["lines"] else float("nan")
    lat = result["latencies"]
    if lat:
        latency = f"{statistics.median(lat) * 1000:.0f} / {percentile(lat, 0.95) * 1000:.0f} / {max(lat) * 1000:.0f} ms"
    else:
        latency = "no lines seen"
    areas = result["areas"]
    total = sum(areas.values()) or 1
    shares = ", ".join(f"{name} {100 * n / total:.0f} %" for name, n in areas.most_common() if n)
    return (f"| {result['label']} | {result['size']} | {lines_per_s:.1f} | {rate / 1000:.2f} kB/s | "
            f"{per_line:,.0f} B | {latency} | {result['missing']} | {result['cpu']:.1f} % | {shares} |")


def wait_quiet(app: PtyApp, quiet: float = 1.0, timeout: float = 30.0) -> None:
    """Until nothing has been written for `quiet` seconds (or `timeout`): the previous change has settled."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if time.monotonic() - max(app.last_output_at, 0.0) >= quiet:
            return
        time.sleep(0.05)


def rows_written(raw: bytes) -> Counter:
    """Bytes by screen row (1-based), each cursor move starting a run."""
    counts: Counter = Counter()
    positions = list(MOVE.finditer(raw))
    for i, match in enumerate(positions):
        end = positions[i + 1].start() if i + 1 < len(positions) else len(raw)
        counts[int(match.group(1))] += end - match.start()
    return counts


def churn(options, docker: Docker, cols: int, rows: int) -> list[tuple[str, int, float]]:
    """(what, bytes written, seconds from the call to the list showing it) per change, each after a quiet second."""
    results = []
    with BenchContainers(docker, "churn") as bench:
        bench.make(options.churn_containers)
        made = time.monotonic()
        names = bench.names(options.churn_containers)
        args = ["--host", options.host, "--label", bench.label]
        with PtyApp(args, cols=cols, rows=rows, command=options.command) as app:
            watch = Watch(app)
            app.wait_for(names[-1], timeout=60)
            time.sleep(options.warm_up)  # the first stats round
            # A list of containers a few seconds old repaints every uptime ("up 17s") whenever it is
            # redrawn; past a minute ("up 1m") the uptimes stay put, as in a list that has been up a while.
            time.sleep(max(0.0, made + 62 - time.monotonic()))
            middle = names[len(names) // 2]
            for run_number in range(options.churn_runs):
                # New names as wide as the others (the columns keep their widths): "-99z" sorts last,
                # "<middle minus its last digit>a" just after the middle's tens.
                last_new, middle_new = f"{bench.prefix}-99{'zyxwvu'[run_number]}", f"{middle[:-1]}{'abcdef'[run_number]}"

                def run_container(name: str) -> None:
                    container_id = docker.create(name, bench.labels)
                    bench.ids.append(container_id)
                    docker.start(container_id)

                changes = [
                    ("added at the end", last_new, True, lambda: run_container(last_new)),
                    ("added in the middle", middle_new, True, lambda: run_container(middle_new)),
                    ("the last removed", last_new, False, lambda: docker.remove(last_new)),
                    ("one in the middle removed", middle_new, False, lambda: docker.remove(middle_new)),
                ]
                for what, name, shows, change in changes:
                    wait_quiet(app)
                    watch.start_window()
                    called = time.monotonic()
                    change()
                    deadline = called + 30
                    while (name in app.text()) != shows:
                        if time.monotonic() > deadline:
                            raise SystemExit(f"bench: the list never showed {name} {what}")
                        time.sleep(0.005)
                    shown = time.monotonic() - called
                    wait_quiet(app, timeout=10)
                    _, _, raw = watch.end_window()
                    by_row = rows_written(raw)
                    results.append((what, len(raw), shown))
                    print(f"| {what} | {cols}x{rows} | {len(raw) / 1000:.2f} kB | {len(by_row)} | "
                          f"{shown * 1000:.0f} ms |", flush=True)
                    if options.record:
                        path = Path(options.record) / f"churn-{run_number}-{what.replace(' ', '_')}.raw"
                        path.parent.mkdir(parents=True, exist_ok=True)
                        path.write_bytes(raw)
    for what in dict.fromkeys(r[0] for r in results):
        sizes = [r[1] for r in results if r[0] == what]
        print(f"{what}: median {statistics.median(sizes) / 1000:.2f} kB over {len(sizes)} runs "
              f"({', '.join(f'{n / 1000:.1f}' for n in sizes)})")
    return results


HEADER = ("| scenario | size | lines/s shown | to the terminal | per line | line visible: median / p95 / max | "
          "lines never shown | bosun CPU | where the bytes went |\n|---|---|---|---|---|---|---|---|---|")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--command", default="bosun",
                        help="how to start bosun (default: the installed `bosun`; e.g. \"python3 -m tui\")")
    parser.add_argument("--host", default=DOCKER_URL)
    parser.add_argument("--sizes", default="160x48,80x24")
    parser.add_argument("--rates", default="1,5,50", help="lines per second the container writes")
    parser.add_argument("--seconds", type=float, default=20.0, help="measuring window")
    parser.add_argument("--warm-up", type=float, default=3.0, help="seconds after the pane shows a line")
    parser.add_argument("--containers", type=int, default=50, help="containers in the idle scenario")
    parser.add_argument("--churn-containers", type=int, default=30, help="containers in the churn scenario")
    parser.add_argument("--churn-runs", type=int, default=3, help="times each change is made (at most 6)")
    parser.add_argument("--only", default="lines,idle", help="lines, idle, churn (comma-separated)")
    parser.add_argument("--record", help="directory to keep each window's raw output in")
    options = parser.parse_args()
    options.command = shlex.split(options.command)
    sizes = [tuple(int(n) for n in size.split("x")) for size in options.sizes.split(",")]
    rates = [float(r) for r in options.rates.split(",")]
    only = set(options.only.split(","))
    docker = Docker(options.host)
    print(machine_note(), flush=True)
    print(f"bosun: {' '.join(options.command)} (cwd {os.getcwd()})", flush=True)
    results = []
    if "lines" in only:
        for rate in rates:
            period = int(1_000_000 / rate)
            with BenchContainers(docker, "bandwidth") as bench:
                bench.ids = [docker.create(f"{bench.prefix}-000", bench.labels, WRITER.format(period=period))]
                docker.start(bench.ids[0])
                for cols, rows in sizes:
                    print(f"{rate:g} lines/s at {cols}x{rows}…", flush=True)
                    results.append(measure(options, docker, bench, cols, rows, f"{rate:g} lines/s"))
                    print(report(results[-1]), flush=True)
    if "idle" in only:
        with BenchContainers(docker, "bandwidth") as bench:
            script = WRITER.format(period=1_000_000)
            bench.ids = [docker.create(name, bench.labels, script) for name in bench.names(options.containers)]
            for container_id in bench.ids:
                docker.start(container_id)
            cols, rows = sizes[0]
            print(f"idle: {options.containers} containers × 1 line/s, pane following the first, {cols}x{rows}…",
                  flush=True)
            results.append(measure(options, docker, bench, cols, rows, f"{options.containers} containers × 1 line/s"))
            print(report(results[-1]), flush=True)
    if "churn" in only:
        cols, rows = sizes[0]
        print(f"churn: {options.churn_containers} containers at {cols}x{rows}, a container added and removed…")
        print("| change | size | bytes written | screen rows written | call → list shows it |\n|---|---|---|---|---|",
              flush=True)
        churn(options, docker, cols, rows)
    if not results:
        return
    print()
    print(HEADER)
    for result in results:
        print(report(result))
    print()
    for result in results:
        if result["size"] == "160x48" and result["label"] == "5 lines/s":
            rate = result["bytes"] / result["seconds"]
            p95 = percentile(result["latencies"], 0.95) if result["latencies"] else float("inf")
            print(f"5 lines/s at 160x48: {rate / 1000:.2f} kB/s (target ≤ {RATE_TARGET / 1000:.0f}), "
                  f"p95 line visible {p95 * 1000:.0f} ms (target ≤ {LATENCY_TARGET * 1000:.0f})")
        if "containers" in result["label"]:
            rate = result["bytes"] / result["seconds"]
            print(f"{result['label']} at {result['size']}: {rate / 1000:.2f} kB/s (target ≤ {IDLE_TARGET / 1000:.0f})")


if __name__ == "__main__":
    run(main)
