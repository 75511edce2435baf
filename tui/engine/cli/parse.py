"""Tolerant readers of what a container client prints with `--format json` / `{{json .}}`.

Field names and shapes differ between tools and versions (Podman's `ps` gives
a JSON array with `Names` as a list, epoch numbers and port objects; Docker's
and nerdctl's `{{json .}}` give one object per line with `Names`, `Labels` and
`Ports` as strings; `State` may be missing, leaving only `Status`). Unknown
fields are ignored and a missing one degrades to "unknown": a client's output
never crashes bosun, a line that is not JSON is skipped.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from types import MappingProxyType
from typing import Any, Mapping

from tui.engine.parse import _dedupe_ports, _list_ports, event_from_raw, parse_time, summary_from_inspect
from tui.engine.types import ContainerEvent, ContainerSummary, Health, Port, State, StatsSample

_EXITED = re.compile(r"Exited \((-?\d+)\)")
_HEALTH = re.compile(r"\((healthy|unhealthy|health: starting|starting)\)")
# Docker's `ps` CreatedAt: "2026-12-02 02:53:20 +0000 UTC".
_GO_TIME = re.compile(r"^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(\.\d+)? ([+-]\d\d)(\d\d)")
# "127.0.0.1:32768->8080/tcp", "[::]:80->80/tcp", "0.0.0.0:8000-8001->8000-8001/tcp", "9000/udp"
_PORT = re.compile(r"^(?:(?P<ip>\[[^\]]*\]|[^:\s]*):(?P<hp>\d+)(?:-(?P<hp2>\d+))?->)?(?P<cp>\d+)(?:-(?P<cp2>\d+))?"
                   r"(?:/(?P<proto>\w+))?$")


def documents(output: bytes | str) -> list[dict[str, Any]]:
    """The JSON objects in a client's output: one array, one object, or one object a line."""
    text = output.decode(errors="replace") if isinstance(output, bytes) else output
    text = text.strip()
    if not text:
        return []
    try:
        whole = json.loads(text)
    except ValueError:
        whole = None
    if isinstance(whole, list):
        return [item for item in whole if isinstance(item, dict)]
    if isinstance(whole, dict):
        return [whole]
    found = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if isinstance(item, dict):
            found.append(item)
        elif isinstance(item, list):
            found.extend(entry for entry in item if isinstance(entry, dict))
    return found


def _first(raw: Mapping[str, Any], *keys: str) -> Any:
    for key in keys:
        value = raw.get(key)
        if value not in (None, ""):
            return value
    return None


def cli_time(raw: Any) -> datetime | None:
    """A time as clients print it: RFC 3339, epoch seconds (or nanoseconds), Go's `2006-01-02 15:04:05 -0700 MST`."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        if raw > 1e14:  # nanoseconds
            raw = raw / 1e9
        try:
            return parse_time(raw)
        except (ValueError, OverflowError, OSError):  # beyond the years a datetime holds
            return None
    if isinstance(raw, str):
        text = raw.strip()
        if text.isdigit():
            return cli_time(int(text))
        match = _GO_TIME.match(text)
        if match:
            day, clock, fraction, hours, minutes = match.groups()
            return parse_time(f"{day}T{clock}{fraction or ''}{hours}:{minutes}")
        try:
            return parse_time(text)
        except (ValueError, OverflowError):
            return None
    return None


def labels_of(raw: Any) -> Mapping[str, str]:
    """Labels as a mapping, from a mapping or Docker's `k=v,k2=v2` string."""
    if isinstance(raw, Mapping):
        return MappingProxyType({str(k): "" if v is None else str(v) for k, v in raw.items()})
    if isinstance(raw, str) and raw:
        found = {}
        for part in raw.split(","):
            key, _, value = part.partition("=")
            if key.strip():
                found[key.strip()] = value
            elif found:  # a value with a comma in it: Docker joins with no escaping
                last = next(reversed(found))
                found[last] += "," + part
        return MappingProxyType(found)
    return MappingProxyType({})


def names_of(raw: Mapping[str, Any]) -> str:
    names = _first(raw, "Names", "Name", "name")
    if isinstance(names, list):
        names = names[0] if names else ""
    text = str(names or "")
    return text.split(",")[0].lstrip("/")


def ports_of(raw: Any) -> tuple[Port, ...]:
    """Ports from Podman's objects, the API's objects, or the `ip:host->container/proto, …` string."""
    if isinstance(raw, list):
        if any(isinstance(e, dict) and "PrivatePort" in e for e in raw):
            return _list_ports(raw)
        ports = []
        for entry in raw:
            if not isinstance(entry, dict):
                continue
            try:
                container_port = int(_first(entry, "container_port", "containerPort", "ContainerPort"))
            except (TypeError, ValueError):
                continue
            host = _first(entry, "host_port", "hostPort", "HostPort")
            proto = str(_first(entry, "protocol", "Protocol") or "tcp").lower()
            ip = _first(entry, "host_ip", "hostIP", "HostIp", "HostIP")
            count = max(int(entry.get("range") or 1), 1)
            for offset in range(min(count, 64)):
                ports.append(Port(container_port + offset, proto, str(ip) if ip else None,
                                  int(host) + offset if host else None))
        return _dedupe_ports(ports)
    if isinstance(raw, str) and raw.strip():
        ports = []
        for part in raw.split(","):
            match = _PORT.match(part.strip())
            if match is None:
                continue
            cp = int(match["cp"])
            cp2 = int(match["cp2"] or cp)
            hp = int(match["hp"]) if match["hp"] else None
            ip = (match["ip"] or "").strip("[]") or None
            for offset in range(min(cp2 - cp + 1, 64)):
                ports.append(Port(cp + offset, (match["proto"] or "tcp").lower(), ip,
                                  hp + offset if hp is not None else None))
        return _dedupe_ports(ports)
    return ()


def _state_of(raw: Mapping[str, Any], status: str) -> State:
    state = raw.get("State")
    if isinstance(state, str) and state:
        return State.parse(state)
    low = status.lower()
    if "paused" in low:
        return State.PAUSED
    if low.startswith("up"):
        return State.RUNNING
    if low.startswith("restarting"):
        return State.RESTARTING
    if low.startswith(("exited", "stopped")):
        return State.EXITED
    if low.startswith("dead"):
        return State.DEAD
    if low.startswith("removal"):
        return State.REMOVING
    return State.CREATED if low.startswith("created") else State.parse(None)


def summary_from_ps(raw: Mapping[str, Any], engine: str) -> ContainerSummary | None:
    """One entry of `ps --all`; None when it has no id (not a container)."""
    container_id = _first(raw, "Id", "ID", "id")
    if not container_id:
        return None
    status = str(_first(raw, "Status", "status") or "")
    state = _state_of(raw, status)
    exit_code = None
    if state in (State.EXITED, State.DEAD):
        code = raw.get("ExitCode")
        if isinstance(code, int) and not isinstance(code, bool):
            exit_code = code
        else:
            match = _EXITED.search(status)
            exit_code = int(match.group(1)) if match else None
    health = Health.NONE
    match = _HEALTH.search(status)
    if match:
        word = match.group(1)
        health = Health.STARTING if "starting" in word else Health(word)
    created = cli_time(raw.get("Created")) if not isinstance(raw.get("Created"), str) else None
    created = created or cli_time(raw.get("CreatedAt")) or cli_time(raw.get("Created"))
    started = cli_time(raw.get("StartedAt")) if state in (State.RUNNING, State.PAUSED, State.RESTARTING) else None
    return ContainerSummary(
        id=str(container_id),
        name=names_of(raw),
        image=str(_first(raw, "Image", "image") or ""),
        state=state,
        engine=engine,
        status_text=status,
        health=health,
        exit_code=exit_code,
        created=created,
        started=started,
        ports=ports_of(raw.get("Ports")),
        labels=labels_of(raw.get("Labels")),
        pid=int(raw["Pid"]) if isinstance(raw.get("Pid"), int) and raw["Pid"] > 0 else None,
    )


def normalise_inspect(doc: dict[str, Any]) -> dict[str, Any]:
    """A client's inspect document in the API's shape (Podman before 4.3 said `Healthcheck` for `Health`)."""
    state = doc.get("State")
    if isinstance(state, dict) and not state.get("Health") and isinstance(state.get("Healthcheck"), dict):
        doc = {**doc, "State": {**state, "Health": state["Healthcheck"]}}
    if not isinstance(doc.get("Config"), dict):
        doc = {**doc, "Config": {}}
    return doc


def summary_from_cli_inspect(doc: dict[str, Any], engine: str, status_text: str = "") -> ContainerSummary | None:
    """A detailed summary from one inspect document; None if it is not a container's."""
    if not isinstance(doc, dict) or not doc.get("Id"):
        return None
    try:
        return summary_from_inspect(normalise_inspect(doc), engine, status_text)
    except (TypeError, ValueError, KeyError, AttributeError):
        return None


# containerd's topics (nerdctl events) as the API's actions.
_TOPICS = {"/containers/create": "create", "/containers/delete": "destroy", "/tasks/start": "start",
           "/tasks/exit": "die", "/tasks/paused": "pause", "/tasks/resumed": "unpause", "/tasks/oom": "oom",
           "/tasks/delete": "other"}


def event_from_cli(raw: Mapping[str, Any], engine: str) -> ContainerEvent | None:
    """One line of `events --format json`: Docker's shape, Podman's flat one, or nerdctl's containerd topics."""
    try:
        if "Actor" in raw or "Action" in raw:
            return event_from_raw(raw, engine)
        if "Topic" in raw:
            return _containerd_event(raw, engine)
        kind = raw.get("Type") or raw.get("type") or "container"
        if kind != "container":
            return None
        attributes = {str(k): str(v) for k, v in (raw.get("Attributes") or {}).items()}
        name = raw.get("Name")
        if name:
            attributes["name"] = str(name)
        code = _first(raw, "ContainerExitCode", "exitCode")
        action = str(_first(raw, "Status", "status", "Action") or "")
        if code is None and action in ("died", "die"):
            code = 0  # Podman leaves a zero exit code out of the line (omitempty)
        if code is not None:
            attributes["exitCode"] = str(code)
        health = raw.get("HealthStatus") or raw.get("health_status")  # Podman 4 writes the second
        if health:
            attributes["health_status"] = str(health)
        stamp = cli_time(raw.get("Time") or raw.get("time"))
        shaped = {"Type": "container", "Action": action,
                  "Actor": {"ID": str(_first(raw, "ID", "Id", "id") or ""), "Attributes": attributes},
                  "timeNano": int(stamp.timestamp() * 1e9) if stamp else None}
        return event_from_raw(shaped, engine)
    except (TypeError, ValueError, AttributeError):
        return None


def _containerd_event(raw: Mapping[str, Any], engine: str) -> ContainerEvent | None:
    action = _TOPICS.get(str(raw.get("Topic") or ""))
    if action is None:
        return None
    detail = raw.get("Event")
    if isinstance(detail, str):
        try:
            detail = json.loads(detail)
        except ValueError:
            detail = {}
    detail = detail if isinstance(detail, dict) else {}
    container_id = _first(detail, "container_id", "ContainerID", "id", "ID")
    if not container_id:
        return None
    attributes = {}
    if action == "die" and detail.get("exit_status") is not None:
        attributes["exitCode"] = str(detail["exit_status"])
    stamp = cli_time(raw.get("Timestamp"))
    return event_from_raw({"Type": "container", "Action": action,
                           "Actor": {"ID": str(container_id), "Attributes": attributes},
                           "timeNano": int(stamp.timestamp() * 1e9) if stamp else None}, engine)


_SIZE = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*([kKMGTP]?i?)B?\s*$")
_FACTORS = {"": 1, "k": 1000, "K": 1000, "M": 1000**2, "G": 1000**3, "T": 1000**4, "P": 1000**5,
            "ki": 1024, "Ki": 1024, "Mi": 1024**2, "Gi": 1024**3, "Ti": 1024**4, "Pi": 1024**5}


def size_of(raw: Any) -> int:
    """Bytes from `417.8kB`, `23.54GiB`, `0B`, a plain number; 0 for `--` or anything else."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return max(int(raw), 0)
    match = _SIZE.match(str(raw or ""))
    if match is None:
        return 0
    return int(float(match.group(1)) * _FACTORS.get(match.group(2), 1))


def _pair(raw: Any) -> tuple[int, int]:
    if isinstance(raw, (list, tuple)) and len(raw) == 2:
        return size_of(raw[0]), size_of(raw[1])
    left, _, right = str(raw or "").partition("/")
    return size_of(left), size_of(right)


def _percent(raw: Any) -> float | None:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return float(raw)
    text = str(raw or "").strip().rstrip("%").strip()
    try:
        return float(text)
    except ValueError:
        return None


def stats_id(raw: Mapping[str, Any]) -> str:
    return str(_first(raw, "id", "ID", "ContainerID", "Container") or "")


def stats_from_cli(raw: Mapping[str, Any], online_cpus: int) -> StatsSample:
    """One entry of `stats --no-stream`: figures as text with units (`0.83%`, `417.8kB / 25.28GB`)."""
    used, limit = _pair(_first(raw, "mem_usage", "MemUsage"))
    if isinstance(raw.get("MemUsage"), (int, float)):  # Podman 5 as numbers
        used, limit = size_of(raw.get("MemUsage")), size_of(raw.get("MemLimit"))
    rx, tx = _pair(_first(raw, "net_io", "NetIO"))
    block_read, block_write = _pair(_first(raw, "block_io", "BlockIO"))
    pids = _first(raw, "pids", "PIDs", "PIDS")
    try:
        pid_count = int(pids) if pids is not None else None
    except (TypeError, ValueError):
        pid_count = None
    return StatsSample(
        time=datetime.now(timezone.utc),
        cpu_percent=_percent(_first(raw, "cpu_percent", "CPUPerc", "CPU")),
        online_cpus=max(online_cpus, 1),
        memory_used=used,
        memory_limit=limit,
        net_rx=rx,
        net_tx=tx,
        block_read=block_read,
        block_write=block_write,
        pids=pid_count,
    )
