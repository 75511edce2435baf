"""Unit: every engine a user has is found from its files, in temp homes (tui.engine.discovery)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from tui.engine.discovery import check_host, discover, docker_contexts, host_name, podman_connections, settle
from tui.engine.errors import ConfigError
from tui.engine.spec import EngineSpec

SAMPLES = Path(__file__).parent / "samples"
NO_SOCKET = "/nonexistent/docker.sock"


def make_context(config_dir: Path, name: str, host: str, *, tls: bool = False, skip_verify: bool = False,
                 folder: str | None = None) -> Path:
    digest = folder or hashlib.sha256(name.encode()).hexdigest()
    meta = config_dir / "contexts" / "meta" / digest
    meta.mkdir(parents=True)
    (meta / "meta.json").write_text(json.dumps({
        "Name": name, "Metadata": {}, "Endpoints": {"docker": {"Host": host, "SkipTLSVerify": skip_verify}}}))
    if tls:
        certs = config_dir / "contexts" / "tls" / digest / "docker"
        certs.mkdir(parents=True)
        for part in ("ca", "cert", "key"):
            (certs / f"{part}.pem").write_text("x")
    return meta / "meta.json"


def by_name(found) -> dict[str, EngineSpec]:
    return {s.name: s for s in found.specs}


# ---------------------------------------------------------------- Docker contexts


def test_every_context_is_found_not_only_the_current(tmp_path):
    docker = tmp_path / ".docker"
    make_context(docker, "prod", "tcp://prod.example:2376", tls=True)
    make_context(docker, "lab", "unix:///run/lab.sock")
    make_context(docker, "edge", "ssh://ops@edge.example:2222")
    (docker / "config.json").write_text('{"currentContext": "lab"}')
    found = docker_contexts(tmp_path, {}, docker_socket=NO_SOCKET)
    assert [s.name for s in found.specs] == ["edge", "lab", "prod"]  # `docker context ls` order
    specs = by_name(found)
    assert specs["prod"].host == "tcp://prod.example:2376"
    assert specs["prod"].tls is not None and specs["prod"].tls.verify
    assert specs["prod"].tls.ca == docker / "contexts" / "tls" / hashlib.sha256(b"prod").hexdigest() / "docker" / "ca.pem"
    assert specs["lab"].default and specs["lab"].source == "Docker context lab (current)"
    assert not specs["prod"].default and specs["prod"].source == "Docker context prod"
    assert specs["edge"].host == "ssh://ops@edge.example:2222"
    assert found.notes == []


def test_docker_config_names_the_store_and_skip_tls_verify_is_kept(tmp_path):
    store = tmp_path / "elsewhere"
    make_context(store, "prod", "tcp://prod.example", tls=True, skip_verify=True)
    make_context(tmp_path / ".docker", "ignored", "unix:///ignored.sock")
    specs = by_name(docker_contexts(tmp_path, {"DOCKER_CONFIG": str(store)}, docker_socket=NO_SOCKET))
    assert list(specs) == ["prod"]
    assert specs["prod"].tls.verify is False
    assert specs["prod"].host == "tcp://prod.example:2376"  # TLS: the docker CLI's TLS port


def test_a_broken_context_is_skipped_with_a_note_and_the_others_stay(tmp_path):
    docker = tmp_path / ".docker"
    make_context(docker, "good", "unix:///run/good.sock")
    broken = make_context(docker, "broken", "unix:///x")
    broken.write_text("{not json")
    windows = make_context(docker, "desktop", "npipe:////./pipe/docker_engine")
    make_context(docker, "liar", "unix:///run/liar.sock", folder="0" * 64)
    (docker / "contexts" / "meta" / ("1" * 64)).mkdir()  # no meta.json at all: ignored, as by the CLI
    found = docker_contexts(tmp_path, {}, docker_socket=NO_SOCKET)
    assert [s.name for s in found.specs] == ["good"]
    notes = "\n".join(found.notes)
    assert str(broken) in notes and "unreadable" in notes
    assert "npipe" in notes and str(windows) in notes
    assert "does not match its folder" in notes
    assert len(found.notes) == 3


def test_the_default_context_is_docker_host_or_the_socket_when_it_exists(tmp_path):
    socket_file = tmp_path / "docker.sock"
    socket_file.write_text("")
    specs = by_name(docker_contexts(tmp_path, {}, docker_socket=str(socket_file)))
    assert specs["default"].host == f"unix://{socket_file}" and specs["default"].default
    specs = by_name(docker_contexts(tmp_path, {"DOCKER_HOST": "tcp://10.0.0.5:2375"}, docker_socket=NO_SOCKET))
    assert specs["default"].host == "tcp://10.0.0.5:2375"
    assert specs["default"].source == "Docker context default (current), DOCKER_HOST"
    assert docker_contexts(tmp_path, {}, docker_socket=NO_SOCKET).specs == []


def test_docker_context_variable_and_docker_host_pick_the_current_one_as_the_cli_does(tmp_path):
    docker = tmp_path / ".docker"
    make_context(docker, "prod", "tcp://prod:2375")
    (docker / "config.json").write_text('{"currentContext": "prod"}')
    # DOCKER_HOST beats config.json's choice: the default context is current
    specs = by_name(docker_contexts(tmp_path, {"DOCKER_HOST": "unix:///d.sock"}, docker_socket=NO_SOCKET))
    assert specs["default"].default and not specs["prod"].default
    specs = by_name(docker_contexts(tmp_path, {"DOCKER_HOST": "unix:///d.sock", "DOCKER_CONTEXT": "prod"},
                                    docker_socket=NO_SOCKET))
    assert specs["prod"].default and not specs["default"].default


# ---------------------------------------------------------------- Podman connections


def podman(home: Path, env: dict, *, system: Path | None = None):
    return podman_connections(home, env, system_dirs=[system or home / "no-usr", system or home / "no-etc"],
                              local_sockets=[])


def test_podman_5_connections_file(tmp_path):
    folder = tmp_path / "xdg" / "containers"
    folder.mkdir(parents=True)
    shutil.copy(SAMPLES / "podman-connections.json", folder / "podman-connections.json")
    found = podman(tmp_path, {"XDG_CONFIG_HOME": str(tmp_path / "xdg")})
    specs = by_name(found)
    assert list(specs) == ["prod", "prod-root", "podman-machine-default"]
    assert specs["prod"].host == "ssh://core@prod.example:2222/run/user/1000/podman/podman.sock"
    assert specs["prod"].identity == "/home/dev/.ssh/id_prod"
    assert specs["prod-root"].default and specs["prod-root"].source == "Podman connection prod-root (default)"
    assert not specs["prod"].default
    assert found.notes == []


def test_podman_connections_conf_variable_names_the_file(tmp_path):
    target = tmp_path / "conns.json"
    shutil.copy(SAMPLES / "podman-connections.json", target)
    assert "prod" in by_name(podman(tmp_path, {"PODMAN_CONNECTIONS_CONF": str(target)}))


def test_podman_4_service_destinations_recorded_from_this_machines_podman(tmp_path):
    """containers.conf as `podman system connection add` (Podman 4.3) wrote it here, identity path swapped."""
    folder = tmp_path / ".config" / "containers"
    folder.mkdir(parents=True)
    shutil.copy(SAMPLES / "containers.conf.podman4", folder / "containers.conf")
    specs = by_name(podman(tmp_path, {}))
    assert list(specs) == ["contexts-a", "contexts-b", "contexts-c"]
    assert specs["contexts-a"].host == "ssh://root@127.0.0.1:22/run/podman/podman.sock"
    assert specs["contexts-a"].identity == "/home/dev/.ssh/id_ed25519"
    assert specs["contexts-b"].host == "unix:///run/podman/podman.sock"
    assert specs["contexts-c"].default  # active_service
    assert [s.name for s in podman(tmp_path, {"CONTAINERS_CONF": str(tmp_path / "none.conf")}).specs] == []


def test_later_containers_conf_wins_and_the_connections_file_wins_a_shared_name(tmp_path):
    system = tmp_path / "etc"
    system.mkdir()
    (system / "containers.conf").write_text(
        '[engine]\nactive_service = "sys"\n[engine.service_destinations.sys]\nuri = "unix:///sys.sock"\n'
        '[engine.service_destinations.prod]\nuri = "unix:///old-prod.sock"\n')
    user = tmp_path / ".config" / "containers"
    user.mkdir(parents=True)
    (user / "containers.conf").write_text(
        '[engine]\nactive_service = "mine"\n[engine.service_destinations.mine]\nuri = "tcp://127.0.0.1:8080"\n'
        'identity = "/k"\n')
    shutil.copy(SAMPLES / "podman-connections.json", user / "podman-connections.json")
    specs = by_name(podman(tmp_path, {}, system=system))
    assert specs["prod"].host.startswith("ssh://core@prod.example")  # the JSON file's, not containers.conf's
    assert specs["sys"].host == "unix:///sys.sock" and specs["mine"].identity == "/k"
    assert specs["prod-root"].default and not specs["mine"].default  # the JSON file's Default first


def test_container_host_and_sshkey_come_first_and_win(tmp_path):
    folder = tmp_path / ".config" / "containers"
    folder.mkdir(parents=True)
    shutil.copy(SAMPLES / "podman-connections.json", folder / "podman-connections.json")
    found = podman(tmp_path, {"CONTAINER_HOST": "ssh://me@box.example/run/podman/podman.sock",
                              "CONTAINER_SSHKEY": "/home/me/.ssh/box"})
    first = found.specs[0]
    assert (first.name, first.source, first.identity) == ("box.example", "CONTAINER_HOST", "/home/me/.ssh/box")
    assert first.default and not any(s.default for s in found.specs[1:])


def test_broken_podman_files_are_notes_not_failures(tmp_path):
    folder = tmp_path / ".config" / "containers"
    folder.mkdir(parents=True)
    (folder / "podman-connections.json").write_text("[1, 2")
    (folder / "containers.conf").write_text('[engine.service_destinations.x]\nidentity = "/k"\n'
                                            '[engine.service_destinations.y]\nuri = "ftp://nope"\n')
    found = podman(tmp_path, {})
    assert found.specs == []
    notes = "\n".join(found.notes)
    assert "podman-connections.json: not valid JSON" in notes
    assert "'x' skipped" in notes and "gives it no uri" in notes
    assert "ftp://nope" in notes and "skipped" in notes
    (folder / "podman-connections.json").write_text('{"Connection": {"Connections": {"a": {"Identity": "k"}}}}')
    assert "not a connections file" in "\n".join(podman(tmp_path, {}).notes)


def test_podman_local_sockets_that_exist_are_listed(tmp_path):
    sock = tmp_path / "podman.sock"
    sock.write_text("")
    found = podman_connections(tmp_path, {}, system_dirs=[], local_sockets=[str(sock), str(tmp_path / "gone")])
    assert [(s.name, s.host, s.source) for s in found.specs] == [
        ("podman", f"unix://{sock}", "rootless Podman socket")]


# ---------------------------------------------------------------- all of them


def test_discover_orders_sources_renames_clashes_and_keeps_one_default(tmp_path):
    docker = tmp_path / ".docker"
    make_context(docker, "prod", "tcp://prod.example:2375")
    (docker / "config.json").write_text('{"currentContext": "prod"}')
    folder = tmp_path / ".config" / "containers"
    folder.mkdir(parents=True)
    shutil.copy(SAMPLES / "podman-connections.json", folder / "podman-connections.json")

    class Entry:  # what tui.settings.engines.EngineEntry carries
        name, host, kind, read_only, labels, ssh_client, identity, default = (
            "prod", "unix:///run/prod.sock", "api", True, {"tier": "web"}, "openssh", "", False)

    found = discover(tmp_path, {}, [Entry()], config_file="/c.toml", docker_socket=NO_SOCKET, podman_dirs=[],
                     podman_sockets=[])
    names = [(s.name, s.source) for s in found.specs]
    assert names[0] == ("prod", "Docker context prod (current)")
    assert ("prod-2", "Podman connection prod") in names
    assert names[-1] == ("prod-3", "/c.toml engines[1]")
    assert [s.name for s in found.specs if s.default] == ["prod"]
    last = found.specs[-1]
    assert last.read_only and last.labels == {"tier": "web"} and last.ssh_client == "openssh"
    assert "engine name 'prod' is taken by Docker context prod (current); Podman connection prod is named " \
           "'prod-2'" in found.notes


def test_the_same_engine_found_twice_is_listed_once():
    a = EngineSpec("docker", "unix:///var/run/docker.sock", source="--host")
    b = EngineSpec("default", "unix:///var/run/docker.sock", source="Docker context default", default=True)
    c = EngineSpec("web", "unix:///var/run/docker.sock", source="config engines[1]", labels={"app": "web"})
    kept, notes = settle([a, b, c])
    assert [s.name for s in kept] == ["docker", "web"]
    assert kept[0].default  # the dropped duplicate was the default: its first finding takes the mark
    assert "Docker context default is the same engine as --host" in notes[0]


def test_check_host_names_where_the_address_came_from():
    assert check_host("/run/x.sock", "w") == "unix:///run/x.sock"
    assert check_host("tcp://h", "w") == "tcp://h:2375"
    assert check_host("ssh://u@h:22/run/podman/podman.sock", "w") == "ssh://u@h:22/run/podman/podman.sock"
    for bad, says in [("ssh://", "names no host"), ("ssh://h:port", "not a valid address"),
                      ("ftp://h", "expected unix://, tcp:// or ssh://"), ("tcp://", "names no host")]:
        with pytest.raises(ConfigError, match=says) as info:
            check_host(bad, "engines[2].host")
        assert str(info.value).startswith("engines[2].host: ")


@pytest.mark.parametrize("host,name", [
    ("unix:///var/run/docker.sock", "docker"), ("/run/podman/podman.sock", "podman"),
    ("unix:///run/user/1000/podman/podman.sock", "podman"), ("unix:///tmp/engine.sock", "engine"),
    ("tcp://10.0.0.5:2376", "10.0.0.5:2376"), ("ssh://ops@edge.example:2222", "edge.example"),
])
def test_an_engine_known_by_address_gets_a_short_name(host, name):
    assert host_name(host) == name
