"""Real: contexts made by the real `docker context create`, a connection made by the real
`podman system connection add`, found by `--all-contexts`, and each one answers as the engine it names.

Everything is written in temporary folders (DOCKER_CONFIG, CONTAINERS_CONF, PODMAN_CONNECTIONS_CONF):
the machine's own contexts and /etc/containers are never touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.conftest import real_engine_url
from tui.engine.docker import DockerEngine
from tui.engine.endpoints import Endpoint
from tui.run import build_parser
from tui.run_engines import plan_engines
from tui.settings import Settings

pytestmark = pytest.mark.engine


def run(argv, env):
    done = subprocess.run(argv, env={**os.environ, **env}, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"{argv}: {done.stderr}"


@pytest.fixture
def made(tmp_path):
    """The real CLIs' files: two Docker contexts (Podman's socket, Docker's) and one Podman connection."""
    for tool in ("docker", "podman"):
        if shutil.which(tool) is None:
            pytest.skip(f"the {tool} CLI is not installed")
    docker_url, podman_url = real_engine_url("docker"), real_engine_url("podman")
    conf = tmp_path / "containers.conf"
    conf.write_text("")  # Podman 4 writes connections into CONTAINERS_CONF, and wants it to exist
    env = {"DOCKER_CONFIG": str(tmp_path / "docker"), "CONTAINERS_CONF": str(conf),
           "PODMAN_CONNECTIONS_CONF": str(tmp_path / "podman-connections.json"),
           "XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    run(["docker", "context", "create", "contexts-on-podman", "--docker", f"host={podman_url}"], env)
    run(["docker", "context", "create", "contexts-on-docker", "--docker", f"host={docker_url}"], env)
    run(["docker", "context", "use", "contexts-on-docker"], env)
    run(["podman", "system", "connection", "add", "contexts-conn", podman_url], env)
    return env, docker_url, podman_url, tmp_path


def plan(made, *argv):
    env, _, _, home = made
    return plan_engines(build_parser().parse_args(list(argv)), Settings(), env=env, home=home,
                        docker_socket=str(home / "no.sock"), podman_sockets=[])


async def test_all_contexts_finds_the_real_contexts_and_connection_and_each_answers(made):
    _, docker_url, podman_url, _ = made
    p = plan(made, "--all-contexts")
    found = {s.name: s for s in p.known}
    assert found["contexts-on-podman"].host == podman_url
    assert found["contexts-on-docker"].host == docker_url
    assert found["contexts-on-docker"].default  # `docker context use`
    # The connection points at the same socket as a context: listed once, under the context's name.
    assert "contexts-conn" not in found
    assert any("Podman connection contexts-conn" in n and "same engine" in n for n in p.notes), p.notes
    assert [s.name for s in p.specs] == ["contexts-on-docker", "contexts-on-podman"]
    for spec, kind in zip(p.specs, ("docker", "podman")):
        engine = DockerEngine(Endpoint(spec.host, spec.source))
        try:
            await engine.ping()
            assert engine.kind == kind
        finally:
            await engine.close()


def test_the_real_podman_connection_alone_and_by_context_flag(made):
    _, _, podman_url, _ = made
    p = plan(made, "--engines", "contexts-on-docker,contexts-on-podman")
    assert len(p.specs) == 2
    p = plan(made, "-c", "contexts-on-podman")  # a Docker context: today's path, by name
    assert p.specs == () and p.settings == Settings()


def test_main_hands_both_real_engines_to_the_app(made, monkeypatch):
    from tui.app import BosunApp
    from tui.cli import main
    from tui.engine import discovery

    env, docker_url, podman_url, home = made
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    for name in ("DOCKER_HOST", "DOCKER_CONTEXT", "CONTAINER_HOST", "BOSUN_CONFIG", "BOSUN_ENGINE__HOST"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setattr(discovery, "DOCKER_SOCKET", str(home / "no.sock"))
    monkeypatch.setattr(discovery, "PODMAN_ROOTFUL_SOCKET", str(home / "no-podman.sock"))
    apps = []
    monkeypatch.setattr(BosunApp, "run", lambda self, **kwargs: apps.append(self))
    assert main(["--all-contexts"]) == 0
    (app,) = apps
    assert [s.host for s in app.run_options.engine_specs] == [docker_url, podman_url]
