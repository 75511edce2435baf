"""Settings by section: today's spelling, the old flat one (still read, with a note), one meaning of
"all lines", save_setting writing the new spelling, and the sections reaching the parts that own them."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tui.settings import (
    DEFAULT_KEYS,
    ConfigEnvError,
    ConfigFileError,
    LogSettings,
    Settings,
    SettingsError,
    env_var,
    load_settings,
    save_setting,
)
from tui.settings.reference import config_reference
from tui.settings.schema import ENTRIES, LEGACY

# Every key README's settings reference listed before the sections, as a user's file has them.
OLD_FILE = """# my bosun settings
theme = "harbor"
read_only = true
stop_grace = 4
show_stopped = false
stats = false
stats_interval = 2
reconcile_interval = 30
log_lines = 2000
log_tail = 500
log_layout = "below"
log_pane = false
shell = "/bin/sh"
exec_via_cli = true
mouse = false
host = "unix:///run/podman/podman.sock"
context = "lab"

[labels]
"com.docker.compose.project" = "shop"

[keys]
stop = "x,ctrl+x"
"""

NEW_FILE = """theme = "harbor"
read_only = true
mouse = false

[engine]
host = "unix:///run/podman/podman.sock"
context = "lab"
reconcile_interval = 30
stop_grace = 4

[list]
show_stopped = false

[list.labels]
"com.docker.compose.project" = "shop"

[stats]
enabled = false
interval = 2

[panes]
layout = "below"
visible = false

[logs]
lines = 2000
tail = 500

[shells]
command = "/bin/sh"
via_cli = true

[keys]
stop = "x,ctrl+x"
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def expected() -> Settings:
    return Settings().replace(
        theme="harbor", read_only=True, mouse=False, keys={"stop": "x,ctrl+x"},
        engine={"host": "unix:///run/podman/podman.sock", "context": "lab", "reconcile_interval": 30.0,
                "stop_grace": 4},
        list={"show_stopped": False, "labels": {"com.docker.compose.project": "shop"}},
        stats={"enabled": False, "interval": 2.0}, panes={"layout": "below", "visible": False},
        logs={"lines": 2000, "tail": 500}, shells={"command": "/bin/sh", "via_cli": True})


def test_todays_file_with_every_old_key_still_loads_and_one_note_says_the_new_spelling(tmp_path):
    cfg = write(tmp_path / "config.toml", OLD_FILE)
    loaded = load_settings(cfg, env={})
    assert loaded.settings == expected()
    assert len(loaded.notes) == 1  # one line for the file, not one per key
    note = loaded.notes[0]
    assert "\n" not in note and str(cfg) in note
    for old, new in LEGACY.items():
        section, _, key = new.partition(".")
        assert old in note and (f"[{section}] {key}" in note or f"[{new}]" in note), (old, note)


def test_the_sectioned_file_loads_the_same_without_a_note(tmp_path):
    loaded = load_settings(write(tmp_path / "config.toml", NEW_FILE), env={})
    assert loaded.settings == expected()
    assert loaded.notes == []


def test_old_and_new_variable_names(tmp_path):
    none = tmp_path / "none.toml"
    old = load_settings(none, env={"BOSUN_LOG_TAIL": "500", "BOSUN_STATS": "0", "BOSUN_LABELS": "a=b"})
    assert old.settings.logs.tail == 500 and old.settings.stats.enabled is False
    assert old.settings.list.labels == {"a": "b"}
    assert len(old.notes) == 1 and "BOSUN_LOG_TAIL → BOSUN_LOGS__TAIL" in old.notes[0]
    new = load_settings(none, env={"BOSUN_LOGS__TAIL": "500", "BOSUN_STATS__ENABLED": "0",
                                   "BOSUN_LIST__LABELS": "a=b"})
    assert new.settings == old.settings and new.notes == []
    with pytest.raises(ConfigEnvError, match="BOSUN_LOG_TAIL.*same setting"):
        load_settings(none, env={"BOSUN_LOGS__TAIL": "5", "BOSUN_LOG_TAIL": "6"})
    assert env_var("logs.tail") == "BOSUN_LOGS__TAIL" and env_var("theme") == "BOSUN_THEME"


def test_one_setting_spelled_twice_in_the_file_is_an_error(tmp_path):
    cfg = write(tmp_path / "config.toml", 'log_tail = 5\n\n[logs]\ntail = 6\n')
    with pytest.raises(ConfigFileError, match="'log_tail' and 'logs.tail' are the same setting"):
        load_settings(cfg, env={})


def test_all_lines_is_0_outside_and_none_inside(tmp_path):
    cfg = write(tmp_path / "config.toml", "[logs]\ntail = 0\n")
    assert load_settings(cfg, env={}).settings.logs.tail is None
    assert load_settings(tmp_path / "none.toml", env={"BOSUN_LOGS__TAIL": "0"}).settings.logs.tail is None
    assert LogSettings(tail=0).tail is None and LogSettings(tail=None).tail is None
    save_setting("logs.tail", None, cfg)
    assert tomllib.loads(cfg.read_text()) == {"logs": {"tail": 0}}
    assert "| `logs.tail` | `BOSUN_LOGS__TAIL` (whole number) | `1000` |" in config_reference()


def test_save_setting_writes_the_new_spelling_and_drops_the_old(tmp_path):
    cfg = write(tmp_path / "config.toml", OLD_FILE)
    save_setting("logs.tail", 100, cfg)
    data = tomllib.loads(cfg.read_text())
    assert "log_tail" not in data and data["logs"] == {"tail": 100}
    assert load_settings(cfg, env={}).settings == expected().replace(logs={"tail": 100})
    # A section key in a sectioned file is a line edit: comments stay.
    cfg = write(tmp_path / "new.toml", "# mine\n[logs]\ntail = 5  # short\n")
    save_setting("logs.tail", 50, cfg)
    assert cfg.read_text() == "# mine\n[logs]\ntail = 50  # short\n"
    save_setting("logs.lines", 7, cfg)
    assert tomllib.loads(cfg.read_text()) == {"logs": {"tail": 50, "lines": 7}}
    save_setting("engine.stop_grace", 3, cfg)
    assert "# mine" in cfg.read_text() and load_settings(cfg, env={}).settings.engine.stop_grace == 3
    with pytest.raises(SettingsError, match="unknown setting 'log_tail'"):
        save_setting("log_tail", 5, cfg)  # bosun writes only today's names


def test_theme_is_saved_in_place_in_an_old_file(tmp_path):
    cfg = write(tmp_path / "config.toml", OLD_FILE)
    save_setting("theme", "nord", cfg)
    assert cfg.read_text() == OLD_FILE.replace('theme = "harbor"', 'theme = "nord"')


def test_errors_in_a_section_name_the_setting_and_its_line(tmp_path):
    cfg = write(tmp_path / "config.toml", 'theme = "x"\n[logs]\ntial = 5\n')
    with pytest.raises(ConfigFileError, match=r"line 3: unknown setting 'logs.tial' \(did you mean 'tail'\?\)"):
        load_settings(cfg, env={})
    write(cfg, '[stats]\nenabled = true\ninterval = 0.01\n')
    with pytest.raises(ConfigFileError, match=r"line 3: setting 'stats.interval': expected 0.5 to 3600 seconds"):
        load_settings(cfg, env={})
    write(cfg, 'logs = 5\n')
    with pytest.raises(ConfigFileError, match=r"line 1: 'logs': expected a \[logs\] table"):
        load_settings(cfg, env={})
    write(cfg, '[panes]\nlayout = "left"\n')
    with pytest.raises(ConfigFileError, match="line 2: setting 'panes.layout': expected one of auto, beside, below"):
        load_settings(cfg, env={})
    with pytest.raises(ConfigEnvError, match="BOSUN_ENGINE__STOP_GRACE.*0 or more"):
        load_settings(tmp_path / "none.toml", env={"BOSUN_ENGINE__STOP_GRACE": "-1"})


def test_replace_checks_sections_and_merges_keys():
    settings = Settings().replace(logs={"tail": 0}, keys={"stop": "Y"})
    assert settings.logs.tail is None and settings.key_for("stop") == "Y" and settings.key_for("kill") == "K"
    with pytest.raises(SettingsError, match="'stats.interval'"):
        Settings().replace(stats={"interval": 0.01})
    with pytest.raises(SettingsError, match="unknown setting 'logs.tial'"):
        Settings().replace(logs={"tial": 5})
    assert Settings().keys == DEFAULT_KEYS


def test_the_reference_names_every_setting_both_spellings_and_the_variables():
    reference = config_reference()
    for name in ENTRIES:
        assert f"| `{name}` | `{env_var(name)}`" in reference
    for old, new in LEGACY.items():
        assert f"| `{old}` | `{new}` | `BOSUN_{old.upper()}` | `{env_var(new)}` |" in reference


@pytest.fixture
def runs(monkeypatch, tmp_path):
    """main() up to App.run: the app of each run."""
    from tui.app import BosunApp

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    for name in ("BOSUN_CONFIG", "BOSUN_HOST", "BOSUN_ENGINE__HOST", "BOSUN_LOG_TAIL", "BOSUN_MOUSE"):
        monkeypatch.delenv(name, raising=False)
    apps: list[BosunApp] = []
    monkeypatch.setattr(BosunApp, "run", lambda self, **kwargs: apps.append(self))
    return apps


def test_main_says_the_new_spelling_and_hands_the_note_to_the_app(runs, tmp_path, capsys):
    from tui.cli import main

    cfg = write(tmp_path / "config.toml", "log_tail = 500\n")
    assert main(["--demo", "--config", str(cfg)]) == 0
    (app,) = runs
    assert app.settings.logs.tail == 500
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "log_tail → [logs] tail" in err
    assert app.run_options.notes == [err.removeprefix("bosun: ").rstrip("\n")]


def test_main_applies_the_flags_to_the_sections(runs, tmp_path, monkeypatch):
    from tui.cli import main

    cfg = write(tmp_path / "config.toml", '[list.labels]\ntier = "web"\n')
    monkeypatch.setenv("BOSUN_ENGINE__HOST", "unix:///env.sock")
    assert main(["--config", str(cfg), "--read-only", "--label", "app=shop", "--log-layout", "beside",
                 "--exec-via-cli", "--no-mouse", "--theme", "nord", "-c", "ctx"]) == 0
    (app,) = runs
    s = app.settings
    assert s.read_only and not s.mouse and s.theme == "nord" and s.shells.via_cli
    assert s.list.labels == {"tier": "web", "app": "shop"} and s.panes.layout == "beside"
    assert s.engine.host == "unix:///env.sock" and s.engine.context == "ctx"
    assert app.run_options.host_source == "BOSUN_ENGINE__HOST"
    runs.clear()
    monkeypatch.delenv("BOSUN_ENGINE__HOST")
    monkeypatch.setenv("BOSUN_HOST", "unix:///old.sock")
    assert main(["--config", str(cfg)]) == 0
    assert runs[0].settings.engine.host == "unix:///old.sock" and runs[0].run_options.host_source == "BOSUN_HOST"


def test_main_refuses_a_bad_flag_value_like_a_bad_setting(runs, capsys):
    from tui.cli import main

    assert main(["--demo", "--theme", " "]) == 2
    assert "theme" in capsys.readouterr().err and not runs
