"""What the bench scripts share: bench containers on Docker, process CPU and memory, medians.

Containers are made through Docker's HTTP API (not `docker run`, which costs a
process per container) and carry `bosun.bench=<session>`, so cleanup removes
exactly what this run made, on success, error, Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import statistics
import sys
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))  # `python bench/x.py` puts bench/, not the root, first

from tui.testing.pty_app import PtyApp  # noqa: E402,F401  (re-exported for the scripts)

DOCKER_URL = "unix:///var/run/docker.sock"
IMAGE = os.environ.get("BOSUN_TEST_IMAGE", "bosun-test:latest")
# TERM trapped so removal is quick: a shell as PID 1 ignores signals it has no handler for.
IDLE = "trap 'exit 0' TERM; sleep 100000 & wait"
BENCH_LABEL = "bosun.bench"
CLK_TCK = os.sysconf("SC_CLK_TCK")


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float = 120) -> None:
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.unix_path)


class Docker:
    """The few Docker API calls the benches need; one connection per call, so threads can share it."""

    def __init__(self, url: str = DOCKER_URL) -> None:
        if not url.startswith("unix://"):
            raise SystemExit(f"bench: only unix:// Docker endpoints are supported, got {url}")
        self.url = url
        self.path = url.removeprefix("unix://")

    def call(self, method: str, path: str, body: dict | None = None, ok=(200, 201, 204, 304)):
        conn = _UnixConnection(self.path)
        try:
            payload = json.dumps(body).encode() if body is not None else None
            conn.request(method, path, payload, {"Content-Type": "application/json"} if payload else {})
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        if response.status not in ok:
            raise RuntimeError(f"{method} {path}: {response.status} {data[:300]!r}")
        return json.loads(data) if data else None

    def create(self, name: str, labels: dict[str, str], script: str = IDLE) -> str:
        body = {"Image": IMAGE, "Cmd": ["sh", "-c", script], "Labels": labels}
        return self.call("POST", f"/containers/create?name={name}", body)["Id"]

    def start(self, container_id: str) -> None:
        self.call("POST", f"/containers/{container_id}/start")

    def remove(self, container_id: str) -> None:
        self.call("DELETE", f"/containers/{container_id}?force=1", ok=(200, 204, 404))

    def ids(self, label: str | None = None) -> list[str]:
        query = "all=1"
        if label:
            query += "&filters=" + urllib.parse.quote(json.dumps({"label": [label]}))
        return [c["Id"] for c in self.call("GET", f"/containers/json?{query}")]

    def count(self) -> tuple[int, int]:
        """(running, all) containers on the engine."""
        every = self.call("GET", "/containers/json?all=1")
        return sum(c["State"] == "running" for c in every), len(every)


def parallel(fn, items, workers: int = 16) -> list:
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(fn, items))


def run(main) -> None:
    """Run a bench's main(): Ctrl-C or SIGTERM end it quietly (cleanup runs on the way out)."""
    try:
        main()
    except KeyboardInterrupt:
        print("\ninterrupted; bench containers removed", file=sys.stderr)
        raise SystemExit(130)


def _interrupt(signum, frame):
    raise KeyboardInterrupt  # SIGTERM cleans up the way Ctrl-C does


class BenchContainers:
    """N idle busybox containers for one bench run, removed again on exit.

        with BenchContainers(docker, "idle") as bench:
            bench.make(50)            # created and started
    """

    def __init__(self, docker: Docker, what: str) -> None:
        self.docker = docker
        self.session = uuid.uuid4().hex[:8]
        self.prefix = f"bench-{what}-{self.session}"
        self.label = f"{BENCH_LABEL}={self.session}"
        self.labels = {BENCH_LABEL: self.session}
        self.ids: list[str] = []

    def names(self, n: int) -> list[str]:
        return [f"{self.prefix}-{i:03d}" for i in range(n)]

    def create(self, n: int) -> list[str]:
        new = parallel(lambda name: self.docker.create(name, self.labels), self.names(n)[len(self.ids):])
        self.ids += new
        return new

    def make(self, n: int) -> list[str]:
        """Create and start containers until there are n."""
        new = self.create(n)
        parallel(self.docker.start, new)
        return self.ids

    def remove_all(self) -> None:
        # By label, not by self.ids: also catches what was created when we were interrupted.
        parallel(self.docker.remove, self.docker.ids(self.label))
        self.ids = []

    def __enter__(self) -> BenchContainers:
        signal.signal(signal.SIGTERM, _interrupt)
        return self

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(KeyboardInterrupt):  # a second Ctrl-C must not skip cleanup
            self.remove_all()


# -- process measurements (Linux /proc) ---------------------------------------------------------

def descendants(pid: int) -> list[int]:
    """pid and every process below it (children of all its threads)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        with contextlib.suppress(OSError):
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as f:
                    todo += [int(p) for p in f.read().split()]
    return found


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of the processes (all threads), in seconds."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            with open(f"/proc/{pid}/stat") as f:
                # The command name can contain spaces: split after its closing paren.
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    return total / CLK_TCK


def rss_mb(pids: list[int]) -> float:
    total_kb = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total_kb += int(line.split()[1])
    return total_kb / 1024


def pids_named(name: str) -> list[int]:
    """Processes whose command (comm) is exactly `name`, e.g. dockerd."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                with open(f"/proc/{entry}/comm") as f:
                    if f.read().strip() == name:
                        found.append(int(entry))
    return found


def machine_note() -> str:
    """CPUs and load: other work on the machine skews every figure, so say how busy it was."""
    one, five, _ = os.getloadavg()
    return f"machine: {os.cpu_count()} CPUs, load average {one:.2f} (1 min), {five:.2f} (5 min)"


def summary(seconds: list[float]) -> str:
    return f"median {statistics.median(seconds):.3f} s, min {min(seconds):.3f} s  (runs: " + \
        ", ".join(f"{s:.3f}" for s in seconds) + ")"
