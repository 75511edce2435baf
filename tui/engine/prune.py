"""Disk usage and pruning: what an engine holds, and exactly what a prune would remove.

A prune here is two steps. `Engine.prune_plan` lists the candidates, each with the
space the engine says it takes; `Engine.prune` then removes those items one by one, by
id (or by name, or by the listed tags), never with the engine's blind `/prune`: a
container stopped, an image left dangling or a volume freed after the preview is not in
the plan, so it stays. The engine itself refuses what became used meanwhile (a started
container, a mounted volume, an attached network), and that refusal is reported in its
own words. Sizes are the engine's: `/system/df`, image sizes, and for the build cache the
space the engine says it reclaimed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Iterable

from tui.engine.errors import EngineError


class PruneKind(StrEnum):
    CONTAINERS = "containers"  # stopped: exited, dead, created and never started
    IMAGES = "images"  # dangling; with `all_images`, every image no container uses
    VOLUMES = "volumes"  # no container mounts them
    NETWORKS = "networks"  # no container is attached (the engine's own networks never)
    BUILD_CACHE = "build cache"  # records no build uses now (Docker's BuildKit; Podman has none)


#: What each kind is called in a dialog, in the order dialogs list them.
KIND_TITLES: dict[PruneKind, str] = {
    PruneKind.CONTAINERS: "Stopped containers",
    PruneKind.IMAGES: "Dangling images",
    PruneKind.VOLUMES: "Unused volumes",
    PruneKind.NETWORKS: "Unused networks",
    PruneKind.BUILD_CACHE: "Build cache",
}

#: Networks every engine makes itself; removing them is refused, so they are never candidates.
PREDEFINED_NETWORKS = frozenset({"bridge", "host", "none", "podman", "ingress", "docker_gwbridge"})


@dataclass(frozen=True)
class PruneItem:
    kind: PruneKind
    id: str  # what the removal names: container or image id, volume name, network id, cache record id
    name: str  # what a person reads: a container's name, an image's tags, a volume's name
    size: int | None  # bytes the engine says removing it frees (None: the engine gives no figure)
    detail: str = ""  # state, driver, "unused since…": one short phrase
    refs: tuple[str, ...] = ()  # an unused tagged image: the tags to remove (the image goes with the last)
    engine: str = ""  # through a fleet: the engine it is on (and `id` is `<engine>/<id>`)


@dataclass(frozen=True)
class PrunePlan:
    """Exactly what `Engine.prune` will try to remove, and what was left out and why."""

    items: tuple[PruneItem, ...]
    kinds: frozenset[PruneKind]
    all_images: bool = False
    labels: tuple[tuple[str, str], ...] = ()  # only things carrying these labels were listed
    notes: tuple[str, ...] = ()  # e.g. "Podman keeps no build cache"

    def of(self, kind: PruneKind) -> list[PruneItem]:
        return [i for i in self.items if i.kind is kind]

    def size(self, kind: PruneKind | None = None) -> int:
        return sum(i.size or 0 for i in self.items if kind is None or i.kind is kind)

    def engines(self) -> list[str]:
        """The engines the items are on, in order of first appearance (none outside a fleet)."""
        return list(dict.fromkeys(i.engine for i in self.items if i.engine))

    def only(self, ids: Iterable[str]) -> PrunePlan:
        """The same plan narrowed to the items with these ids (a test keeps to what it made)."""
        keep = set(ids)
        return PrunePlan(tuple(i for i in self.items if i.id in keep), self.kinds, self.all_images, self.labels,
                         self.notes)


@dataclass
class PruneReport:
    removed: list[PruneItem] = field(default_factory=list)
    kept: list[tuple[PruneItem, str]] = field(default_factory=list)  # the engine refused, or it changed: why
    gone: list[PruneItem] = field(default_factory=list)  # already removed by someone else
    reclaimed: int = 0  # what the engine reported reclaiming where it reports it (build cache)
    reclaimed_on: dict[str, int] = field(default_factory=dict)  # through a fleet: `reclaimed` per engine

    @property
    def freed(self) -> int:
        """Bytes freed: the engine's sizes of what went (and what it said it reclaimed for the cache)."""
        return self.reclaimed + sum(i.size or 0 for i in self.removed if i.kind is not PruneKind.BUILD_CACHE)

    def freed_on(self, engine: str) -> int:
        """`freed`, of one engine's items (through a fleet)."""
        return self.reclaimed_on.get(engine, 0) + sum(i.size or 0 for i in self.removed
                                                      if i.engine == engine and i.kind is not PruneKind.BUILD_CACHE)

    def refuse(self, item: PruneItem, error: EngineError | str) -> None:
        self.kept.append((item, error if isinstance(error, str) else str(error)))


@dataclass(frozen=True)
class UsageRow:
    """One line of `docker system df`: how many, how many in use, their size, what a prune could free."""

    kind: str  # "Images", "Containers", "Local volumes", "Build cache"
    total: int
    active: int
    size: int
    reclaimable: int
    engine: str = ""  # through a fleet: whose figures these are


@dataclass(frozen=True)
class DiskUsage:
    rows: tuple[UsageRow, ...]
    notes: tuple[str, ...] = ()  # what the engine does not report (Podman: no build cache)


def label_match(labels: dict[str, str] | None, wanted: dict[str, str] | None) -> bool:
    """As the engines' `label` filter: `key=value`, or just `key` (empty value) for any value."""
    have = labels or {}
    return all(k in have and (not v or have[k] == v) for k, v in (wanted or {}).items())


def label_filter(wanted: dict[str, str] | None) -> list[str]:
    return [f"{k}={v}" if v else k for k, v in (wanted or {}).items()]


def short_id(value: str) -> str:
    """An image or container id without `sha256:`, as Podman and Docker differ on it."""
    return value.split(":", 1)[1] if value.startswith("sha256:") else value


def image_name(tags: Iterable[str] | None) -> str:
    real = [t for t in (tags or []) if t and t != "<none>:<none>"]
    return ", ".join(real) if real else "<none>"
