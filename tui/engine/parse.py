"""Turn the engine API's raw JSON documents into bosun's domain types.

Docker and Podman's compatible API differ in small ways (Podman omits health
from the list's status text, has no `precpu_stats` on the first sample, uses
`localhost/` image names); the differences are absorbed here.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from types import MappingProxyType
from typing import Any, Mapping

from tui.engine.types import (
    ContainerEvent,
    ContainerSummary,
    EventKind,
    Health,
    Port,
    State,
    StatsSample,
)

_EXITED = re.compile(r"Exited \((-?\d+)\)")
_HEALTH_IN_STATUS = re.compile(r"\((healthy|unhealthy|health: starting)\)")
_ZERO_TIME = "0001-01-01T00:00:00Z"


def parse_time(raw: Any) -> datetime | None:
    """An engine timestamp (RFC 3339 text with nanoseconds, or epoch seconds) as aware UTC."""
    if raw is None or raw == "" or raw == _ZERO_TIME:
        return None
    if isinstance(raw, (int, float)):
        try:
            return datetime.fromtimestamp(raw, tz=timezone.utc) if raw > 0 else None
        except (OverflowError, OSError, ValueError):  # past what the platform's time functions take
            return None
    text = str(raw)
    if text.startswith("0001-01-01"):
        return None
    match = re.match(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)?$", text)
    if match is None:
        return None
    base, fraction, zone = match.groups()
    micro = (fraction or ".0")[1:7].ljust(6, "0")
    zone = "+00:00" if zone in (None, "Z") else zone
    return datetime.fromisoformat(f"{base}.{micro}{zone}").astimezone(timezone.utc)


def _labels(raw: Any) -> Mapping[str, str]:
    return MappingProxyType(dict(raw or {}))


def _name(raw: Mapping[str, Any]) -> str:
    names = raw.get("Names") or []
    if names:
        return str(names[0]).lstrip("/")
    return str(raw.get("Name") or "").lstrip("/")


def _list_ports(raw: list[dict[str, Any]] | None) -> tuple[Port, ...]:
    ports = []
    for entry in raw or []:
        if "PrivatePort" not in entry:
            continue
        public = entry.get("PublicPort")
        ports.append(
            Port(
                container_port=int(entry["PrivatePort"]),
                protocol=entry.get("Type") or "tcp",
                host_ip=entry.get("IP") or None,
                host_port=int(public) if public else None,
            )
        )
    return _dedupe_ports(ports)


def _inspect_ports(raw: Mapping[str, Any] | None) -> tuple[Port, ...]:
    ports = []
    for key, bindings in (raw or {}).items():
        number, _, proto = key.partition("/")
        if not bindings:
            ports.append(Port(int(number), proto or "tcp"))
            continue
        for binding in bindings:
            host_port = binding.get("HostPort")
            ports.append(
                Port(int(number), proto or "tcp", binding.get("HostIp") or None, int(host_port) if host_port else None)
            )
    return _dedupe_ports(ports)


def _dedupe_ports(ports: list[Port]) -> tuple[Port, ...]:
    # Docker lists a port once per address family; an IPv4 and IPv6 wildcard
    # bind of the same port is one port to a user.
    seen: dict[tuple, Port] = {}
    for port in ports:
        wildcard = port.host_ip in (None, "0.0.0.0", "::")
        key = (port.container_port, port.protocol, port.host_port, None if wildcard else port.host_ip)
        if key not in seen or (port.host_ip == "0.0.0.0"):
            seen[key] = port
    return tuple(sorted(seen.values(), key=lambda p: (p.container_port, p.protocol, p.host_port or 0)))


def summary_from_list(raw: Mapping[str, Any], engine: str) -> ContainerSummary:
    """A summary from one entry of `GET /containers/json` (no inspect needed)."""
    status = str(raw.get("Status") or "")
    state = State.parse(raw.get("State"))
    exit_code = None
    if state in (State.EXITED, State.DEAD):
        match = _EXITED.search(status)
        exit_code = int(match.group(1)) if match else None
    health = Health.NONE
    match = _HEALTH_IN_STATUS.search(status)
    if match:
        health = Health.STARTING if "starting" in match.group(1) else Health(match.group(1))
    return ContainerSummary(
        id=str(raw["Id"]),
        name=_name(raw),
        image=str(raw.get("Image") or ""),
        state=state,
        engine=engine,
        status_text=status,
        health=health,
        exit_code=exit_code,
        created=parse_time(raw.get("Created")),
        ports=_list_ports(raw.get("Ports")),
        labels=_labels(raw.get("Labels")),
    )


def summary_from_inspect(raw: Mapping[str, Any], engine: str, status_text: str = "") -> ContainerSummary:
    """A complete summary from `GET /containers/{id}/json`."""
    state_doc = raw.get("State") or {}
    config = raw.get("Config") or {}
    state = State.parse(state_doc.get("Status"))
    health_doc = state_doc.get("Health") or {}
    health = Health.parse(health_doc.get("Status")) if health_doc else Health.NONE
    health_log = health_doc.get("Log") or []
    health_output = str(health_log[-1].get("Output", "")) if health_log else None
    ports = _inspect_ports((raw.get("NetworkSettings") or {}).get("Ports"))
    if not ports:
        ports = _inspect_ports((raw.get("HostConfig") or {}).get("PortBindings"))
    exit_code = state_doc.get("ExitCode")
    return ContainerSummary(
        id=str(raw["Id"]),
        name=_name(raw),
        image=str(config.get("Image") or raw.get("ImageName") or raw.get("Image") or ""),
        state=state,
        engine=engine,
        status_text=status_text,
        health=health,
        health_output=health_output,
        exit_code=int(exit_code) if exit_code is not None and state in (State.EXITED, State.DEAD) else None,
        created=parse_time(raw.get("Created")),
        started=parse_time(state_doc.get("StartedAt")),
        finished=parse_time(state_doc.get("FinishedAt")),
        ports=ports,
        labels=_labels(config.get("Labels")),
        tty=bool(config.get("Tty")),
        pid=int(state_doc.get("Pid") or 0) or None,
        detailed=True,
        oom_killed=bool(state_doc.get("OOMKilled")),
    )


# Podman names some actions differently from Docker.
_KINDS = {kind.value: kind for kind in EventKind} | {"remove": EventKind.DESTROYED, "died": EventKind.DIED}


def event_from_raw(raw: Mapping[str, Any], engine: str) -> ContainerEvent | None:
    """A container event from one JSON line of `GET /events`; None for other types."""
    if (raw.get("Type") or raw.get("type")) not in ("container", None):
        return None
    action = str(raw.get("Action") or raw.get("status") or "")
    actor = raw.get("Actor") or {}
    attributes = dict(actor.get("Attributes") or {})
    container_id = str(actor.get("ID") or raw.get("id") or "")
    if not container_id or not action:
        return None
    # "health_status: healthy" (Docker) / "health_status" + attribute (Podman);
    # "exec_start: sh" and friends carry their detail after a colon too.
    head, _, detail = action.partition(":")
    kind = _KINDS.get(head.strip(), EventKind.OTHER)
    health = None
    if kind is EventKind.HEALTH:
        # Podman's API puts it beside the actor, as HealthStatus.
        health = Health.parse(detail.strip() or attributes.get("health_status") or raw.get("HealthStatus"))
    exit_code = None
    if kind is EventKind.DIED:
        raw_code = attributes.get("exitCode") or attributes.get("containerExitCode")
        exit_code = int(raw_code) if raw_code not in (None, "") else None
    nanos = raw.get("timeNano")
    time = (
        datetime.fromtimestamp(int(nanos) / 1e9, tz=timezone.utc)
        if nanos
        else parse_time(raw.get("time")) or datetime.now(timezone.utc)
    )
    return ContainerEvent(
        kind=kind,
        action=action,
        container_id=container_id,
        engine=engine,
        time=time,
        name=attributes.get("name"),
        exit_code=exit_code,
        health=health,
        attributes=MappingProxyType(attributes),
    )


def _block_io(raw: Mapping[str, Any]) -> tuple[int, int]:
    read = write = 0
    for entry in (raw.get("blkio_stats") or {}).get("io_service_bytes_recursive") or []:
        op = str(entry.get("op", "")).lower()
        if op == "read":
            read += int(entry.get("value", 0))
        elif op == "write":
            write += int(entry.get("value", 0))
    return read, write


def _memory_used(memory: Mapping[str, Any]) -> int:
    # Like the docker CLI: page cache is not "used" (cgroup v1: total_inactive_file,
    # cgroup v2: inactive_file).
    usage = int(memory.get("usage") or 0)
    stats = memory.get("stats") or {}
    cache = stats.get("total_inactive_file", stats.get("inactive_file", 0)) or 0
    return max(usage - int(cache), 0) if int(cache) < usage else usage


def _cpu_pair(cpu: Mapping[str, Any]) -> tuple[int, int]:
    return int((cpu.get("cpu_usage") or {}).get("total_usage") or 0), int(cpu.get("system_cpu_usage") or 0)


def stats_from_raw(raw: Mapping[str, Any], previous: Mapping[str, Any] | None = None) -> StatsSample:
    """One stats sample; CPU % from `precpu_stats`, or from the previous sample when that is empty."""
    cpu = raw.get("cpu_stats") or {}
    online = int(cpu.get("online_cpus") or len((cpu.get("cpu_usage") or {}).get("percpu_usage") or []) or 1)
    total, system = _cpu_pair(cpu)
    pre_total, pre_system = _cpu_pair(raw.get("precpu_stats") or {})
    if not pre_system and previous is not None:
        pre_total, pre_system = _cpu_pair(previous.get("cpu_stats") or {})
    cpu_percent = None
    if pre_system and system > pre_system:
        cpu_percent = max(total - pre_total, 0) / (system - pre_system) * online * 100.0
    memory = raw.get("memory_stats") or {}
    rx = tx = 0
    for net in (raw.get("networks") or {}).values():
        rx += int(net.get("rx_bytes") or 0)
        tx += int(net.get("tx_bytes") or 0)
    block_read, block_write = _block_io(raw)
    pids = (raw.get("pids_stats") or {}).get("current")
    return StatsSample(
        time=parse_time(raw.get("read")),
        cpu_percent=cpu_percent,
        online_cpus=online,
        memory_used=_memory_used(memory),
        memory_limit=int(memory.get("limit") or 0),
        net_rx=rx,
        net_tx=tx,
        block_read=block_read,
        block_write=block_write,
        pids=int(pids) if pids is not None else None,
    )
