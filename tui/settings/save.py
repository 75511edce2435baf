"""Writing one setting back to the config file (bosun remembers the chosen theme this way)."""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from tui.settings.load import line_in_table, line_of, read_toml
from tui.settings.locations import config_path
from tui.settings.schema import DEFAULT_KEYS, ENTRIES, LEGACY, SettingsError, check, did_you_mean
from tui.settings.toml_writer import dumps_toml, toml_key, toml_value


def file_value(name: str, value: Any) -> Any:
    """A checked value as the file holds it: "all lines" (None inside) is 0 there."""
    return 0 if value is None and ENTRIES[name].spec.zero_means_all else value


def save_setting(name: str, value: Any, path: Path | None = None) -> None:
    """Persist one setting (dotted name: `theme`, `logs.tail`), keeping everything else in the file.

    It is written in today's spelling; an old spelling of the same setting in the
    file goes. A scalar on a simple `key = value` line is rewritten in place, so
    comments and layout survive. Otherwise (tables, which are replaced whole, or
    unusual layouts) the file is rewritten from its parsed content, dropping
    comments. A broken file is never overwritten: its ConfigFileError is raised
    instead. The write is atomic (temp file + rename).
    """
    entry = ENTRIES.get(name)
    if entry is None:
        raise SettingsError(f"unknown setting {name!r}{did_you_mean(name, ENTRIES)}; settings: {', '.join(ENTRIES)}")
    try:
        value = file_value(name, check(entry.key, entry.spec, value))
    except ValueError as error:
        raise SettingsError(f"setting {name!r}: {error}") from None
    if name == "keys":
        # Store only what differs from the defaults, so later default changes still apply.
        value = {a: k for a, k in value.items() if DEFAULT_KEYS.get(a) != k}
    path = config_path() if path is None else Path(path)
    text, data = read_toml(path)
    data = dict(data or {})
    old = [k for k, new in LEGACY.items() if new == name and k in data]
    for k in old:
        del data[k]
    if entry.section:
        table = data.get(entry.section)
        data[entry.section] = {**(table if isinstance(table, dict) else {}), entry.key: value}
    else:
        data[name] = value
    new_text = None
    if not old and not isinstance(value, dict):
        new_text = _edit_line(text, entry.section, entry.key, value, data)
    if new_text is None:
        new_text = dumps_toml(data)
    _write_atomically(path, new_text)


def _edit_line(text: str, section: str, key: str, value: Any, expected: dict[str, Any]) -> str | None:
    """`text` with `key` (in `[section]`, or top-level) set to `value` by a line edit, or None if that is unsafe."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    new_line = f"{toml_key(key)} = {toml_value(value)}\n"
    line = line_in_table(text, section, key) if section else line_of(text, key)
    if line is not None:
        lines[line - 1] = new_line.rstrip("\n") + _trailing_comment(lines[line - 1]) + "\n"
    elif section:
        header = line_of(text, section)
        if header is not None:
            lines.insert(header, new_line)
        else:
            lines += [*(["\n"] if lines else []), f"[{toml_key(section)}]\n", new_line]
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
