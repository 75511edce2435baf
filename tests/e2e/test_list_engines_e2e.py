"""`bosun --list-engines` in a real pseudo-terminal: what was found and from where, then exit 0.

The contexts are the real docker CLI's (`docker context create` in a temp DOCKER_CONFIG); a context file
holding escape sequences in its description and name shows as text, not as terminal commands.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess

import pytest

from tests.e2e.scenario import CRASH, bosun_command, child_env
from tui.testing.pty_app import PtyApp

pytestmark = pytest.mark.e2e


@pytest.fixture
def home(tmp_path):
    docker = tmp_path / "docker"
    env = {"HOME": str(tmp_path), "DOCKER_CONFIG": str(docker), "CONTAINERS_CONF": str(tmp_path / "c.conf"),
           "PODMAN_CONNECTIONS_CONF": str(tmp_path / "p.json")}
    if shutil.which("docker"):
        subprocess.run(["docker", "context", "create", "contexts-far", "--docker", "host=tcp://far.example:2376"],
                       env={**os.environ, **env}, check=True, capture_output=True, timeout=60)
    else:  # what that command writes
        meta = docker / "contexts" / "meta" / hashlib.sha256(b"contexts-far").hexdigest()
        meta.mkdir(parents=True)
        (meta / "meta.json").write_text(json.dumps({"Name": "contexts-far", "Metadata": {}, "Endpoints": {
            "docker": {"Host": "tcp://far.example:2376", "SkipTLSVerify": False}}}))
    name = "contexts-\x1b[31mred\x1b]0;title\x07"
    meta = docker / "contexts" / "meta" / hashlib.sha256(name.encode()).hexdigest()
    meta.mkdir(parents=True)
    (meta / "meta.json").write_text(json.dumps({"Name": name, "Endpoints": {"docker": {"Host": "unix:///r.sock"}}}))
    (tmp_path / "p.json").write_text(json.dumps({"Connection": {"Default": "contexts-box", "Connections": {
        "contexts-box": {"URI": "ssh://core@box.example/run/podman/podman.sock", "Identity": "/k"}}}}))
    (tmp_path / "c.conf").write_text("")
    return env


@pytest.mark.parametrize("size", [(160, 48), (80, 24)])
def test_list_engines_prints_the_table_and_exits(home, size):
    argv, _ = bosun_command()
    app = PtyApp(["--list-engines"], command=argv, env=child_env(home), cols=size[0], rows=size[1])
    try:
        app.wait_for("Use one with", timeout=20)
        assert app.wait_exit(timeout=10) == 0
        text = app.text()
        if size[0] >= 160:
            assert "NAME" in text and "SOURCE" in text, text
        else:  # narrower than the table: two lines an engine
            assert "contexts-box  ssh://core@box.example/run/podman/podman.sock" in text, text
            assert "    from Docker context contexts-far" in text, text
        assert "contexts-far" in text and "tcp://far.example:2376" in text and "Docker context contexts-far" in text
        assert "contexts-box" in text and "Podman connection contexts-box (default)" in text
        assert "contexts-␛[31mred␛]0;title␇" in text  # the hostile name, shown
        assert not CRASH.search(text), text
    finally:
        app.close()
