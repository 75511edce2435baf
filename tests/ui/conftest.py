"""UI test helpers: the app on a scripted fake engine, and waiting for the list."""

from __future__ import annotations

import pytest

from tests.waits import wait_until
from tui.app import BosunApp, RunOptions
from tui.engine import FakeEngine
from tests.settings_shorthand import flat_settings
from tui.dashboard.screen import DashboardScreen


@pytest.fixture(autouse=True)
def isolated_config(tmp_path, monkeypatch):
    """Never read or write the developer's real config."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    for name in list(__import__("os").environ):
        if name.startswith("BOSUN_") and not name.startswith("BOSUN_TEST"):
            monkeypatch.delenv(name)


@pytest.fixture(autouse=True)
def patient_first_answer(monkeypatch):
    """The real engines' first answer may take more than the app's 5 s on this shared machine
    (Podman's service, under a load of 20+, did once in CI): these tests are about what follows
    it. How bosun meets an engine that never answers is tested in tests/engine/test_hung_engine.py."""
    import tui.engine.docker

    monkeypatch.setattr(tui.engine.docker, "PING_SECONDS", 30.0)


def make_app(engine: FakeEngine, *, theme: str = "bosun-dark", **options) -> BosunApp:
    options.setdefault("stats_interval", 0.2)
    return BosunApp(flat_settings(theme=theme, **options), RunOptions(persist_theme=False), engine=engine)


async def dashboard(pilot, *, timeout: float = 45.0) -> DashboardScreen:
    """Wait until the dashboard shows its first list (fails saying what the screen was otherwise)."""

    def ready():
        screen = pilot.app.screen
        # Listed from the quick first list is not enough: keys act once the engine is attached.
        if (isinstance(screen, DashboardScreen) and screen.listed and screen.engine is not None
                and not screen._rows_scheduled):
            return screen
        return None

    screen = await wait_until(ready, "the dashboard to list its containers with the engine attached",
                              pilot=pilot, timeout=timeout, detail=lambda: _dashboard_state(pilot.app.screen))
    await pilot.pause()
    return screen


def _dashboard_state(screen) -> str:
    if not isinstance(screen, DashboardScreen):
        error = getattr(screen, "error", None)
        return f"screen is {screen!r}" + (f" saying: {error}" if error is not None else "")
    return (f"listed={screen.listed} engine={screen.engine!r} rows_scheduled={screen._rows_scheduled} "
            f"busy={screen.busy!r}")


async def settle(pilot, screen: DashboardScreen, rounds: int = 50, *, timeout: float = 30.0) -> None:
    """Wait until pending actions (the busy marks) and the debounced table update are done.

    `rounds` is kept for callers written before the wait had a timeout; it no longer bounds it.
    The timeout allows a real engine's stop grace (10 s by default) to run out.
    """
    await pilot.pause()
    await wait_until(lambda: not screen._rows_scheduled and not screen.busy,
                     "the dashboard to finish its actions (no busy mark) and redraw the list",
                     pilot=pilot, timeout=timeout, detail=lambda: _dashboard_state(screen))
    await pilot.pause()


def row_keys(screen: DashboardScreen) -> list[str]:
    from tui.dashboard.container_table import ContainerTable

    return list(screen.query_one(ContainerTable)._order)


def cell_text(screen: DashboardScreen, key: str, column: str) -> str:
    from tui.dashboard.container_table import ContainerTable

    table = screen.query_one(ContainerTable)
    return str(table.get_cell(key, column))


async def move_to(pilot, screen: DashboardScreen, key: str, *, timeout: float = 10.0) -> None:
    """Put the list's cursor on row `key` (waiting for the row to be listed; failing if it never is)."""
    from tui.dashboard.container_table import ContainerTable

    table = screen.query_one(ContainerTable)
    await wait_until(lambda: key in table._order, f"row {key!r} in the container list", pilot=pilot,
                     timeout=timeout, detail=lambda: f"rows: {list(table._order)}")
    table.move_cursor(row=table._order.index(key))
    await pilot.pause()
    assert table.cursor_key == key, f"cursor on {table.cursor_key!r}, not {key!r}"


def screen_text(app) -> str:
    """The screen as a terminal would show it now, as plain text (every widget drawn, toasts included)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def burst(app, keys: list[str]) -> None:
    """Post `keys` to the app at once, none waiting for the one before: one terminal read of several keys."""
    from textual import events

    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))
