"""bosun end to end: the real program in a real pseudo-terminal.

The demo case needs nothing but Python. The engine cases run against the
Docker and Podman that `tests/run` provides, and change containers from
outside bosun with the engine's own CLI, as another user or tool would.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
import uuid

import pytest

from tests.conftest import real_engine_url
from tui.testing.pty_app import PtyApp

pytestmark = pytest.mark.e2e

IMAGE = os.environ.get("BOSUN_TEST_IMAGE", "bosun-test:latest")
# TERM trapped so a stop is quick: a shell as PID 1 ignores signals it has no handler for.
IDLE = "trap 'exit 0' TERM; sleep 100000 & wait"
DEMO_NAMES = ["metrics-grafana-1", "metrics-prometheus-1", "shop-api-1", "shop-db-1", "shop-web-1",
              "shop-worker-1", "builder", "nightly-backup", "scratchpad"]


def test_demo_dashboard_help_filter_quit():
    with PtyApp(["--demo"], cols=120, rows=30) as app:
        app.wait_for("shop-web-1", timeout=15)
        # The demo's web container is healthy and published on 8080.
        assert re.search(r"shop-web-1 .*healthy .*localhost:8080", app.text()), app.dump()

        app.press("?")
        app.wait_for("bosun keys")  # the help's own title: "Start" is in the footer too
        assert re.search(r"s\s+Start", app.line_with("Start") or ""), app.dump()
        app.press("escape")
        app.wait_until_gone("bosun keys")

        app.press("/")
        app.wait_for("filter: name, image")  # the box is open and focused: now type
        app.type("redis")
        # Each keystroke refilters; only the whole word leaves redis alone.
        app.wait_until_gone(re.compile("|".join(map(re.escape, DEMO_NAMES))))
        assert app.line_with("redis:7-alpine"), app.dump()
        app.press("escape")
        app.wait_for("shop-web-1")

        app.press("q")
        assert app.wait_exit(5) == 0


class EngineCli:
    """The engine's own command line, talking to the same endpoint bosun uses."""

    def __init__(self, kind: str, url: str) -> None:
        self.argv = ["docker", "-H", url] if kind == "docker" else ["podman", "--url", url]

    def __call__(self, *args: str, timeout: float = 60) -> str:
        result = subprocess.run([*self.argv, *args], capture_output=True, text=True, timeout=timeout)
        assert result.returncode == 0, f"{' '.join(self.argv + list(args))}: {result.stderr.strip()}"
        return result.stdout.strip()

    def status(self, name: str) -> str:
        return self("inspect", "-f", "{{.State.Status}}", name)


def _row(name: str, state: str) -> re.Pattern[str]:
    return re.compile(rf"{re.escape(name)} .*{state}")


@pytest.mark.engine
@pytest.mark.parametrize("kind", ["docker", "podman"])
def test_real_engine_follows_outside_changes_and_keys_act(kind):
    url = real_engine_url(kind)
    cli = EngineCli(kind, url)
    session = f"e2e-{uuid.uuid4().hex[:10]}"
    name = f"bosun-{session}"
    try:
        cli("run", "-d", "--label", f"bosun.test={session}", "--name", name, IMAGE, "sh", "-c", IDLE)
        with PtyApp(["--host", url, "--label", f"bosun.test={session}"], cols=120, rows=30) as app:
            app.wait_for(_row(name, "running"), timeout=15)

            # Stopped by someone else: the event stream brings it here (how quickly is a figure in
            # bench/timings.py, "outside"; the periodic re-list is 20 s away, past this timeout).
            cli("stop", name)
            app.wait_for(_row(name, "exited"), timeout=10, since=time.monotonic())

            # And bosun's own keys change the real container (the only row has the cursor).
            app.press("s")
            app.wait_for(_row(name, "running"), timeout=15)
            assert cli.status(name) == "running"
            app.press("x")
            app.wait_for(_row(name, "exited"), timeout=15)
            assert cli.status(name) == "exited"
            app.press("s")
            app.wait_for(_row(name, "running"), timeout=15)
            assert cli.status(name) == "running"

            app.press("q")
            assert app.wait_exit(5) == 0
    finally:
        subprocess.run([*cli.argv, "rm", "-f", name], capture_output=True, timeout=60)
