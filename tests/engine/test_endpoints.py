"""Unit: endpoints are resolved in the docker CLI's order."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tui.engine.endpoints import ConfigError, resolve_endpoints


def make_context(home: Path, name: str, host: str, tls: bool = False) -> None:
    digest = hashlib.sha256(name.encode()).hexdigest()
    meta = home / ".docker" / "contexts" / "meta" / digest
    meta.mkdir(parents=True)
    (meta / "meta.json").write_text(json.dumps({"Name": name, "Endpoints": {"docker": {"Host": host, "SkipTLSVerify": False}}}))
    if tls:
        folder = home / ".docker" / "contexts" / "tls" / digest / "docker"
        folder.mkdir(parents=True)
        for part in ("ca", "cert", "key"):
            (folder / f"{part}.pem").write_text("x")


def urls(endpoints):
    return [(e.url, e.source) for e in endpoints]


def test_defaults_are_docker_then_podman_sockets(tmp_path):
    found = resolve_endpoints(env={"XDG_RUNTIME_DIR": "/run/user/1000"}, home=tmp_path)
    assert urls(found) == [
        ("unix:///var/run/docker.sock", "default Docker socket"),
        ("unix:///run/user/1000/podman/podman.sock", "rootless Podman socket"),
        ("unix:///run/podman/podman.sock", "rootful Podman socket"),
    ]


def test_host_option_wins_over_everything(tmp_path):
    make_context(tmp_path, "prod", "tcp://prod:2376")
    env = {"DOCKER_HOST": "unix:///env.sock", "DOCKER_CONTEXT": "prod"}
    assert urls(resolve_endpoints(host="/tmp/x.sock", env=env, home=tmp_path)) == [("unix:///tmp/x.sock", "--host")]


def test_docker_host_beats_contexts(tmp_path):
    (tmp_path / ".docker").mkdir()
    (tmp_path / ".docker" / "config.json").write_text('{"currentContext": "prod"}')
    found = resolve_endpoints(env={"DOCKER_HOST": "tcp://10.0.0.5:2375"}, home=tmp_path)
    assert urls(found) == [("tcp://10.0.0.5:2375", "DOCKER_HOST")]
    assert found[0].host == "10.0.0.5"


def test_context_option_and_env_and_current_context(tmp_path):
    make_context(tmp_path, "prod", "tcp://prod.example:2376", tls=True)
    make_context(tmp_path, "lab", "unix:///run/lab.sock")
    (tmp_path / ".docker" / "config.json").write_text('{"currentContext": "lab"}')
    by_option = resolve_endpoints(context="prod", env={"DOCKER_HOST": "unix:///ignored"}, home=tmp_path)
    assert urls(by_option) == [("tcp://prod.example:2376", "--context")]
    assert by_option[0].tls is not None and by_option[0].name == "prod"
    assert urls(resolve_endpoints(env={"DOCKER_CONTEXT": "prod"}, home=tmp_path)) == [
        ("tcp://prod.example:2376", "DOCKER_CONTEXT")
    ]
    assert urls(resolve_endpoints(env={}, home=tmp_path)) == [("unix:///run/lab.sock", "current context in config.json")]


def test_default_context_means_the_default_sockets(tmp_path):
    found = resolve_endpoints(env={"DOCKER_CONTEXT": "default"}, home=tmp_path)
    assert found[0].url == "unix:///var/run/docker.sock"


def test_unknown_context_says_how_to_list_them(tmp_path):
    with pytest.raises(ConfigError) as info:
        resolve_endpoints(context="nope", env={}, home=tmp_path)
    assert "nope" in str(info.value) and "docker context ls" in str(info.value)


def test_tls_from_environment(tmp_path):
    env = {"DOCKER_HOST": "tcp://h:2376", "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": str(tmp_path)}
    (endpoint,) = resolve_endpoints(env=env, home=tmp_path)
    assert endpoint.tls is not None and endpoint.tls.ca == tmp_path / "ca.pem"
    with pytest.raises(ConfigError) as info:
        endpoint.ssl_context()  # the files are missing
    assert "ca.pem" in str(info.value)


def test_unsupported_schemes_are_named(tmp_path):
    # ssh:// is accepted now (issue 13): tests/engine/test_ssh_target.py
    with pytest.raises(ConfigError, match=r"expected unix://, tcp:// or ssh://"):
        resolve_endpoints(host="npipe:////./pipe/docker", env={}, home=tmp_path)
