"""A hung engine (a real Podman service stopped with SIGSTOP) never blanks the screen or crashes bosun.

A stopped engine still accepts connections (the kernel queues them), then says
nothing. At start bosun must say what it is waiting for at once and give up
with a reason after a few seconds; mid-session an action ends in the engine's
own state shown (a failed toast, the row no longer busy), never a crash.
"""

from __future__ import annotations

import subprocess
import uuid

import pytest

from tests.ui.conftest import screen_text
from tests.waits import wait_until
from tests.settings_shorthand import flat_settings
from tui.app import BosunApp, RunOptions
from tui.dashboard.screen import DashboardScreen
from tui.dashboard.container_table import ContainerTable

pytestmark = pytest.mark.engine

IMAGE = "bosun-test:latest"


def name_of(app) -> str:
    return type(app.screen).__name__


async def test_start_against_a_hung_engine_says_what_it_waits_for_then_why_it_gave_up(scratch_podman):
    scratch_podman.hang()
    app = BosunApp(flat_settings(host=scratch_podman.url), RunOptions(persist_theme=False))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(lambda: name_of(app) == "ConnectingScreen", "the connecting screen", pilot=pilot,
                         timeout=5, detail=lambda: screen_text(app))
        await pilot.pause()
        text = screen_text(app)
        assert "Connecting…" in text and scratch_podman.url in text, text
        await wait_until(lambda: name_of(app) == "NoEngineScreen", "the no-engine screen after the ping timeout",
                         pilot=pilot, timeout=30, detail=lambda: screen_text(app))
        await pilot.pause()
        text = screen_text(app)
        assert "accepted the connection but did not answer within 5 s" in text, text
        assert app.is_running


async def test_an_action_on_a_hung_engine_ends_in_a_message_not_a_crash(scratch_podman, monkeypatch):
    import tui.engine.docker as docker_module

    monkeypatch.setattr(docker_module, "ACTION_MARGIN_SECONDS", 3.0)
    monkeypatch.setattr(docker_module, "CALL_SECONDS", 3.0)
    name = f"bosun-hung-{uuid.uuid4().hex[:8]}"
    subprocess.run(["podman", "--url", scratch_podman.url, "run", "-d", "--name", name, "--label", "bosun.test=hung",
                    IMAGE, "sh", "-c", "trap 'exit 0' TERM; sleep 100000 & wait"],
                   check=True, capture_output=True, timeout=60)
    try:
        settings = flat_settings(host=scratch_podman.url, stop_grace=1, reconcile_interval=1.0, stats=False,
                                 labels={"bosun.test": "hung"})
        app = BosunApp(settings, RunOptions(persist_theme=False))
        async with app.run_test(size=(160, 40)) as pilot:
            def listed():
                screen = app.screen
                return isinstance(screen, DashboardScreen) and screen.engine is not None and any(
                    s.name == name for s in screen.summaries.values())

            await wait_until(listed, f"{name} in the list", pilot=pilot, timeout=30, detail=lambda: screen_text(app))
            screen = app.screen
            table = screen.query_one(ContainerTable)
            container_id = next(k for k, s in screen.summaries.items() if s.name == name)
            table.move_cursor(row=table._order.index(container_id))
            await pilot.pause()
            scratch_podman.hang()
            await pilot.press("x")
            await wait_until(lambda: container_id in screen.busy, "the row to say stopping…", pilot=pilot)
            await wait_until(lambda: f"Stop {name} failed" in screen_text(app) and "stopping…" not in screen_text(app),
                             "a failed-stop toast and the row no longer stopping…", pilot=pilot, timeout=30,
                             detail=lambda: screen_text(app))
            toasts = " ".join(n.message for n in app._notifications)
            assert "did not answer in time" in toasts, toasts
            await wait_until(lambda: "The engine is not answering" in screen_text(app),
                             "the not-answering banner from a timed-out re-list", pilot=pilot, timeout=30,
                             detail=lambda: screen_text(app))
            scratch_podman.resume()
            await wait_until(lambda: "The engine is not answering" not in screen_text(app),
                             "the banner to go once the engine answers again", pilot=pilot, timeout=30,
                             detail=lambda: screen_text(app))
            assert app.is_running
    finally:
        scratch_podman.resume()
        subprocess.run(["podman", "--url", scratch_podman.url, "rm", "-f", "-t", "0", name], capture_output=True,
                       timeout=60)
