"""Settings bosun must refuse rather than run on: a config file named but missing, key names
Textual does not know, intervals that would burn a core, and the line a key clash is on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tui.keys.names import is_key_name
from tui.settings import DEFAULT_KEYS, ConfigEnvError, ConfigFileError, load_settings


def load_config(path=None, env=None, **kwargs):
    return load_settings(path, env, **kwargs).settings

ROOT = Path(__file__).resolve().parents[1]


def test_config_flag_naming_a_missing_file_is_an_error(tmp_path):
    missing = tmp_path / "typo.toml"
    with pytest.raises(ConfigFileError, match=r"typo\.toml: no such file \(named by --config\)"):
        load_config(missing, env={}, must_exist=True)


def test_bosun_config_naming_a_missing_file_is_an_error(tmp_path):
    missing = tmp_path / "typo.toml"
    with pytest.raises(ConfigFileError, match="no such file .named by environment variable BOSUN_CONFIG"):
        load_config(env={"BOSUN_CONFIG": str(missing)})


def test_the_default_file_may_be_missing(tmp_path):
    assert load_config(env={"XDG_CONFIG_HOME": str(tmp_path)}).engine.stop_grace == 10


def test_cli_says_so_and_exits_2(tmp_path):
    result = subprocess.run([sys.executable, "-m", "tui", "--config", str(tmp_path / "typo.toml")],
                            cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert result.returncode == 2, result
    assert "typo.toml: no such file" in result.stderr


def test_a_key_clash_names_the_line_of_the_binding(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('theme = "harbor"\n\n[keys]\nrestart = "R"\nkill = "x"\n')
    with pytest.raises(ConfigFileError, match=r"config\.toml, line 5: .*'x' is bound to both 'stop' and 'kill'"):
        load_config(cfg, env={})


@pytest.mark.parametrize("bad", ["ctrl+shift+nonsense", "xyz", "ctrl+", "control+x", "f99", "ctrl+ctrl+x"])
def test_unknown_key_names_are_refused_with_their_line(tmp_path, bad):
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'stop_grace = 3\n[keys]\nstop = "x,{bad}"\n')
    with pytest.raises(ConfigFileError, match=rf"line 3: .*stop: '{bad.replace('+', '[+]')}' is not a key name"):
        load_config(cfg, env={})
    with pytest.raises(ConfigEnvError, match="BOSUN_KEYS"):
        load_config(tmp_path / "none.toml", env={"BOSUN_KEYS": f"stop={bad}"})


@pytest.mark.parametrize("good", ["x", "X", "ctrl+x", "alt+shift+f", "space", "f5", "question_mark", "slash",
                                  "full_stop", "equals_sign", "pageup", "escape", "ctrl+backslash", "1"])
def test_key_names_textual_knows_are_accepted(good):
    assert is_key_name(good)


def test_every_default_key_is_a_key_textual_knows():
    from textual.keys import Keys, _character_to_key

    for action, keys in DEFAULT_KEYS.items():
        for key in keys.split(","):
            assert is_key_name(key), (action, key)
    # The names we accept without a Unicode lookup are Textual's own.
    known = {k.value for k in Keys} | {"space", "backtab"}
    from tui.keys.names import _NAMED_KEYS

    assert _NAMED_KEYS <= known | {_character_to_key(" ")}, _NAMED_KEYS - known


@pytest.mark.parametrize("setting,value", [
    ("reconcile_interval", "0.001"), ("stats_interval", "0.01"), ("reconcile_interval", "1e9"),
    ("stop_grace", "100000"), ("log_lines", "1000000000"),
])
def test_intervals_and_sizes_are_bounded(tmp_path, setting, value):
    cfg = tmp_path / "config.toml"
    cfg.write_text(f"{setting} = {value}\n")
    with pytest.raises(ConfigFileError, match=rf"line 1: setting '{setting}': expected .* to "):
        load_config(cfg, env={})
    with pytest.raises(ConfigEnvError, match=setting.upper()):
        load_config(tmp_path / "none.toml", env={f"BOSUN_{setting.upper()}": value})
