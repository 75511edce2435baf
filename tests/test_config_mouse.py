"""The `mouse` setting: file, environment, `--no-mouse`, and what reaches `App.run`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.settings import ConfigEnvError, ConfigFileError, load_settings
from tui.settings.reference import config_reference

CONFIG_REFERENCE = config_reference()


def load_config(path=None, env=None, **kwargs):
    return load_settings(path, env, **kwargs).settings


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_mouse_defaults_on_and_reads_the_file_and_the_environment(tmp_path):
    cfg = tmp_path / "config.toml"
    assert load_config(cfg, env={}).mouse is True
    write(cfg, "mouse = false\n")
    assert load_config(cfg, env={}).mouse is False
    assert load_config(cfg, env={"BOSUN_MOUSE": "1"}).mouse is True  # the environment wins over the file
    assert load_config(tmp_path / "none.toml", env={"BOSUN_MOUSE": "off"}).mouse is False


def test_a_bad_mouse_value_names_where_it_came_from(tmp_path):
    with pytest.raises(ConfigEnvError, match="BOSUN_MOUSE"):
        load_config(tmp_path / "none.toml", env={"BOSUN_MOUSE": "maybe"})
    cfg = write(tmp_path / "config.toml", 'theme = "nord"\nmouse = "no"\n')
    with pytest.raises(ConfigFileError, match=r"line 2.*'mouse'.*true or false"):
        load_config(cfg, env={})


def test_the_reference_documents_mouse():
    assert "| `mouse` | `BOSUN_MOUSE`" in CONFIG_REFERENCE
    assert "--no-mouse" in CONFIG_REFERENCE


@pytest.fixture
def runs(monkeypatch, tmp_path):
    """main() up to App.run: the keyword arguments each run got."""
    from tui.app import BosunApp

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("BOSUN_MOUSE", raising=False)
    monkeypatch.delenv("BOSUN_CONFIG", raising=False)
    calls: list[dict] = []
    monkeypatch.setattr(BosunApp, "run", lambda self, **kwargs: calls.append(kwargs))
    return calls


@pytest.mark.parametrize(("argv", "file", "env", "mouse"), [
    ([], None, None, True),
    (["--no-mouse"], None, None, False),
    ([], "mouse = false\n", None, False),
    ([], None, "0", False),
    (["--no-mouse"], "mouse = true\n", "1", False),  # the flag wins
])
def test_main_runs_the_app_with_the_mouse_setting(runs, monkeypatch, tmp_path, argv, file, env, mouse):
    from tui.cli import main

    args = ["--demo", *argv]
    if file is not None:
        args += ["--config", str(write(tmp_path / "config.toml", file))]
    if env is not None:
        monkeypatch.setenv("BOSUN_MOUSE", env)
    assert main(args) == 0
    assert runs == [{"mouse": mouse}]
