"""The fake engine's images, volumes, networks and build cache, for disk usage and pruning (see `prune`).

Composed into `FakeEngine` as `storage`. Tests and the demo script it (`add_image`,
`add_volume`, `add_network`, `add_cache`); it answers `disk_usage`, `prune_plan` and
`prune` with the same rules as the real engines: nothing that was not listed is removed,
and what became used after the preview is refused with an engine-like message.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Mapping

from tui.engine.errors import Conflict, EngineError, NotFound
from tui.engine.prune import (
    DiskUsage, PruneItem, PruneKind, PrunePlan, PruneReport, UsageRow, image_name, label_match,
)
from tui.engine.types import State

_STOPPED = (State.EXITED, State.DEAD, State.CREATED)


@dataclass
class FakeImage:
    id: str
    tags: list[str]
    size: int
    shared: int = 0
    labels: dict[str, str] = field(default_factory=dict)


@dataclass
class FakeVolume:
    name: str
    size: int
    labels: dict[str, str] = field(default_factory=dict)
    mounted_by: set[str] = field(default_factory=set)  # container ids


@dataclass
class FakeNetwork:
    id: str
    name: str
    labels: dict[str, str] = field(default_factory=dict)
    attached: set[str] = field(default_factory=set)  # container ids


@dataclass
class FakeCache:
    id: str
    size: int
    in_use: bool = False
    description: str = ""


class FakeStorage:
    def __init__(self, engine: Any) -> None:
        """`engine`: the `FakeEngine` it belongs to (its containers, names and `remove`)."""
        self.engine = engine
        self.images: dict[str, FakeImage] = {}
        self.volumes: dict[str, FakeVolume] = {}
        self.networks: dict[str, FakeNetwork] = {}
        self.cache: dict[str, FakeCache] = {}
        self.container_sizes: dict[str, int] = {}  # writable layer per container id (default 0)
        self.removed: list[tuple[PruneKind, str]] = []  # what prune removed, for tests
        self._made = 0

    # -- scripting ---------------------------------------------------------------------------

    def _id(self, what: str) -> str:
        self._made += 1
        return hashlib.sha256(f"{self.engine.name}/{what}/{self._made}".encode()).hexdigest()

    def add_image(self, *tags: str, size: int = 10 << 20, shared: int = 0, labels: Mapping[str, str] | None = None) -> str:
        """An image; a tag another image had moves here (the other one is left dangling, as with a re-tag)."""
        image = FakeImage(self._id("image:" + ",".join(tags)), list(tags), size, shared, dict(labels or {}))
        for other in self.images.values():
            other.tags = [t for t in other.tags if t not in tags]
        self.images[image.id] = image
        return image.id

    def add_volume(self, name: str, *, size: int = 1 << 20, labels: Mapping[str, str] | None = None,
                   mounted_by: tuple[str, ...] = ()) -> str:
        self.volumes[name] = FakeVolume(name, size, dict(labels or {}), set(mounted_by))
        return name

    def add_network(self, name: str, *, labels: Mapping[str, str] | None = None, attached: tuple[str, ...] = ()) -> str:
        network = FakeNetwork(self._id("network:" + name), name, dict(labels or {}), set(attached))
        self.networks[network.id] = network
        return network.id

    def add_cache(self, size: int = 5 << 20, *, in_use: bool = False, description: str = "mount / from exec") -> str:
        record = self._id("cache")[:25]
        self.cache[record] = FakeCache(record, size, in_use, description)
        return record

    # -- what uses what ----------------------------------------------------------------------------

    def _containers(self):
        return list(self.engine._containers.values())

    def _users(self, image: FakeImage) -> list:
        return [c for c in self._containers() if c.image == image.id or c.image in image.tags]

    def _live(self, ids: set[str]) -> set[str]:
        return ids & set(self.engine._containers)

    # -- Engine ------------------------------------------------------------------------------------

    def disk_usage(self) -> DiskUsage:
        images = list(self.images.values())
        used = [i for i in images if self._users(i)]
        size = sum(i.size - i.shared for i in images) + max((i.shared for i in images), default=0)
        containers = self._containers()
        running = [c for c in containers if c.state not in _STOPPED]
        volumes = list(self.volumes.values())
        mounted = [v for v in volumes if self._live(v.mounted_by)]
        sizes = self.container_sizes
        return DiskUsage((
            UsageRow("Images", len(images), len(used), size, max(size - sum(i.size - i.shared for i in used), 0)),
            UsageRow("Containers", len(containers), len(running), sum(sizes.get(c.id, 0) for c in containers),
                     sum(sizes.get(c.id, 0) for c in containers if c.state in _STOPPED)),
            UsageRow("Local volumes", len(volumes), len(mounted), sum(v.size for v in volumes),
                     sum(v.size for v in volumes if not self._live(v.mounted_by))),
            UsageRow("Build cache", len(self.cache), sum(c.in_use for c in self.cache.values()),
                     sum(c.size for c in self.cache.values()),
                     sum(c.size for c in self.cache.values() if not c.in_use)),
        ))

    def plan(self, kinds: frozenset[PruneKind], *, all_images: bool, labels: Mapping[str, str] | None) -> PrunePlan:
        wanted = dict(labels or {})
        items: list[PruneItem] = []
        notes: list[str] = []
        if PruneKind.CONTAINERS in kinds:
            for c in sorted(self._containers(), key=lambda c: c.name):
                if c.state in _STOPPED and label_match(c.labels, wanted):
                    items.append(PruneItem(PruneKind.CONTAINERS, c.id, c.name, self.container_sizes.get(c.id, 0),
                                           c.state.value))
        if PruneKind.IMAGES in kinds:
            for i in sorted(self.images.values(), key=lambda i: (image_name(i.tags), i.id)):
                if (all_images or not i.tags) and not self._users(i) and label_match(i.labels, wanted):
                    items.append(PruneItem(PruneKind.IMAGES, i.id, image_name(i.tags), i.size - i.shared,
                                           "tagged, unused" if i.tags else "dangling", refs=tuple(i.tags)))
        if PruneKind.VOLUMES in kinds:
            for v in sorted(self.volumes.values(), key=lambda v: v.name):
                if not self._live(v.mounted_by) and label_match(v.labels, wanted):
                    items.append(PruneItem(PruneKind.VOLUMES, v.name, v.name, v.size, "local"))
        if PruneKind.NETWORKS in kinds:
            for n in sorted(self.networks.values(), key=lambda n: n.name):
                if not self._live(n.attached) and label_match(n.labels, wanted):
                    items.append(PruneItem(PruneKind.NETWORKS, n.id, n.name, None, "bridge"))
        if PruneKind.BUILD_CACHE in kinds:
            if wanted:
                notes.append("Build cache carries no labels: left out when listing by label")
            else:
                items += [PruneItem(PruneKind.BUILD_CACHE, c.id, c.id[:12], c.size, c.description)
                          for c in self.cache.values() if not c.in_use]
        return PrunePlan(tuple(items), frozenset(kinds), all_images, tuple(sorted(wanted.items())), tuple(notes))

    async def prune(self, plan: PrunePlan) -> PruneReport:
        report = PruneReport()
        for kind in PruneKind:
            for item in plan.of(kind):
                try:
                    if await self._remove(item, report):
                        report.removed.append(item)
                        self.removed.append((item.kind, item.id))
                except NotFound:
                    report.gone.append(item)
                except EngineError as exc:
                    report.refuse(item, exc)
        return report

    async def _remove(self, item: PruneItem, report: PruneReport) -> bool:
        name = self.engine.name
        if item.kind is PruneKind.CONTAINERS:
            if not await self.engine.remove(item.id):
                raise NotFound(f"No such container: {item.id}", status=404, engine=name)
            return True
        if item.kind is PruneKind.IMAGES:
            image = self.images.get(item.id)
            if image is None:
                raise NotFound(f"No such image: {item.id}", status=404, engine=name)
            if set(image.tags) - set(item.refs):
                report.refuse(item, f"tagged since the preview ({image_name(set(image.tags) - set(item.refs))}): kept")
                return False
            if self._users(image):
                raise Conflict(f"conflict: unable to delete {item.id[:12]} (cannot be forced) - image is being used "
                               f"by stopped container {self._users(image)[0].id[:12]}", status=409, engine=name)
            del self.images[item.id]
            return True
        if item.kind is PruneKind.VOLUMES:
            volume = self.volumes.get(item.id)
            if volume is None:
                raise NotFound(f"get {item.id}: no such volume", status=404, engine=name)
            if self._live(volume.mounted_by):
                raise Conflict(f"remove {item.id}: volume is in use - [{sorted(self._live(volume.mounted_by))[0]}]",
                               status=409, engine=name)
            del self.volumes[item.id]
            return True
        if item.kind is PruneKind.NETWORKS:
            network = self.networks.get(item.id)
            if network is None:
                raise NotFound(f"network {item.id} not found", status=404, engine=name)
            if self._live(network.attached):
                raise EngineError(f"error while removing network: network {network.name} id {network.id} has active "
                                  "endpoints", status=403, engine=name)
            del self.networks[item.id]
            return True
        record = self.cache.get(item.id)
        if record is None or record.in_use:
            report.refuse(item, "the engine did not remove it (in use again?)")
            return False
        del self.cache[item.id]
        report.reclaimed += record.size
        return True
