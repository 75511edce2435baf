"""Docker and Podman in one view, in a real pty: rows from both, the engines' line, the picker, a key routed right.

Until the command line takes several engines (repeatable `--host`, `--all-contexts`:
the engine discovery work), bosun is started through the test-only entry
`python -m tui.testing.fleet_app`, which builds the same `RunOptions(engine_specs=...)`
the CLI will. Once it does, `bosun_command` should be left alone and the
arguments become `--host unix://… --host unix://…`.
"""

from __future__ import annotations

import re
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


@covers("u", "escape", "2", "1", "x")
def test_docker_podman_and_an_ssh_engine_with_the_installed_bosun(bosun, tmp_path):
    """The installed `bosun --engines dock,podman,far`: Docker and Docker again over ssh:// through a scratch
    sshd (two `[[engines]]` of a config file, each scoped by a label so every row is one engine's) and the
    Podman socket bosun finds itself. Rows from each, the processes and the images view of all three, a stop routed over ssh, then
    the sshd stopped: far's rows grey, Docker and Podman carry on, and far comes back."""
    from tests.conftest import ssh_test_env
    from tests.engine.scratch_sshd import ScratchSSHD

    ssh_test_env()
    sshd = ScratchSSHD(tmp_path / "sshd")
    sshd.start()
    session = f"e2e-{uuid.uuid4().hex[:8]}"
    docker_url, podman_url = real_engine_url("docker"), real_engine_url("podman")
    config = tmp_path / "config.toml"
    config.write_text(
        f'[[engines]]\nname = "dock"\nhost = "{docker_url}"\n[engines.labels]\n"bosun.test.where" = "dock"\n\n'
        f'[[engines]]\nname = "far"\nhost = "{sshd.url}{docker_url.removeprefix("unix://")}"\n'
        '[engines.labels]\n"bosun.test.where" = "far"\n')
    clis = {"docker": EngineCli("docker", docker_url), "podman": EngineCli("podman", podman_url)}
    made: list[tuple[str, str]] = []

    def make(kind: str, suffix: str, *labels: str) -> str:
        name = f"e2e-m3-{suffix}-{session[4:]}"
        extra = [arg for label in labels for arg in ("--label", label)]
        clis[kind]("run", "-d", "--label", f"bosun.test={session}", *extra, "--name", name, IMAGE, "sh", "-c", IDLE)
        made.append((kind, name))
        return name

    try:
        on_dock = make("docker", "d", "bosun.test.where=dock")
        on_far = make("docker", "f", "bosun.test.where=far")
        on_pod = make("podman", "p")
        app = bosun("--config", str(config), "--engines", "dock,podman,far", "--label", f"bosun.test={session}",
                    size=(170, 48), env={"BOSUN_SSH_CONFIG": str(sshd.config)})
        for name in (on_dock, on_pod, on_far):
            app.see_row(name, "running", timeout=40)
        assert "dock" in app.row(on_dock) and "podman" in app.row(on_pod) and "far" in app.row(on_far)
        app.see("●\u00a0far", timeout=30)

        app.goto(on_far)  # its processes, read over ssh
        app.press("u")
        app.see(f"Processes: {on_far}", timeout=20)
        app.see(re.compile(r"sleep|sh -c"), timeout=20)
        app.press("escape")
        app.see_row(on_far, "running")

        app.press("2")  # every engine's images, named per row
        app.see("REPOSITORY:TAG", timeout=20)  # (ENGINE heads the container list too)
        app.press("/")  # a busy host has many images: the test image's rows only
        app.type("bosun-test")
        app.press("enter")
        for engine in ("dock", "podman", "far"):
            # A loaded Podman lists slowly; another tag of the image may come first.
            app.see(re.compile(rf"{engine} .*bosun-test:latest"), timeout=60)
        app.press("1")
        app.see_row(on_far, "running")

        app.goto(on_far)
        app.press("x")
        app.see_row(on_far, "exited", timeout=30)
        assert clis["docker"].status(on_far) == "exited"
        assert clis["docker"].status(on_dock) == "running" and clis["podman"].status(on_pod) == "running"

        sshd.stop()  # far's server goes away; the other two carry on
        app.see(re.compile(r"far.reconnecting"), timeout=30)
        late = make("docker", "late", "bosun.test.where=dock")
        app.see_row(late, "running", timeout=30)
        clis["podman"]("stop", "-t", "1", on_pod)
        app.see_row(on_pod, "exited", timeout=30)

        sshd.start()
        app.see("●\u00a0far", timeout=40)
        clis["docker"]("start", on_far)
        app.see_row(on_far, "running", timeout=30)
        app.quit()
    finally:
        sshd.stop()
        for kind, name in made:
            subprocess.run([*clis[kind].argv, "rm", "-f", name], capture_output=True, timeout=60)


def _context(config_dir, name: str, host: str) -> None:
    """A Docker context as `docker context create NAME --docker host=HOST` writes it."""
    import hashlib
    import json

    meta = config_dir / "contexts" / "meta" / hashlib.sha256(name.encode()).hexdigest()
    meta.mkdir(parents=True)
    (meta / "meta.json").write_text(json.dumps({"Name": name, "Metadata": {}, "Endpoints": {
        "docker": {"Host": host, "SkipTLSVerify": False}}}))


def test_all_contexts_with_ssh_hosts_shows_every_host_live(bosun, tmp_path):
    """Issue 13's user: ssh:// hosts in their Docker contexts, the installed `bosun --all-contexts`. Two
    contexts reach this machine's Docker and Podman over the test sshd; the local sockets are found as
    well. Every engine's rows come, each ssh:// engine's line says it is connected, and a change made
    outside shows live on the ssh:// engine's row."""
    from tests.conftest import ssh_test_env

    env = ssh_test_env()
    session = f"e2e-{uuid.uuid4().hex[:8]}"
    clis = {"docker": EngineCli("docker", real_engine_url("docker")),
            "podman": EngineCli("podman", real_engine_url("podman"))}
    names = {kind: f"e2e-ctx-{kind}-{session[4:]}" for kind in clis}
    config_dir = tmp_path / "docker-config"
    for kind in clis:
        _context(config_dir, f"far-{kind}", env["BOSUN_TEST_SSH_HOST"] + real_engine_url(kind).removeprefix("unix://"))
    try:
        for kind, cli in clis.items():
            cli("run", "-d", "--label", f"bosun.test={session}", "--name", names[kind], IMAGE, "sh", "-c", IDLE)
        app = bosun("--all-contexts", "--label", f"bosun.test={session}", size=(170, 48),
                    env={"DOCKER_CONFIG": str(config_dir), "BOSUN_SSH_CONFIG": env["BOSUN_TEST_SSH_CONFIG"]})

        def row_on(engine: str, name: str, state: str = "") -> bool:
            return any(name in line and re.search(rf"(?<![\w-]){engine}(?![\w-])", line) and state in line
                       for line in app.text().splitlines())

        for kind, name in names.items():
            app.until(lambda _s, e=f"far-{kind}", n=name: row_on(e, n),
                      f"{name}'s row from the ssh:// context far-{kind}", 40)
            app.see(f"●\u00a0far-{kind}", timeout=30)
        clis["docker"]("stop", "-t", "1", names["docker"])
        app.until(lambda _s: row_on("far-docker", names["docker"], "exited"),
                  "the stop made outside, live on the ssh:// engine's row", 30)
        app.quit()
    finally:
        for kind, cli in clis.items():
            subprocess.run([*cli.argv, "rm", "-f", names[kind]], capture_output=True, timeout=60)
