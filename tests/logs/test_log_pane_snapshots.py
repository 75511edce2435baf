"""Snapshot tests of the log pane's states inside the dashboard (fake engine, fixed clock)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from tests.logs.pane_helpers import settle_logs, wait_header, wait_lines
from tests.ui.conftest import dashboard, make_app, move_to, settle
from tests.waits import wait_until
from tui.engine import FakeEngine, LogStream
import tui.engine.fake as fake_module
import tui.dashboard.container_table as container_table

T0 = datetime(2026, 11, 23, 12, 0, 0, tzinfo=timezone.utc)
CLOCK = [T0]  # the fake engine's "now": still, except when a test moves it


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch, tmp_path):
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    time.tzset()
    CLOCK[0] = T0 + timedelta(minutes=5)
    monkeypatch.setattr(fake_module, "_now", lambda: CLOCK[0])
    monkeypatch.setattr(container_table, "utc_now", lambda: CLOCK[0])  # "up 5m", whatever the date
    yield
    time.tzset()


def build() -> tuple[FakeEngine, dict[str, str]]:
    fake = FakeEngine()
    ids = {
        "web": fake.add_container("shop-web-1", "nginx", labels={"com.docker.compose.project": "shop"}),
        "api": fake.add_container("shop-api-1", "shop-api", labels={"com.docker.compose.project": "shop"}),
    }
    for i in range(30):
        at = T0 + timedelta(seconds=2 * i)
        fake.emit_log(ids["web"], f"GET /items/{i} 200 {i + 3}ms\n", at=at)
        fake.emit_log(ids["api"], f"handled job {i} \x1b[33min {i}ms\x1b[0m\n", at=at + timedelta(seconds=1))
        if i % 7 == 3:
            fake.emit_log(ids["web"], f"error: upstream timed out after {i}s [bold]x[/bold]\n", LogStream.STDERR,
                          at=at + timedelta(milliseconds=500))
    return fake, ids


async def open_web(pilot, ids):
    screen = await dashboard(pilot)
    await move_to(pilot, screen, ids["web"])
    await settle_logs(pilot)
    await pilot.press("l")
    return screen


def pane(pilot):
    return pilot.app.screen.main_log_pane


async def following(pilot, fake, ids):
    await open_web(pilot, ids)


async def paused_with_pending(pilot, fake, ids):
    await open_web(pilot, ids)
    await pilot.press("home")
    for i in range(4):
        fake.emit_log(ids["web"], f"late {i}\n", at=T0 + timedelta(minutes=2, seconds=i))
    await wait_lines(pilot, pane(pilot), lambda shown: "late 3" in shown, "the four late lines")
    await wait_header(pilot, pane(pilot), "paused, 4 new lines")


async def search_hits(pilot, fake, ids):
    await open_web(pilot, ids)
    await pilot.press("ctrl+f", *"/items/2[0-9]/", "enter")
    await wait_header(pilot, pane(pilot), "search 1/")


async def filter_hiding(pilot, fake, ids):
    await open_web(pilot, ids)
    await pilot.press("backslash", *"!items/1", "enter")
    await wait_header(pilot, pane(pilot), "hiding 'items/1'")


async def stderr_only(pilot, fake, ids):
    await open_web(pilot, ids)
    await pilot.press("S", "S")
    await wait_header(pilot, pane(pilot), "stderr only")


async def timestamps(pilot, fake, ids):
    await open_web(pilot, ids)
    await pilot.press("t")
    await wait_until(lambda: pane(pilot).view.show_timestamps, "the pane to show timestamps", pilot=pilot)


async def merged(pilot, fake, ids):
    screen = await dashboard(pilot)
    await move_to(pilot, screen, "group:shop")
    await settle_logs(pilot, lines=60)
    await pilot.press("l")


async def restarted(pilot, fake, ids):
    screen = await open_web(pilot, ids)
    CLOCK[0] = T0 + timedelta(minutes=7)
    await fake.restart(ids["web"])
    await settle(pilot, screen)
    await wait_lines(pilot, pane(pilot), lambda shown: any("restarted at" in line for line in shown),
                     "the restart marker")
    fake.emit_log(ids["web"], "booted again\n", at=T0 + timedelta(minutes=5, seconds=1))
    await wait_lines(pilot, pane(pilot), lambda shown: "booted again" in shown, "the line after the restart")


async def removed(pilot, fake, ids):
    screen = await open_web(pilot, ids)
    await pilot.press("P")  # pin (was p)
    await fake.remove(ids["web"], force=True)
    await settle(pilot, screen)
    await wait_lines(pilot, pane(pilot), lambda shown: any("container removed" in line for line in shown),
                     "the removal marker")
    await wait_header(pilot, pane(pilot), "removed")


STATES = [following, paused_with_pending, search_hits, filter_hiding, stderr_only, timestamps, merged, restarted,
          removed]


async def quiet(pilot) -> None:
    """Nothing left to draw: the list's update done, every log pane drained, its messages handled."""
    screen = pilot.app.screen

    def still():
        panes = screen.logs.panes()
        return (not screen._rows_scheduled and screen.logs.cursor_timer is None
                and all(not p.view.queued_lines and p.view._drain_timer is None for p in panes))

    await wait_until(still, "the dashboard and its log panes to have nothing pending", pilot=pilot)
    await pilot.pause()


@pytest.mark.parametrize("state", STATES, ids=lambda f: f.__name__)
def test_log_pane(snap_compare, state):
    fake, ids = build()
    app = make_app(fake, stats=False)

    async def run_before(pilot) -> None:
        await state(pilot, fake, ids)
        await quiet(pilot)

    assert snap_compare(app, terminal_size=(120, 34), run_before=run_before)
