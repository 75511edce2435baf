"""How a shell tab looks inside the dashboard (demo engine, fake shell).

Deterministic: the demo's containers have fixed ages, stats are off and the
fake engine's shell answers the same way every run. After an intended change
of looks: `pytest tests/shell --snapshot-update`, then review the SVG.
"""

from __future__ import annotations

import pytest

from tests.shell.dashboard_helpers import open_shell, type_line, wait_line
from tests.shell.helpers import wait_parsed
from tests.ui.conftest import move_to
from tests.waits import wait_until
from tui.app import BosunApp, RunOptions
from tui.demo import build_demo_engine
from tui.dashboard.screen import DashboardScreen
from tui.settings import Settings, StatsSettings


@pytest.fixture(autouse=True)
def isolated_config(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))


def test_shell_tab_in_the_dashboard(snap_compare):
    settings = Settings(theme="bosun-dark", stats=StatsSettings(enabled=False))
    app = BosunApp(settings, RunOptions(persist_theme=False, demo_activity=False), engine=build_demo_engine())

    async def run_shells(pilot):
        def ready():
            screen = pilot.app.screen
            return (isinstance(screen, DashboardScreen) and screen.listed and screen.panes is not None
                    and not screen._rows_scheduled)

        await wait_until(ready, "the dashboard listed, with its panes", pilot=pilot)
        screen = pilot.app.screen
        by_name = {s.name: s.id for s in screen.summaries.values()}
        await move_to(pilot, screen, by_name["redis"])
        await open_shell(pilot, screen)
        await pilot.press("ctrl+]")
        await move_to(pilot, screen, by_name["shop-web-1"])
        pane = await open_shell(pilot, screen)
        await wait_line(pilot, pane, "/ #")
        await type_line(pilot, "cd /srv/www")
        await type_line(pilot, "echo [bold]not markup[/bold]")
        await wait_line(pilot, pane, "[bold]not markup[/bold]")
        await type_line(pilot, "exit 2")
        await wait_line(pilot, pane, "[exited with code 2]")
        await wait_parsed(pilot, pane.view)

    assert snap_compare(app, terminal_size=(140, 36), run_before=run_shells)
