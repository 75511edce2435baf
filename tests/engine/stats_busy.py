"""A container that uses every resource the stats screen charts, on a real engine (made with its client).

It burns a core, holds 40 MB in /dev/shm (counted as the container's memory),
writes a file to a volume with O_DIRECT (block I/O the kernel charges to the
container itself, not to a flusher thread), and knocks on the network
gateway's port 1 (a SYN out, a RST back: network in and out, no server needed;
busybox's wget crashes in the test image, its nc does not). It runs with
`--memory 256m`, so the limit is its own.

Some kernels count no block I/O at all in their cgroups (this project's CI VM:
the root cgroup's `blkio.throttle.io_service_bytes` says `Total 0`, and
`docker stats` says `0B / 0B`); `kernel_counts_block_io` tells the tests so.
"""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from tests.engine.harness import IMAGE, TEST_LABEL

MEMORY_LIMIT = 256 << 20
BUSY = r"""
dd if=/dev/zero of=/dev/shm/fill bs=1M count=40 2>/dev/null
gw=$(ip route | awk '/default/ {print $3}')
(while :; do :; done) &
while :; do
  dd if=/dev/zero of=/data/f bs=1M count=4 oflag=direct 2>/dev/null
  nc -w 1 "$gw" 1 </dev/null 2>/dev/null
  sleep 0.3
done
"""


def kernel_counts_block_io(root: Path = Path("/sys/fs/cgroup")) -> bool:
    """Does this machine's kernel count block I/O per cgroup? (v1: its root blkio total is not 0.)"""
    v1 = root / "blkio" / "blkio.throttle.io_service_bytes"
    if not v1.exists():
        return True  # cgroup v2: io.stat, kept by every kernel with the io controller
    for line in v1.read_text().splitlines():
        if line.startswith("Total"):
            return int(line.split()[1]) > 0
    return False


class BusyContainer:
    """`docker`/`podman run -d` of the busy script on the engine at `url`; `remove()` when done."""

    def __init__(self, kind: str, url: str, *, labels: dict[str, str] | None = None, name: str = "") -> None:
        program = "docker" if kind == "docker" else "podman"
        if shutil.which(program) is None:
            pytest.skip(f"`{program}` is not installed")
        self.argv = [program, "-H", url] if program == "docker" else [program, "--url", url]
        self.name = name or f"bosun-test-stats-busy-{uuid.uuid4().hex[:8]}"
        args = ["run", "-d", "--name", self.name, "--memory", str(MEMORY_LIMIT), "-v", "/data",
                "--label", f"{TEST_LABEL}=stats-busy"]
        for key, value in (labels or {}).items():
            args += ["--label", f"{key}={value}"]
        done = subprocess.run([*self.argv, *args, IMAGE, "sh", "-c", BUSY], capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == 0, done.stderr
        self.id = done.stdout.strip().splitlines()[-1]

    def remove(self) -> None:
        subprocess.run([*self.argv, "rm", "-f", "-v", self.id], capture_output=True, timeout=60)
