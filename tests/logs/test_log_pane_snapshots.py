"""Snapshot tests of the log pane's states inside the dashboard (fake engine, fixed clock)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from tests.logs.pane_helpers import settle_logs
from tests.ui.conftest import dashboard, make_app, move_to, settle
from tui.engine import FakeEngine, LogStream
import tui.engine.fake as fake_module
import tui.widgets.container_table as container_table

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
    await pilot.pause(0.3)
    await settle_logs(pilot)
    await pilot.press("l")
    return screen


async def following(pilot, fake, ids):
    await open_web(pilot, ids)


async def paused_with_pending(pilot, fake, ids):
    await open_web(pilot, ids)
    await pilot.press("home")
    for i in range(4):
        fake.emit_log(ids["web"], f"late {i}\n", at=T0 + timedelta(minutes=2, seconds=i))
    await pilot.pause(0.3)


async def search_hits(pilot, fake, ids):
    await open_web(pilot, ids)
    await pilot.press("slash", *"/items/2[0-9]/", "enter")
    await pilot.pause(0.1)


async def filter_hiding(pilot, fake, ids):
    await open_web(pilot, ids)
    await pilot.press("backslash", *"!items/1", "enter")
    await pilot.pause(0.1)


async def stderr_only(pilot, fake, ids):
    await open_web(pilot, ids)
    await pilot.press("S", "S")
    await pilot.pause(0.1)


async def timestamps(pilot, fake, ids):
    await open_web(pilot, ids)
    await pilot.press("t")
    await pilot.pause(0.1)


async def merged(pilot, fake, ids):
    screen = await dashboard(pilot)
    await move_to(pilot, screen, "group:shop")
    await pilot.pause(0.3)
    await settle_logs(pilot, lines=60)
    await pilot.press("l")


async def restarted(pilot, fake, ids):
    screen = await open_web(pilot, ids)
    CLOCK[0] = T0 + timedelta(minutes=7)
    await fake.restart(ids["web"])
    await settle(pilot, screen)
    await pilot.pause(0.5)
    fake.emit_log(ids["web"], "booted again\n", at=T0 + timedelta(minutes=5, seconds=1))
    await pilot.pause(0.3)


async def removed(pilot, fake, ids):
    screen = await open_web(pilot, ids)
    await pilot.press("p")
    await fake.remove(ids["web"], force=True)
    await settle(pilot, screen)
    await pilot.pause(0.5)


STATES = [following, paused_with_pending, search_hits, filter_hiding, stderr_only, timestamps, merged, restarted,
          removed]


@pytest.mark.parametrize("state", STATES, ids=lambda f: f.__name__)
def test_log_pane(snap_compare, state):
    fake, ids = build()
    app = make_app(fake, stats=False)

    async def run_before(pilot) -> None:
        await state(pilot, fake, ids)
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=(120, 34), run_before=run_before)
