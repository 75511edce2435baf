"""Toasts are drawn, not only posted: each flow that notifies renders its toast.

A `rich.Text` handed to Textual's `notify` crashes the Toast when it is drawn,
so every test here makes the app render the screen (the compositor's strips, what a
real terminal frame is made of) and reads the toast's text from it.
"""

from __future__ import annotations

import ast
from pathlib import Path

from textual.widgets._toast import Toast

from tests.logs.pane_helpers import settle_logs
from tests.ui.conftest import dashboard, make_app, move_to, screen_text
from tests.waits import wait_until
from tui.engine import EngineError, FakeEngine

ROOT = Path(__file__).resolve().parents[2]


def toast_texts(app) -> list[str]:
    return [str(toast.render()) for toast in app.screen.query(Toast)]


async def drawn_toast(pilot, needle: str) -> str:
    """Wait for a toast containing `needle`, then draw the whole screen with it."""
    await wait_until(lambda: any(needle in t for t in toast_texts(pilot.app)), f"a toast saying {needle!r}",
                     pilot=pilot, detail=lambda: toast_texts(pilot.app))
    await pilot.pause()
    shot = screen_text(pilot.app)  # renders every widget, the toast included
    assert pilot.app.is_running, "the app exited while drawing the toast"
    return shot


def engine_with_logs() -> tuple[FakeEngine, str]:
    fake = FakeEngine()
    web = fake.add_container("web", "nginx")
    for i in range(3):
        fake.emit_log(web, f"line {i} [bold]markup[/bold]\n")
    return fake, web


async def open_pane(pilot, container_id: str):
    screen = await dashboard(pilot)
    await move_to(pilot, screen, container_id)
    pane = await settle_logs(pilot, lines=3)  # fails loudly itself when the lines never come
    await pilot.press("l")
    return screen, pane


async def test_saving_a_log_draws_its_toast(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    fake, web = engine_with_logs()
    async with make_app(fake).run_test(size=(160, 40)) as pilot:
        await open_pane(pilot, web)
        await pilot.press("ctrl+s")
        await wait_until(lambda: pilot.app.screen.__class__.__name__ == "SaveLogScreen", "the save dialog",
                         pilot=pilot)
        await pilot.press("enter")
        shot = await drawn_toast(pilot, "lines saved to")
        assert "Log saved" in shot
    saved = list(tmp_path.glob("web-*.log"))
    assert len(saved) == 1 and "[bold]markup[/bold]" in saved[0].read_text()


async def test_search_without_a_match_draws_its_toast():
    fake, web = engine_with_logs()
    async with make_app(fake).run_test(size=(160, 40)) as pilot:
        await open_pane(pilot, web)
        await pilot.press("ctrl+f")  # search in the pane (was `/`)
        await pilot.pause()
        await pilot.press(*"[red]zzzz", "enter")
        shot = await drawn_toast(pilot, "No line matches")
        assert "[red]zzzz" in shot  # the query is shown literally, never read as markup


async def test_bad_filter_regex_draws_its_toast():
    fake, web = engine_with_logs()
    async with make_app(fake).run_test(size=(160, 40)) as pilot:
        await open_pane(pilot, web)
        await pilot.press("backslash")
        await pilot.pause()
        await pilot.press(*"/[unclosed/", "enter")
        await drawn_toast(pilot, "Bad regular expression")


async def test_failed_action_draws_the_engines_message():
    fake, web = engine_with_logs()
    fake.exit(web, 1)

    async def refuse(container_id: str) -> bool:
        raise EngineError("driver failed: port 8080 is [bold]taken[/bold]\x1b]52;c;aGk=\x07", status=500,
                          engine=fake.name)

    fake.start = refuse
    async with make_app(fake).run_test(size=(160, 40)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, web)
        await pilot.press("s")
        shot = await drawn_toast(pilot, "port 8080")
        assert "[bold]taken[/bold]" in shot and "(HTTP 500)" in shot and "Start web failed" in shot
        assert "\x1b]52" not in shot


def test_nothing_calls_textuals_notify_directly():
    """Every toast goes through tui.notice.notify (plain text, control characters made visible)."""
    offenders = []
    for path in (ROOT / "tui").rglob("*.py"):
        if path.name == "notice.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "notify":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, f"call tui.notice.notify instead of .notify(): {offenders}"
