"""The settings reach the UI as they are: the note about old setting names as a toast, the `logs`
section straight to the log pane, the `shells` and `panes` sections read by the dashboard."""

from __future__ import annotations

from tests.waits import wait_until
from tui.app import BosunApp, RunOptions
from tui.engine import FakeEngine
from tui.settings import Settings
from tui.widgets.log.pane import LogPane

from .conftest import dashboard, screen_text


async def test_the_old_names_note_is_a_toast_and_the_log_pane_gets_the_logs_section():
    fake = FakeEngine()
    fake.add_container("web", "nginx")
    settings = Settings().replace(logs={"tail": None, "lines": 1234}, stats={"enabled": False})
    note = "config.toml: old setting names (still read); new spelling: log_tail → [logs] tail"
    app = BosunApp(settings, RunOptions(persist_theme=False, notes=[note]), engine=fake)
    async with app.run_test(size=(170, 40)) as pilot:
        screen = await dashboard(pilot)
        await wait_until(lambda: "log_tail → [logs] tail" in screen_text(app), "the note on screen", pilot=pilot,
                         detail=lambda: screen_text(app))
        pane = await wait_until(lambda: next(iter(screen.query(LogPane)), None), "the log pane", pilot=pilot)
        assert pane.settings is settings.logs  # handed over, not copied into another shape
        assert pane.tail is None
        assert pane.engine_label == (fake.name, fake.url)


async def test_the_layout_toggle_changes_the_screen_not_the_app_settings():
    fake = FakeEngine()
    fake.add_container("web", "nginx")
    settings = Settings().replace(panes={"layout": "beside"}, stats={"enabled": False})
    app = BosunApp(settings, RunOptions(persist_theme=False), engine=fake)
    async with app.run_test(size=(170, 40)) as pilot:
        screen = await dashboard(pilot)
        await wait_until(lambda: screen.panes is not None, "the pane area", pilot=pilot)
        await pilot.press("b")
        await wait_until(lambda: screen.query_one("#body").has_class("below"), "the panes below", pilot=pilot)
        assert screen.settings.panes.layout == "below" and app.settings.panes.layout == "beside"
