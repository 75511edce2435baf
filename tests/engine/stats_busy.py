"""A container that uses every resource the stats screen charts, on a real engine (made with its client).

It burns a core, holds 40 MB in /dev/shm (counted as the container's memory),
writes a file to a volume and syncs it (block I/O), and knocks on the network
gateway's port 1 (a SYN out, a RST back: network in and out, no server needed).
It runs with `--memory 256m`, so the limit is its own.
"""

from __future__ import annotations

import shutil
import subprocess
import uuid

import pytest

from tests.engine.harness import IMAGE, TEST_LABEL

MEMORY_LIMIT = 256 << 20
BUSY = r"""
dd if=/dev/zero of=/dev/shm/fill bs=1M count=40 2>/dev/null
gw=$(ip route | awk '/default/ {print $3}')
(while :; do :; done) &
while :; do
  dd if=/dev/zero of=/data/f bs=1M count=4 conv=fsync 2>/dev/null
  wget -q -T 1 -O /dev/null "http://$gw:1/" 2>/dev/null
  sleep 0.3
done
"""


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
