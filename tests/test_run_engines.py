"""Which engines a run shows: the flags (-H, -c repeatable, --all-contexts, --engines, --list-engines), the
config's [[engines]], and the single-engine path kept exactly when the result is one engine."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tui.engine.errors import ConfigError
from tui.run import build_parser
from tui.run_engines import plan_engines
from tui.settings import Settings


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A home with two Docker contexts (prod current), one Podman connection, no local sockets; the
    discovery defaults pointed at it so main() sees only this."""
    from tui.engine import discovery

    docker = tmp_path / ".docker"
    for name, host in (("prod", "tcp://prod.example:2375"), ("lab", "unix:///run/lab.sock")):
        meta = docker / "contexts" / "meta" / hashlib.sha256(name.encode()).hexdigest()
        meta.mkdir(parents=True)
        (meta / "meta.json").write_text(json.dumps({"Name": name, "Endpoints": {"docker": {"Host": host}}}))
    (docker / "config.json").write_text('{"currentContext": "prod"}')
    conns = tmp_path / ".config" / "containers"
    conns.mkdir(parents=True)
    (conns / "podman-connections.json").write_text(json.dumps({"Connection": {"Default": "box", "Connections": {
        "box": {"URI": "ssh://core@box.example/run/podman/podman.sock", "Identity": "/k/box"}}}}))
    for name in ("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_CONFIG", "DOCKER_TLS_VERIFY", "CONTAINER_HOST",
                 "CONTAINER_SSHKEY", "CONTAINERS_CONF", "PODMAN_CONNECTIONS_CONF", "XDG_CONFIG_HOME",
                 "XDG_RUNTIME_DIR", "BOSUN_CONFIG", "BOSUN_HOST", "BOSUN_ENGINE__HOST", "BOSUN_ENGINE__CONTEXT",
                 "BOSUN_READ_ONLY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(discovery, "DOCKER_SOCKET", str(tmp_path / "no-docker.sock"))
    monkeypatch.setattr(discovery, "PODMAN_ROOTFUL_SOCKET", str(tmp_path / "no-podman.sock"))
    monkeypatch.setattr(discovery, "PODMAN_SYSTEM_DIRS", (tmp_path / "usr", tmp_path / "etc"))
    return tmp_path


def plan(home, *argv, settings=None):
    args = build_parser().parse_args(list(argv))
    return plan_engines(args, settings or Settings(), env={}, home=home)


def test_no_flag_is_todays_path_and_still_knows_every_engine(home):
    p = plan(home)
    assert p.specs == () and p.host_source is None
    assert [(s.name, s.default) for s in p.known] == [("lab", False), ("prod", True), ("box", False)]
    assert p.known[2].identity == "/k/box"


@pytest.mark.parametrize("argv", [["-H", "tcp://h:1"], ["-c", "lab"], ["-c", "default"], ["-c", "nope"]])
def test_one_host_or_docker_context_is_todays_path(home, argv):
    p = plan(home, *argv)
    assert p.specs == () and p.host_source is None and p.settings == Settings()


def test_one_context_that_is_a_podman_connection_is_one_engine_by_its_address(home):
    p = plan(home, "-c", "box", "--read-only")
    assert p.specs == ()
    assert p.settings.engine.host == "ssh://core@box.example/run/podman/podman.sock"
    assert p.host_source == "Podman connection box (default)" and p.settings.read_only


def test_two_hosts_are_two_engines_in_view(home):
    p = plan(home, "-H", "unix:///a/docker.sock", "-H", "tcp://10.0.0.5:2376")
    assert [(s.name, s.host, s.source, s.default) for s in p.specs] == [
        ("docker", "unix:///a/docker.sock", "--host", True), ("10.0.0.5:2376", "tcp://10.0.0.5:2376", "--host", False)]
    assert {"docker", "10.0.0.5:2376", "prod", "box"} <= {s.name for s in p.known}


def test_a_bad_host_among_several_is_an_error_naming_the_flag(home):
    with pytest.raises(ConfigError, match=r"--host: cannot use endpoint 'ftp://x'"):
        plan(home, "-H", "unix:///a.sock", "-H", "ftp://x")


def test_contexts_repeated_and_mixed_with_a_host(home):
    p = plan(home, "-c", "lab", "-c", "box")
    assert [(s.name, s.source) for s in p.specs] == [("lab", "Docker context lab"),
                                                     ("box", "Podman connection box (default)")]
    p = plan(home, "-H", "unix:///x.sock", "-c", "prod")
    assert [s.name for s in p.specs] == ["x", "prod"]
    with pytest.raises(ConfigError, match=r"--context: no Docker context, Podman connection or \[\[engines\]\] "
                                          r"entry named 'nope'"):
        plan(home, "-c", "lab", "-c", "nope")


def test_all_contexts_is_every_engine_found_and_read_only_applies_to_all(home):
    p = plan(home, "--all-contexts", "--read-only")
    assert [s.name for s in p.specs] == ["lab", "prod", "box"]
    assert all(s.read_only for s in p.specs)
    assert [s.name for s in p.specs if s.default] == ["prod"]  # the current context


def test_engines_picks_by_name_and_says_which_names_exist(home):
    p = plan(home, "--engines", "box, lab")
    assert [s.name for s in p.specs] == ["box", "lab"]
    with pytest.raises(ConfigError, match=r"--engines: no engine named 'x'; engines: lab, prod, box"):
        plan(home, "--engines", "box,x")


def test_the_configs_engines_are_the_view_when_nothing_else_is_named(home):
    settings = Settings(engines=({"name": "web", "host": "tcp://web:2375", "read_only": True,
                                  "labels": {"tier": "web"}},
                                 {"name": "db", "host": "/run/db.sock"}))
    p = plan(home, settings=settings)
    assert [(s.name, s.read_only, s.labels) for s in p.specs] == [("web", True, {"tier": "web"}),
                                                                  ("db", False, {})]
    assert plan(home, "-H", "tcp://h:1", settings=settings).specs == ()  # a flag names the engine
    pinned = settings.replace(engine={"host": "unix:///pinned.sock"})
    assert plan(home, settings=pinned).specs == ()  # so does `[engine] host`


def test_one_config_engine_is_the_single_path_with_its_read_only_and_labels(home):
    settings = Settings(engines=({"name": "web", "host": "tcp://web:2375", "read_only": True,
                                  "labels": {"tier": "web"}},)).replace(list={"labels": {"app": "shop"}})
    p = plan(home, settings=settings)
    assert p.specs == ()
    assert p.settings.engine.host == "tcp://web:2375" and p.settings.read_only
    assert p.settings.list.labels == {"app": "shop", "tier": "web"}
    assert p.host_source == "config engines[1]"


def test_the_same_engine_named_twice_is_one(home):
    p = plan(home, "-c", "lab", "-H", "unix:///run/lab.sock")
    assert p.specs == () and p.settings.engine.host == "unix:///run/lab.sock"


# ---------------------------------------------------------------- main(): what the app gets


@pytest.fixture
def runs(monkeypatch, home):
    from tui.app import BosunApp

    apps: list[BosunApp] = []
    monkeypatch.setattr(BosunApp, "run", lambda self, **kwargs: apps.append(self))
    return apps


def test_main_hands_several_engines_to_the_app_and_skips_the_first_frame(runs, monkeypatch):
    from tui import run
    from tui.cli import main

    frames = []
    monkeypatch.setattr(run, "_first_frame", lambda *a: frames.append(a) or (None, None))
    assert main(["--all-contexts"]) == 0
    (app,) = runs
    assert [s.name for s in app.run_options.engine_specs] == ["lab", "prod", "box"]
    assert [s.name for s in app.run_options.known_specs] == ["lab", "prod", "box"]
    assert frames == []  # the first frame is the single engine's
    runs.clear()
    assert main(["-c", "lab"]) == 0
    (app,) = runs
    assert app.run_options.engine_specs == () and app.settings.engine.context == "lab"
    assert app.run_options.host_source == "host in " + str(Path.home() / ".config" / "bosun" / "config.toml")
    assert len(app.run_options.known_specs) == 3 and len(frames) == 1


def test_main_single_host_keeps_its_source(runs):
    from tui.cli import main

    assert main(["-H", "unix:///x.sock"]) == 0
    assert runs[0].run_options.host_source == "--host" and runs[0].settings.engine.host == "unix:///x.sock"
    assert runs[0].run_options.engine_specs == ()


def test_main_refuses_an_unknown_engine_name(runs, capsys):
    from tui.cli import main

    assert main(["--engines", "nope"]) == 2
    assert "bosun: --engines: no engine named 'nope'" in capsys.readouterr().err and not runs


def test_list_engines_prints_what_was_found_and_from_where(runs, capsys, home):
    from tui.cli import main

    meta = home / ".docker" / "contexts" / "meta" / ("0" * 64)
    meta.mkdir()
    (meta / "meta.json").write_text("{broken")
    assert main(["--list-engines"]) == 0 and not runs
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["NAME", "HOST", "SOURCE", "DEFAULT", "READ-ONLY"]
    assert out[1].split() == ["lab", "unix:///run/lab.sock", "Docker", "context", "lab"]
    assert out[2].split() == ["prod", "tcp://prod.example:2375", "Docker", "context", "prod", "(current)", "yes"]
    assert out[3].split()[:2] == ["box", "ssh://core@box.example/run/podman/podman.sock"]
    assert any(line.startswith("note: Docker context skipped:") and "unreadable" in line for line in out)
    assert main(["--list-engines", "--engines", "box,lab", "--read-only"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "in view: box, lab" in lines
    at = lines[0].index("READ-ONLY")
    assert [line[at:].strip() for line in lines[1:4]] == ["yes", "", "yes"]  # lab, prod (not in view), box


def test_list_engines_shows_no_control_sequences_from_a_context_file(runs, capsys, home):
    from tui.cli import main

    name = "evil\x1b]0;pwned\x07"
    meta = home / ".docker" / "contexts" / "meta" / hashlib.sha256(name.encode()).hexdigest()
    meta.mkdir()
    (meta / "meta.json").write_text(json.dumps({"Name": name, "Endpoints": {"docker": {"Host": "unix:///e.sock"}}}))
    assert main(["--list-engines"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "evil" in out


def test_planning_the_engines_stays_light_before_the_first_frame():
    """Discovery runs before the first frame: it must not load what the first frame avoids."""
    import subprocess
    import sys

    probe = ("import sys, tui.run_engines, tui.engine.discovery, tui.settings.engines\n"
             "from tui.run import build_parser\n"
             "tui.run_engines.plan_engines(build_parser().parse_args([]), tui.settings.Settings())\n"
             "print(sorted(m for m in ('asyncio', 'rich', 'ssl', 'textual', 'aiohttp') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]", f"loaded by discovery: {loaded}"


def test_list_engines_on_a_narrow_terminal_is_two_lines_an_engine(home):
    from tui.run_engines import list_engines_text

    text = list_engines_text(plan(home, "--read-only", "--all-contexts"), width=60)
    assert "prod  tcp://prod.example:2375\n    from Docker context prod (current); default, read-only\n" in text
    assert not text.startswith("NAME")
    assert list_engines_text(plan(home), width=200).startswith("NAME")


def test_the_default_context_among_several_is_dockers_socket_or_an_error(home):
    with pytest.raises(ConfigError, match="--context default: Docker's default context has no engine here"):
        plan(home, "-c", "default", "-c", "lab")
    sock = home / "no-docker.sock"  # where the fixture points discovery's Docker socket
    sock.write_text("")
    p = plan_engines(build_parser().parse_args(["-c", "default", "-c", "lab"]), Settings(), env={}, home=home,
                     docker_socket=str(sock))
    assert [(s.name, s.host) for s in p.specs] == [("default", f"unix://{sock}"), ("lab", "unix:///run/lab.sock")]
