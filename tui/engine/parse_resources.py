"""Images, volumes and networks from the engine API's documents.

Who uses what comes from one container list (`GET /containers/json?all=1`):
its `ImageID`, `Mounts` and `NetworkSettings.Networks` say which containers
use an image, mount a volume or sit on a network. Podman's compatible API
differs: its image list has `RepoTags` null for untagged images, its network
list carries the attached containers (Docker's leaves them out) and calls its
default network `bridge` where its containers say `podman`; `/system/df`'s
volume sizes are where both put them.
"""

from __future__ import annotations

from datetime import datetime, timezone
from types import MappingProxyType
from typing import Any, Iterable, Mapping

from tui.engine.parse import parse_time
from tui.engine.resources import (
    UNTAGGED,
    Attachment,
    ContainerRef,
    ImageSummary,
    NetworkSummary,
    RemovedImage,
    ResourceEvent,
    ResourceKind,
    VolumeSummary,
)


def _ref(container: Mapping[str, Any]) -> ContainerRef:
    names = container.get("Names") or []
    name = str(names[0] if names else container.get("Name") or "").lstrip("/")
    return ContainerRef(str(container.get("Id") or ""), name or str(container.get("Id") or "")[:12])


def _labels(raw: Any) -> Mapping[str, str]:
    return MappingProxyType({str(k): str(v) for k, v in (raw or {}).items()})


def _by_name(refs: Iterable[ContainerRef]) -> tuple[ContainerRef, ...]:
    return tuple(sorted(set(refs), key=lambda r: (r.name, r.id)))


def _tags(raw: Mapping[str, Any]) -> tuple[str, ...]:
    tags = [str(t) for t in raw.get("RepoTags") or [] if t and str(t) != UNTAGGED]
    return tuple(sorted(set(tags)))


def images_from_raw(images: list[Mapping[str, Any]], containers: list[Mapping[str, Any]],
                    engine: str) -> list[ImageSummary]:
    users: dict[str, list[ContainerRef]] = {}
    for container in containers:
        image_id = str(container.get("ImageID") or "")
        if image_id:
            users.setdefault(image_id, []).append(_ref(container))
    out = []
    for raw in images:
        image_id = str(raw.get("Id") or "")
        digests = tuple(str(d) for d in raw.get("RepoDigests") or [] if d and not str(d).startswith("<none>"))
        out.append(ImageSummary(
            id=image_id, engine=engine, tags=_tags(raw), size=int(raw.get("Size") or 0),
            created=parse_time(raw.get("Created")), containers=_by_name(users.get(image_id, ())),
            labels=_labels(raw.get("Labels")), digests=digests,
        ))
    return out


def _df_sizes(df: Mapping[str, Any] | None) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for entry in (df or {}).get("Volumes") or []:
        usage = entry.get("UsageData") or {}
        size = usage.get("Size")
        if size is not None and int(size) >= 0:  # -1: the engine did not measure it
            sizes[str(entry.get("Name"))] = int(size)
    return sizes


def volumes_from_raw(document: Mapping[str, Any] | list, containers: list[Mapping[str, Any]],
                     engine: str, df: Mapping[str, Any] | None = None) -> list[VolumeSummary]:
    raw_volumes = document.get("Volumes") if isinstance(document, Mapping) else document
    mounts: dict[str, list[ContainerRef]] = {}
    for container in containers:
        for mount in container.get("Mounts") or []:
            if mount.get("Type") == "volume" and mount.get("Name"):
                mounts.setdefault(str(mount["Name"]), []).append(_ref(container))
    sizes = _df_sizes(df)
    out = []
    for raw in raw_volumes or []:
        name = str(raw.get("Name") or "")
        usage = raw.get("UsageData") or {}
        size = sizes.get(name)
        if size is None and usage.get("Size") is not None and int(usage["Size"]) >= 0:
            size = int(usage["Size"])
        out.append(VolumeSummary(
            name=name, engine=engine, driver=str(raw.get("Driver") or "local"),
            mountpoint=str(raw.get("Mountpoint") or ""), created=parse_time(raw.get("CreatedAt")),
            scope=str(raw.get("Scope") or "local"), containers=_by_name(mounts.get(name, ())), size=size,
            labels=_labels(raw.get("Labels")),
        ))
    return out


def _subnets(raw: Mapping[str, Any]) -> tuple[str, ...]:
    ipam = raw.get("IPAM") or {}
    found = [str(c.get("Subnet")) for c in ipam.get("Config") or [] if c.get("Subnet")]
    for subnet in raw.get("subnets") or []:  # Podman's own API shape, should one answer with it
        if subnet.get("subnet"):
            found.append(str(subnet["subnet"]))
    return tuple(dict.fromkeys(found))


def _address(value: Any, prefix: Any = None) -> str:
    text = str(value or "")
    if text and prefix and "/" not in text:
        text = f"{text}/{prefix}"
    return text


def networks_from_raw(networks: list[Mapping[str, Any]], containers: list[Mapping[str, Any]],
                      engine: str) -> list[NetworkSummary]:
    refs = {str(c.get("Id") or ""): _ref(c) for c in containers}
    # Docker's network list leaves the containers out: take them from the containers' own side.
    from_containers: dict[str, dict[str, Attachment]] = {}
    for container in containers:
        for net_name, net in ((container.get("NetworkSettings") or {}).get("Networks") or {}).items():
            attachment = Attachment(
                _ref(container), ipv4=_address(net.get("IPAddress"), net.get("IPPrefixLen")),
                ipv6=_address(net.get("GlobalIPv6Address"), net.get("GlobalIPv6PrefixLen")),
                mac=str(net.get("MacAddress") or ""))
            for key in {str(net_name), str(net.get("NetworkID") or "")} - {""}:
                from_containers.setdefault(key, {})[attachment.container.id] = attachment
    out = []
    for raw in networks:
        network_id, name = str(raw.get("Id") or raw.get("id") or ""), str(raw.get("Name") or raw.get("name") or "")
        attached: dict[str, Attachment] = {}
        for container_id, entry in (raw.get("Containers") or {}).items():
            ref = refs.get(container_id) or ContainerRef(container_id, str(entry.get("Name") or container_id[:12]))
            attached[container_id] = Attachment(ref, ipv4=str(entry.get("IPv4Address") or ""),
                                                ipv6=str(entry.get("IPv6Address") or ""),
                                                mac=str(entry.get("MacAddress") or ""))
        for key in (network_id, name):
            for container_id, attachment in from_containers.get(key, {}).items():
                attached.setdefault(container_id, attachment)
        out.append(NetworkSummary(
            id=network_id, name=name, engine=engine, driver=str(raw.get("Driver") or raw.get("driver") or ""),
            scope=str(raw.get("Scope") or "local"), subnets=_subnets(raw), created=parse_time(raw.get("Created")),
            internal=bool(raw.get("Internal")),
            attachments=tuple(sorted(attached.values(), key=lambda a: (a.container.name, a.container.id))),
            labels=_labels(raw.get("Labels")),
        ))
    return out


def removed_image_from_raw(raw: Any) -> RemovedImage:
    untagged, deleted = [], []
    for entry in raw if isinstance(raw, list) else []:
        if entry.get("Untagged"):
            untagged.append(str(entry["Untagged"]))
        if entry.get("Deleted"):
            deleted.append(str(entry["Deleted"]))
    return RemovedImage(tuple(untagged), tuple(deleted))


_RESOURCE_TYPES = {kind.value: kind for kind in ResourceKind}


def resource_event_from_raw(raw: Mapping[str, Any], engine: str) -> ResourceEvent | None:
    """An image, volume or network event from one JSON line of `GET /events`; None for other types."""
    kind = _RESOURCE_TYPES.get(str(raw.get("Type") or raw.get("type") or ""))
    if kind is None:
        return None
    action = str(raw.get("Action") or raw.get("status") or "")
    actor = raw.get("Actor") or {}
    attributes = {str(k): str(v) for k, v in (actor.get("Attributes") or {}).items()}
    # Podman's volume events carry the name in the attributes and an empty ID.
    resource_id = str(actor.get("ID") or raw.get("id") or attributes.get("name") or "")
    if not action or not resource_id:
        return None
    nanos = raw.get("timeNano")
    when = (datetime.fromtimestamp(int(nanos) / 1e9, tz=timezone.utc) if nanos
            else parse_time(raw.get("time")) or datetime.now(timezone.utc))
    return ResourceEvent(kind=kind, action=action, id=resource_id, engine=engine, time=when,
                         name=attributes.get("name"), attributes=MappingProxyType(attributes))
