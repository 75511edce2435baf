"""bosun's settings: one TOML file plus `BOSUN_*` environment variables.

The file is `$XDG_CONFIG_HOME/bosun/config.toml` (default
`~/.config/bosun/config.toml`; `BOSUN_CONFIG` names another file). Every
setting can also be given as `BOSUN_<NAME>` in the environment. Precedence,
highest first: command-line flags (the caller applies them with
`Config.replace`), environment, file, defaults.

Mistakes are errors, never silently ignored: a typo in a key name would
otherwise leave the user wondering why a setting "does nothing". Every error
names where the bad value came from (file and line, or variable).

`save_setting` writes one setting back (bosun remembers the chosen theme that
way). The standard library reads TOML but cannot write it, so a small writer for
the value types a TOML file can hold lives here too.

This module does not import Textual: the CLI reads settings before any UI exists.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import os
import re
import tempfile
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Mapping

ENV_PREFIX = "BOSUN_"
CONFIG_ENV = "BOSUN_CONFIG"

DEFAULT_KEYS: dict[str, str] = {
    "start": "s",
    "stop": "x",
    "restart": "r",
    "pause": "p",
    "kill": "K",
    "remove": "D",
    "select": "space",
    "inspect": "i",
    "logs": "l",
    "shell": "e",
    "shell_options": "E",
    "split_logs": "L",
    "merge_logs": "m",
    "toggle_layout": "v",
    "close_tab": "W",
    "zoom": "z",
    "filter": "slash",
    "sort": "o",
    "help": "question_mark",
    "quit": "q",
    "toggle_stopped": "a",
}
"""Action name → key(s). Key names are Textual's (`space`, `slash`, `ctrl+x`)."""


LOG_LAYOUTS = ("auto", "beside", "below")


class SettingsError(Exception):
    """A setting has a value bosun cannot use."""


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


def _doc(text: str) -> dict[str, str]:
    return {"doc": text}


@dataclass(frozen=True)
class Config:
    """All of bosun's settings. Build changed copies with `replace`."""

    theme: str = field(default="bosun-dark", metadata=_doc(
        "Colour theme: a bundled one (`bosun-dark`, `bosun-light`, `harbor`), a Textual built-in "
        "(`nord`, `gruvbox`, ...) or a file in the user theme folder. Changing it in the app saves it here."))
    read_only: bool = field(default=False, metadata=_doc(
        "Turn off the actions that change containers (start, stop, restart, pause, kill, remove)."))
    stop_grace: int = field(default=10, metadata=_doc(
        "Seconds `stop` waits for the container to exit before the engine kills it."))
    show_stopped: bool = field(default=True, metadata=_doc("List stopped containers too (toggled in the app)."))
    stats: bool = field(default=True, metadata=_doc(
        "Collect CPU and memory figures for the running containers on screen."))
    stats_interval: float = field(default=5.0, metadata=_doc("Seconds between two stats samples (each round costs a little CPU per container shown)."))
    reconcile_interval: float = field(default=20.0, metadata=_doc(
        "Seconds between full re-lists of the containers, which correct anything the event stream missed."))
    log_lines: int = field(default=50000, metadata=_doc("Log lines kept in memory for a log view; older ones are dropped."))
    log_tail: int = field(default=1000, metadata=_doc(
        "Lines of history a log pane loads when it opens (0: all); changed in the pane with `T`."))
    log_layout: str = field(default="auto", metadata=_doc(
        "Where the log and shell panes go: `beside` the list, `below` it, or `auto` (beside on wide screens)."))
    log_pane: bool = field(default=True, metadata=_doc("Show the log pane when bosun starts (toggle with `z`)."))
    shell: str = field(default="", metadata=_doc(
        "Command to run for a shell inside a container; empty detects one the container has."))
    exec_via_cli: bool = field(default=False, metadata=_doc(
        "Open shells by running `docker exec -it` / `podman exec -it` in a local terminal instead of "
        "through the engine's API (for engines where the API exec is unavailable)."))
    host: str = field(default="", metadata=_doc(
        "Engine address (`unix:///run/podman/podman.sock`, `tcp://host:2376`); empty follows "
        "`DOCKER_HOST`, the Docker context, then the default sockets."))
    context: str = field(default="", metadata=_doc("Docker context to use; empty uses the current one."))
    labels: dict[str, str] = field(default_factory=dict, metadata=_doc(
        "Show only containers with these labels. A key with an empty value matches any value."))
    keys: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_KEYS), metadata=_doc(
        "Key bindings: action = key, or several keys comma-separated (`stop = \"x,ctrl+x\"`). "
        "See the key table below."))

    def __post_init__(self) -> None:
        # Validate here so `replace` (used for CLI flags) is checked like the file and env.
        for f in dataclasses.fields(self):
            try:
                value = _check(f.name, getattr(self, f.name))
            except ValueError as error:
                raise SettingsError(f"setting {f.name!r}: {error}") from None
            object.__setattr__(self, f.name, value)

    def replace(self, **changes: Any) -> Config:
        """A copy with `changes` applied; `keys` changes merge into the current keys."""
        if "keys" in changes:
            changes["keys"] = {**self.keys, **changes["keys"]}
        return dataclasses.replace(self, **changes)

    def key_for(self, action: str) -> str:
        """The key(s) bound to `action`, comma-separated."""
        if action not in DEFAULT_KEYS:
            raise KeyError(f"unknown action {action!r}; actions: {', '.join(DEFAULT_KEYS)}")
        return self.keys[action]


SETTINGS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Config))

# The type each setting takes, spelled out for error messages.
_KIND: dict[str, type] = {
    "theme": str, "read_only": bool, "stop_grace": int, "show_stopped": bool, "stats": bool,
    "stats_interval": float, "reconcile_interval": float, "log_lines": int, "shell": str,
    "log_tail": int, "log_layout": str, "log_pane": bool, "exec_via_cli": bool,
    "host": str, "context": str, "labels": dict, "keys": dict,
}
assert set(_KIND) == set(SETTINGS), "every setting needs a kind"

_EXPECTED = {str: "a string", bool: "true or false", int: "a whole number", float: "a number",
             dict: "a table of string values"}


def env_var(setting: str) -> str:
    """The environment variable for `setting` (`stop_grace` → `BOSUN_STOP_GRACE`)."""
    return ENV_PREFIX + setting.upper()


def _describe(value: Any) -> str:
    kinds = {bool: "boolean", int: "integer", float: "float", str: "string", dict: "table", list: "array"}
    shown = repr(value)
    return f"{kinds.get(type(value), type(value).__name__)} {shown[:60] + '...' if len(shown) > 60 else shown}"


def _check(name: str, value: Any) -> Any:
    """Return `value` in its canonical form for setting `name`, or raise ValueError."""
    kind = _KIND[name]
    # bool is a subclass of int in Python; `stop_grace = true` is still a mistake.
    ok = isinstance(value, kind) and not (kind in (int, float) and isinstance(value, bool))
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value, ok = float(value), True
    if not ok:
        raise ValueError(f"expected {_EXPECTED[kind]}, got {_describe(value)}")
    if kind is dict:
        return _check_table(name, value)
    if name == "theme" and not value.strip():
        raise ValueError("expected a theme name, got an empty string")
    if name == "stop_grace" and value < 0:
        raise ValueError(f"expected a whole number of seconds, 0 or more, got {value}")
    if name == "log_lines" and value < 1:
        raise ValueError(f"expected a whole number, 1 or more, got {value}")
    if name == "log_tail" and value < 0:
        raise ValueError(f"expected a whole number of lines, 0 (all) or more, got {value}")
    if name == "log_layout" and value not in LOG_LAYOUTS:
        raise ValueError(f"expected one of {', '.join(LOG_LAYOUTS)}, got {value!r}")
    if kind is float and not (math.isfinite(value) and value > 0):
        raise ValueError(f"expected a number of seconds greater than 0, got {value}")
    return value


def _check_table(name: str, table: Mapping[Any, Any]) -> dict[str, str]:
    bad = {k: v for k, v in table.items() if not isinstance(v, str)}
    if bad:
        k, v = next(iter(bad.items()))
        raise ValueError(f"{name}.{k}: expected a string, got {_describe(v)}")
    table = dict(table)
    if name == "labels":
        if "" in table:
            raise ValueError("a label name cannot be empty")
        return table
    unknown = [k for k in table if k not in DEFAULT_KEYS]
    if unknown:
        raise ValueError(f"unknown action{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}"
                         f"{_did_you_mean(unknown[0], DEFAULT_KEYS)}; actions: {', '.join(DEFAULT_KEYS)}")
    merged = {**DEFAULT_KEYS, **table}
    owner: dict[str, str] = {}
    for action, keys in merged.items():
        if not _split_keys(keys):
            raise ValueError(f"{action}: expected a key name (e.g. \"x\", \"ctrl+x\", \"space\"), got an empty string")
        for key in _split_keys(keys):
            if not key or any(c.isspace() or c == "=" for c in key):
                raise ValueError(f"{action}: {keys!r} is not a key name (e.g. \"x\", \"ctrl+x\", \"space\")")
            # Two actions on one key: Textual would silently run only one of them.
            if key in owner:
                raise ValueError(f"key {key!r} is bound to both {owner[key]!r} and {action!r}")
            owner[key] = action
    return merged


def _split_keys(keys: str) -> list[str]:
    return [k.strip() for k in keys.split(",")] if keys.strip() else []


def _did_you_mean(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


# ---------------------------------------------------------------- locations


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


# ---------------------------------------------------------------- loading


def load_config(path: Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Defaults, overridden by the file at `path` (default `config_path()`), overridden by `env`.

    A missing file means defaults. Raises `ConfigFileError` or `ConfigEnvError`.
    """
    env = os.environ if env is None else env
    path = config_path(env) if path is None else Path(path)
    text, data = _read_toml(path)
    values = _from_file(path, text, data) if data is not None else {}
    values.update(_from_env(env, file_keys=values.get("keys", {})))
    return Config(**values)


def _read_toml(path: Path) -> tuple[str, dict[str, Any] | None]:
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


def _from_file(path: Path, text: str, data: dict[str, Any]) -> dict[str, Any]:
    unknown = [k for k in data if k not in _KIND]
    if unknown:
        raise ConfigFileError(
            path,
            f"unknown setting{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}"
            f"{_did_you_mean(unknown[0], SETTINGS)}; settings: {', '.join(SETTINGS)}",
            line=_line_of(text, unknown[0]), key=unknown[0])
    values = {}
    for key, value in data.items():
        try:
            checked = _check(key, value)
        except ValueError as error:
            raise ConfigFileError(path, f"setting {key!r}: {error}", line=_line_of(text, key), key=key) from None
        # keys: keep only what the file says, so the environment can add to it.
        values[key] = dict(value) if key == "keys" else checked
    return values


def _line_of(text: str, key: str) -> int | None:
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


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _from_env(env: Mapping[str, str], file_keys: Mapping[str, str]) -> dict[str, Any]:
    """Settings from `BOSUN_*` variables. Unknown `BOSUN_*` names are left alone:
    other tools (and bosun's own tests) use the prefix for other things.

    `BOSUN_KEYS` changes single actions on top of the file's `[keys]`; it is
    checked together with them, so a clash between the two is blamed on the variable.
    """
    values: dict[str, Any] = {}
    for name in SETTINGS:
        variable = env_var(name)
        if variable not in env:
            continue
        try:
            value = _parse_env(name, env[variable])
            if name == "keys":
                value = {**file_keys, **value}
            values[name] = _check(name, value)
        except ValueError as error:
            raise ConfigEnvError(variable, str(error)) from None
    return values


def _parse_env(name: str, text: str) -> Any:
    kind = _KIND[name]
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
        return _parse_pairs(name, text)
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


# ---------------------------------------------------------------- saving


def save_setting(key: str, value: Any, path: Path | None = None) -> None:
    """Persist one top-level setting, keeping everything else in the file.

    A scalar on a simple `key = value` line is rewritten in place, so comments
    and layout survive. Otherwise (tables, which are replaced whole, or unusual
    layouts) the file is rewritten from its parsed content, dropping comments.
    A broken file is never overwritten: its ConfigFileError is raised instead.
    The write is atomic (temp file + rename).
    """
    if key not in _KIND:
        raise SettingsError(f"unknown setting {key!r}{_did_you_mean(key, SETTINGS)}; settings: {', '.join(SETTINGS)}")
    try:
        value = _check(key, value)
    except ValueError as error:
        raise SettingsError(f"setting {key!r}: {error}") from None
    if key == "keys":
        # Store only what differs from the defaults, so later default changes still apply.
        value = {a: k for a, k in value.items() if DEFAULT_KEYS.get(a) != k}
    path = config_path() if path is None else Path(path)
    text, data = _read_toml(path)
    data = dict(data or {})
    data[key] = value
    new_text = _edit_line(text, key, value, data) if not isinstance(value, dict) else None
    if new_text is None:
        new_text = dumps_toml(data)
    _write_atomically(path, new_text)


def _edit_line(text: str, key: str, value: Any, expected: dict[str, Any]) -> str | None:
    """`text` with the top-level `key` set to `value` by a line edit, or None if that is unsafe."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    new_line = f"{_key(key)} = {_value(value)}\n"
    line = _line_of(text, key)
    if line is not None:
        lines[line - 1] = new_line.rstrip("\n") + _trailing_comment(lines[line - 1]) + "\n"
    else:
        # Top-level keys must come before the first table header (and its leading blank lines).
        at = next((i for i, l in enumerate(lines) if l.lstrip().startswith("[")), len(lines))
        while at > 0 and not lines[at - 1].strip():
            at -= 1
        lines.insert(at, new_line)
    result = "".join(lines)
    try:
        # The line edit is a shortcut; only keep it when it parses to exactly what we meant.
        return result if tomllib.loads(result) == expected else None
    except tomllib.TOMLDecodeError:
        return None


def _trailing_comment(line: str) -> str:
    """The `# ...` after the value on `line`, found where the text before it is still whole TOML."""
    for match in re.finditer("#", line):
        try:
            tomllib.loads(line[: match.start()])
        except tomllib.TOMLDecodeError:
            continue  # that '#' is inside a string
        return "  " + line[match.start():].rstrip("\n")
    return ""


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = None
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


# ---------------------------------------------------------------- TOML writer

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def dumps_toml(data: Mapping[str, Any]) -> str:
    """Serialize what `tomllib` returns back to TOML text.

    Tables become `[section]` headers; lists and tables inside lists are written
    inline, which TOML reads back the same.
    """
    out: list[str] = []
    _dump_table(data, (), out)
    return "".join(out).lstrip("\n")


def _dump_table(table: Mapping[str, Any], prefix: tuple[str, ...], out: list[str]) -> None:
    scalars = [(k, v) for k, v in table.items() if not isinstance(v, Mapping)]
    tables = [(k, v) for k, v in table.items() if isinstance(v, Mapping)]
    # A header is needed for a table with values, or an empty one (to keep it at all).
    if prefix and (scalars or not tables):
        out.append(f"\n[{'.'.join(_key(p) for p in prefix)}]\n")
    for k, v in scalars:
        out.append(f"{_key(k)} = {_value(v)}\n")
    for k, v in tables:
        _dump_table(v, (*prefix, k), out)


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _string(key)


def _string(text: str) -> str:
    def escape(char: str) -> str:
        if char in _ESCAPES:
            return _ESCAPES[char]
        # TOML basic strings may not hold other control characters raw.
        if ord(char) < 0x20 or ord(char) == 0x7F:
            return f"\\u{ord(char):04X}"
        return char
    return '"' + "".join(escape(c) for c in text) + '"'


def _value(value: Any) -> str:
    if isinstance(value, bool):  # before int: bool is an int
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)  # shortest round-trip form; always has '.', 'e' or is inf/nan
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def config_reference() -> str:
    """Markdown documenting every setting, its variable and default (for README)."""
    from tui.config_reference import config_reference as build

    return build()


def __getattr__(name: str) -> str:
    # Built on first use: the README text is not needed to start the app.
    if name == "CONFIG_REFERENCE":
        return config_reference()
    raise AttributeError(name)
