"""ssh:// to localhost against the local socket: first screen, shell echo latency, log ingest (not a test).

Needs the test sshd (`bash tests/sshd.sh start`, which prints the variables;
this script reads BOSUN_TEST_SSH_HOST and BOSUN_TEST_SSH_CONFIG) and Docker.
Each figure is taken for the local socket, for bosun's own SSH client
(asyncssh) and for the system ssh (openssh):

1. First screen: `python -m tui --host URL --label <bench>` in a 120x30 pty,
   from the fork to a bench container's name on screen. Median of `--runs`.
   (The local socket also has the stdlib first frame; ssh:// goes without it.)
2. Shell echo: an exec session with a TTY in a busybox container, one byte
   written, its echo read back; median and p95 over `--keys` keystrokes, after
   a warm-up. Target: ssh median ≤ local median + 2 ms.
3. Log ingest: the whole log of a container that wrote `--lines` lines, read
   through the engine's log stream (what a log pane loads); MB/s, and the
   ratio to the local socket's rate.

    python bench/ssh.py [--runs 3] [--keys 200] [--lines 300000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import time
import uuid

from _common import DOCKER_URL, IDLE, BENCH_LABEL, Docker, PtyApp, machine_note, run

from tui.engine.connector import open_endpoint
from tui.engine.endpoints import Endpoint

SOCKET = DOCKER_URL.removeprefix("unix://")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def transports(ssh_host: str) -> list[tuple[str, str, str]]:
    """(label, url, ssh_client) for each way in."""
    return [("local socket", DOCKER_URL, ""), ("ssh (asyncssh)", ssh_host + SOCKET, "asyncssh"),
            ("ssh (openssh)", ssh_host + SOCKET, "openssh")]


def first_screen(url: str, client: str, label: str, name: str, runs: int) -> list[float]:
    times = []
    env = {"BOSUN_SSH_CONFIG": os.environ["BOSUN_SSH_CONFIG"]}
    if client:
        env["BOSUN_ENGINE__SSH_CLIENT"] = client
    for _ in range(runs):
        with PtyApp(["--host", url, "--label", label], cols=120, rows=30, env=env) as app:
            times.append(app.wait_for(re.compile(re.escape(name)), timeout=60, since=app.started))
    return times


async def echo_latency(url: str, client: str, container_id: str, keys: int) -> list[float]:
    engine = await open_endpoint(Endpoint(url, "bench"), ssh_client=client)
    try:
        session = await engine.exec(container_id, ["sh"], tty=True, size=(30, 120))
        seen = bytearray()

        async def echo(byte: bytes) -> float:
            start = time.perf_counter()
            await session.write(byte)
            while byte not in seen:
                output = await session.read()
                if output is None:
                    raise RuntimeError("the shell ended")
                seen.extend(output.data)
            seen.clear()
            return time.perf_counter() - start

        await asyncio.wait_for(echo(b"\n"), 30)  # the prompt: the session is up
        for char in b"warmup":  # the connection pools settle
            await echo(bytes([char]))
        times = []
        letters = b"abcdefghijklmnopqrstuvwxyz"
        for i in range(keys):
            times.append(await echo(bytes([letters[i % len(letters)]])))
        await session.close()
        return times
    finally:
        await engine.close()


async def ingest(url: str, client: str, container_id: str) -> tuple[float, int, int]:
    """(seconds, bytes, lines) to read the whole log once."""
    engine = await open_endpoint(Endpoint(url, "bench"), ssh_client=client)
    try:
        size = lines = 0
        start = time.perf_counter()
        async for batch in engine.log_batches(container_id, follow=False, timestamps=True, tty=False):
            lines += len(batch.frames)
            size += sum(len(frame[1]) for frame in batch.frames)
        return time.perf_counter() - start, size, lines
    finally:
        await engine.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keys", type=int, default=200)
    parser.add_argument("--lines", type=int, default=300_000)
    args = parser.parse_args()
    ssh_host = os.environ.get("BOSUN_TEST_SSH_HOST")
    if not ssh_host or not os.environ.get("BOSUN_TEST_SSH_CONFIG"):
        raise SystemExit("bench/ssh.py: start the test sshd first: eval \"$(bash tests/sshd.sh start | tail -1)\"")
    os.environ["BOSUN_SSH_CONFIG"] = os.environ["BOSUN_TEST_SSH_CONFIG"]
    docker = Docker()
    session = uuid.uuid4().hex[:8]
    labels = {BENCH_LABEL: session}
    idle_name = f"bench-ssh-{session}"
    made = []
    try:
        idle = docker.create(idle_name, labels, IDLE)
        docker.start(idle)
        made.append(idle)
        flood = docker.create(f"bench-ssh-log-{session}", labels,
                              f"seq 1 {args.lines} | sed 's/^/line of a log, number /'")
        docker.start(flood)
        made.append(flood)
        print(machine_note())
        print(f"over ssh:// to {ssh_host} (localhost) vs {DOCKER_URL}\n")

        print("first screen (launch -> bench container on screen), median of", args.runs)
        for label, url, client in transports(ssh_host):
            times = first_screen(url, client, f"{BENCH_LABEL}={session}", idle_name, args.runs)
            print(f"  {label:<16} median {statistics.median(times):5.2f} s   min {min(times):5.2f} s")

        print(f"\nshell echo latency, {args.keys} keys")
        medians = {}
        for label, url, client in transports(ssh_host):
            times = [t * 1000 for t in asyncio.run(echo_latency(url, client, idle, args.keys))]
            medians[label] = statistics.median(times)
            print(f"  {label:<16} median {medians[label]:6.2f} ms   p95 {percentile(times, 95):6.2f} ms   "
                  f"max {max(times):6.2f} ms")
        for label in medians:
            if label != "local socket":
                extra = medians[label] - medians["local socket"]
                verdict = "ok" if extra <= 2 else "over"
                print(f"  {label}: +{extra:.2f} ms over local (target <= +2 ms: {verdict})")

        # The log is complete once its writer has exited (polling here is a bench, not a test).
        while docker.call("GET", f"/containers/{flood}/json")["State"]["Running"]:
            time.sleep(0.1)
        print(f"\nlog ingest, {args.lines} lines read whole")
        rates = {}
        for label, url, client in transports(ssh_host):
            seconds, size, lines = asyncio.run(ingest(url, client, flood))
            rates[label] = size / seconds
            print(f"  {label:<16} {lines} lines, {size / 1e6:.1f} MB in {seconds:.2f} s: "
                  f"{size / seconds / 1e6:6.1f} MB/s, {lines / seconds:9.0f} lines/s")
        for label in rates:
            if label != "local socket":
                print(f"  {label}: {rates[label] / rates['local socket']:.2f} of the local socket's rate")
    finally:
        for container_id in made:
            docker.remove(container_id)


if __name__ == "__main__":
    sys.exit(run(main))
