"""Docker and Podman in one view, in a real pty: rows from both, the engines' line, the picker, a key routed right.

Until the command line takes several engines (repeatable `--host`, `--all-contexts`:
the engine discovery work), bosun is started through the test-only entry
`python -m tui.testing.fleet_app`, which builds the same `RunOptions(engine_specs=...)`
the CLI will. Once it does, `bosun_command` should be left alone and the
arguments become `--host unix://… --host unix://…`.
"""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest

from tests.conftest import real_engine_url
from tests.e2e import scenario
from tests.e2e.scenario import covers
from tests.e2e.test_dashboard_e2e import IDLE, IMAGE, EngineCli

pytestmark = [pytest.mark.e2e, pytest.mark.engine]


@pytest.fixture
def two_engines(monkeypatch):
    monkeypatch.setattr(scenario, "bosun_command",
                        lambda: ((sys.executable, "-m", "tui.testing.fleet_app"), "the test-only fleet entry"))
    session = f"e2e-{uuid.uuid4().hex[:8]}"
    clis = {"docker": EngineCli("docker", real_engine_url("docker")),
            "podman": EngineCli("podman", real_engine_url("podman"))}
    made: list[tuple[str, str]] = []

    def make(kind: str, suffix: str) -> str:
        name = f"e2e-multi-{suffix}-{session[4:]}"
        clis[kind]("run", "-d", "--label", f"bosun.test={session}", "--name", name, IMAGE, "sh", "-c", IDLE)
        made.append((kind, name))
        return name

    try:
        yield clis, session, make
    finally:
        for kind, name in made:
            subprocess.run([*clis[kind].argv, "rm", "-f", name], capture_output=True, timeout=60)


@covers("H", "x", "q")
def test_docker_and_podman_in_one_view(bosun, two_engines):
    clis, session, make = two_engines
    on_docker = make("docker", "d")
    on_podman = make("podman", "p")
    app = bosun("--host", f"dock={real_engine_url('docker')}", "--host", f"pod={real_engine_url('podman')}",
                "--label", f"bosun.test={session}", size=(160, 48))
    app.see_row(on_docker, "running", timeout=30)
    app.see_row(on_podman, "running", timeout=30)
    app.see("●\u00a0dock")
    app.see("●\u00a0pod", timeout=30)  # a loaded Podman may miss its first 5 s ping: the next try is soon
    assert "dock" in app.row(on_docker) and "pod" in app.row(on_podman)
    app.press("H")
    app.see("[x] dock")
    app.see("[x] pod")
    app.press("escape")
    app.gone("[x] dock")
    app.goto(on_podman)
    app.press("x")
    app.see_row(on_podman, "exited", timeout=30)
    assert clis["podman"].status(on_podman) == "exited"
    assert clis["docker"].status(on_docker) == "running"
    app.quit()
