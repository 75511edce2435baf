"""The timeline in a real pty: `h` on a container, `a` for the whole engine, `/` to filter, and the list's
restart-loop flag.

On the demo engine at 160×48 and 80×24 (its history: a crash, a health flip, an exec); on real Docker,
Podman and the podman CLI backend, a container whose restart policy brings it back after each `exit 3`.
"""

from __future__ import annotations

import pytest

from tests.e2e.scenario import covers
from tests.e2e.test_scenarios_engines import ENGINES, SIZE, engine  # noqa: F401  (fixture)

pytestmark = [pytest.mark.e2e]


@pytest.mark.parametrize("size", [(160, 48), (80, 24)], ids=["160x48", "80x24"])
@covers("h", "a", "/", "escape", "q")
def test_demo_timeline(bosun, size):
    app = bosun("--demo", size=size)
    app.see_row("shop-worker-1", "exited", timeout=20)
    app.goto("shop-worker-1")
    app.press("h")
    app.see("Timeline: shop-worker-1")
    app.see("died (exit 1) after 4.0s")
    app.see("3 entries · shop-worker-1")
    app.press("a")
    app.see("Timeline: the whole engine")
    app.see("nginx -s reload")
    app.see("exec started")
    app.press("/")
    app.type("unhealthy")
    app.see("1 entry · the whole engine")
    app.see("metrics-grafana-1")
    app.press("escape", "escape")  # leave the filter, then clear it
    app.see("exec started")
    app.press("escape")
    app.see_row("shop-worker-1", "exited")
    app.press("h")
    app.see("Timeline: shop-worker-1")
    app.press("q")  # q closes the screen, it does not quit
    app.see_row("shop-worker-1", "exited")
    app.quit()


@pytest.mark.engine
@pytest.mark.parametrize("engine", ENGINES, indirect=True)
@covers("h", "escape")
def test_engine_restart_loop_and_timeline(bosun, engine):  # noqa: F811  (the fixture)
    kind, url, cli, session, make = engine
    name = make("loop", "sh", "-c", "exit 3", options=("--restart", "on-failure:3"))
    where = ("--engine", url.removeprefix("cli:")) if url.startswith("cli:") else ("--host", url)
    app = bosun(*where, "--label", f"bosun.test={session}", size=SIZE,
                env={"BOSUN_TIMELINE__LOOP_RESTARTS": "2"})
    # Three restarts within the window (the policy's), more than 2: flagged, with the last exit code.
    app.see_row(name, r"looping ×3 ✖3", timeout=60)
    app.goto(name)
    app.press("h")
    app.see(f"Timeline: {name}")
    app.see("died (exit 3) after")
    app.see("created")
    app.press("escape")
    app.see_row(name, "looping")
    app.quit()
