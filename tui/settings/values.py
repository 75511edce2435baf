"""Checks and wording shared by the settings schema and `[[engines]]` (tui.settings.engines)."""

from __future__ import annotations

import difflib
from typing import Any, Mapping


def describe(value: Any) -> str:
    kinds = {bool: "boolean", int: "integer", float: "float", str: "string", dict: "table", list: "array"}
    shown = repr(value)
    return f"{kinds.get(type(value), type(value).__name__)} {shown[:60] + '...' if len(shown) > 60 else shown}"


def did_you_mean(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check_labels(name: str, table: Mapping[Any, Any]) -> dict[str, str]:
    _all_strings(name, table)
    if "" in table:
        raise ValueError("a label name cannot be empty")
    return dict(table)


def _all_strings(name: str, table: Mapping[Any, Any]) -> None:
    bad = {k: v for k, v in table.items() if not isinstance(v, str)}
    if bad:
        k, v = next(iter(bad.items()))
        raise ValueError(f"{name}.{k}: expected a string, got {describe(v)}")
