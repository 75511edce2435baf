"""The embedded shell end to end: `bosun` in a real pseudo-terminal against real Docker.

`e` on the row opens a shell in a tab; what we type goes through bosun's key
handling, the engine's exec and back through bosun's terminal emulator onto
the real terminal, where the harness reads it.
"""

from __future__ import annotations

import re
import subprocess
import uuid

import pytest

from tests.conftest import real_engine_url
from tui.testing.pty_app import PtyApp
from tests.e2e.test_dashboard_e2e import IDLE, IMAGE, EngineCli, _row

pytestmark = [pytest.mark.e2e, pytest.mark.engine]


def test_shell_in_a_pane_of_the_real_program():
    url = real_engine_url("docker")
    cli = EngineCli("docker", url)
    session = f"e2e-shell-{uuid.uuid4().hex[:10]}"
    name = f"bosun-{session}"
    try:
        cli("run", "-d", "--label", f"bosun.test={session}", "--name", name, IMAGE, "sh", "-c", IDLE)
        with PtyApp(["--host", url, "--label", f"bosun.test={session}"], cols=140, rows=36) as app:
            app.wait_for(_row(name, "running"), timeout=15)
            app.press("e")
            app.wait_for(f"sh: {name}", timeout=15)  # the tab
            app.wait_for(re.compile(r"/ # *│"), timeout=20)  # busybox's prompt, inside the pane's border
            app.type("echo hello-$((6*7))")
            app.press("enter")
            # The result on a line of its own (the typed command shows `$((6*7))`, not 42).
            app.wait_for(re.compile(r"│hello-42 *│"), timeout=10)
            app.type("exit 3")
            app.press("enter")
            app.wait_for("[exited with code 3]", timeout=15)
            app.wait_for(f"sh: {name} — exited 3")
            # The shell is over: keys are the dashboard's again.
            app.press("ctrl+]")
            app.press("q")
            assert app.wait_exit(5) == 0
    finally:
        subprocess.run([*cli.argv, "rm", "-f", name], capture_output=True, timeout=60)
