"""Stats over time, in a real pty: the charts of a busy container (c), and of a compose project.

On real Docker and Podman (both API and the Podman CLI backend; 160×48) with a
container that burns CPU, holds memory under a 256 MB limit, writes a file and
makes network traffic; and on the demo engine at 80×24, where the six charts
must still fit.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.scenario import covers
from tests.e2e import test_scenarios_engines as engines
from tests.engine.stats_busy import BUSY, kernel_counts_block_io

pytestmark = [pytest.mark.e2e]

ENGINES, start = engines.ENGINES, engines.start
engine = engines.engine  # the fixture: containers made with the engine's own client, removed after

# A figure that is not zero, then its unit.
NONZERO = r"(?:[1-9]\d*(?:\.\d)?|0\.[1-9])"


@pytest.mark.engine
@pytest.mark.parametrize("engine", ENGINES, indirect=True)
@covers("c", "escape")
def test_engine_stats_charts(bosun, engine):
    kind, url, cli, session, make = engine
    name = make("stats", "sh", "-c", BUSY, options=("--memory", "256m", "-v", "/data"))
    app = start(bosun, url, session)
    app.see_row(name, "running", timeout=20)
    app.goto(name)
    app.press("c")
    app.see(f"Stats: {name}")
    app.see("limit 256 MiB", timeout=20)
    app.see(re.compile(rf"CPU  {NONZERO} %"), timeout=30)
    app.see(re.compile(r"Memory  (?:[4-9]\d|1\d\d|2[0-5]\d)(?:\.\d)? MiB   limit 256 MiB"), timeout=20)
    app.see(re.compile(rf"Network in  {NONZERO} (?:B|KiB|MiB)/s"), timeout=30)
    app.see(re.compile(rf"Network out  {NONZERO} (?:B|KiB|MiB)/s"), timeout=30)
    # Block I/O only where the kernel counts it per cgroup (this project's CI VM does not: 0 there).
    block = NONZERO if kernel_counts_block_io() else "0"
    app.see(re.compile(rf"Block write  {block} (?:B|KiB|MiB)/s"), timeout=30)
    app.see(re.compile(r"[\u2801-\u28ff]"))  # dots drawn
    app.see("now")
    app.press("escape")
    app.see_row(name, "running")
    app.quit()


@pytest.mark.parametrize("size", [(80, 24)], ids=["80x24"])
@covers("c", "escape")
def test_demo_project_stats_at_80x24(bosun, size):
    app = bosun("--demo", size=size)
    app.see_row("shop-web-1", "healthy", timeout=20)
    app.goto("shop")
    app.press("c")
    app.see("Stats: shop (compose project)")
    app.see("the sum of 4 containers (3 running)")
    app.see(re.compile(rf"CPU  {NONZERO} %"), timeout=20)
    for title in ("Memory", "Network in", "Network out", "Block read", "Block write"):
        app.see(title)
    app.see("esc Close")
    app.press("escape")
    app.see_row("shop-web-1", "healthy")
    app.quit()
