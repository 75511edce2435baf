"""Every engine the user has, as `EngineSpec`s: Docker contexts, Podman connections, bosun's `[[engines]]`.

Pure: files and environment variables only, no network, no Textual. What a
source holds that bosun cannot use (a broken meta.json, an `npipe://` host) is
skipped with a note naming the file, so one bad entry never hides the others.

Sources, in the order they are listed (and so in the order names are kept
when two clash):

1. Docker contexts: every `$DOCKER_CONFIG/contexts/meta/*/meta.json`
   (`~/.docker` without DOCKER_CONFIG) with its TLS folder, plus the built-in
   `default` context (DOCKER_HOST, else the Docker socket when it exists).
   The current context (`DOCKER_CONTEXT`, else `currentContext` in
   config.json) is marked default.
2. Podman connections: `podman-connections.json` (Podman 5;
   `PODMAN_CONNECTIONS_CONF` names another file), then `containers.conf`
   `[engine.service_destinations]` (Podman 4 and older; `CONTAINERS_CONF`
   names the only file read), then `CONTAINER_HOST` (+ `CONTAINER_SSHKEY`).
   The connection Podman would use (`Default`, `active_service`) is marked default.
   Then Podman's own sockets that exist (rootless, rootful), named `podman`.
3. bosun's `[[engines]]` (handed in by the caller from the settings).

Names are unique in the result: a later engine whose name is taken is
renamed `NAME-2` (then `-3`, ...), and a note says so. The same host with the
same label scope found twice (a context and a connection for one socket) is
kept once, the first time. Exactly one engine is marked default: the first
one a source marked, else the first engine.
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Mapping
from urllib.parse import urlsplit

from tui.engine.endpoints import (
    DOCKER_SOCKET,
    PODMAN_ROOTFUL_SOCKET,
    ConfigError,
    _normalise_url,
    _tls_from_env,
    context_digest,
    current_context,
    docker_config_dir,
    read_context_meta,
)
from tui.engine.spec import EngineSpec

#: Where Podman keeps system-wide configuration, lowest precedence first.
PODMAN_SYSTEM_DIRS = (Path("/usr/share/containers"), Path("/etc/containers"))


@dataclass
class Found:
    """Engines found, and what was skipped or renamed on the way (one line each, for the user)."""

    specs: list[EngineSpec] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def extend(self, other: Found) -> None:
        self.specs += other.specs
        self.notes += other.notes


def check_host(host: str, where: str, tls: bool = False) -> str:
    """`host` in canonical form, or ConfigError saying `where: ...`.

    unix:// (or a bare absolute path), tcp:// and ssh://[user@]host[:port][/socket].
    """
    raw = host.strip()
    if raw.startswith("ssh://"):
        try:
            parts = urlsplit(raw)
            parts.port  # noqa: B018 - raises on a port that is not a number
        except ValueError as exc:
            raise ConfigError(f"{where}: {raw!r} is not a valid address ({exc})") from None
        if not parts.hostname:
            raise ConfigError(f"{where}: {raw!r} names no host (expected ssh://[user@]host[:port][/path/to/socket])")
        return raw
    return _normalise_url(raw, where, tls)


def host_name(host: str) -> str:
    """A short name for an engine known only by its address (`-H`, CONTAINER_HOST)."""
    if host.startswith("/"):
        host = "unix://" + host
    parts = urlsplit(host)
    if parts.scheme == "unix":
        path = host[len("unix://"):]
        for word in ("podman", "docker", "containerd", "nerdctl"):
            if word in path:
                return word
        return Path(path).stem or "local"
    try:
        port = parts.port
    except ValueError:
        port = None
    name = parts.hostname or host
    return f"{name}:{port}" if port and parts.scheme == "tcp" else name


# ---------------------------------------------------------------- Docker contexts


def docker_contexts(home: Path, env: Mapping[str, str], *, docker_socket: str | None = None) -> Found:
    """Every Docker context, the built-in `default` first, the others by name (as `docker context ls`)."""
    found = Found()
    docker_socket = DOCKER_SOCKET if docker_socket is None else docker_socket
    config_dir = docker_config_dir(home, env)
    default_host = env.get("DOCKER_HOST", "")
    # As the docker CLI: DOCKER_CONTEXT, else DOCKER_HOST (the default context), else config.json's choice.
    current = env.get("DOCKER_CONTEXT") or ("default" if default_host else current_context(home, env)) or "default"
    if default_host or os.path.exists(docker_socket):
        mark = " (current)" if current == "default" else ""
        source = f"Docker context default{mark}" + (", DOCKER_HOST" if default_host else "")
        _add(found, "default", default_host or "unix://" + docker_socket, source, default=current == "default",
             tls=_tls_from_env(env, home) if default_host else None)
    meta_root = config_dir / "contexts" / "meta"
    try:
        folders = sorted(p for p in meta_root.iterdir() if p.is_dir())
    except OSError:
        folders = []
    contexts = []
    for folder in folders:
        try:
            meta = read_context_meta(config_dir, folder.name)
        except FileNotFoundError:
            continue  # a folder without meta.json: the docker CLI ignores it too
        except (OSError, ValueError) as exc:
            found.notes.append(f"Docker context skipped: {folder / 'meta.json'} is unreadable ({exc})")
            continue
        if not meta.name or context_digest(meta.name) != folder.name:
            # The CLI finds a context by the hash of its name: a mismatch is a store it would not use either.
            found.notes.append(f"Docker context skipped: {meta.meta_path} holds name {meta.name!r}, "
                               "which does not match its folder")
            continue
        contexts.append(meta)
    for meta in sorted(contexts, key=lambda m: m.name):
        mark = " (current)" if meta.name == current else ""
        _add(found, meta.name, meta.host, f"Docker context {meta.name}{mark}", tls=meta.tls,
             default=meta.name == current, where=str(meta.meta_path))
    return found


# ---------------------------------------------------------------- Podman connections


def _xdg_config(home: Path, env: Mapping[str, str]) -> Path:
    base = env.get("XDG_CONFIG_HOME", "")
    return Path(base) if base and os.path.isabs(base) else home / ".config"


def podman_connections(home: Path, env: Mapping[str, str], *,
                       system_dirs: Iterable[Path] | None = None, local_sockets: Iterable[str] | None = None
                       ) -> Found:
    """Podman's connections: CONTAINER_HOST, its connections file, containers.conf destinations, then its
    local sockets that exist (rootless, rootful) as Docker's `default` context stands for Docker's socket."""
    found = Found()
    system_dirs = list(PODMAN_SYSTEM_DIRS if system_dirs is None else system_dirs)
    user_dir = _xdg_config(home, env) / "containers"
    seen: set[str] = set()
    default = ""
    if env.get("PODMAN_CONNECTIONS_CONF"):
        json_files = [Path(env["PODMAN_CONNECTIONS_CONF"])]
    else:  # rootful Podman keeps it in /etc/containers, rootless in the user's folder
        json_files = [*(d / "podman-connections.json" for d in system_dirs[1:]), user_dir / "podman-connections.json"]
    json_found: list[tuple[str, str, str, Path]] = []
    for path in json_files:
        data = _read(path, json.loads, found)
        if data is None:
            continue
        try:
            block = data.get("Connection") or {}
            connections = block.get("Connections") or {}
            default = block.get("Default") or default
            for name, dest in connections.items():
                json_found.append((name, dest["URI"], dest.get("Identity") or "", path))
        except (AttributeError, KeyError, TypeError) as exc:
            found.notes.append(f"Podman connections skipped: {path} is not a connections file ({exc!r})")
    if env.get("CONTAINERS_CONF"):
        conf_files = [Path(env["CONTAINERS_CONF"])]
    else:
        conf_files = [*(d / "containers.conf" for d in system_dirs), user_dir / "containers.conf"]
    destinations: dict[str, tuple[str, str, Path]] = {}
    active = ""
    for path in conf_files:  # later files win, as in Podman
        data = _read(path, tomllib.loads, found)
        if data is None:
            continue
        engine = data.get("engine") if isinstance(data, dict) else None
        if not isinstance(engine, dict):
            continue
        if isinstance(engine.get("active_service"), str):
            active = engine["active_service"]
        for name, dest in (engine.get("service_destinations") or {}).items():
            if isinstance(dest, dict) and isinstance(dest.get("uri"), str):
                destinations[name] = (dest["uri"], str(dest.get("identity") or ""), path)
            else:
                found.notes.append(f"Podman connection {name!r} skipped: {path} gives it no uri")
    conf_found = [(name, uri, identity, path) for name, (uri, identity, path) in destinations.items()]
    default = default or active
    if env.get("CONTAINER_HOST"):  # Podman lets it win over every connection
        host = env["CONTAINER_HOST"]
        _add(found, host_name(host), host, "CONTAINER_HOST", identity=env.get("CONTAINER_SSHKEY", ""), default=True)
        default = ""
    # Podman 5 reads both and the connections file wins a name held by both.
    for name, uri, identity, path in [*json_found, *conf_found]:
        if name in seen:
            continue
        seen.add(name)
        mark = " (default)" if name == default else ""
        _add(found, name, uri, f"Podman connection {name}{mark}", identity=str(identity),
             default=name == default, where=str(path))
    if local_sockets is None:
        runtime = env.get("XDG_RUNTIME_DIR", "")
        local_sockets = [*([f"{runtime}/podman/podman.sock"] if runtime else []), PODMAN_ROOTFUL_SOCKET]
    for path in local_sockets:
        if os.path.exists(path):
            rootful = path == PODMAN_ROOTFUL_SOCKET
            _add(found, "podman", "unix://" + path, "rootful Podman socket" if rootful else "rootless Podman socket")
    return found


def _read(path: Path, parse: Any, found: Found) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        found.notes.append(f"skipped {path}: cannot read it ({exc})")
        return None
    try:
        return parse(text)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        found.notes.append(f"skipped {path}: not valid {'JSON' if path.suffix == '.json' else 'TOML'} ({exc})")
        return None


def _add(found: Found, name: str, host: str, source: str, *, where: str = "", **fields: Any) -> None:
    try:
        checked = check_host(host, source, fields.get("tls") is not None)
    except ConfigError as exc:
        found.notes.append(f"{exc} — skipped{f' ({where})' if where else ''}")
        return
    found.specs.append(EngineSpec(name=name, host=checked, source=source, **fields))


# ---------------------------------------------------------------- bosun's [[engines]]


def config_engines(entries: Iterable[Any], config_file: str = "config") -> Found:
    """The `[[engines]]` entries of bosun's settings (already checked by the loader) as specs."""
    found = Found()
    for number, entry in enumerate(entries, 1):
        found.specs.append(EngineSpec(
            name=entry.name, host=entry.host, source=f"{config_file} engines[{number}]", kind=entry.kind,
            read_only=entry.read_only, labels=dict(entry.labels), ssh_client=entry.ssh_client,
            identity=entry.identity, default=entry.default))
    return found


# ---------------------------------------------------------------- all of them


def discover(home: Path | None = None, env: Mapping[str, str] | None = None, engines: Iterable[Any] = (), *,
             config_file: str = "config", docker_socket: str | None = None,
             podman_dirs: Iterable[Path] | None = None, podman_sockets: Iterable[str] | None = None
             ) -> Found:
    """Every engine found, in source order, names unique, one default (see the module doc)."""
    env = os.environ if env is None else env
    home = Path.home() if home is None else home
    found = Found()
    found.extend(docker_contexts(home, env, docker_socket=docker_socket))
    found.extend(podman_connections(home, env, system_dirs=podman_dirs, local_sockets=podman_sockets))
    found.extend(config_engines(engines, config_file))
    specs, notes = settle(found.specs)
    return Found(specs, found.notes + notes)


def settle(specs: Iterable[EngineSpec]) -> tuple[list[EngineSpec], list[str]]:
    """`specs` with duplicates dropped, names made unique and exactly one default; notes on what changed."""
    kept: list[EngineSpec] = []
    notes: list[str] = []
    by_place: dict[tuple, EngineSpec] = {}
    names: dict[str, EngineSpec] = {}
    for spec in specs:
        place = (spec.host, spec.kind, tuple(sorted(spec.labels.items())))
        if place in by_place:
            first = by_place[place]
            notes.append(f"{spec.source} is the same engine as {first.source} ({spec.host}): listed once, "
                         f"as {first.name!r}")
            if spec.default and not any(k.default for k in kept):
                kept[kept.index(first)] = replace(first, default=True)
            continue
        if spec.name in names:
            number = 2
            while f"{spec.name}-{number}" in names:
                number += 1
            new = f"{spec.name}-{number}"
            notes.append(f"engine name {spec.name!r} is taken by {names[spec.name].source}; "
                         f"{spec.source} is named {new!r}")
            spec = replace(spec, name=new)
        by_place[place] = spec
        names[spec.name] = spec
        kept.append(spec)
    first_default = next((i for i, s in enumerate(kept) if s.default), 0)
    kept = [replace(s, default=i == first_default) if s.default != (i == first_default) else s
            for i, s in enumerate(kept)]
    return kept, notes


def pick(known: Iterable[EngineSpec], names: Iterable[str], where: str) -> list[EngineSpec]:
    """The engines called `names`, in that order; ConfigError naming the unknown one and the known ones."""
    by_name = {s.name: s for s in known}
    chosen = []
    for name in names:
        if name not in by_name:
            listed = ", ".join(by_name) or "none found (bosun --list-engines says where it looks)"
            raise ConfigError(f"{where}: no engine named {name!r}; engines: {listed}")
        chosen.append(by_name[name])
    return chosen
