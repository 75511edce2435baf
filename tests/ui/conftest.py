"""UI test helpers: the app on a scripted fake engine, and waiting for the list."""

from __future__ import annotations

import pytest

from tui.app import AppSettings, BosunApp
from tui.engine import FakeEngine
from tui.screens.dashboard import DashboardOptions, DashboardScreen


@pytest.fixture(autouse=True)
def isolated_config(tmp_path, monkeypatch):
    """Never read or write the developer's real config."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    for name in list(__import__("os").environ):
        if name.startswith("BOSUN_") and not name.startswith("BOSUN_TEST"):
            monkeypatch.delenv(name)


def make_app(engine: FakeEngine, *, theme: str = "bosun-dark", **options) -> BosunApp:
    options.setdefault("stats_interval", 0.2)
    settings = AppSettings(theme=theme, persist_theme=False, options=DashboardOptions(**options))
    return BosunApp(settings, engine=engine)


async def dashboard(pilot) -> DashboardScreen:
    """Wait until the dashboard shows its first list."""
    for _ in range(200):
        screen = pilot.app.screen
        # Listed from the quick first list is not enough: keys act once the engine is attached.
        if (isinstance(screen, DashboardScreen) and screen.listed and screen.engine is not None
                and not screen._rows_scheduled):
            await pilot.pause()
            return screen
        await pilot.pause(0.01)
    raise AssertionError(f"dashboard never listed; screen is {pilot.app.screen!r}")


async def settle(pilot, screen: DashboardScreen, rounds: int = 50) -> None:
    """Let pending workers and the debounced table update finish."""
    for _ in range(rounds):
        await pilot.pause(0.02)
        if not screen._rows_scheduled and not screen.busy:
            break
    await pilot.pause()


def row_keys(screen: DashboardScreen) -> list[str]:
    from tui.widgets.container_table import ContainerTable

    return list(screen.query_one(ContainerTable)._order)


def cell_text(screen: DashboardScreen, key: str, column: str) -> str:
    from tui.widgets.container_table import ContainerTable

    table = screen.query_one(ContainerTable)
    return str(table.get_cell(key, column))


async def move_to(pilot, screen: DashboardScreen, key: str) -> None:
    from tui.widgets.container_table import ContainerTable

    table = screen.query_one(ContainerTable)
    table.move_cursor(row=table._order.index(key))
    await pilot.pause()
