"""Regenerate screenshots/*.svg from the demo engine: `python screenshots/make_screenshots.py [name ...]`
(names: only those shots, e.g. `images-view`).

Real screenshots of the real app, on the fake engine so anyone can make them
without Docker: the same widgets, themes and keys a user gets.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="bosun-shots-")  # never touch the user's config

from tui.app import BosunApp, RunOptions  # noqa: E402
from tui.demo import build_demo_engine  # noqa: E402
from tui.dashboard.screen import DashboardScreen  # noqa: E402
from tui.settings import Settings  # noqa: E402


async def shoot(name: str, theme: str, keys: list[str], size=(150, 30), read_only=False, wait_stats=True,
                samples: int = 8) -> None:
    settings = Settings().replace(theme=theme, read_only=read_only, stats={"interval": 0.5})
    app = BosunApp(settings, RunOptions(persist_theme=False, demo_activity=False), engine=build_demo_engine())
    async with app.run_test(size=size) as pilot:
        for _ in range(300 + samples * 20):
            screen = app.screen
            if (isinstance(screen, DashboardScreen) and screen.listed and not screen._rows_scheduled
                    and (not wait_stats or len(screen.stats) >= 5)):
                if not wait_stats or min(len(h.samples) for h in screen.stats.values()) >= samples:
                    break
            await pilot.pause(0.05)
        for key in keys:
            await pilot.press(key)
            await pilot.pause(0.1)
            if key in ("u", "F"):  # the processes and files load in a worker: wait for the table or tree
                for _ in range(100):
                    if getattr(app.screen, "reads", 0) or getattr(app.screen, "tree_data", None) is not None:
                        break
                    await pilot.pause(0.02)
            if key == "i":  # inspect loads in a worker: wait for its screen
                for _ in range(100):
                    if not isinstance(app.screen, DashboardScreen):
                        break
                    await pilot.pause(0.02)
            if key in ("2", "3", "4"):  # a view lists in a worker (volumes twice: sizes come second)
                for _ in range(100):
                    if getattr(app.screen, "listed", False) and not app.screen.workers:
                        break
                    await pilot.pause(0.02)
        await pilot.pause(0.3)
        path = HERE / f"{name}.svg"
        app.save_screenshot(filename=path.name, path=str(HERE))
        print(f"wrote {path.relative_to(HERE.parent)}")


SHOTS = {
    "dashboard-dark": ("bosun-dark", []),
    # 160 columns and wider: the list and the log pane side by side.
    "dashboard-wide": ("bosun-dark", ["down", "down", "down", "down", "down", "down", "down"], {"size": (160, 48)}),
    "dashboard-light": ("bosun-light", []),
    "filter-read-only": ("harbor", ["slash", *"shop", "enter"], {"read_only": True}),
    "confirm-remove": ("bosun-dark", ["down", "down", "D"]),
    "inspect": ("bosun-dark", ["down", "down", "down", "down", "i", "slash", *"health", "enter"],
                {"wait_stats": False}),
    "help": ("bosun-light", ["question_mark"], {"wait_stats": False}),
    "processes": ("bosun-dark", ["down", "down", "u"], {"size": (120, 16), "wait_stats": False}),
    "files": ("bosun-dark", ["down", "down", "F", "down", "down", "down", "down", "enter", "down", "down", "enter"],
              {"size": (120, 20), "wait_stats": False}),
    "prune": ("bosun-dark", ["X"], {"size": (150, 40), "wait_stats": False}),
    "disk-usage": ("bosun-dark", ["U"], {"size": (150, 30), "wait_stats": False}),
    # The timeline (h; the first row is a project header: the whole engine), the demo's history read back at start.
    "timeline": ("bosun-dark", ["h"], {"size": (120, 18), "wait_stats": False}),
    # The images, volumes and networks views (2, 3, 4).
    "images-view": ("bosun-dark", ["2"], {"wait_stats": False}),
    "volumes-view": ("bosun-dark", ["3"], {"wait_stats": False}),
    "networks-view": ("bosun-dark", ["4", "down", "down"], {"wait_stats": False}),
    # Inside a container: processes (u), files (F), stats over time (c, of shop-api-1: 256 MiB limit).
    "processes": ("bosun-dark", ["down", "down", "u"], {"size": (120, 16), "wait_stats": False}),
    "files": ("bosun-dark", ["down", "down", "F", "down", "down", "down", "down", "enter", "down", "down", "enter"],
              {"size": (120, 20), "wait_stats": False}),
    "stats": ("bosun-dark", ["down", "down", "down", "down", "c"], {"size": (160, 48), "samples": 60}),
    "prune": ("bosun-dark", ["X"], {"size": (150, 40), "wait_stats": False}),
    "disk-usage": ("bosun-dark", ["U"], {"size": (150, 30), "wait_stats": False}),
}


async def main(only: list[str]) -> None:
    unknown = set(only) - set(SHOTS)
    if unknown:
        raise SystemExit(f"no such shot: {', '.join(sorted(unknown))} (there are: {', '.join(SHOTS)})")
    for name, (theme, keys, *options) in SHOTS.items():
        if not only or name in only:
            await shoot(name, theme, keys, **(options[0] if options else {}))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
