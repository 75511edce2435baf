"""The resource views at scale: first draw after the key, and idle CPU (not a test).

A fake engine (in memory: the count is what matters here, not the engine's
speed) holds 1 000 images, 1 000 volumes and 200 networks, plus 50 containers
using some of them. bosun runs headless (Textual's test driver, 160×48). For
each view: the time from pressing its key (2, 3, 4) to the view's rows being
drawn by the compositor (median of --runs, back to the list in between). Then
idle CPU: the process's CPU time over --seconds with the container list shown,
and again with each view shown, nothing happening on the engine.

    python bench/resource_views.py [--images 1000] [--volumes 1000] [--networks 200] [--runs 5] [--seconds 10]

Targets: first draw ≤ 0.3 s; a view's idle CPU not above the container list's (± 0.5 points).
The CPU time of each draw is printed too: on a machine shared with other work, the wall time
also counts the time the process waited for a core.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from datetime import timedelta

from _common import machine_note

from tui.app import BosunApp, RunOptions
from tui.engine import FakeEngine
from tui.settings import Settings

DRAW_TARGET, IDLE_MARGIN = 0.3, 0.5
VIEWS = (("2", "images"), ("3", "volumes"), ("4", "networks"))


def build(images: int, volumes: int, networks: int) -> FakeEngine:
    fake = FakeEngine("bench", stats_interval=60)
    containers = [fake.add_container(f"app-{i:03}", f"registry.example/team/app-{i % 40}:v{i % 7}")
                  for i in range(50)]
    res = fake.resources
    for i in range(images):
        tags = (f"registry.example/team/app-{i % 40}:v{i % 7}",) if i < 280 else (
            (f"registry.example/archive/build-{i}:{i % 13}",) if i % 5 else ())
        res.add_image(*tags, size=(i % 500 + 1) << 20, age=timedelta(hours=i))
    for i in range(volumes):
        res.add_volume(f"volume-{i:04}", size=(i % 300) << 20)
        if i < len(containers):
            res.mount(f"volume-{i:04}", containers[i])
    for i in range(networks):
        net = res.add_network(f"net-{i:03}", subnet=f"10.{i // 250}.{i % 250}.0/24")
        if i < len(containers):
            res.attach(net, containers[i])
    return fake


CPU: dict[str, list[float]] = {}


async def first_draw(pilot, key: str, view: str) -> float:
    """Wall seconds from the key to the rows drawn; the process's CPU seconds for it go to `CPU`."""
    from tui.views.screen import ResourceScreen

    app = pilot.app
    start, cpu = time.perf_counter(), time.process_time()
    await pilot.press(key)
    while True:
        screen = app.screen
        if isinstance(screen, ResourceScreen) and screen.VIEW == view and screen.listed and screen.table.keys:
            text = "\n".join(strip.text for strip in screen._compositor.render_strips())
            first = screen.table.keys[0]
            name = next(c.text(screen.items[first]) for c in screen.SPEC.columns)[:8]
            if name and name in text:
                CPU.setdefault(view, []).append(time.process_time() - cpu)
                return time.perf_counter() - start
        await pilot.pause()


async def idle_cpu(pilot, seconds: float) -> float:
    await pilot.pause()
    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.sleep(seconds)  # a measurement window, not a wait for anything
    return 100 * (time.process_time() - cpu) / (time.perf_counter() - wall)


async def run(options) -> None:
    fake = build(options.images, options.volumes, options.networks)
    app = BosunApp(Settings(), RunOptions(persist_theme=False, demo_activity=False), engine=fake)
    async with app.run_test(size=(160, 48)) as pilot:
        from tui.dashboard.screen import DashboardScreen

        while not (isinstance(app.screen, DashboardScreen) and app.screen.listed):
            await pilot.pause()
        await asyncio.sleep(2)  # warm-up: the panes mount, imports done
        print(f"engine: {options.images} images, {options.volumes} volumes, {options.networks} networks, "
              f"50 containers (fake engine)")
        draws: dict[str, list[float]] = {}
        for _ in range(options.runs):
            for key, view in VIEWS:
                draws.setdefault(view, []).append(await first_draw(pilot, key, view))
                if options.verbose:
                    print(f"  {view}: {draws[view][-1] * 1000:.0f} ms", flush=True)
                await pilot.press("1")
                while not isinstance(app.screen, DashboardScreen):
                    await pilot.pause()
        for view, times in draws.items():
            median, cpu = statistics.median(times), statistics.median(CPU[view])
            print(f"first draw {view:8}: median {median * 1000:6.0f} ms (CPU {cpu * 1000:4.0f} ms), "
                  f"first visit {times[0] * 1000:6.0f} ms (CPU {CPU[view][0] * 1000:4.0f} ms), "
                  f"over {len(times)} runs (target ≤ {DRAW_TARGET * 1000:.0f} ms: "
                  f"{'meets' if median <= DRAW_TARGET else 'MISSES'})")
        base = await idle_cpu(pilot, options.seconds)
        print(f"idle CPU, container list: {base:.2f} % of one core over {options.seconds:g} s")
        for key, view in VIEWS:
            await first_draw(pilot, key, view)
            await asyncio.sleep(1)
            cpu = await idle_cpu(pilot, options.seconds)
            verdict = "meets" if cpu <= base + IDLE_MARGIN else "MISSES"
            print(f"idle CPU, {view:8} view: {cpu:.2f} % of one core ({cpu - base:+.2f} points; {verdict})")
            await pilot.press("1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--volumes", type=int, default=1000)
    parser.add_argument("--networks", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--verbose", action="store_true", help="print every run")
    options = parser.parse_args()
    print(machine_note(), flush=True)
    asyncio.run(run(options))


if __name__ == "__main__":
    main()
