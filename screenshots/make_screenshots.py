"""Regenerate screenshots/*.svg from the demo engine: `python screenshots/make_screenshots.py`.

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

from tui.app import AppSettings, BosunApp  # noqa: E402
from tui.demo import build_demo_engine  # noqa: E402
from tui.screens.dashboard import DashboardOptions, DashboardScreen  # noqa: E402


async def shoot(name: str, theme: str, keys: list[str], size=(150, 30), read_only=False, wait_stats=True) -> None:
    options = DashboardOptions(stats_interval=0.1, read_only=read_only)
    app = BosunApp(AppSettings(theme=theme, persist_theme=False, demo_activity=False, options=options),
                   engine=build_demo_engine())
    async with app.run_test(size=size) as pilot:
        for _ in range(300):
            screen = app.screen
            if (isinstance(screen, DashboardScreen) and screen.listed and not screen._rows_scheduled
                    and (not wait_stats or len(screen.stats) >= 5)):
                if not wait_stats or min(len(h.samples) for h in screen.stats.values()) >= 8:
                    break
            await pilot.pause(0.05)
        for key in keys:
            await pilot.press(key)
            await pilot.pause(0.1)
            if key == "i":  # inspect loads in a worker: wait for its screen
                for _ in range(100):
                    if not isinstance(app.screen, DashboardScreen):
                        break
                    await pilot.pause(0.02)
        await pilot.pause(0.3)
        path = HERE / f"{name}.svg"
        app.save_screenshot(filename=path.name, path=str(HERE))
        print(f"wrote {path.relative_to(HERE.parent)}")


async def main() -> None:
    await shoot("dashboard-dark", "bosun-dark", [])
    await shoot("dashboard-light", "bosun-light", [])
    await shoot("filter-read-only", "harbor", ["slash", *"shop", "enter"], read_only=True)
    await shoot("confirm-remove", "bosun-dark", ["down", "down", "D"])
    await shoot("inspect", "bosun-dark", ["down", "down", "down", "down", "i", "slash", *"health", "enter"],
                wait_stats=False)
    await shoot("help", "bosun-light", ["question_mark"], wait_stats=False)


if __name__ == "__main__":
    asyncio.run(main())
