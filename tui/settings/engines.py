"""`[[engines]]`: engines the user names in bosun's config, each a table with its own checks.

A list of tables rather than one setting, so it lives beside the schema: the
loader checks each entry here and blames `engines[N].key` (N counts from 1,
as the user reads the file), the writer keeps them as `[[engines]]` blocks,
the reference documents `ENGINE_KEYS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from tui.settings.values import check_labels, describe, did_you_mean

KINDS = ("api", "podman-cli", "docker-cli")  # tui.engine.spec.KINDS; kept in step by a test
SSH_CLIENTS = ("", "asyncssh", "openssh")

#: key → (type, doc). `name` and `host` are required.
ENGINE_KEYS: dict[str, tuple[type, str]] = {
    "name": (str, "What the engine is called in the view, the header and `--engines NAME`; unique."),
    "host": (str, "Its address: `unix:///path.sock`, `tcp://host:port` or `ssh://[user@]host[:port][/socket]`."),
    "labels": (dict, "Show only its containers with these labels (a table, as `[list.labels]`)."),
    "read_only": (bool, "No actions that change containers on this engine (`--read-only` makes every engine so)."),
    "ssh_client": (str, "For ssh://: `asyncssh` (bosun's own client) or `openssh` (the system `ssh` running "
                        "`docker system dial-stdio`); empty follows the default."),
    "identity": (str, "For ssh://: a private key file to offer, besides the SSH agent's and `~/.ssh/config`'s."),
    "kind": (str, "How bosun talks to it: `api` (its HTTP API, the default), `podman-cli` or `docker-cli`."),
    "default": (bool, "Start on this engine (new actions and the picker); else the first one."),
}
REQUIRED = ("name", "host")


@dataclass(frozen=True)
class EngineEntry:
    """One checked `[[engines]]` table."""

    name: str
    host: str
    labels: dict[str, str] = field(default_factory=dict)
    read_only: bool = False
    ssh_client: str = ""
    identity: str = ""
    kind: str = "api"
    default: bool = False

    def as_table(self) -> dict[str, Any]:
        """What the file holds for it: the required keys and what differs from the defaults."""
        table: dict[str, Any] = {"name": self.name, "host": self.host}
        for key, default in (("labels", {}), ("read_only", False), ("ssh_client", ""), ("identity", ""),
                             ("kind", "api"), ("default", False)):
            if getattr(self, key) != default:
                table[key] = getattr(self, key)
        return table


class EngineEntryError(ValueError):
    """A bad `[[engines]]` entry; `number` (from 1) and `key` tell which line to blame."""

    def __init__(self, number: int, key: str, message: str) -> None:
        where = (f"engines[{number}]" if number else "engines") + (f".{key}" if key else "")
        super().__init__(f"{where}: {message}")
        self.number = number
        self.key = key


def check_engines(value: Any) -> tuple[EngineEntry, ...]:
    """The `[[engines]]` list, checked: unknown keys, types, hosts, duplicate names, one default."""
    if not isinstance(value, (list, tuple)):
        raise EngineEntryError(0, "", f"expected [[engines]] tables, got {describe(value)}")
    entries: list[EngineEntry] = []
    names: dict[str, int] = {}
    for number, table in enumerate(value, 1):
        entry = check_engine(number, table)
        if entry.name in names:
            raise EngineEntryError(number, "name", f"{entry.name!r} is already the name of engines[{names[entry.name]}]")
        names[entry.name] = number
        entries.append(entry)
    defaults = [n for n, e in enumerate(entries, 1) if e.default]
    if len(defaults) > 1:
        raise EngineEntryError(defaults[1], "default", f"engines[{defaults[0]}] is the default already")
    return tuple(entries)


def check_engine(number: int, table: Any) -> EngineEntry:
    if isinstance(table, EngineEntry):
        table = table.as_table()
    if not isinstance(table, Mapping):
        raise EngineEntryError(number, "", f"expected a table (name = ..., host = ...), got {describe(table)}")
    unknown = [k for k in table if k not in ENGINE_KEYS]
    if unknown:
        raise EngineEntryError(number, unknown[0], f"unknown key{did_you_mean(unknown[0], ENGINE_KEYS)}; "
                               f"keys: {', '.join(ENGINE_KEYS)}")
    missing = [k for k in REQUIRED if k not in table]
    if missing:
        raise EngineEntryError(number, missing[0], f"missing (every [[engines]] needs {' and '.join(REQUIRED)})")
    values: dict[str, Any] = {}
    for key, raw in table.items():
        kind = ENGINE_KEYS[key][0]
        if not isinstance(raw, kind):
            expected = {str: "a string", bool: "true or false", dict: "a table of string values"}[kind]
            raise EngineEntryError(number, key, f"expected {expected}, got {describe(raw)}")
        values[key] = raw
    values["name"] = values["name"].strip()
    if not values["name"]:
        raise EngineEntryError(number, "name", "expected an engine name, got an empty string")
    if any(c.isspace() or c == "," for c in values["name"]):
        raise EngineEntryError(number, "name", f"{values['name']!r}: no spaces or commas (it is typed in "
                               "`--engines a,b`)")
    if values.get("kind", "api") not in KINDS:
        raise EngineEntryError(number, "kind", f"expected one of {', '.join(KINDS)}, got {values['kind']!r}")
    if values.get("ssh_client", "") not in SSH_CLIENTS:
        raise EngineEntryError(number, "ssh_client", f"expected asyncssh or openssh, got {values['ssh_client']!r}")
    if "labels" in values:
        try:
            values["labels"] = check_labels("labels", values["labels"])
        except ValueError as error:
            raise EngineEntryError(number, "labels", str(error)) from None
    if values.get("kind", "api") == "api":
        from tui.engine.discovery import check_host  # the engine layer knows what an address is
        from tui.engine.errors import ConfigError

        try:
            values["host"] = check_host(values["host"], "host")
        except ConfigError as error:
            raise EngineEntryError(number, "host", str(error).removeprefix("host: ")) from None
    elif not values["host"].strip():
        raise EngineEntryError(number, "host", "expected an address or a CLI connection name, got an empty string")
    return EngineEntry(**values)
