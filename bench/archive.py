"""Download and upload throughput of one large file: bosun's archive code against `docker cp` (not a test).

One idle bench container; a file of `--mb` MB (200 by default, random bytes so
nothing compresses) made locally. Each run, interleaved so drift on this shared
machine falls on both:

- download: `docker cp <c>:/data/big <tmp>` against bosun's `unpack(engine.get_archive(...))`,
  the code behind ctrl+d on the files screen (the file unpacked to disk, as docker cp does);
- upload: `docker cp <file> <c>:/up/` against `engine.put_archive(..., pack(file))`, behind ctrl+u.

Who goes first alternates run by run, and dirty pages are flushed (`sync`) before each copy.

Every copy is checked (size on both sides). Prints MB/s for each and bosun's
throughput as a fraction of docker cp's (target: ≥ 0.8 both ways).

    python bench/archive.py [--mb 200] [--runs 3] [--host unix:///var/run/docker.sock]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import tempfile
import time

from _common import DOCKER_URL, BenchContainers, Docker, machine_note, run

from tui.engine.transfer import pack, unpack
from tui.engine.docker import DockerEngine
from tui.engine.endpoints import Endpoint


def make_file(path: str, mb: int) -> None:
    with open(path, "wb") as f:
        for _ in range(mb):
            f.write(os.urandom(1 << 20))


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


async def bosun_download(engine: DockerEngine, cid: str, dest: str) -> float:
    start = time.perf_counter()
    await unpack(engine.get_archive(cid, "/data/big"), dest)
    return time.perf_counter() - start


async def bosun_upload(engine: DockerEngine, cid: str, local: str) -> float:
    start = time.perf_counter()
    await engine.put_archive(cid, "/up", pack(local))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--host", default=DOCKER_URL)
    options = parser.parse_args()
    docker = Docker(options.host)
    print(machine_note(), flush=True)
    cli = ["docker", "-H", options.host]
    size = options.mb << 20
    work = tempfile.mkdtemp(prefix="bosun-bench-archive-")
    try:
        local = os.path.join(work, "big")
        make_file(local, options.mb)
        with BenchContainers(docker, "archive") as bench:
            (cid,) = bench.make(1)
            subprocess.run([*cli, "exec", cid, "mkdir", "-p", "/data", "/up"], check=True)
            subprocess.run([*cli, "cp", local, f"{cid}:/data/big"], check=True, capture_output=True)

            async def measure() -> dict[str, list[float]]:
                engine = DockerEngine(Endpoint(options.host, "bench"))
                await engine.ping()
                times: dict[str, list[float]] = {k: [] for k in ("cp down", "bosun down", "cp up", "bosun up")}
                try:
                    for i in range(options.runs):
                        # Who goes first alternates, and dirty pages are flushed before each copy:
                        # the second writer must not pay for the first one's writeback.
                        order = ("cp down", "bosun down", "cp up", "bosun up") if i % 2 == 0 else \
                            ("bosun down", "cp down", "bosun up", "cp up")
                        for what in order:
                            await asyncio.to_thread(os.sync)
                            dest = os.path.join(work, f"{what.replace(' ', '-')}-{i}")
                            os.mkdir(dest)
                            subprocess.run([*cli, "exec", cid, "rm", "-f", "/up/big"], check=True)
                            if what == "cp down":
                                seconds = await asyncio.to_thread(timed, lambda: subprocess.run(
                                    [*cli, "cp", f"{cid}:/data/big", dest], check=True, capture_output=True))
                                got = os.path.getsize(os.path.join(dest, "big"))
                            elif what == "bosun down":
                                seconds = await bosun_download(engine, cid, dest)
                                got = os.path.getsize(os.path.join(dest, "big"))
                            elif what == "cp up":
                                seconds = await asyncio.to_thread(timed, lambda: subprocess.run(
                                    [*cli, "cp", local, f"{cid}:/up/"], check=True, capture_output=True))
                                got = int(subprocess.run([*cli, "exec", cid, "stat", "-c", "%s", "/up/big"],
                                                         check=True, capture_output=True, text=True).stdout)
                            else:
                                seconds = await bosun_upload(engine, cid, local)
                                got = int(subprocess.run([*cli, "exec", cid, "stat", "-c", "%s", "/up/big"],
                                                         check=True, capture_output=True, text=True).stdout)
                            assert got == size, f"{what}: {got} bytes, expected {size}"
                            shutil.rmtree(dest)
                            times[what].append(seconds)
                            print(f"  run {i + 1} {what:10} {seconds:6.2f} s  {options.mb / seconds:7.1f} MB/s",
                                  flush=True)
                finally:
                    await engine.close()
                return times

            times = asyncio.run(measure())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rate = {k: options.mb / statistics.median(v) for k, v in times.items()}
    print(f"\n{options.mb} MB file, median of {options.runs} runs:")
    for way in ("down", "up"):
        cp, ours = rate[f"cp {way}"], rate[f"bosun {way}"]
        word = "download" if way == "down" else "upload"
        print(f"  {word:8}: docker cp {cp:7.1f} MB/s, bosun {ours:7.1f} MB/s = {ours / cp:.2f}x  (target >= 0.8x)")


if __name__ == "__main__":
    run(main)
