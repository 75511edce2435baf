"""Domain types for what an engine holds besides containers: images, volumes, networks.

Like `types.py`, frozen dataclasses the UI reads; `parse_resources.py` builds
them from the API's documents (Docker's and Podman's shapes both).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Mapping

_EMPTY: Mapping[str, str] = MappingProxyType({})
UNTAGGED = "<none>:<none>"


class ResourceKind(StrEnum):
    IMAGE = "image"
    VOLUME = "volume"
    NETWORK = "network"


@dataclass(frozen=True, slots=True)
class ContainerRef:
    """A container that uses a resource, as the resource's row names it."""

    id: str
    name: str

    @property
    def short_id(self) -> str:
        return self.id.rpartition("/")[2][:12]  # through a fleet the id is `<engine>/<id>`


@dataclass(frozen=True, slots=True)
class ImageSummary:
    """One image: every tag of one id on one row."""

    id: str
    engine: str
    tags: tuple[str, ...] = ()
    size: int = 0
    created: datetime | None = None
    containers: tuple[ContainerRef, ...] = ()
    labels: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    digests: tuple[str, ...] = ()
    #: Through a fleet, `id` is `<engine>/<id>` (what calls name) and this is the engine's own id.
    local_id: str = ""

    @property
    def key(self) -> str:
        return self.id

    @property
    def real_id(self) -> str:
        return self.local_id or self.id

    @property
    def name(self) -> str:
        """What a message calls it: its first tag, or its short id when untagged."""
        return self.tags[0] if self.tags else self.short_id

    @property
    def short_id(self) -> str:
        return self.real_id.removeprefix("sha256:")[:12]

    @property
    def dangling(self) -> bool:
        return not self.tags

    @property
    def in_use(self) -> bool:
        return bool(self.containers)


@dataclass(frozen=True, slots=True)
class VolumeSummary:
    name: str
    engine: str
    driver: str = "local"
    mountpoint: str = ""
    created: datetime | None = None
    scope: str = "local"
    containers: tuple[ContainerRef, ...] = ()
    size: int | None = None  # from /system/df, when the engine gives it (-1 there: unknown)
    labels: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    #: Through a fleet, `name` is `<engine>/<name>` (what calls name) and this is the engine's own name.
    local_name: str = ""

    @property
    def key(self) -> str:
        return self.name

    @property
    def real_name(self) -> str:
        return self.local_name or self.name

    @property
    def in_use(self) -> bool:
        return bool(self.containers)


@dataclass(frozen=True, slots=True)
class Attachment:
    """A container on a network, with its addresses there."""

    container: ContainerRef
    ipv4: str = ""
    ipv6: str = ""
    mac: str = ""

    @property
    def address(self) -> str:
        return self.ipv4 or self.ipv6


@dataclass(frozen=True, slots=True)
class NetworkSummary:
    id: str
    name: str
    engine: str
    driver: str = ""
    scope: str = "local"
    subnets: tuple[str, ...] = ()
    created: datetime | None = None
    internal: bool = False
    attachments: tuple[Attachment, ...] = ()
    labels: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    #: Through a fleet, `id` is `<engine>/<id>` (what calls name) and this is the engine's own id.
    local_id: str = ""

    @property
    def key(self) -> str:
        return self.id

    @property
    def real_id(self) -> str:
        return self.local_id or self.id

    @property
    def short_id(self) -> str:
        return self.real_id[:12]

    @property
    def builtin(self) -> bool:
        """The engine's own networks, which it refuses to remove."""
        return self.name in ("bridge", "host", "none", "podman")

    @property
    def containers(self) -> tuple[ContainerRef, ...]:
        return tuple(a.container for a in self.attachments)

    @property
    def in_use(self) -> bool:
        return bool(self.attachments)


@dataclass(frozen=True, slots=True)
class ResourceEvent:
    """An image, volume or network event from the engine's stream (pull, tag, create, connect…)."""

    kind: ResourceKind
    action: str
    id: str  # the image id or name, the volume name, the network id
    engine: str
    time: datetime
    name: str | None = None
    attributes: Mapping[str, str] = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True, slots=True)
class RemovedImage:
    """What removing an image did, in the engine's words: tags untagged, layers deleted."""

    untagged: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
