"""Where bosun's files are: the config file and the user theme folder (XDG paths)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

CONFIG_ENV = "BOSUN_CONFIG"


def config_dir(env: Mapping[str, str] | None = None) -> Path:
    """bosun's folder under the XDG config home (`~/.config/bosun`)."""
    env = os.environ if env is None else env
    base = env.get("XDG_CONFIG_HOME", "")
    # The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
    if not base or not os.path.isabs(base):
        home = env.get("HOME")
        base = str(Path(home) / ".config") if home else str(Path.home() / ".config")
    return Path(base) / "bosun"


def config_path(env: Mapping[str, str] | None = None) -> Path:
    """The config file: `BOSUN_CONFIG` if set, else `config.toml` in `config_dir()`."""
    env = os.environ if env is None else env
    explicit = env.get(CONFIG_ENV, "")
    return Path(explicit).expanduser() if explicit else config_dir(env) / "config.toml"


def user_theme_dir(env: Mapping[str, str] | None = None) -> Path:
    """The folder for the user's own theme files (`~/.config/bosun/themes`)."""
    return config_dir(env) / "themes"
