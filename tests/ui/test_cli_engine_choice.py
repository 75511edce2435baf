"""Choosing the CLI backend: `--engine`, `[engine] kind`/`cli`, the automatic fallback, the no-engine screen's offer."""

from __future__ import annotations

import shutil
import subprocess
import uuid

import pytest

from tests.ui.conftest import screen_text
from tests.waits import wait_until
from tui.app import BosunApp, RunOptions
from tui.run import _apply_flags, build_parser
from tui.settings import Settings, SettingsError, load_settings

needs_podman = pytest.mark.skipif(shutil.which("podman") is None, reason="needs the podman client")


def test_the_flag_and_the_settings_name_the_backend(tmp_path):
    args = build_parser().parse_args(["--engine", "podman-cli"])
    assert _apply_flags(Settings(), args).engine.kind == "podman-cli"
    assert Settings().engine.kind == "auto" and Settings().engine.cli == ""
    config = tmp_path / "config.toml"
    config.write_text('[engine]\nkind = "docker-cli"\ncli = "nerdctl"\n')
    loaded = load_settings(config, env={}).settings
    assert (loaded.engine.kind, loaded.engine.cli) == ("docker-cli", "nerdctl")
    assert load_settings(config, env={"BOSUN_ENGINE__KIND": "api"}).settings.engine.kind == "api"
    config.write_text('[engine]\nkind = "ssh"\n')
    with pytest.raises(SettingsError) as info:
        load_settings(config, env={})
    assert "engine.kind" in str(info.value) or "kind" in str(info.value)
    assert "podman-cli" in str(info.value)
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--engine", "nerdctl"])


@pytest.fixture
def podman_container():
    session = f"cli-{uuid.uuid4().hex[:8]}"
    name = f"cli-choice-{session}"
    subprocess.run(["podman", "run", "-d", "--name", name, "--label", f"bosun.test={session}", "bosun-test:latest",
                    "sh", "-c", "trap 'exit 0' TERM; sleep 100000 & wait"], check=True, capture_output=True)
    try:
        yield session, name
    finally:
        subprocess.run(["podman", "rm", "-f", "-t", "0", name], capture_output=True)


def _settings(session: str, **engine) -> Settings:
    return Settings().replace(engine=engine, list={"labels": {"bosun.test": session}}, stats={"enabled": False})


async def _dashboard_with(pilot, name: str) -> str:
    await wait_until(lambda: name in screen_text(pilot.app), f"{name} listed", pilot=pilot, timeout=20,
                     detail=lambda: screen_text(pilot.app))
    return screen_text(pilot.app)


@needs_podman
async def test_kind_podman_cli_lists_through_the_client(podman_container):
    session, name = podman_container
    app = BosunApp(_settings(session, kind="podman-cli"), RunOptions(persist_theme=False))
    async with app.run_test(size=(160, 40)) as pilot:
        text = await _dashboard_with(pilot, name)
        assert type(app.engine).__name__ == "CliEngine" and app.engine.cli_argv == ["podman"]
        assert "cli:podman" in text


@pytest.fixture
def no_default_socket(tmp_path, monkeypatch):
    """Nothing named, and every default socket missing (as for rootless Podman without podman.socket)."""
    from tui.engine import endpoints

    monkeypatch.setattr(endpoints, "DOCKER_SOCKET", str(tmp_path / "docker.sock"))
    monkeypatch.setattr(endpoints, "PODMAN_ROOTFUL_SOCKET", str(tmp_path / "podman.sock"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))
    monkeypatch.setenv("HOME", str(tmp_path))
    for variable in ("DOCKER_HOST", "DOCKER_CONTEXT", "CONTAINER_HOST"):
        monkeypatch.delenv(variable, raising=False)


@needs_podman
async def test_no_socket_answering_falls_back_to_the_podman_command(no_default_socket, podman_container):
    session, name = podman_container
    app = BosunApp(_settings(session), RunOptions(persist_theme=False))
    async with app.run_test(size=(160, 40)) as pilot:
        await _dashboard_with(pilot, name)
        assert type(app.engine).__name__ == "CliEngine"
        await wait_until(lambda: "No API socket answered" in screen_text(app), "the toast saying why", pilot=pilot)


@needs_podman
async def test_kind_api_never_falls_back(no_default_socket):
    app = BosunApp(Settings().replace(engine={"kind": "api"}), RunOptions(persist_theme=False))
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_until(lambda: type(app.screen).__name__ == "NoEngineScreen", "the no-engine screen", pilot=pilot)
        assert app.engine is None


@needs_podman
async def test_a_named_engine_is_not_swapped_but_the_client_is_offered(tmp_path, podman_container):
    session, name = podman_container
    app = BosunApp(_settings(session, host=f"unix://{tmp_path / 'gone.sock'}"), RunOptions(persist_theme=False))
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_until(lambda: type(app.screen).__name__ == "NoEngineScreen", "the no-engine screen", pilot=pilot)
        await pilot.pause()
        text = screen_text(app)
        assert "press p to use the `podman` command" in text, text
        assert app.engine is None
        await pilot.press("p")
        await _dashboard_with(pilot, name)
        assert type(app.engine).__name__ == "CliEngine"


async def test_no_client_installed_no_offer_and_no_fallback(no_default_socket, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    app = BosunApp(Settings(), RunOptions(persist_theme=False))
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_until(lambda: type(app.screen).__name__ == "NoEngineScreen", "the no-engine screen", pilot=pilot)
        await pilot.pause()
        assert "press p" not in screen_text(app)
        await pilot.press("p")
        await pilot.pause()
        assert type(app.screen).__name__ == "NoEngineScreen" and app.engine is None


async def test_a_missing_client_named_by_kind_says_it_is_not_installed():
    app = BosunApp(Settings().replace(engine={"kind": "podman-cli", "cli": "bosun-no-such-podman"}),
                   RunOptions(persist_theme=False))
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_until(lambda: type(app.screen).__name__ == "NoEngineScreen", "the no-engine screen", pilot=pilot)
        await pilot.pause()
        text = screen_text(app)
        assert "bosun-no-such-podman" in text and "not installed" in text, text
