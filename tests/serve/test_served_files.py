"""A browser session's files screen: no download to, nor upload from, the server's disk; signals are audited."""

from __future__ import annotations

import json

from textual.widgets import Tree

from tests.settings_shorthand import flat_settings
from tests.ui.conftest import dashboard, move_to
from tests.ui.test_toasts import drawn_toast
from tests.waits import wait_until
from tui.app import RunOptions
from tui.engine import FakeEngine
from tui.screens.files import FilesScreen, TransferScreen
from tui.serve.child import ServedApp


def served(fake: FakeEngine, monkeypatch, tmp_path, **options) -> ServedApp:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("BOSUN_SERVE_AUDIT", str(tmp_path / "audit.log"))
    monkeypatch.setenv("BOSUN_SERVE_SESSION", "s1")
    return ServedApp(flat_settings(stats_interval=0.2, **options), RunOptions(persist_theme=False), engine=fake)


async def test_download_and_upload_are_refused_in_a_browser_session(monkeypatch, tmp_path):
    fake = FakeEngine()
    web = fake.add_container("web", "nginx")
    async with served(fake, monkeypatch, tmp_path).run_test(size=(120, 36)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, web)
        await pilot.press("F")
        files = await wait_until(lambda: pilot.app.screen if isinstance(pilot.app.screen, FilesScreen) else None,
                                 "the files screen", pilot=pilot)
        await wait_until(lambda: files.tree_data is not None and files.query_one(Tree).root.children,
                         "the tree", pilot=pilot)
        await pilot.press("down", "ctrl+d")
        await drawn_toast(pilot, "Downloads and uploads are off in a browser session")
        assert not isinstance(pilot.app.screen, TransferScreen)
        assert not list(tmp_path.glob("**/app"))


async def test_a_signal_from_a_browser_session_is_audited(monkeypatch, tmp_path):
    fake = FakeEngine()
    web = fake.add_container("web", "nginx")
    app = served(fake, monkeypatch, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await dashboard(pilot)
        await app.engine.signal_process(web, 7, "SIGTERM", host_pid=False)
    lines = [json.loads(line) for line in (tmp_path / "audit.log").read_text().splitlines()]
    assert any(e.get("action") == "signal_process" and e.get("result") == "ok" for e in lines), lines
