"""Colour themes from TOML files: the bundled ones and the user's own.

A theme file holds the keyword arguments of `textual.theme.Theme` (name,
primary, ..., dark, luminosity_spread, text_alpha) and a `[variables]` table.
Bundled files sit next to this module (`tui/themes/*.toml`, shipped as
package data); user files in `$XDG_CONFIG_HOME/bosun/themes/`.
A user theme with the name of a bundled one replaces it.

A broken user file must not stop bosun from starting, so `discover_themes`
returns the problems next to the themes it could load, for the app to show.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, Mapping

from textual.color import Color, ColorParseError
from textual.theme import Theme

from tui.settings.locations import user_theme_dir

# Theme's constructor arguments that are colours; `primary` is the one it requires.
COLOR_FIELDS = ("primary", "secondary", "accent", "foreground", "background", "surface", "panel",
                "success", "warning", "error", "boost")
FLOAT_FIELDS = ("luminosity_spread", "text_alpha")
BOOL_FIELDS = ("dark", "ansi")
THEME_FIELDS = ("name", *COLOR_FIELDS, *BOOL_FIELDS, *FLOAT_FIELDS, "variables")


class ThemeFileError(Exception):
    """A theme file cannot be used; the message names the file and the problem."""

    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


def bundled_theme_dir() -> Path:
    """The folder of the themes that ship with bosun: this package's own folder.

    Found from this file, not through an import of a data package, so another
    installed checkout's themes can never win over the code that runs.
    """
    return Path(__file__).resolve().parent


def load_theme_file(path: Path) -> Theme:
    """Read one theme file. Raises ThemeFileError saying what is wrong."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
    except OSError as error:
        raise ThemeFileError(path, f"cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise ThemeFileError(path, f"not UTF-8 text (byte {error.start})") from None
    except tomllib.TOMLDecodeError as error:
        raise ThemeFileError(path, f"invalid TOML: {error}") from None
    return theme_from_mapping(data, path)


def theme_from_mapping(data: Mapping[str, Any], path: Path) -> Theme:
    """Build a Theme from a parsed theme file; `path` is for messages (and the default name)."""
    unknown = sorted(set(data) - set(THEME_FIELDS))
    if unknown:
        raise ThemeFileError(path, f"unknown key{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}; "
                                   f"theme keys: {', '.join(THEME_FIELDS)}")
    values: dict[str, Any] = dict(data)
    # A file without a name is named after itself: less to type for a user theme.
    values.setdefault("name", path.stem)
    name = values["name"]
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name):
        raise ThemeFileError(path, f"'name' must be a word of letters, digits, '-', '_' or '.', got {name!r}")
    if "primary" not in values:
        raise ThemeFileError(path, "'primary' is missing (the one colour every theme needs)")
    for key in COLOR_FIELDS:
        if key in values:
            _check_color(path, key, values[key])
    for key in BOOL_FIELDS:
        if key in values and not isinstance(values[key], bool):
            raise ThemeFileError(path, f"{key!r} must be true or false, got {values[key]!r}")
    for key in FLOAT_FIELDS:
        value = values.get(key, 0.0)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise ThemeFileError(path, f"{key!r} must be a number from 0 to 1, got {value!r}")
        values[key] = float(value)
    variables = values.get("variables", {})
    if not isinstance(variables, dict):
        raise ThemeFileError(path, f"'variables' must be a table, got {variables!r}")
    for key, value in variables.items():
        if not isinstance(value, str):
            raise ThemeFileError(path, f"variables.{key} must be a string, got {value!r}")
    theme = Theme(**values)
    try:
        # Builds every derived colour: catches what the per-key checks cannot.
        theme.to_color_system().generate()
    except Exception as error:  # Textual raises several kinds here; all mean "bad file"
        raise ThemeFileError(path, f"Textual cannot use this theme: {error}") from None
    return theme


def _check_color(path: Path, key: str, value: Any) -> None:
    if not isinstance(value, str):
        raise ThemeFileError(path, f"{key!r} must be a colour string like \"#1E5F9E\", got {value!r}")
    try:
        Color.parse(value)
    except ColorParseError:
        raise ThemeFileError(path, f"{key!r} is not a colour: {value!r} (use e.g. \"#1E5F9E\" or \"rgb(30,95,158)\")") from None


def _theme_files(folder: Path, problems: list[str]) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.suffix == ".toml" and p.is_file())
    except (FileNotFoundError, NotADirectoryError):
        return []  # no user theme folder is the usual case, not a problem
    except OSError as error:
        problems.append(f"{folder}: cannot list theme files: {error.strerror or error}")
        return []


def discover_themes(user_dir: Path | None = None) -> tuple[list[Theme], list[str]]:
    """Bundled themes, then the user's; returns (themes, problems).

    A user theme replaces a bundled theme of the same name in place, so the
    order stays stable. A file that cannot be loaded is skipped and described
    in `problems`, as is a second file in one folder reusing a theme name.
    """
    themes: dict[str, Theme] = {}
    origin: dict[str, Path] = {}
    problems: list[str] = []
    user_dir = user_theme_dir() if user_dir is None else Path(user_dir)
    for folder in (bundled_theme_dir(), user_dir):
        for path in _theme_files(folder, problems):
            try:
                theme = load_theme_file(path)
            except ThemeFileError as error:
                problems.append(str(error))
                continue
            earlier = origin.get(theme.name)
            if earlier is not None and earlier.parent == path.parent:
                problems.append(f"{path}: theme name {theme.name!r} is already used by {earlier.name}; ignored")
                continue
            themes[theme.name] = theme
            origin[theme.name] = path
    return list(themes.values()), problems
