"""The installed `bosun --host ssh://alias` in a real pty, over the test sshd (tests/sshd.sh) to local Docker:
the list, a log pane with both streams, and a shell, all through one SSH connection."""

from __future__ import annotations

import re
import subprocess
import uuid

import pytest

from tests.conftest import real_engine_url, ssh_test_env
from tests.e2e.scenario import covers
from tests.e2e.test_dashboard_e2e import IDLE, IMAGE, EngineCli

pytestmark = [pytest.mark.e2e, pytest.mark.engine]
CHATTY = ("trap 'exit 0' TERM; i=0; while :; do i=$((i+1)); echo out-$i; echo err-$i >&2; "
          "sleep 0.3 & wait; done")


@pytest.mark.parametrize("client", ["asyncssh", "openssh"])
@covers("l", "escape", "e", "ctrl+]")
def test_ssh_alias_lists_logs_and_shells(bosun, client):
    env = ssh_test_env()
    cli = EngineCli("docker", real_engine_url("docker"))
    session = f"e2e-ssh-{uuid.uuid4().hex[:8]}"
    names = [f"ssh-{what}-{session[8:]}" for what in ("chatty", "idle")]
    try:
        cli("run", "-d", "--label", f"bosun.test={session}", "--name", names[0], IMAGE, "sh", "-c", CHATTY)
        cli("run", "-d", "--label", f"bosun.test={session}", "--name", names[1], IMAGE, "sh", "-c", IDLE)
        app = bosun("--host", env["BOSUN_TEST_SSH_HOST"], "--label", f"bosun.test={session}",
                    env={"BOSUN_SSH_CONFIG": env["BOSUN_TEST_SSH_CONFIG"], "BOSUN_ENGINE__SSH_CLIENT": client})
        app.see_row(names[0], "running", timeout=30)
        app.see_row(names[1], "running")
        app.see("ssh://bosun-test-alias")  # the header names the engine's address
        app.goto(names[0])
        app.see(re.compile(r"out-\d+"), timeout=20)
        app.see(re.compile(r"err-\d+"))
        app.press("l")
        app.see("Back to list")
        app.press("escape")
        app.goto(names[1])
        app.press("e")
        app.see(f"sh: {names[1]}", timeout=20)
        app.see(re.compile(r"/ # *│"), timeout=20)
        app.type("echo over-ssh-$((6*7))")
        app.press("enter")
        app.see(re.compile(r"│over-ssh-42 *│"), timeout=15)
        app.press("ctrl+]")
        app.check()
        app.quit()
    finally:
        for name in names:
            subprocess.run([*cli.argv, "rm", "-f", name], capture_output=True, timeout=60)
