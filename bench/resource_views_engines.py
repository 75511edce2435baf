"""The resource views on real Docker and Podman at scale: first draw after the key, idle CPU (not a test).

On each engine (side by side, interleaved run by run) the script makes 1 000
images (one `POST /images/load` of an archive holding that many distinct
images over one small layer, each tagged), 1 000 volumes and 200 networks
(each with its own /24, as Docker's default pools hold about 30), all labelled
`bosun.bench=<session>`, and removes them at the end (also on an error or
Ctrl-C). The installed `bosun` command (this checkout's code first on
PYTHONPATH, as the e2e scenarios run it) is started with `--host` in a 160×48
pty, once per run: each view's screen is made on its first visit, which is
the draw that counts. For each view (2, 3, 4) the time from the key's bytes
to the output that shows the view's count in its title (its rows come in the
same frame), then `1` back to the list; then the same views again (the
revisit, which shows its last rows at once and re-lists). The volumes view
draws before the engine's `/system/df` (sizes) answers: the time until the
sizes show is printed too.

For scale, the engine's own time for the calls each view makes (the bench
asks them itself, one at a time, median of --runs), so what is bosun's and
what is the engine's can be told apart.

Then idle CPU: bosun's CPU (all threads) over --seconds with the container
list shown, and with each view shown, nothing happening on the engine.

    python bench/resource_views_engines.py [--engines docker,podman] [--images 1000] [--volumes 1000]
        [--networks 200] [--runs 3] [--seconds 10]

Targets: first draw ≤ 0.3 s; a view's idle CPU not above the container list's (± 0.5 points).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import re
import signal
import statistics
import sys
import tarfile
import time
import urllib.parse
import uuid
from pathlib import Path

from _common import (BENCH_LABEL, REPO_ROOT, Docker, PtyApp, _UnixConnection, cpu_seconds, descendants,
                     machine_note, parallel, run)

from tui.testing.pty_app import ScreenTimeout  # noqa: E402  (after _common put the checkout on the path)

ENGINES = {"docker": "unix:///var/run/docker.sock", "podman": "unix:///run/podman/podman.sock"}
# Subnets of the bench networks: one /16 per engine, away from both engines' default pools.
SUBNET_BASE = {"docker": "10.213", "podman": "10.214"}
DRAW_TARGET, IDLE_MARGIN = 0.3, 0.5
VIEWS = (("2", "Images"), ("3", "Volumes"), ("4", "Networks"))
COLS, ROWS = 160, 48


def bosun_command() -> list[str]:
    """The installed `bosun` script beside this interpreter (on the PATH otherwise)."""
    script = Path(sys.executable).with_name("bosun")
    return [str(script)] if script.exists() else ["bosun"]


# -- what the bench makes ------------------------------------------------------------------------

def image_archive(count: int, session: str) -> bytes:
    """A `docker save` archive of `count` images sharing one layer, each with its own label (its own id)."""
    layer = io.BytesIO()
    with tarfile.open(fileobj=layer, mode="w") as tar:
        data = f"bosun bench {session}\n".encode()
        info = tarfile.TarInfo("bench.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    layer_bytes = layer.getvalue()
    diff_id = "sha256:" + hashlib.sha256(layer_bytes).hexdigest()
    out = io.BytesIO()
    manifest = []
    with tarfile.open(fileobj=out, mode="w") as tar:
        def add(name: str, payload: bytes) -> None:
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))

        add("layer/layer.tar", layer_bytes)
        for i in range(count):
            config = json.dumps({
                "architecture": "amd64", "os": "linux", "created": "2026-01-01T00:00:00Z",
                "config": {"Cmd": ["sh"], "Labels": {BENCH_LABEL: session, "bench.index": str(i)}},
                "rootfs": {"type": "layers", "diff_ids": [diff_id]},
                "history": [{"created": "2026-01-01T00:00:00Z", "created_by": "bosun bench"}],
            }).encode()
            name = hashlib.sha256(config).hexdigest() + ".json"
            add(name, config)
            manifest.append({"Config": name, "RepoTags": [f"bench-views-{session}/img-{i:04d}:latest"],
                             "Layers": ["layer/layer.tar"]})
        add("manifest.json", json.dumps(manifest).encode())
    return out.getvalue()


class Resources:
    """The images, volumes and networks of one bench run on one engine; removed again on exit."""

    def __init__(self, kind: str, url: str, counts: tuple[int, int, int]) -> None:
        self.kind, self.url, self.api = kind, url, Docker(url)
        self.session = uuid.uuid4().hex[:8]
        self.counts = counts
        self.filters = urllib.parse.quote(json.dumps({"label": [f"{BENCH_LABEL}={self.session}"]}))

    def post_raw(self, path: str, payload: bytes, content_type: str) -> bytes:
        conn = _UnixConnection(self.api.path, timeout=600)
        try:
            conn.request("POST", path, payload, {"Content-Type": content_type})
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        if response.status != 200:
            raise RuntimeError(f"POST {path}: {response.status} {data[:300]!r}")
        return data

    def make(self) -> None:
        images, volumes, networks = self.counts
        labels = {BENCH_LABEL: self.session}
        start = time.monotonic()
        self.post_raw("/images/load?quiet=1", image_archive(images, self.session), "application/x-tar")
        made = len(self.api.call("GET", f"/images/json?filters={self.filters}"))
        if made != images:
            raise RuntimeError(f"{self.kind}: loaded {made} images of {images}")
        parallel(lambda i: self.api.call("POST", "/volumes/create",
                                         {"Name": f"bench-views-{self.session}-vol-{i:04d}", "Labels": labels}),
                 range(volumes))
        base = SUBNET_BASE[self.kind]
        parallel(lambda i: self.api.call("POST", "/networks/create", {
            "Name": f"bench-views-{self.session}-net-{i:03d}", "Labels": labels, "CheckDuplicate": True,
            "IPAM": {"Config": [{"Subnet": f"{base}.{i}.0/24"}]}}), range(networks), workers=4)
        print(f"{self.kind}: made {images} images, {volumes} volumes, {networks} networks "
              f"in {time.monotonic() - start:.0f} s", flush=True)

    def remove(self) -> None:
        gone = (200, 204, 404, 409, 500)  # removed already, or refused: reported by the counts below
        for image in self.api.call("GET", f"/images/json?filters={self.filters}"):
            for ref in image.get("RepoTags") or [image["Id"]]:
                self.api.call("DELETE", f"/images/{urllib.parse.quote(ref, safe='')}?force=1", ok=gone)
        vols = (self.api.call("GET", f"/volumes?filters={self.filters}") or {}).get("Volumes") or []
        parallel(lambda v: self.api.call("DELETE", f"/volumes/{v['Name']}", ok=gone), vols)
        nets = self.api.call("GET", f"/networks?filters={self.filters}") or []
        parallel(lambda n: self.api.call("DELETE", f"/networks/{n['Id']}", ok=gone), nets, workers=4)
        left = (len(self.api.call("GET", f"/images/json?filters={self.filters}")),
                len((self.api.call("GET", f"/volumes?filters={self.filters}") or {}).get("Volumes") or []),
                len(self.api.call("GET", f"/networks?filters={self.filters}") or []))
        print(f"{self.kind}: bench images, volumes, networks removed (left: {left})", flush=True)

    def engine_times(self, runs: int) -> dict[str, float]:
        """Median seconds of each call the views make, asked by the bench itself, one after another."""
        paths = {"images/json": "/images/json", "containers/json": "/containers/json?all=1",
                 "volumes": "/volumes", "system/df": "/system/df?type=volume", "networks": "/networks"}
        times: dict[str, list[float]] = {name: [] for name in paths}
        for _ in range(runs):
            for name, path in paths.items():
                start = time.monotonic()
                self.api.call("GET", path)
                times[name].append(time.monotonic() - start)
        return {name: statistics.median(t) for name, t in times.items()}


# -- measuring bosun ------------------------------------------------------------------------------

def count_shown(title: str, at_least: int):
    pattern = re.compile(re.escape(title) + r"  (\d+)")

    def found(screen: str) -> bool:
        match = pattern.search(screen)
        return match is not None and int(match.group(1)) >= at_least
    return found


def sizes_shown(screen: str) -> bool:
    """The volumes view's first row has something in its SIZE column."""
    lines = screen.splitlines()
    for y, line in enumerate(lines[:-1]):
        at = line.find(" SIZE ")
        if at >= 0 and " NAME " in line:
            return lines[y + 1][at:at + 8].strip() != ""
    return False


def wait_sizes(app: PtyApp, start: float) -> float | None:
    """Seconds until the volumes' sizes show; None if they never do (an engine that gives none)."""
    try:
        return app.wait_until(sizes_shown, "the volumes' sizes", timeout=60, since=start)
    except ScreenTimeout:
        return None


def list_shown(screen: str) -> bool:
    return "running /" in screen  # the container list's title: "N running / M"


def app_up(screen: str) -> bool:
    # The list's title alone may be the first frame, drawn before the app loads and takes keys;
    # the log pane's tab is the app's own.
    return list_shown(screen) and "▏ Logs" in screen


def views_once(app: PtyApp, counts: dict[str, int], *, sizes: bool) -> dict[str, float]:
    """Each view's key → its count in the title; then back to the list. Seconds per view."""
    times: dict[str, float] = {}
    for key, title in VIEWS:
        start = time.monotonic()
        app.press(key)
        times[title] = app.wait_until(count_shown(title, counts[title]), f"the {title} count", timeout=60,
                                      since=start)
        if sizes and title == "Volumes":
            shown = wait_sizes(app, start)
            if shown is not None:
                times["Volumes sizes"] = shown
        app.press("1")
        app.wait_until(list_shown, "the container list", timeout=30)
    return times


def idle_cpu(app: PtyApp, seconds: float) -> float:
    pids = descendants(app.pid)
    cpu, wall = cpu_seconds(pids), time.monotonic()
    time.sleep(seconds)  # a measurement window, not a wait for anything
    return 100 * (cpu_seconds(pids) - cpu) / (time.monotonic() - wall)


def start_bosun(url: str) -> PtyApp:
    env = {"PYTHONPATH": str(REPO_ROOT)}
    app = PtyApp(["--host", url], cols=COLS, rows=ROWS, command=bosun_command(), env=env)
    app.wait_until(app_up, "the container list and its log pane", timeout=120)
    time.sleep(2)  # a bench, not a test: the first screen's work (stats, the log pane) settles
    return app


def measure(options, engines: dict[str, Resources]) -> None:
    counts: dict[str, dict[str, int]] = {}
    for kind, res in engines.items():
        images, volumes, networks = res.counts
        counts[kind] = {"Images": images, "Volumes": volumes, "Networks": networks}
    first: dict[str, dict[str, list[float]]] = {kind: {} for kind in engines}
    again: dict[str, dict[str, list[float]]] = {kind: {} for kind in engines}
    for n in range(options.runs):
        for kind, res in engines.items():  # interleaved: the machine's drift falls on both
            with start_bosun(res.url) as app:
                for title, seconds in views_once(app, counts[kind], sizes=True).items():
                    first[kind].setdefault(title, []).append(seconds)
                for title, seconds in views_once(app, counts[kind], sizes=False).items():
                    again[kind].setdefault(title, []).append(seconds)
            if options.verbose:
                print(f"  run {n + 1} {kind}: " + ", ".join(f"{t} {s[-1] * 1000:.0f} ms"
                                                           for t, s in first[kind].items()), flush=True)
    print(f"\nfirst draw after the key, median of {options.runs} runs (a fresh bosun each run), ms:")
    titles = [t for _, t in VIEWS]
    header = f"  {'':16}" + "".join(f"{kind:>24}" for kind in engines)
    print(header)
    for title in [*titles, "Volumes sizes"]:
        row = f"  {title + (' (first)' if title in titles else ''):16}"
        for kind in engines:
            times = first[kind].get(title)
            if not times:
                row += f"{'never shown':>31}"
                continue
            median = statistics.median(times)
            mark = "" if title not in titles else (" meets" if median <= DRAW_TARGET else " MISSES")
            row += f"{median * 1000:>11.0f} (max {max(times) * 1000:4.0f}){mark:7}"
        print(row)
    for title in titles:
        row = f"  {title + ' (again)':16}"
        for kind in engines:
            times = again[kind][title]
            row += f"{statistics.median(times) * 1000:>11.0f} (max {max(times) * 1000:4.0f}){'':7}"
        print(row)
    print(f"  (target ≤ {DRAW_TARGET * 1000:.0f} ms; 'sizes' is until the volumes' sizes from /system/df show)")

    print(f"\nthe engine's own time for each call, median of {options.runs}, ms:")
    times = {kind: res.engine_times(options.runs) for kind, res in engines.items()}
    for call in next(iter(times.values())):
        print(f"  GET /{call:16}" + "".join(f"{times[kind][call] * 1000:>12.0f} {kind}" for kind in engines))

    print(f"\nidle CPU over {options.seconds:g} s, % of one core:")
    for kind, res in engines.items():
        with start_bosun(res.url) as app:
            base = idle_cpu(app, options.seconds)
            parts = [f"list {base:.2f}"]
            for key, title in VIEWS:
                start = time.monotonic()
                app.press(key)
                app.wait_until(count_shown(title, counts[kind][title]), f"the {title} count", timeout=60,
                               since=start)
                if title == "Volumes":
                    wait_sizes(app, start)
                time.sleep(1)  # the view's own re-list settles
                cpu = idle_cpu(app, options.seconds)
                verdict = "meets" if cpu <= base + IDLE_MARGIN else "MISSES"
                parts.append(f"{title.lower()} {cpu:.2f} ({cpu - base:+.2f}, {verdict})")
                app.press("1")
                app.wait_until(list_shown, "the container list", timeout=30)
        print(f"  {kind}: " + ", ".join(parts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="docker,podman", help="comma-separated: docker, podman")
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--volumes", type=int, default=1000)
    parser.add_argument("--networks", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--verbose", action="store_true", help="print every run")
    options = parser.parse_args()
    print(machine_note(), flush=True)
    counts = (options.images, options.volumes, options.networks)
    engines = {kind: Resources(kind, ENGINES[kind], counts) for kind in options.engines.split(",")}
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        for res in engines.values():
            res.make()
        # What the engines hold beyond the bench's (other tests' things count: the views show everything).
        for kind, res in engines.items():
            held = (len(res.api.call("GET", "/images/json")),
                    len((res.api.call("GET", "/volumes") or {}).get("Volumes") or []),
                    len(res.api.call("GET", "/networks")))
            print(f"{kind} holds {held[0]} images, {held[1]} volumes, {held[2]} networks", flush=True)
        measure(options, engines)
    finally:
        with contextlib.suppress(KeyboardInterrupt):
            for res in engines.values():
                res.remove()
        print(machine_note())


if __name__ == "__main__":
    run(main)
