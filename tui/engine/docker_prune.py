"""Disk usage and pruning over the Docker API, for Docker and Podman's compatible API (see `prune`).

Podman's compatible `/system/df` differs: `LayersSize` is 0 (the images' own sizes are
summed instead), `SharedSize` is 0, volume labels are empty, and there is no build cache.
Candidates are therefore listed with each engine's own filters (`status`, `dangling`,
`label`) and only their sizes are read from `/system/df`.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

from tui.engine.errors import EngineError, NotFound
from tui.engine.types import State
from tui.engine.prune import (
    PREDEFINED_NETWORKS, DiskUsage, PruneItem, PruneKind, PrunePlan, PruneReport, UsageRow, image_name,
    label_filter, label_match, short_id,
)


class DockerApi(Protocol):
    """What of `DockerEngine` this module uses (its requests, so errors read the same)."""

    kind: str
    name: str

    async def _json(self, path: str, *, params: Any = None) -> Any: ...

    async def _call(self, path: str, method: str = "POST", *, params: Any = None, timeout: Any = None,
                    body: Any = None) -> int: ...

    def _request(self, path: str, method: str = "GET", *, params: Any = None, timeout: Any = None,
                 body: Any = None) -> Any: ...

_STOPPED = (State.EXITED, State.DEAD, State.CREATED)


def _filters(**values: list[str]) -> dict[str, str]:
    return {"filters": json.dumps({k: v for k, v in values.items() if v})}


def _size(value: Any) -> int | None:
    return value if isinstance(value, int) and value >= 0 else None


def usage_from_df(df: dict[str, Any], *, podman: bool) -> DiskUsage:
    """`docker system df`'s table from the engine's `/system/df` (as the docker CLI computes it)."""
    images = df.get("Images") or []
    layers = df.get("LayersSize") or sum(_size(i.get("Size")) or 0 for i in images)
    used = sum((_size(i.get("Size")) or 0) - max(i.get("SharedSize") or 0, 0)
               for i in images if (i.get("Containers") or 0) > 0)
    containers = df.get("Containers") or []
    running = [c for c in containers if c.get("State") == "running"]
    stopped = [c for c in containers if c.get("State") != "running"]
    volumes = df.get("Volumes") or []
    in_use = [v for v in volumes if ((v.get("UsageData") or {}).get("RefCount") or 0) > 0]
    unused = [v for v in volumes if ((v.get("UsageData") or {}).get("RefCount") or 0) <= 0]
    rows = [
        UsageRow("Images", len(images), sum(1 for i in images if (i.get("Containers") or 0) > 0), layers,
                 max(layers - used, 0)),
        UsageRow("Containers", len(containers), len(running), sum(_size(c.get("SizeRw")) or 0 for c in containers),
                 sum(_size(c.get("SizeRw")) or 0 for c in stopped)),
        UsageRow("Local volumes", len(volumes), len(in_use),
                 sum(_size((v.get("UsageData") or {}).get("Size")) or 0 for v in volumes),
                 sum(_size((v.get("UsageData") or {}).get("Size")) or 0 for v in unused)),
    ]
    notes: list[str] = []
    if podman:
        notes.append("Podman keeps no build cache the API shows")
    else:
        cache = df.get("BuildCache") or []
        rows.append(UsageRow("Build cache", len(cache), sum(1 for b in cache if b.get("InUse")),
                             sum(b.get("Size") or 0 for b in cache if not b.get("Shared")),
                             sum(b.get("Size") or 0 for b in cache if not b.get("InUse") and not b.get("Shared"))))
    return DiskUsage(tuple(rows), tuple(notes))


def _parents(record: dict[str, Any]) -> list[str]:
    # API 1.42 lists `Parents`; before it, one `Parent`.
    return list(record.get("Parents") or []) or ([record["Parent"]] if record.get("Parent") else [])


def _cache_items(records: list[dict[str, Any]]) -> list[PruneItem]:
    """The build cache records no build uses, each before the records it is built on: BuildKit keeps
    a record while another one rests on it, so a parent pruned first would stay."""
    by_id = {r.get("ID"): r for r in records}

    def depth(record: dict[str, Any], seen: frozenset[str] = frozenset()) -> int:
        parents = [by_id[p] for p in _parents(record) if p in by_id and p not in seen]
        return 1 + max((depth(p, seen | {record["ID"]}) for p in parents), default=0)

    unused = [r for r in records if not r.get("InUse") and r.get("ID")]
    unused.sort(key=lambda r: (-depth(r), r.get("LastUsedAt") or ""))
    items = []
    for r in unused:
        what = " ".join(x for x in (r.get("Type") or "", r.get("Description") or "") if x)
        if r.get("Shared"):
            what = "shared with an image: " + what
        items.append(PruneItem(PruneKind.BUILD_CACHE, r["ID"], r["ID"][:12], _size(r.get("Size")), what[:60]))
    return items


class DockerHousekeeping:
    """Composed into `DockerEngine`: it uses the engine's requests, so errors read the same."""

    def __init__(self, engine: DockerApi) -> None:
        self.engine = engine

    @property
    def podman(self) -> bool:
        return self.engine.kind == "podman"

    async def disk_usage(self) -> DiskUsage:
        return usage_from_df(await self.engine._json("system/df"), podman=self.podman)

    async def plan(self, kinds: frozenset[PruneKind], *, all_images: bool = False,
                   labels: dict[str, str] | None = None) -> PrunePlan:
        e = self.engine
        wanted = label_filter(labels)
        df = await e._json("system/df")
        items: list[PruneItem] = []
        notes: list[str] = []
        every = await e._json("containers/json", params={"all": "1"})
        if PruneKind.CONTAINERS in kinds:
            sizes = {c.get("Id"): _size(c.get("SizeRw")) for c in df.get("Containers") or []}
            # Not the engine's `status` filter: Podman refuses `dead` there; its states are folded onto Docker's.
            labelled = await e._json("containers/json", params={"all": "1", **_filters(label=wanted)})
            stopped = [c for c in labelled if State.parse(c.get("State")) in _STOPPED and label_match(c.get("Labels"), labels)]
            for c in sorted(stopped, key=lambda c: (c.get("Names") or [""])[0]):
                name = ((c.get("Names") or [""])[0]).lstrip("/") or c["Id"][:12]
                items.append(PruneItem(PruneKind.CONTAINERS, c["Id"], name, sizes.get(c["Id"], 0) or 0,
                                       c.get("Status") or c.get("State") or ""))
        if PruneKind.IMAGES in kinds:
            items += await self._images(df, every, all_images, labels)
        if PruneKind.VOLUMES in kinds:
            sizes = {v.get("Name"): _size((v.get("UsageData") or {}).get("Size")) for v in df.get("Volumes") or []}
            # Podman's `dangling` lists volumes running containers mount: their mounts say otherwise.
            mounted = {m.get("Name") for c in every for m in c.get("Mounts") or [] if m.get("Type") == "volume"}
            mounted |= {v.get("Name") for v in df.get("Volumes") or []
                        if ((v.get("UsageData") or {}).get("RefCount") or 0) > 0}
            answer = await e._json("volumes", params=_filters(dangling=["true"], label=wanted))
            # The label is checked here too: Podman's volume list does not always apply it.
            mine = [v for v in answer.get("Volumes") or []
                    if label_match(v.get("Labels"), labels) and v["Name"] not in mounted]
            for v in sorted(mine, key=lambda v: v["Name"]):
                items.append(PruneItem(PruneKind.VOLUMES, v["Name"], v["Name"], sizes.get(v["Name"]),
                                       v.get("Driver") or ""))
        if PruneKind.NETWORKS in kinds:
            items += await self._networks(every, labels)
        if PruneKind.BUILD_CACHE in kinds:
            if self.podman:
                notes.append("Podman keeps no build cache the API shows")
            elif labels:
                notes.append("Build cache carries no labels: left out when listing by label")
            else:
                items += _cache_items(df.get("BuildCache") or [])
        return PrunePlan(tuple(items), frozenset(kinds), all_images, tuple(sorted((labels or {}).items())),
                         tuple(notes))

    async def _images(self, df, every, all_images: bool, labels) -> list[PruneItem]:
        wanted = label_filter(labels)
        unique = {short_id(i.get("Id", "")): (_size(i.get("Size")) or 0) - max(i.get("SharedSize") or 0, 0)
                  for i in df.get("Images") or []}
        used = {short_id(c.get("ImageID") or "") for c in every}
        params = _filters(label=wanted) if all_images else _filters(dangling=["true"], label=wanted)
        found: list[PruneItem] = []
        for i in await self.engine._json("images/json", params=params):
            image_id = short_id(i["Id"])
            if image_id in used or not label_match(i.get("Labels"), labels):
                continue  # the engine's `dangling` lists images stopped containers use: those stay
            tags = tuple(t for t in i.get("RepoTags") or [] if t and t != "<none>:<none>")
            size = unique.get(image_id, _size(i.get("Size")))
            found.append(PruneItem(PruneKind.IMAGES, i["Id"], image_name(tags), size,
                                   "tagged, unused" if tags else "dangling", refs=tags))
        return sorted(found, key=lambda item: (item.name, item.id))

    async def _networks(self, every, labels) -> list[PruneItem]:
        wanted = label_filter(labels)
        attached: set[str] = set()
        for c in every:
            for name, net in ((c.get("NetworkSettings") or {}).get("Networks") or {}).items():
                attached |= {name, (net or {}).get("NetworkID") or ""}
        found = []
        for n in await self.engine._json("networks", params=_filters(label=wanted)):
            if n["Name"] in PREDEFINED_NETWORKS or n.get("Scope") not in (None, "", "local") \
                    or not label_match(n.get("Labels"), labels):
                continue
            if n["Name"] in attached or n["Id"] in attached or (n.get("Containers") or {}):
                continue
            found.append(PruneItem(PruneKind.NETWORKS, n["Id"], n["Name"], None, n.get("Driver") or ""))
        return sorted(found, key=lambda item: item.name)

    async def prune(self, plan: PrunePlan) -> PruneReport:
        report = PruneReport()
        # Containers first: nothing listed depends on them (used images, volumes and networks were not listed).
        for kind in PruneKind:
            for item in plan.of(kind):
                try:
                    await self._remove(item, report)
                except NotFound:
                    report.gone.append(item)
                except EngineError as exc:
                    report.refuse(item, exc)
        return report

    async def _remove(self, item: PruneItem, report: PruneReport) -> None:
        e = self.engine
        if item.kind is PruneKind.CONTAINERS:
            await e._call(f"containers/{item.id}", "DELETE", params={"force": "0", "v": "0"})
        elif item.kind is PruneKind.IMAGES:
            if not await self._remove_image(item, report):
                return
        elif item.kind is PruneKind.VOLUMES:
            await e._call(f"volumes/{item.id}", "DELETE", params={"force": "0"})
        elif item.kind is PruneKind.NETWORKS:
            await e._call(f"networks/{item.id}", "DELETE")
        else:
            # One record per call: the engine's `id` filter takes one value, matched as a pattern (anchored here).
            params = {"all": "1", **_filters(id=[f"^{item.id}$"])}
            async with e._request("build/prune", "POST", params=params) as response:
                answer = await response.json(content_type=None)
            if item.id not in (answer.get("CachesDeleted") or []):
                report.refuse(item, "the engine kept it (in use again, or a record in use rests on it)")
                return
            report.reclaimed += answer.get("SpaceReclaimed") or 0
        report.removed.append(item)

    async def _remove_image(self, item: PruneItem, report: PruneReport) -> bool:
        """Remove the listed image and no other: a dangling one only while still untagged; a tagged one by
        its listed tags (one tagged since keeps it). `noprune`: untagged parents were not listed."""
        e = self.engine
        try:
            current = await e._json(f"images/{item.id}/json")
        except NotFound:
            raise
        except EngineError:
            # Podman answers 500, not 404, for an image id it no longer has: ask its list.
            if short_id(item.id) not in {short_id(i.get("Id", "")) for i in await e._json("images/json")}:
                raise NotFound(f"No such image: {item.id}", status=404, engine=e.name) from None
            raise
        tags = tuple(t for t in current.get("RepoTags") or [] if t and t != "<none>:<none>")
        if set(tags) - set(item.refs):
            report.refuse(item, f"tagged since the preview ({image_name(set(tags) - set(item.refs))}): kept")
            return False
        deleted: list[str] = []
        for ref in item.refs or (item.id,):
            async with e._request(f"images/{ref}", "DELETE", params={"noprune": "1"}) as response:
                answer = await response.json(content_type=None)
            deleted += [short_id(d.get("Deleted") or "") for d in answer or [] if isinstance(d, dict)]
        if short_id(item.id) not in deleted:
            try:
                await e._json(f"images/{item.id}/json")
            except NotFound:
                return True  # gone with its last tag
            report.refuse(item, "untagged, but the engine kept the image")
            return False
        return True
