"""A small TOML writer: the standard library reads TOML but cannot write it.

Enough for what `tomllib` returns from a config file (tables, scalars, arrays,
dates), so a setting saved from the app can be written back.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time
from typing import Any, Mapping

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def dumps_toml(data: Mapping[str, Any]) -> str:
    """Serialize what `tomllib` returns back to TOML text.

    Tables become `[section]` headers, a list of tables `[[name]]` blocks (as
    `[[engines]]` is written by hand); other lists are written inline.
    """
    out: list[str] = []
    _dump_table(data, (), out)
    return "".join(out).lstrip("\n")


def _is_table_array(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and bool(value) and all(isinstance(v, Mapping) for v in value)


def _dump_table(table: Mapping[str, Any], prefix: tuple[str, ...], out: list[str], *, array: bool = False) -> None:
    scalars = [(k, v) for k, v in table.items() if not isinstance(v, Mapping) and not _is_table_array(v)]
    tables = [(k, v) for k, v in table.items() if isinstance(v, Mapping)]
    arrays = [(k, v) for k, v in table.items() if _is_table_array(v)]
    name = ".".join(toml_key(p) for p in prefix)
    if array:
        out.append(f"\n[[{name}]]\n")
    # A header is needed for a table with values, or an empty one (to keep it at all).
    elif prefix and (scalars or not (tables or arrays)):
        out.append(f"\n[{name}]\n")
    for k, v in scalars:
        out.append(f"{toml_key(k)} = {toml_value(v)}\n")
    for k, v in tables:
        _dump_table(v, (*prefix, k), out)
    for k, items in arrays:
        for item in items:
            _dump_table(item, (*prefix, k), out, array=True)


def toml_key(key: str) -> str:
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


def toml_value(value: Any) -> str:
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
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")
