"""Unit: ssh:// addresses are accepted where endpoints are, parsed like the docker CLI's, and quoted when run."""

from __future__ import annotations

import asyncio
import hashlib
import json
import time

import pytest

from tui.engine.endpoints import ConfigError, probe_socket, resolve_endpoints
from tui.engine.errors import EngineUnreachable
from tui.engine.quick import quick_list, quick_list_now
from tui.engine.ssh_openssh import stderr_problem
from tui.engine.ssh_target import SSHTarget, openssh_argv, parse_ssh_url, remote_socket_candidates


@pytest.mark.parametrize("raw, expected", [
    ("ssh://box", SSHTarget("box")),
    ("ssh://me@box", SSHTarget("box", user="me")),
    ("ssh://me@box:2222", SSHTarget("box", user="me", port=2222)),
    ("ssh://me@box:2222/run/user/1000/podman/podman.sock",
     SSHTarget("box", user="me", port=2222, path="/run/user/1000/podman/podman.sock")),
    ("ssh://box/", SSHTarget("box")),
    ("ssh://Prod-Alias", SSHTarget("Prod-Alias")),  # an ssh_config alias is matched as written
    ("ssh://[::1]:22/var/run/docker.sock", SSHTarget("::1", port=22, path="/var/run/docker.sock")),
])
def test_addresses_parse_into_their_parts(raw, expected):
    assert parse_ssh_url(raw, "--host") == expected


@pytest.mark.parametrize("raw, says", [
    ("ssh://", "names no host"),
    ("ssh://me:secret@box", "password"),
    ("ssh://-oProxyCommand=touch%20x/", "not a valid name"),
    ("ssh://-oProxyCommand=x@box", "not a valid name"),
    ("ssh://box:notaport", "not a valid address"),
    ("ssh://box/sock?x=1", "no ?query"),
])
def test_bad_addresses_are_refused_naming_where_they_came_from(raw, says):
    with pytest.raises(ConfigError) as info:
        resolve_endpoints(host=raw, env={})
    assert says in str(info.value) and "--host" in str(info.value)


def test_ssh_is_accepted_from_every_place_an_endpoint_comes_from(tmp_path):
    assert resolve_endpoints(host="ssh://me@box", env={}, home=tmp_path)[0].url == "ssh://me@box"
    assert resolve_endpoints(env={"DOCKER_HOST": "ssh://box:2200"}, home=tmp_path)[0].url == "ssh://box:2200"
    digest = hashlib.sha256(b"remote").hexdigest()
    meta = tmp_path / ".docker" / "contexts" / "meta" / digest
    meta.mkdir(parents=True)
    (meta / "meta.json").write_text(json.dumps({"Name": "remote", "Endpoints": {"docker": {"Host": "ssh://me@far"}}}))
    (endpoint,) = resolve_endpoints(context="remote", env={}, home=tmp_path)
    assert endpoint.url == "ssh://me@far" and endpoint.host == "far"


def test_the_system_ssh_is_run_like_the_docker_cli_runs_it(monkeypatch):
    monkeypatch.delenv("BOSUN_SSH_CONFIG", raising=False)
    argv = openssh_argv(SSHTarget("box", user="me", port=2222))
    assert argv == ["ssh", "-l", "me", "-p", "2222", "-o", "ConnectTimeout=30", "-o", "BatchMode=yes", "-T", "--",
                    "box", "docker system dial-stdio"]


def test_a_socket_path_is_quoted_for_the_remote_shell(monkeypatch):
    monkeypatch.delenv("BOSUN_SSH_CONFIG", raising=False)
    argv = openssh_argv(SSHTarget("box", path="/tmp/a b;touch pwned"), identity="/keys/id")
    assert argv[argv.index("-i") + 1] == "/keys/id"
    assert argv[-3:] == ["--", "box", "docker '--host=unix:///tmp/a b;touch pwned' system dial-stdio"]


def test_an_ssh_config_named_for_bosun_goes_to_the_system_ssh(monkeypatch, tmp_path):
    monkeypatch.setenv("BOSUN_SSH_CONFIG", str(tmp_path / "cfg"))
    assert openssh_argv(SSHTarget("box"))[:3] == ["ssh", "-F", str(tmp_path / "cfg")]


def test_remote_sockets_are_tried_in_the_docker_cli_and_podman_order():
    assert [p for p, _ in remote_socket_candidates(1000)] == [
        "/var/run/docker.sock", "/run/user/1000/podman/podman.sock", "/run/podman/podman.sock"]
    assert [p for p, _ in remote_socket_candidates(0)] == ["/var/run/docker.sock", "/run/podman/podman.sock"]


async def test_the_first_frames_quick_list_skips_ssh_at_once():
    """The stdlib quick list is for local sockets: an ssh:// endpoint is passed over, no delay, no error shown."""
    (endpoint,) = resolve_endpoints(host="ssh://bosun-nowhere.invalid", env={})
    assert endpoint.socket_path is None and probe_socket(endpoint) is None
    started = time.monotonic()
    with pytest.raises(EngineUnreachable, match="not a local socket"):
        quick_list_now(endpoint)
    with pytest.raises(EngineUnreachable, match="not a local socket"):
        await asyncio.wait_for(quick_list(endpoint), 1)
    assert time.monotonic() - started < 1  # never a DNS lookup or a connection


@pytest.mark.parametrize("stderr, code, says, final", [
    ("root@127.0.0.1: Permission denied (publickey).\n", 255, "authentication failed", True),
    ("No ED25519 host key is known for [127.0.0.1]:2222 and you have requested strict checking.\r\n"
     "Host key verification failed.\r\n", 255, "is unknown", True),
    ("ssh: Could not resolve hostname nowhere: Name or service not known\n", 255, "Could not resolve", False),
    ("ssh: connect to host 10.0.0.9 port 22: Network is unreachable\n", 255, "Network is unreachable", False),
    ("bash: line 1: docker: command not found\n", 127, "`docker` is not installed", True),
    ("permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock\n", 1,
     "permission denied on the remote engine socket", True),
    ("Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n", 1,
     "no engine at the remote socket", False),
])
def test_what_the_system_ssh_printed_becomes_a_reason_and_a_fix(stderr, code, says, final):
    from tui.engine.endpoints import Endpoint

    attempt, is_final = stderr_problem(Endpoint("ssh://box", "--host"), SSHTarget("box"), stderr, code)
    assert says in attempt.reason and attempt.hint and is_final is final
