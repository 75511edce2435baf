"""What bosun can be told: every setting, in its section, with its doc, type and range.

A section is handed straight to the part that owns it: the log pane gets `logs`,
the shell launcher `shells`, the dashboard the whole `Settings`. Values are
checked when a section is built, so a copy made with `Settings.replace` (the
command-line flags) is checked like the file and the environment.

"All lines" for `logs.tail` is `None` here and `0` in the file and the
environment: the loader and the writer translate, nothing else sees a 0.

The names bosun used before the sections (`log_tail`, `stats_interval`,
`[labels]`, ...) are in `LEGACY`: a file or variable that uses them still works.

No Textual here: the CLI reads settings before any UI exists.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping

from tui.keys.names import is_key_name
from tui.settings.values import _all_strings, check_labels, describe, did_you_mean  # noqa: F401 (re-exported)
from tui.keys.registry import DEFAULT_KEYS as _REGISTRY_KEYS, clashes

# Action name → key(s), from the action registry. Key names are Textual's (`space`, `slash`, `ctrl+x`).
DEFAULT_KEYS: dict[str, str] = dict(_REGISTRY_KEYS)

LAYOUTS = ("auto", "beside", "below")
# `[engine] kind`: tui.engine.spec.KINDS, and "auto" (the API, else the podman CLI).
ENGINE_KINDS = ("auto", "api", "podman-cli", "docker-cli")
SSH_CLIENTS = ("asyncssh", "openssh")


class SettingsError(Exception):
    """A setting has a value bosun cannot use."""


class KeyBindingError(ValueError):
    """A bad `[keys]` entry; `action` tells which line of the file to blame."""

    def __init__(self, action: str, message: str) -> None:
        super().__init__(message)
        self.action = action


@dataclass(frozen=True)
class Spec:
    """How one setting is checked and documented."""

    kind: type  # str, bool, int, float or dict
    doc: str
    bounds: tuple[float, float] | None = None
    choices: tuple[str, ...] = ()
    not_empty: bool = False
    zero_means_all: bool = False  # 0 in the file: no limit (None inside)
    seconds: bool = False


def setting(default: Any, doc: str, *, kind: type | None = None, factory: Any = None, **rules: Any) -> Any:
    """A dataclass field carrying its `Spec` (the doc is what README's reference shows)."""
    spec = Spec(kind or type(default), doc, **rules)
    if factory is not None:
        return field(default_factory=factory, metadata={"spec": spec})
    return field(default=default, metadata={"spec": spec})


_EXPECTED = {str: "a string", bool: "true or false", int: "a whole number", float: "a number",
             dict: "a table of string values"}


def check(name: str, spec: Spec, value: Any) -> Any:
    """`value` in its canonical form for setting `name` (its last part), or ValueError."""
    if spec.zero_means_all and (value is None or (type(value) is int and value == 0)):
        return None
    kind = spec.kind
    # bool is a subclass of int in Python; `stop_grace = true` is still a mistake.
    ok = isinstance(value, kind) and not (kind in (int, float) and isinstance(value, bool))
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value, ok = float(value), True
    if not ok:
        raise ValueError(f"expected {_EXPECTED[kind]}, got {describe(value)}")
    if kind is dict:
        return check_keys(value) if name == "keys" else check_labels(name, value)
    if spec.not_empty and not value.strip():
        raise ValueError(f"expected a {name.replace('_', ' ')} name, got an empty string")
    if spec.choices and value not in spec.choices:
        raise ValueError(f"expected one of {', '.join(spec.choices)}, got {value!r}")
    if kind is float and not (math.isfinite(value) and value > 0):
        raise ValueError(f"expected a number of seconds greater than 0, got {value}")
    if spec.bounds is not None:
        low, high = spec.bounds
        unit = " seconds" if spec.seconds else ""
        if kind is int and value < low:
            what = " of seconds" if spec.seconds else " of lines" if spec.zero_means_all else ""
            all_ = " (all)" if spec.zero_means_all else ""
            raise ValueError(f"expected a whole number{what}, {low:g}{all_} or more, got {value}")
        if not low <= value <= high:
            raise ValueError(f"expected {low:g} to {high:g}{unit}, got {value}")
    return value


def split_keys(keys: str) -> list[str]:
    return [k.strip() for k in keys.split(",")] if keys.strip() else []


def check_keys(table: Mapping[Any, Any]) -> dict[str, str]:
    """The full action → keys table: the defaults with `table`'s changes, checked."""
    _all_strings("keys", table)
    table = dict(table)
    unknown = [k for k in table if k not in DEFAULT_KEYS]
    if unknown:
        raise ValueError(f"unknown action{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}"
                         f"{did_you_mean(unknown[0], DEFAULT_KEYS)}; actions: {', '.join(DEFAULT_KEYS)}")
    merged = {**DEFAULT_KEYS, **table}
    for action, keys in merged.items():
        if not split_keys(keys):
            raise KeyBindingError(action, f"{action}: expected a key name (e.g. \"x\", \"ctrl+x\", \"space\"), "
                                  "got an empty string")
        for key in split_keys(keys):
            if action in table and not is_key_name(key):
                raise KeyBindingError(action, f"{action}: {key!r} is not a key name (e.g. \"x\", \"X\", \"ctrl+x\", "
                                      "\"space\", \"f5\", \"question_mark\")")
    # Two actions on one key where both are live (same part of a screen, or one of them
    # screen-wide): Textual would silently run only one of them.
    for key, first, second in clashes(merged):
        # Blame the line the user wrote, not the default it collides with.
        blamed = second if second in table else first
        raise KeyBindingError(blamed, f"key {key!r} is bound to both {first!r} and {second!r}")
    return {action: merged[action] for action in DEFAULT_KEYS}


class Section:
    """A group of settings: its fields are checked when it is built."""

    #: The table name in the config file (`[logs]`).
    NAME = ""

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            try:
                value = check(f.name, f.metadata["spec"], getattr(self, f.name))
            except ValueError as error:
                raise SettingsError(f"setting {dotted(self.NAME, f.name)!r}: {error}") from None
            object.__setattr__(self, f.name, value)


@dataclass(frozen=True)
class EngineSettings(Section):
    """`[engine]`: which engine to follow and how bosun talks to it."""

    NAME = "engine"
    host: str = setting("", "Engine address (`unix:///run/podman/podman.sock`, `tcp://host:2376`, `ssh://user@host`); "
                        "empty follows "
                        "`DOCKER_HOST`, the Docker context, then the default sockets.")
    context: str = setting("", "Docker context to use; empty uses the current one.")
    kind: str = setting("auto", "How bosun talks to the engine: `api` (its socket), `podman-cli` or `docker-cli` "
                        "(its command-line client, no socket needed), or `auto`: the API, else the `podman` "
                        "command when no socket answers.", choices=ENGINE_KINDS)
    cli: str = setting("", "The client the CLI backend runs (a wrapper, `nerdctl`, `sudo podman`); empty is "
                       "`podman` for `podman-cli`, `docker` for `docker-cli`.")
    # Intervals a user may choose stay within what bosun and the engine can afford:
    # a re-list every millisecond cost 76 % of a core in bosun and 107 % in dockerd.
    reconcile_interval: float = setting(20.0, "Seconds between full re-lists of the containers, which correct "
                                        "anything the event stream missed.", bounds=(1, 3600), seconds=True)
    stop_grace: int = setting(10, "Seconds `stop` waits for the container to exit before the engine kills it.",
                              bounds=(0, 3600), seconds=True)
    ssh_client: str = setting("asyncssh", "How an `ssh://` engine is reached: `asyncssh`, bosun's own SSH client "
                              "(one connection, nothing needed on the remote but sshd), or `openssh`, the system "
                              "`ssh` running `docker system dial-stdio` there (for Kerberos, ControlMaster, "
                              "unusual ProxyCommands).", choices=SSH_CLIENTS)


@dataclass(frozen=True)
class ListSettings(Section):
    """`[list]`: which containers the list shows."""

    NAME = "list"
    show_stopped: bool = setting(True, "List stopped containers too (toggled in the app).")
    labels: dict[str, str] = setting(None, "Show only containers with these labels (a `[list.labels]` table). "
                                     "A label with an empty value matches any value.", kind=dict, factory=dict)


@dataclass(frozen=True)
class StatsSettings(Section):
    """`[stats]`: the CPU and memory columns and the stats screen."""

    NAME = "stats"
    enabled: bool = setting(True, "Collect CPU and memory figures for the running containers on screen "
                            "(the stats screen, `c`, samples its own containers either way).")
    interval: float = setting(5.0, "Seconds between two stats samples (each round costs a little CPU per "
                              "container shown); also the time one column of the stats screen's charts "
                              "stands for.", bounds=(0.5, 3600), seconds=True)


@dataclass(frozen=True)
class PaneSettings(Section):
    """`[panes]`: where the log and shell panes go."""

    NAME = "panes"
    layout: str = setting("auto", "Where the log and shell panes go: `beside` the list, `below` it, or `auto` "
                          "(beside on wide screens).", choices=LAYOUTS)
    visible: bool = setting(True, "Show the panes when bosun starts (toggle with `z`).")


@dataclass(frozen=True)
class LogSettings(Section):
    """`[logs]`: what a log pane keeps and loads."""

    NAME = "logs"
    lines: int = setting(50_000, "Log lines kept in memory for a log view; older ones are dropped.",
                         bounds=(1, 10_000_000))
    tail: int | None = setting(1000, "Lines of history a log pane loads when it opens (0: all); changed in the "
                               "pane with `T`.", kind=int, bounds=(0, 10_000_000), zero_means_all=True)


@dataclass(frozen=True)
class ShellSettings(Section):
    """`[shells]`: how a shell inside a container is started."""

    NAME = "shells"
    command: str = setting("", "Command to run for a shell inside a container; empty detects one the container has.")
    via_cli: bool = setting(False, "Open shells by running `docker exec -it` / `podman exec -it` in a local terminal "
                            "instead of through the engine's API (for engines where the API exec is unavailable).")


@dataclass(frozen=True)
class TimelineSettings(Section):
    """`[timeline]`: what bosun keeps of what happened, and when the list flags a restart loop."""

    NAME = "timeline"
    loop_restarts: int = setting(3, "A container that restarted more than this many times within "
                                 "`timeline.loop_minutes` is flagged as restart-looping in the list.",
                                 bounds=(1, 10_000))
    loop_minutes: float = setting(5.0, "The window, in minutes, in which restarts are counted for the "
                                  "restart-loop flag.", bounds=(0.1, 1440))
    per_container: int = setting(200, "Timeline entries kept for each container (the oldest go first).",
                                 bounds=(10, 100_000))
    entries: int = setting(2000, "Timeline entries kept for the whole engine (the oldest go first).",
                           bounds=(100, 1_000_000))
    history_hours: float = setting(24.0, "Hours of the engine's own event history read back when bosun starts "
                                   "(0: none).", bounds=(0, 720))


SECTIONS: tuple[type[Section], ...] = (EngineSettings, ListSettings, StatsSettings, PaneSettings, LogSettings,
                                       ShellSettings, TimelineSettings)
_SECTION_BY_NAME = {s.NAME: s for s in SECTIONS}

# The top-level settings (everything else is in a section, or the `[keys]` table).
_TOP: dict[str, Spec] = {
    "theme": Spec(str, "Colour theme: a bundled one (`bosun-dark`, `bosun-light`, `harbor`), a Textual built-in "
                  "(`nord`, `gruvbox`, ...) or a file in the user theme folder. Changing it in the app saves it here.",
                  not_empty=True),
    "read_only": Spec(bool, "Turn off the actions that change containers (start, stop, restart, pause, kill, remove)."),
    "mouse": Spec(bool, "Take the mouse: click, wheel, and drag to select in the log pane. `false` (or `--no-mouse`) "
                  "leaves the mouse to the terminal, so its own selection and copy work; bosun then takes keys only."),
    "keys": Spec(dict, "Key bindings: action = key, or several keys comma-separated (`stop = \"x,ctrl+x\"`). "
                 "See the key table below."),
}


def dotted(section: str, name: str) -> str:
    return f"{section}.{name}" if section else name


@dataclass(frozen=True)
class Settings:
    """All of bosun's settings. Build changed copies with `replace`."""

    theme: str = "bosun-dark"
    read_only: bool = False
    mouse: bool = True
    engine: EngineSettings = field(default_factory=EngineSettings)
    list: ListSettings = field(default_factory=ListSettings)
    stats: StatsSettings = field(default_factory=StatsSettings)
    panes: PaneSettings = field(default_factory=PaneSettings)
    logs: LogSettings = field(default_factory=LogSettings)
    shells: ShellSettings = field(default_factory=ShellSettings)
    timeline: TimelineSettings = field(default_factory=TimelineSettings)
    keys: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_KEYS))
    # `[[engines]]` (tui.settings.engines.EngineEntry each): engines the user names, besides contexts and connections.
    engines: tuple = ()

    def __post_init__(self) -> None:
        for name, spec in _TOP.items():
            try:
                object.__setattr__(self, name, check(name, spec, getattr(self, name)))
            except ValueError as error:
                raise SettingsError(f"setting {name!r}: {error}") from None
        if self.engines:
            from tui.settings.engines import check_engines

            try:
                object.__setattr__(self, "engines", check_engines(self.engines))
            except ValueError as error:
                raise SettingsError(f"setting {error}") from None
        for section in SECTIONS:
            if not isinstance(getattr(self, section.NAME), section):
                raise SettingsError(f"setting {section.NAME!r}: expected a [{section.NAME}] section")

    def replace(self, **changes: Any) -> Settings:
        """A copy with `changes` applied: a section takes a mapping of its fields to change
        (`logs={"tail": None}`), `keys` changes merge into the current keys."""
        for name, value in list(changes.items()):
            if name in _SECTION_BY_NAME and isinstance(value, Mapping):
                section = getattr(self, name)
                unknown = [k for k in value if k not in section_fields(type(section))]
                if unknown:
                    raise SettingsError(f"unknown setting {dotted(name, unknown[0])!r}")
                changes[name] = dataclasses.replace(section, **value)
        if "keys" in changes:
            changes["keys"] = {**self.keys, **changes["keys"]}
        return dataclasses.replace(self, **changes)

    def key_for(self, action: str) -> str:
        """The key(s) bound to `action`, comma-separated."""
        if action not in DEFAULT_KEYS:
            raise KeyError(f"unknown action {action!r}; actions: {', '.join(DEFAULT_KEYS)}")
        return self.keys[action]

    def value(self, name: str) -> Any:
        """A setting by its dotted name (`logs.tail`)."""
        section, _, key = name.rpartition(".")
        return getattr(getattr(self, section), key) if section else getattr(self, key)


def section_fields(section: type[Section]) -> dict[str, Spec]:
    return {f.name: f.metadata["spec"] for f in dataclasses.fields(section)}  # type: ignore[arg-type]


@dataclass(frozen=True)
class Entry:
    """One setting, for the loader, the writer and the reference."""

    name: str  # dotted: `logs.tail`; top-level ones have no dot
    section: str  # "" for top-level
    key: str
    spec: Spec
    default: Any


def entries() -> Iterator[Entry]:
    """Every setting, top-level ones first, then section by section."""
    defaults = Settings()
    for key, spec in _TOP.items():
        if key != "keys":
            yield Entry(key, "", key, spec, getattr(defaults, key))
    for section in SECTIONS:
        for key, spec in section_fields(section).items():
            default = getattr(getattr(defaults, section.NAME), key)
            yield Entry(dotted(section.NAME, key), section.NAME, key, spec, default)
    yield Entry("keys", "", "keys", _TOP["keys"], dict(DEFAULT_KEYS))


ENTRIES: dict[str, Entry] = {e.name: e for e in entries()}
SECTION_NAMES: tuple[str, ...] = tuple(s.NAME for s in SECTIONS)

# Before the sections every setting was top-level; those names still load (with a note).
LEGACY: dict[str, str] = {
    "stop_grace": "engine.stop_grace",
    "reconcile_interval": "engine.reconcile_interval",
    "host": "engine.host",
    "context": "engine.context",
    "show_stopped": "list.show_stopped",
    "labels": "list.labels",
    "stats": "stats.enabled",
    "stats_interval": "stats.interval",
    "log_layout": "panes.layout",
    "log_pane": "panes.visible",
    "log_lines": "logs.lines",
    "log_tail": "logs.tail",
    "shell": "shells.command",
    "exec_via_cli": "shells.via_cli",
}
assert set(LEGACY.values()) <= set(ENTRIES), "a legacy name must point at a setting"
assert not set(LEGACY) & set(_TOP), "a legacy name cannot also be a top-level setting"


def build(values: Mapping[str, Any]) -> Settings:
    """Settings from checked values by dotted name (the loader's result)."""
    top: dict[str, Any] = {}
    sections: dict[str, dict[str, Any]] = {}
    for name, value in values.items():
        section, _, key = name.rpartition(".")
        if section:
            sections.setdefault(section, {})[key] = value
        else:
            top[name] = value
    built = {name: _SECTION_BY_NAME[name](**fields) for name, fields in sections.items()}
    return Settings(**top, **built)
