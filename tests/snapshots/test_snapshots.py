"""Snapshot tests: how the screens look, in a dark and a light theme, small and large.

Baselines live in __snapshots__/; after an intended change of looks, run
`bash tests/run tests/snapshots --snapshot-update` and review the SVGs.
"""

from __future__ import annotations

import pytest

from tests.logs.pane_helpers import settle_logs
from tests.waits import wait_until

from tests.settings_shorthand import flat_settings
from tui.app import BosunApp, RunOptions
from tui.demo import build_demo_engine
from tui.dashboard.screen import DashboardScreen
from tui.screens.inspect import InspectScreen

THEMES = ["bosun-dark", "bosun-light"]
SIZES = [(80, 24), (160, 48)]

INSPECT_DOC = {
    "Id": "4f9c2d3e1a7b" + "0" * 52,
    "Name": "/shop-api-1",
    "Created": "2026-11-20T08:15:02.123456789Z",
    "State": {"Status": "running", "Running": True, "ExitCode": 0, "StartedAt": "2026-11-20T08:15:03Z",
              "Health": {"Status": "healthy", "FailingStreak": 0, "Log": [{"ExitCode": 0, "Output": "ok"}]}},
    "Config": {
        "Image": "ghcr.io/acme/shop-api:2.4.1",
        "Env": ["PATH=/usr/local/bin:/usr/bin:/bin", "DB_PASSWORD=hunter2", "API_KEY=abc123", "LANG=C.UTF-8"],
        "Labels": {"com.docker.compose.project": "shop", "evil": "\x1b]52;c;aGk=\x07[bold]x[/]"},
    },
    "NetworkSettings": {"Ports": {"8000/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8000"}]}},
    "Mounts": [{"Type": "volume", "Source": "/var/lib/docker/volumes/shop_data/_data", "Destination": "/data"}],
}


def demo_app(theme: str, **options) -> BosunApp:
    options.setdefault("stats", False)  # live figures differ run to run
    run = RunOptions(persist_theme=False, demo_activity=False)
    return BosunApp(flat_settings(theme=theme, **options), run, engine=build_demo_engine())


async def wait_listed(pilot) -> None:
    def listed():
        screen = pilot.app.screen
        return isinstance(screen, DashboardScreen) and screen.listed and not screen._rows_scheduled

    await wait_until(listed, "the dashboard's first list", pilot=pilot, detail=lambda: repr(pilot.app.screen))
    await pilot.pause()
    await settle_logs(pilot)


@pytest.fixture(autouse=True)
def isolated_config(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("theme", THEMES)
def test_dashboard(snap_compare, theme, size):
    assert snap_compare(demo_app(theme), terminal_size=size, run_before=wait_listed)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("theme", THEMES)
def test_help(snap_compare, theme, size):
    async def open_help(pilot):
        await wait_listed(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(demo_app(theme), terminal_size=size, run_before=open_help)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("theme", THEMES)
def test_confirm_remove_running(snap_compare, theme, size):
    async def ask(pilot):
        await wait_listed(pilot)
        await pilot.press("down", "down")  # metrics-prometheus-1, running
        await settle_logs(pilot)  # the log pane behind the dialog follows the cursor to it
        await pilot.press("D")
        await wait_until(lambda: type(pilot.app.screen).__name__ == "ConfirmRemoveScreen", "the confirm dialog",
                         pilot=pilot, detail=lambda: repr(pilot.app.screen))
        await pilot.pause()

    assert snap_compare(demo_app(theme), terminal_size=size, run_before=ask)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("theme", THEMES)
def test_inspect(snap_compare, theme, size):
    async def open_inspect(pilot):
        await wait_listed(pilot)
        await pilot.app.push_screen(InspectScreen(INSPECT_DOC, title="shop-api-1"))
        await pilot.pause()

    assert snap_compare(demo_app(theme), terminal_size=size, run_before=open_inspect)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("theme", THEMES)
def test_no_engine(snap_compare, theme, size):
    app = BosunApp(flat_settings(host="unix:///nonexistent/bosun-snapshot.sock", theme=theme),
                   RunOptions(persist_theme=False))

    async def wait_error(pilot):
        await wait_until(lambda: type(pilot.app.screen).__name__ == "NoEngineScreen", "the no-engine screen",
                         pilot=pilot, detail=lambda: repr(pilot.app.screen))
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=wait_error)


@pytest.mark.parametrize("theme", THEMES)
def test_dashboard_read_only_filtered(snap_compare, theme):
    async def filtered(pilot):
        await wait_listed(pilot)
        await pilot.press("slash", *"shop", "enter")
        screen = pilot.app.screen
        await wait_until(lambda: screen.filter.text == "shop" and not screen._rows_scheduled, "the list filtered",
                         pilot=pilot)
        await settle_logs(pilot)  # the log pane follows the row the cursor is on now

    app = demo_app(theme, read_only=True)
    assert snap_compare(app, terminal_size=(120, 24), run_before=filtered)
