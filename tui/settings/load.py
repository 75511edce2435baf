"""Reading the settings: defaults, then the TOML file, then `BOSUN_*` environment variables.

Precedence, highest first: command-line flags (the caller applies them with
`Settings.replace`), environment, file, defaults. A setting in a section is
`[section] name` in the file and `BOSUN_<SECTION>__<NAME>` in the environment
(`[logs] tail` → `BOSUN_LOGS__TAIL`); a top-level one `BOSUN_<NAME>`.

Mistakes are errors, never silently ignored: a typo in a key name would
otherwise leave the user wondering why a setting "does nothing". Every error
names where the bad value came from (file and line, or variable).

The names from before the sections (`log_tail = 500`, `BOSUN_LOG_TAIL`) still
load; `load_settings` hands back one line per source that says the new spelling.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from tui.settings.locations import CONFIG_ENV, config_path
from tui.settings.schema import (
    ENTRIES,
    LEGACY,
    SECTION_NAMES,
    Entry,
    KeyBindingError,
    Settings,
    SettingsError,
    build,
    check,
    did_you_mean,
)

ENV_PREFIX = "BOSUN_"


class ConfigFileError(SettingsError):
    """The config file cannot be read or holds a bad setting.

    The message names the file, the line (and column for syntax errors) when
    known, the key and what was expected.
    """

    def __init__(self, path: Path, message: str, *, line: int | None = None,
                 column: int | None = None, key: str | None = None) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.key = key
        where = str(path)
        if line is not None:
            where += f", line {line}" + (f", column {column}" if column is not None else "")
        super().__init__(f"{where}: {message}")


class ConfigEnvError(SettingsError):
    """An environment variable holds a bad setting; the message names it."""

    def __init__(self, variable: str, message: str) -> None:
        self.variable = variable
        super().__init__(f"environment variable {variable}: {message}")


def env_var(name: str) -> str:
    """The environment variable for a setting (`logs.tail` → `BOSUN_LOGS__TAIL`, `theme` → `BOSUN_THEME`)."""
    return ENV_PREFIX + name.replace(".", "__").upper()


def legacy_env_var(old: str) -> str:
    """The variable bosun read before the sections (`log_tail` → `BOSUN_LOG_TAIL`)."""
    return ENV_PREFIX + old.upper()


def spelled(name: str) -> str:
    """How the file spells a setting: `[logs] tail`, or `theme`."""
    section, _, key = name.rpartition(".")
    if ENTRIES[name].spec.kind is dict:
        return f"[{name}]"
    return f"[{section}] {key}" if section else name


@dataclass
class Loaded:
    """What `load_settings` found: the settings, and notes on old spellings to show the user."""

    settings: Settings
    notes: list[str] = field(default_factory=list)


def load_settings(path: Path | None = None, env: Mapping[str, str] | None = None, *,
                  must_exist: bool = False) -> Loaded:
    """Defaults, overridden by the file at `path` (default `config_path()`), overridden by `env`.

    A missing file means defaults, unless the user named it (`must_exist`, for
    --config; or `BOSUN_CONFIG`). Raises `ConfigFileError` or `ConfigEnvError`.
    """
    env = os.environ if env is None else env
    # A file the user named (--config, BOSUN_CONFIG) must exist: a typo there would
    # otherwise run bosun on defaults without a word.
    source = "--config" if must_exist else f"environment variable {CONFIG_ENV}" if (
        path is None and env.get(CONFIG_ENV, "")) else None
    path = config_path(env) if path is None else Path(path)
    text, data = read_toml(path)
    if data is None and source:
        raise ConfigFileError(path, f"no such file (named by {source})")
    notes: list[str] = []
    values = _from_file(path, text, data, notes) if data is not None else {}
    values.update(_from_env(env, file_keys=values.get("keys", {}), notes=notes))
    return Loaded(build(values), notes)


def read_toml(path: Path) -> tuple[str, dict[str, Any] | None]:
    """The file's text and parsed content; (\"\", None) when it does not exist."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return "", None
    except IsADirectoryError:
        raise ConfigFileError(path, "is a folder, expected a TOML file") from None
    except OSError as error:
        raise ConfigFileError(path, f"cannot read: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ConfigFileError(path, f"not UTF-8 text (byte {error.start})") from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        # Python 3.11's TOMLDecodeError carries the position only inside its message.
        match = re.search(r"\s*\(at line (\d+), column (\d+)\)", message)
        line = column = None
        if match:
            line, column = int(match[1]), int(match[2])
            message = message[: match.start()] + message[match.end():]
        raise ConfigFileError(path, f"invalid TOML: {message}", line=line, column=column) from None


# What may stand at the top of the file: top-level settings, section tables, old names.
_TOP_NAMES = [n for n in ENTRIES if "." not in n]
_FILE_NAMES = [*_TOP_NAMES, *SECTION_NAMES, *LEGACY, "engines"]


def _from_file(path: Path, text: str, data: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    """Checked values by dotted name; `keys` holds only what the file says, so the environment can add to it."""
    unknown = [k for k in data if k not in _FILE_NAMES]
    if unknown:
        raise ConfigFileError(
            path,
            f"unknown setting{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}"
            f"{did_you_mean(unknown[0], _FILE_NAMES)}; settings: {', '.join(ENTRIES)}",
            line=line_of(text, unknown[0]), key=unknown[0])
    values: dict[str, Any] = {}
    written: dict[str, str] = {}  # dotted name → how the file spelled it
    old: list[str] = []
    for key, value in data.items():
        if key == "engines":
            values["engines"] = _check_engines(path, text, value)
            continue
        # `stats` was a switch before it was a section: a value there is the old spelling.
        if key in SECTION_NAMES and not (key in LEGACY and not isinstance(value, dict)):
            if not isinstance(value, dict):
                raise ConfigFileError(path, f"{key!r}: expected a [{key}] table, got a value",
                                      line=line_of(text, key), key=key)
            unknown = [k for k in value if f"{key}.{k}" not in ENTRIES]
            if unknown:
                names = [n.partition(".")[2] for n in ENTRIES if n.startswith(f"{key}.")]
                raise ConfigFileError(
                    path, f"unknown setting {f'{key}.{unknown[0]}'!r}{did_you_mean(unknown[0], names)}; "
                    f"[{key}] settings: {', '.join(names)}",
                    line=line_in_table(text, key, unknown[0]) or line_of(text, key), key=f"{key}.{unknown[0]}")
            items = [(f"{key}.{k}", v, line_in_table(text, key, k) or line_of(text, key), f"{key}.{k}")
                     for k, v in value.items()]
        else:
            name = LEGACY.get(key, key)
            if key in LEGACY:
                old.append(f"{key} → {spelled(name)}")
            items = [(name, value, None, key)]
        for name, value_, line, shown in items:
            if name in written:
                raise ConfigFileError(path, f"{written[name]!r} and {shown!r} are the same setting; keep {name!r}",
                                      line=line or line_of(text, key), key=key)
            written[name] = shown
            values[name] = _check_file_value(path, text, ENTRIES[name], shown, value_, line)
    if old:
        notes.append(f"{path}: old setting names (still read); new spelling: {', '.join(old)}")
    return values


def _check_engines(path: Path, text: str, value: Any) -> tuple:
    from tui.settings.engines import EngineEntryError, check_engines

    try:
        return check_engines(value)
    except EngineEntryError as error:
        raise ConfigFileError(path, str(error), line=engine_line(text, error.number, error.key),
                              key=f"engines[{error.number}]" + (f".{error.key}" if error.key else "")) from None


def engine_line(text: str, number: int, key: str = "") -> int | None:
    """Line of `key = ...` in the `number`-th `[[engines]]` table (of its header without a key), best effort."""
    header = re.compile(r"^\s*\[\[\s*engines\s*\]\]")
    entry = re.compile(rf"""^\s*(?:{re.escape(key)}|"{re.escape(key)}")\s*=""") if key else None
    seen = 0
    start = None
    for line_number, line in enumerate(text.splitlines(), 1):
        if header.match(line):
            seen += 1
            if seen == number:
                start = line_number
                if entry is None:
                    return start
            elif start is not None:
                break
            continue
        if start is not None and line.lstrip().startswith("["):
            if not line.lstrip().startswith(("[engines.", "[ engines.")):
                break
        if start is not None and entry is not None and entry.match(line):
            return line_number
    if start is None:
        return line_of(text, "engines")
    return start


def _check_file_value(path: Path, text: str, entry: Entry, shown: str, value: Any, line: int | None) -> Any:
    top = shown.partition(".")[0]
    try:
        checked = check(entry.key, entry.spec, value)
    except KeyBindingError as error:
        line = line_in_table(text, top, error.action) or line_of(text, top)
        raise ConfigFileError(path, f"setting {shown!r}: {error}", line=line, key=shown) from None
    except ValueError as error:
        raise ConfigFileError(path, f"setting {shown!r}: {error}", line=line or line_of(text, top),
                              key=shown) from None
    return dict(value) if entry.name == "keys" else checked


def line_of(text: str, key: str) -> int | None:
    """Best-effort line of `key = ...` or `[key]` (tomllib does not report value positions)."""
    pattern = re.compile(rf"""^\s*(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*=""")
    table = re.compile(rf"^\s*\[\s*{re.escape(key)}\s*\]")
    in_table = False
    for number, line in enumerate(text.splitlines(), 1):
        if table.match(line):
            return number
        if line.lstrip().startswith("["):
            in_table = True
        if not in_table and pattern.match(line):
            return number
    return None


def line_in_table(text: str, table: str, key: str) -> int | None:
    """Line of `key = ...` inside the `[table]` section (or of `table.key = ...` at the top)."""
    header = re.compile(rf"^\s*\[\s*{re.escape(table)}\s*\]")
    entry = re.compile(rf"""^\s*(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*=""")
    dotted = re.compile(rf"""^\s*{re.escape(table)}\s*\.\s*(?:{re.escape(key)}|"{re.escape(key)}")\s*=""")
    inside = False
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("["):
            inside = bool(header.match(line))
            continue
        if (inside and entry.match(line)) or (not inside and dotted.match(line)):
            return number
    return None


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _env_names() -> dict[str, tuple[str, bool]]:
    """Variable → (dotted setting, whether the name is the old spelling)."""
    names = {env_var(name): (name, False) for name in ENTRIES}
    names.update({legacy_env_var(old): (new, True) for old, new in LEGACY.items()})
    return names


def _from_env(env: Mapping[str, str], file_keys: Mapping[str, str], notes: list[str]) -> dict[str, Any]:
    """Settings from `BOSUN_*` variables. Unknown `BOSUN_*` names are left alone:
    other tools (and bosun's own tests) use the prefix for other things.

    `BOSUN_KEYS` changes single actions on top of the file's `[keys]`; it is
    checked together with them, so a clash between the two is blamed on the variable.
    """
    values: dict[str, Any] = {}
    seen: dict[str, str] = {}
    old: list[str] = []
    for variable, (name, is_old) in _env_names().items():
        if variable not in env:
            continue
        if name in seen:
            raise ConfigEnvError(variable, f"{seen[name]} is the same setting; set only {env_var(name)}")
        seen[name] = variable
        if is_old:
            old.append(f"{variable} → {env_var(name)}")
        entry = ENTRIES[name]
        try:
            value = _parse_env(entry, env[variable])
            if name == "keys":
                value = {**file_keys, **value}
            values[name] = check(entry.key, entry.spec, value)
        except ValueError as error:
            raise ConfigEnvError(variable, str(error)) from None
    if old:
        notes.append(f"old environment variable names (still read); new spelling: {', '.join(old)}")
    return values


def _parse_env(entry: Entry, text: str) -> Any:
    kind = entry.spec.kind
    stripped = text.strip()
    if kind is bool:
        if stripped.lower() in _TRUE:
            return True
        if stripped.lower() in _FALSE:
            return False
        raise ValueError(f"expected one of 1/0, true/false, yes/no, on/off, got {text!r}")
    if kind is int:
        try:
            return int(stripped)
        except ValueError:
            raise ValueError(f"expected a whole number, got {text!r}") from None
    if kind is float:
        try:
            return float(stripped)
        except ValueError:
            raise ValueError(f"expected a number, got {text!r}") from None
    if kind is dict:
        return _parse_pairs(entry.key, text)
    return text


def _parse_pairs(name: str, text: str) -> dict[str, str]:
    """`a=b,c=d` → {"a": "b", "c": "d"}.

    labels: `a` alone means "has label a". keys: an item without `=` is one more
    key for the action before it (`stop=x,ctrl+x,kill=K`), since key names never
    contain `=` (Textual calls that key `equals_sign`).
    """
    pairs: dict[str, str] = {}
    last = None
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        key, sep, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if sep:
            pairs[key] = value
            last = key
        elif name == "labels":
            pairs[key] = ""
        elif last is None:
            raise ValueError(f"expected action=key pairs like \"stop=x,kill=K\", got {text!r}")
        else:
            pairs[last] = f"{pairs[last]},{key}" if pairs[last] else key
    return pairs
