"""bosun's settings: one TOML file plus `BOSUN_*` environment variables.

`schema` says what can be set (sections of settings, each with its doc), `load`
reads the file and the environment, `save` writes one setting back,
`locations` knows the paths, `reference` writes README's settings reference.

This package does not import Textual: the CLI reads settings before any UI exists.
"""

from __future__ import annotations

from tui.settings.load import ConfigEnvError, ConfigFileError, Loaded, env_var, load_settings
from tui.settings.locations import CONFIG_ENV, config_dir, config_path, user_theme_dir
from tui.settings.save import save_setting
from tui.settings.schema import (
    DEFAULT_KEYS,
    EngineSettings,
    ListSettings,
    LogSettings,
    PaneSettings,
    Settings,
    SettingsError,
    ShellSettings,
    StatsSettings,
    TimelineSettings,
)

__all__ = [
    "CONFIG_ENV", "DEFAULT_KEYS", "ConfigEnvError", "ConfigFileError", "EngineSettings", "ListSettings", "Loaded",
    "LogSettings", "PaneSettings", "Settings", "SettingsError", "ShellSettings", "StatsSettings", "TimelineSettings",
    "config_dir",
    "config_path", "env_var", "load_settings", "save_setting", "user_theme_dir",
]
