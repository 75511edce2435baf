"""Test shorthand: `Settings` from the flat names tests have always used (`stats=False`, `log_tail=None`).

The names are the ones of before the sections (tui.settings.schema.LEGACY); the
config file still reads them, so they stay a fine way to say what a test needs.

Section values and keys skip the schema's checks: tests go below what a user may
choose (a stats tick every 0.2 s, where the file's floor is 0.5 s) to run fast,
and bind keys a config file could not (`stop = "z"` while `z` zooms).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from tui.settings import Settings
from tui.settings.schema import LEGACY


def flat_settings(base: Settings | None = None, **flat: Any) -> Settings:
    """`base` (default: the defaults) with `flat` changes, each by its old flat name or a top-level name."""
    changes: dict[str, Any] = {}
    for name, value in flat.items():
        section, _, key = LEGACY.get(name, name).rpartition(".")
        if section:
            changes.setdefault(section, {})[key] = value
        else:
            changes[key] = value
    base = base or Settings()
    keys = changes.pop("keys", None)
    for section, fields in list(changes.items()):
        if isinstance(fields, dict) and hasattr(base, section) and dataclasses.is_dataclass(getattr(base, section)):
            changes[section] = _unchecked(getattr(base, section), fields)
    settings = base.replace(**changes)
    if keys is not None:
        object.__setattr__(settings, "keys", {**settings.keys, **keys})
    return settings


def _unchecked(section: Any, fields: dict[str, Any]) -> Any:
    copy = object.__new__(type(section))
    for f in dataclasses.fields(section):
        object.__setattr__(copy, f.name, fields.get(f.name, getattr(section, f.name)))
    unknown = set(fields) - {f.name for f in dataclasses.fields(section)}
    assert not unknown, f"no such setting: {unknown}"
    return copy
