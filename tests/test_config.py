"""Settings: defaults, the TOML file, BOSUN_* variables, errors, and save_setting."""

from __future__ import annotations

import math
import os
import tomllib
from pathlib import Path

import pytest

from tui.settings import (
    DEFAULT_KEYS,
    ConfigEnvError,
    ConfigFileError,
    Settings as Config,
    SettingsError,
    config_path,
    load_settings,
    save_setting,
)
from tui.settings.load import legacy_env_var as env_var
from tui.settings.reference import config_reference
from tui.settings.schema import LEGACY
from tui.settings.toml_writer import dumps_toml

# These tests write the files and variables of before the sections (`stop_grace = 3`,
# BOSUN_STATS_INTERVAL): they must keep loading. tests/test_settings_sections.py checks today's spelling.
CONFIG_REFERENCE = config_reference()
SETTINGS = ("theme", "read_only", "mouse", "keys", *LEGACY)


def load_config(path=None, env=None, **kwargs) -> Config:
    return load_settings(path, env, **kwargs).settings


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def cfg(tmp_path) -> Path:
    return tmp_path / "config.toml"


# ---------------------------------------------------------------- defaults and locations


def test_defaults_when_file_missing(cfg):
    config = load_config(cfg, env={})
    assert config == Config()
    assert config.theme == "bosun-dark"
    assert config.read_only is False
    assert config.engine.stop_grace == 10
    assert config.list.show_stopped is True and config.stats.enabled is True
    assert config.stats.interval == 5.0 and config.engine.reconcile_interval == 20.0
    assert config.logs.lines == 50000
    assert config.shells.command == config.engine.host == config.engine.context == ""
    assert config.list.labels == {}
    assert config.keys == DEFAULT_KEYS
    assert config.key_for("kill") == "K"
    assert config.key_for("help") == "question_mark"


def test_config_path_follows_xdg_and_override(tmp_path):
    assert config_path({"XDG_CONFIG_HOME": str(tmp_path)}) == tmp_path / "bosun" / "config.toml"
    assert config_path({"HOME": str(tmp_path)}) == tmp_path / ".config" / "bosun" / "config.toml"
    # The XDG spec says a relative XDG_CONFIG_HOME is ignored.
    assert config_path({"HOME": str(tmp_path), "XDG_CONFIG_HOME": "rel"}) == tmp_path / ".config/bosun/config.toml"
    assert config_path({"BOSUN_CONFIG": str(tmp_path / "x.toml")}) == tmp_path / "x.toml"


def test_load_uses_xdg_location_by_default(tmp_path):
    write_to = tmp_path / "bosun" / "config.toml"
    write_to.parent.mkdir()
    write(write_to, "stop_grace = 3\n")
    assert load_config(env={"XDG_CONFIG_HOME": str(tmp_path)}).engine.stop_grace == 3


# ---------------------------------------------------------------- file values


def test_file_values(cfg):
    write(cfg, """
theme = "harbor"
read_only = true
stop_grace = 0
show_stopped = false
stats = false
stats_interval = 5          # an int is fine for a float setting
reconcile_interval = 60.5
log_lines = 1000
shell = "/bin/zsh"
host = "unix:///run/podman/podman.sock"
context = "remote"

[labels]
"com.docker.compose.project" = "shop"
tier = ""

[keys]
stop = "x,ctrl+x"
kill = "Z"
""")
    config = load_config(cfg, env={})
    assert config.theme == "harbor"
    assert config.read_only is True
    assert config.engine.stop_grace == 0
    assert config.list.show_stopped is False and config.stats.enabled is False
    assert config.stats.interval == 5.0 and isinstance(config.stats.interval, float)
    assert config.engine.reconcile_interval == 60.5
    assert config.logs.lines == 1000
    assert config.shells.command == "/bin/zsh"
    assert config.engine.host == "unix:///run/podman/podman.sock"
    assert config.engine.context == "remote"
    assert config.list.labels == {"com.docker.compose.project": "shop", "tier": ""}
    assert config.key_for("stop") == "x,ctrl+x"
    assert config.key_for("kill") == "Z"
    assert config.key_for("start") == "s"  # untouched actions keep their defaults


# ---------------------------------------------------------------- environment


def test_env_overrides_file(cfg):
    write(cfg, 'theme = "harbor"\nstop_grace = 3\nread_only = false\n[labels]\na = "b"\n[keys]\nstop = "Y"\n')
    env = {
        "BOSUN_THEME": "bosun-light",
        "BOSUN_READ_ONLY": "yes",
        "BOSUN_STATS_INTERVAL": "0.5",
        "BOSUN_LABELS": "app=web, tier",
        "BOSUN_KEYS": "kill=Z,ctrl+k",
        "BOSUN_TEST_DOCKER_HOST": "tcp://x:1",  # other BOSUN_* names are not settings: ignored
    }
    config = load_config(cfg, env=env)
    assert config.theme == "bosun-light"
    assert config.read_only is True
    assert config.engine.stop_grace == 3  # from the file, no variable
    assert config.stats.interval == 0.5
    assert config.list.labels == {"app": "web", "tier": ""}  # env replaces the file's table
    assert config.key_for("stop") == "Y"  # file keys stay, env keys add to them
    assert config.key_for("kill") == "Z,ctrl+k"


@pytest.mark.parametrize("text,expected", [
    ("1", True), ("0", False), ("true", True), ("FALSE", False), ("Yes", True),
    ("no", False), ("on", True), (" Off ", False),
])
def test_env_bools(text, expected):
    assert load_config(Path("/nonexistent/bosun.toml"), env={"BOSUN_STATS": text}).stats.enabled is expected


@pytest.mark.parametrize("variable,value,fragment", [
    ("BOSUN_STATS", "maybe", "true/false"),
    ("BOSUN_STOP_GRACE", "ten", "whole number"),
    ("BOSUN_STOP_GRACE", "2.5", "whole number"),
    ("BOSUN_STOP_GRACE", "-1", "0 or more"),
    ("BOSUN_STATS_INTERVAL", "fast", "a number"),
    ("BOSUN_STATS_INTERVAL", "0", "greater than 0"),
    ("BOSUN_RECONCILE_INTERVAL", "nan", "greater than 0"),
    ("BOSUN_LOG_LINES", "0", "1 or more"),
    ("BOSUN_KEYS", "x", "action=key"),
    ("BOSUN_KEYS", "stopp=x", "unknown action 'stopp'"),
    ("BOSUN_THEME", " ", "theme name"),
])
def test_env_errors_name_the_variable(variable, value, fragment):
    with pytest.raises(ConfigEnvError) as info:
        load_config(Path("/nonexistent/bosun.toml"), env={variable: value})
    assert variable in str(info.value)
    assert fragment in str(info.value)
    assert isinstance(info.value, SettingsError)


def test_env_key_clash_with_file_blames_variable(cfg):
    write(cfg, '[keys]\nstop = "Y"\n')
    with pytest.raises(ConfigEnvError, match="BOSUN_KEYS.*'Y' is bound to both"):
        load_config(cfg, env={"BOSUN_KEYS": "kill=Y"})


def test_every_setting_has_a_variable():
    env = {env_var(name): "1" for name in SETTINGS if name not in ("labels", "keys", "log_layout")}
    env["BOSUN_LOG_LAYOUT"] = "below"
    env["BOSUN_LABELS"] = "a=b"
    env["BOSUN_KEYS"] = "quit=Q"
    config = load_config(Path("/nonexistent/bosun.toml"), env=env)
    assert config.read_only is True and config.engine.stop_grace == 1 and config.theme == "1"
    assert config.list.labels == {"a": "b"} and config.key_for("quit") == "Q" and config.panes.layout == "below"


# ---------------------------------------------------------------- file errors


def test_bad_toml_names_file_and_line(cfg):
    write(cfg, 'theme = "harbor"\nstop_grace = \nstats = true\n')
    with pytest.raises(ConfigFileError) as info:
        load_config(cfg, env={})
    error = info.value
    assert str(cfg) in str(error)
    assert "line 2" in str(error) and "column" in str(error)
    assert error.path == cfg and error.line == 2
    assert "invalid TOML" in str(error)


def test_unknown_key_named(cfg):
    write(cfg, 'theme = "harbor"\nstop_grase = 4\n')
    with pytest.raises(ConfigFileError) as info:
        load_config(cfg, env={})
    message = str(info.value)
    assert "stop_grase" in message and "did you mean 'stop_grace'" in message
    assert str(cfg) in message and info.value.line == 2 and info.value.key == "stop_grase"


@pytest.mark.parametrize("line,key,expected", [
    ('stop_grace = "ten"', "stop_grace", "whole number"),
    ("stop_grace = true", "stop_grace", "whole number"),  # bool is not an int here
    ("stop_grace = 1.5", "stop_grace", "whole number"),
    ('read_only = "yes"', "read_only", "true or false"),
    ("theme = 3", "theme", "a string"),
    ('stats_interval = "2s"', "stats_interval", "a number"),
    ("labels = 3", "labels", "table"),
    ('labels = { a = 1 }', "labels", "labels.a: expected a string"),
])
def test_bad_type_named(cfg, line, key, expected):
    write(cfg, f"# comment\n{line}\n")
    with pytest.raises(ConfigFileError) as info:
        load_config(cfg, env={})
    message = str(info.value)
    assert repr(key) in message and expected in message and str(cfg) in message
    assert info.value.line == 2


def test_unreadable_and_non_utf8_files(tmp_path):
    with pytest.raises(ConfigFileError, match="is a folder"):
        load_config(tmp_path, env={})
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b'theme = "\xff"\n')
    with pytest.raises(ConfigFileError, match="not UTF-8"):
        load_config(bad, env={})


# ---------------------------------------------------------------- keys


def test_keys_remap(cfg):
    write(cfg, '[keys]\nstop = "S"\nshell = "ctrl+e,e"\n')
    config = load_config(cfg, env={})
    assert config.key_for("stop") == "S"
    assert config.key_for("shell") == "ctrl+e,e"
    assert set(config.keys) == set(DEFAULT_KEYS)


def test_unknown_action_lists_valid_ones(cfg):
    write(cfg, '[keys]\nstopp = "x"\n')
    with pytest.raises(ConfigFileError) as info:
        load_config(cfg, env={})
    message = str(info.value)
    assert "unknown action 'stopp'" in message and "did you mean 'stop'" in message
    for action in DEFAULT_KEYS:
        assert action in message
    assert info.value.line == 1  # the [keys] header


def test_key_conflict_and_bad_key_names(cfg):
    write(cfg, '[keys]\nkill = "x"\n')  # stop is still on x
    with pytest.raises(ConfigFileError, match="'x' is bound to both 'stop' and 'kill'"):
        load_config(cfg, env={})
    for bad in ('""', '"ctrl x"', '"a=b"'):
        write(cfg, f"[keys]\nkill = {bad}\n")
        with pytest.raises(ConfigFileError, match="kill"):
            load_config(cfg, env={})


def test_key_for_unknown_action():
    with pytest.raises(KeyError, match="unknown action 'nope'"):
        Config().key_for("nope")


# ---------------------------------------------------------------- replace (CLI flags)


def test_replace_validates_and_merges_keys():
    config = Config().replace(read_only=True, engine={"stop_grace": 2}, keys={"stop": "Y"})
    assert config.read_only and config.engine.stop_grace == 2
    assert config.key_for("stop") == "Y" and config.key_for("kill") == "K"
    with pytest.raises(SettingsError, match="stop_grace"):
        Config().replace(engine={"stop_grace": "soon"})
    with pytest.raises(SettingsError, match="unknown action"):
        Config(keys={"explode": "z"})


# ---------------------------------------------------------------- save_setting


def test_save_setting_creates_folder_and_file(tmp_path):
    path = tmp_path / "deep" / "bosun" / "config.toml"
    save_setting("theme", "harbor", path)
    assert load_config(path, env={}).theme == "harbor"
    assert not [p for p in path.parent.iterdir() if p.name != "config.toml"]  # no temp files left


def test_save_setting_round_trip_keeps_everything(cfg):
    original = """# my bosun settings
theme = "bosun-dark"  # chosen in the app
stop_grace = 4
stats_interval = 1.5

[labels]
"com.docker.compose.project" = "shop"
"quote\\"d" = "tab\\there"

[keys]
kill = "Z"
"""
    write(cfg, original)
    save_setting("theme", "bosun-light", cfg)
    text = cfg.read_text()
    # A simple line edit keeps comments, even the one after the value.
    assert "# my bosun settings" in text and 'theme = "bosun-light"  # chosen in the app' in text
    config = load_config(cfg, env={})
    assert config.theme == "bosun-light"
    assert config.engine.stop_grace == 4 and config.stats.interval == 1.5
    assert config.list.labels == {"com.docker.compose.project": "shop", 'quote"d': "tab\there"}
    assert config.key_for("kill") == "Z"

    # A setting not yet in the file goes before the first table.
    save_setting("read_only", True, cfg)
    save_setting("engine.reconcile_interval", 30, cfg)
    config = load_config(cfg, env={})
    assert config.read_only is True and config.engine.reconcile_interval == 30.0
    assert config.list.labels["com.docker.compose.project"] == "shop"

    # Tables are written whole; the rest survives.
    save_setting("list.labels", {"a.b": "c"}, cfg)
    save_setting("keys", {**DEFAULT_KEYS, "stop": "S", "kill": "Z"}, cfg)
    config = load_config(cfg, env={})
    assert config.list.labels == {"a.b": "c"}
    assert config.key_for("stop") == "S" and config.key_for("kill") == "Z"
    assert config.theme == "bosun-light" and config.engine.stop_grace == 4
    # Only the changed bindings are stored.
    assert tomllib.loads(cfg.read_text())["keys"] == {"kill": "Z", "stop": "S"}


def test_save_setting_escapes_strings(cfg):
    nasty = 'a "quoted" \\ back\nnew\ttab \x01 é'
    save_setting("shells.command", nasty, cfg)
    assert load_config(cfg, env={}).shells.command == nasty
    save_setting("shells.command", "plain", cfg)
    assert load_config(cfg, env={}).shells.command == "plain"
    write(cfg, '[shells]\ncommand = "a#b"  # note # two\n')
    save_setting("shells.command", "c", cfg)
    assert cfg.read_text() == '[shells]\ncommand = "c"  # note # two\n'  # a '#' inside a string is not a comment


def test_save_setting_rejects_bad_input_and_keeps_broken_file(cfg):
    with pytest.raises(SettingsError, match="unknown setting 'colour'"):
        save_setting("colour", "red", cfg)
    with pytest.raises(SettingsError, match="stop_grace"):
        save_setting("engine.stop_grace", "soon", cfg)
    write(cfg, "theme = \n")
    with pytest.raises(ConfigFileError):
        save_setting("theme", "harbor", cfg)
    assert cfg.read_text() == "theme = \n"  # never clobber a file the user must fix


def test_save_setting_keeps_file_mode(cfg):
    write(cfg, 'theme = "a"\n')
    os.chmod(cfg, 0o600)
    save_setting("theme", "harbor", cfg)
    assert cfg.stat().st_mode & 0o777 == 0o600


def test_dumps_toml_round_trips_other_content():
    data = {
        "title": "x",
        "n": -3,
        "f": 1e-7,
        "big": 1e300,
        "inf": math.inf,
        "flag": False,
        "arr": [1, "two", [3.5]],
        "empty": {},
        "outer": {"inner": {"k": "v"}, "points": [{"x": 1}, {"x": 2}]},
        "odd key": {"": "empty key", "ü": "\x7f"},
    }
    assert tomllib.loads(dumps_toml(data)) == data


# ---------------------------------------------------------------- reference


def test_reference_documents_every_setting():
    for name in SETTINGS:
        assert f"`{name}`" in CONFIG_REFERENCE
        assert env_var(name) in CONFIG_REFERENCE
    for action, key in DEFAULT_KEYS.items():
        assert f"| `{action}` | `{key}` |" in CONFIG_REFERENCE
    assert "`10`" in CONFIG_REFERENCE and "`\"bosun-dark\"`" in CONFIG_REFERENCE
