"""bosun with several engines in view, from a test-only command line (for the pty scenarios and the benchmarks).

The CLI's own flags for several engines (repeatable `--host`, `--all-contexts`,
`[[engines]]`) belong to the discovery code; until they are there, and to
script fake engines besides, this builds `RunOptions(engine_specs=...)` itself:

    python -m tui.testing.fleet_app --host dock=unix:///var/run/docker.sock --host dead=tcp://127.0.0.1:9 \\
        --fake lab:200 --never slow --read-only lab --storm lab

`--host NAME=URL` a real engine (through `tui.engine.open_spec`); `--fake NAME:N`
a fake engine with N running containers (`NAME-0001`…); `--never NAME` an
engine that never answers; `--read-only NAME` marks one read-only; `--storm
NAME` makes that fake flip every container's health 20 times a second. SIGUSR1
adds a container `mark-<n>` to the first fake that does not storm (the
benchmark times how soon it shows); SIGUSR2 takes it down or brings it back.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from datetime import timedelta
from pathlib import Path

from tui.engine.spec import EngineSpec


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fleet_app")
    parser.add_argument("--host", action="append", default=[], metavar="NAME=URL")
    parser.add_argument("--fake", action="append", default=[], metavar="NAME:COUNT")
    parser.add_argument("--never", action="append", default=[], metavar="NAME")
    parser.add_argument("--read-only", action="append", default=[], metavar="NAME")
    parser.add_argument("--storm", action="append", default=[], metavar="NAME")
    parser.add_argument("--label", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--no-stats", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from tui.app import BosunApp, RunOptions
    from tui.engine import Health
    from tui.engine.open_spec import open_spec
    from tui.settings import load_settings
    from tui.testing.fleet_fakes import DownableFake, fake_opener

    fakes: dict[str, DownableFake] = {}
    specs: list[EngineSpec] = []
    for item in args.host:
        name, _, url = item.partition("=")
        specs.append(EngineSpec(name, url, source=f"--host {name}", read_only=name in args.read_only))
    for item in args.fake:
        name, _, count = item.partition(":")
        fake = DownableFake(name, stats_interval=5.0)
        for i in range(int(count or 10)):
            # Backdated, as containers on a real host mostly are: their uptime reads "up 3h" all along.
            fake.add_container(f"{name}-{i:04d}", f"demo/{name}:latest", age=timedelta(hours=3, minutes=i % 60))
        fakes[name] = fake
        specs.append(EngineSpec(name, f"fake://{name}", source=f"--fake {name}", read_only=name in args.read_only))
    for name in args.never:
        specs.append(EngineSpec(name, "fake://never", source=f"--never {name}"))
    by_fake = fake_opener(fakes)

    async def open_engine(spec: EngineSpec):
        return await (by_fake(spec) if spec.host.startswith("fake://") else open_spec(spec))

    settings = load_settings(None).settings
    labels = dict(item.partition("=")[::2] for item in args.label)
    settings = settings.replace(list={"labels": {**settings.list.labels, **labels}},
                                stats={"enabled": settings.stats.enabled and not args.no_stats})
    if len(specs) == 1 and args.host:  # one engine: the one-engine run, on that engine (a benchmark's baseline)
        settings = settings.replace(engine={"host": specs[0].host})

    class FleetTestApp(BosunApp):
        CSS_PATH = str(Path(sys.modules[BosunApp.__module__].__file__).with_name(BosunApp.CSS_PATH))

        def on_mount(self) -> None:
            super().on_mount()
            self.run_worker(on_ready(), exit_on_error=False)

    app = FleetTestApp(settings, RunOptions(engine_specs=tuple(specs), open_engine=open_engine, persist_theme=False))
    calm = next((f for n, f in fakes.items() if n not in args.storm), None)
    marks = [0]

    def mark(*_) -> None:
        if calm is not None:
            marks[0] += 1
            loop.call_soon_threadsafe(calm.add_container, f"mark-{marks[0]}")

    def flip(*_) -> None:
        if calm is not None:
            loop.call_soon_threadsafe(calm.come_back if calm.down_reason else calm.go_down)

    async def storm(fake: DownableFake) -> None:
        ids = fake.container_ids()
        states = (Health.HEALTHY, Health.STARTING)
        n = 0
        while True:  # every container's health flips 20 times a second: 4 000 events/s with 200
            for cid in ids:
                fake.set_health(cid, states[n % 2])
            n += 1
            await asyncio.sleep(0.05)

    loop: asyncio.AbstractEventLoop

    async def on_ready() -> None:
        nonlocal loop
        loop = asyncio.get_running_loop()
        signal.signal(signal.SIGUSR1, mark)
        signal.signal(signal.SIGUSR2, flip)
        for name in args.storm:
            app.run_worker(storm(fakes[name]), group="storm", exit_on_error=False)

    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main())
