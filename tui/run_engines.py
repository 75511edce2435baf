"""Which engines this run shows, from the command line, the settings and what discovery finds.

One engine (the common case: no flag, one `--host`, one `--context`) keeps the
single-engine path exactly as before: the settings name it (`engine.host` /
`engine.context`), the first frame is drawn, errors blame `host_source`, and
`engine_specs` stays empty. Two or more become `engine_specs` for the fleet.

`known` is everything discovery found (plus what the flags named), for the
engine picker and the no-engine screen, whatever is in view.

No Textual, no network: this runs before the first frame.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

from tui.engine.discovery import (
    Found,
    check_host,
    config_engines,
    docker_contexts,
    host_name,
    podman_connections,
    settle,
)
from tui.engine.errors import ConfigError
from tui.engine.spec import EngineSpec


@dataclass
class Plan:
    settings: object  # tui.settings.Settings, with a single engine's host/context/read-only/labels applied
    host_source: str | None = None  # None: the caller works it out as before (flag, variable, file)
    specs: tuple[EngineSpec, ...] = ()  # 2+ engines in view; empty: the single-engine path
    known: tuple[EngineSpec, ...] = ()
    notes: list[str] = field(default_factory=list)  # shown when the user asked for several engines


def wants_several(args) -> bool:
    return bool(len(args.host or ()) > 1 or len(args.context or ()) > 1 or args.all_contexts or args.engines
                or (args.host and args.context))


def plan_engines(args, settings, *, env: Mapping[str, str] | None = None, home: Path | None = None,
                 config_file: str = "config", docker_socket: str | None = None,
                 podman_dirs=None, podman_sockets=None) -> Plan:
    """The engines in view for `args` (tui.run's parsed flags) and `settings`; ConfigError on a bad choice."""
    env = os.environ if env is None else env
    home = Path.home() if home is None else home
    docker = docker_contexts(home, env, docker_socket=docker_socket)
    podman = podman_connections(home, env, system_dirs=podman_dirs, local_sockets=podman_sockets)
    config = config_engines(settings.engines, config_file)
    several = wants_several(args)
    hosts = [EngineSpec(name=host_name(h), host=check_host(h, "--host"), source="--host")
             for h in (args.host or ()) if several]
    known, notes = settle([*hosts, *docker.specs, *podman.specs, *config.specs])
    notes = docker.notes + podman.notes + config.notes + notes
    today = Plan(settings, known=tuple(known), notes=notes)  # flags, DOCKER_HOST, context, sockets as ever

    if not several and args.host:
        return today
    if not several and args.context:
        name = args.context[0]
        if name == "default" or _named(name, docker):
            return today
        other = _named(name, podman, config)  # `--context` takes a Podman connection or [[engines]] name too
        if other is None:
            return today  # the single path says the context is not found, and how to list them
        return _single(replace(other, read_only=True) if args.read_only else other, settings, known, notes)

    chosen: list[EngineSpec | None] = list(hosts)
    for name in args.context or ():
        spec = _named(name, docker, podman, config)
        if spec is None and name != "default":
            raise ConfigError(f"--context: no Docker context, Podman connection or [[engines]] entry named "
                              f"{name!r}; bosun --list-engines lists them")
        if spec is None:
            spec = _docker_default(docker)
            if spec is None:
                raise ConfigError("--context default: Docker's default context has no engine here (DOCKER_HOST "
                                  "is not set and there is no Docker socket)")
        chosen.append(spec)
    if args.all_contexts:
        chosen += known
    for name in _names(args.engines):
        spec = _named(name, docker, podman, config) or next((s for s in known if s.name == name), None)
        if spec is None:
            raise ConfigError(f"--engines: no engine named {name!r}; engines: "
                              f"{', '.join(s.name for s in known) or 'none found'} (bosun --list-engines)")
        chosen.append(spec)
    if not chosen and not (settings.engine.host or settings.engine.context) and config.specs:
        chosen = list(config.specs)  # no flag, no [engine] host: the config's [[engines]] are the view

    chosen = [s for s in chosen if s is not None]
    if not chosen:
        if args.all_contexts or args.engines:
            notes.append("no engine found to show; looking for one the usual way (DOCKER_HOST, the current "
                         "context, the default sockets)")
        return today
    view = _in_view(chosen, known)
    if args.read_only:
        view = [replace(s, read_only=True) for s in view]
    if len(view) == 1:
        return _single(view[0], settings, known, notes)
    return Plan(settings, specs=tuple(view), known=tuple(known), notes=notes)


def _names(text: str | None) -> list[str]:
    return [n.strip() for n in (text or "").split(",") if n.strip()]


def _named(name: str, *founds: Found) -> EngineSpec | None:
    """By name, Docker contexts first, then Podman connections, then [[engines]] (before renaming)."""
    for found in founds:
        for spec in found.specs:
            if spec.name == name:
                return spec
    return None


def _docker_default(docker: Found) -> EngineSpec | None:
    return next((s for s in docker.specs if s.name == "default"), None)


def _in_view(chosen: list[EngineSpec], known: list[EngineSpec]) -> list[EngineSpec]:
    """`chosen` as `known` names them (unique names, one default), each once."""
    def place(s: EngineSpec) -> tuple:
        return s.host, s.kind, tuple(sorted(s.labels.items()))

    by_place = {place(s): s for s in known}
    view: list[EngineSpec] = []
    for spec in chosen:
        settled = by_place.get(place(spec), spec)
        if settled not in view:
            view.append(settled)
    settled_view, _ = settle(view)
    return settled_view


def _single(spec: EngineSpec, settings, known, notes) -> Plan:
    """One engine: the single path, with the spec's address, read-only and labels in the settings."""
    changes: dict = {"engine": {"host": spec.host, "context": ""}}
    if spec.read_only:
        changes["read_only"] = True
    if spec.labels:
        changes["list"] = {"labels": {**settings.list.labels, **spec.labels}}
    return Plan(settings.replace(**changes), host_source=spec.source, known=tuple(known), notes=notes)


def list_engines_text(plan: Plan, width: int | None = None) -> str:
    """`bosun --list-engines`: what was found, from where, which is the default, which are read-only.

    A table; on a terminal narrower than the table (`width`), two lines per engine instead."""
    from tui.untrusted import one_line

    in_view = {s.name: s for s in plan.specs}
    rows = [("NAME", "HOST", "SOURCE", "DEFAULT", "READ-ONLY")]
    for spec in plan.known:
        spec = in_view.get(spec.name, spec)  # --read-only and the default are the view's
        rows.append((spec.name, spec.host, spec.source, "yes" if spec.default else "",
                     "yes" if spec.read_only else ""))
    rows = [tuple(one_line(cell, 120) for cell in row) for row in rows]  # names and hosts come from files
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    if width is not None and max(map(len, lines)) > width:
        lines = []
        for name, host, source, default, read_only in rows[1:]:
            marks = ", ".join(m for m, on in (("default", default), ("read-only", read_only)) if on)
            lines += [f"{name}  {host}", f"    from {source}" + (f"; {marks}" if marks else "")]
    if len(rows) == 1:
        lines = ["No Docker context, Podman connection or [[engines]] entry found."]
    lines += [f"note: {one_line(n, 300)}" for n in plan.notes]
    if in_view:
        lines.append(f"in view: {', '.join(sorted(in_view))}")
    lines.append("Use one with `bosun --context NAME`, several with `bosun --engines A,B`, all with "
                 "`bosun --all-contexts`.")
    return "\n".join(lines) + "\n"
