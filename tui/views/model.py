"""What each resource view shows: its columns, how a row reads, filters and sorts. Pure: no widgets.

One `ViewSpec` per kind (images, volumes, networks). Column widths follow the
container list's rules (`tui.dashboard.table_layout`): names come from outside
and are capped, the least useful columns go first on a narrow screen.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Callable, Mapping

from tui.dashboard.model import age, human_bytes
from tui.dashboard.table_layout import ColumnSpec
from tui.engine.resources import ImageSummary, NetworkSummary, ResourceKind, VolumeSummary

Item = ImageSummary | VolumeSummary | NetworkSummary
MARK = "mark"


@dataclass(frozen=True)
class ViewColumn:
    spec: ColumnSpec
    text: Callable[[Any], str]
    sort: Callable[[Any], Any]

    @property
    def key(self) -> str:
        return self.spec.key


@dataclass(frozen=True)
class ViewSpec:
    kind: ResourceKind
    title: str  # "Images"
    noun: str  # "image"
    columns: tuple[ViewColumn, ...]
    words: Callable[[Any], tuple[str, ...]]  # what the filter's words may match
    copy_id: Callable[[Any], str]  # what `y` copies
    states: Callable[[Any], tuple[str, ...]]  # what `is:…` may name

    @property
    def sortable(self) -> list[str]:
        return [c.key for c in self.columns if c.key != MARK]


def _ago(moment: datetime | None) -> str:
    return f"{age(moment)} ago" if moment else ""


def _users(refs) -> str:
    if not refs:
        return ""
    names = ", ".join(r.name for r in refs[:3])
    more = f" +{len(refs) - 3}" if len(refs) > 3 else ""
    return f"{len(refs)}: {names}{more}"


def _time(moment: datetime | None) -> float:
    return moment.timestamp() if moment else 0.0


def image_tags(image: ImageSummary) -> str:
    return ", ".join(image.tags) if image.tags else "<none> (untagged)"


IMAGES = ViewSpec(
    kind=ResourceKind.IMAGE, title="Images", noun="image",
    columns=(
        ViewColumn(ColumnSpec("tags", "REPOSITORY:TAG", cap=60, minimum=16), image_tags,
                   lambda i: (not i.tags, image_tags(i).lower())),
        ViewColumn(ColumnSpec("id", "ID", cap=12), lambda i: i.short_id, lambda i: i.short_id),
        ViewColumn(ColumnSpec("size", "SIZE", cap=7), lambda i: human_bytes(i.size), lambda i: i.size),
        ViewColumn(ColumnSpec("created", "CREATED", cap=10, drop=3), lambda i: _ago(i.created),
                   lambda i: _time(i.created)),
        ViewColumn(ColumnSpec("used", "USED BY", cap=40, minimum=10, drop=2, grow=1), lambda i: _users(i.containers),
                   lambda i: len(i.containers)),
        ViewColumn(ColumnSpec("dangling", "DANGLING", cap=8, drop=1), lambda i: "yes" if i.dangling else "",
                   lambda i: i.dangling),
    ),
    words=lambda i: (*i.tags, i.real_id.removeprefix("sha256:"), *(r.name for r in i.containers)),
    copy_id=lambda i: i.real_id,
    states=lambda i: ("dangling" if i.dangling else "tagged", "used" if i.in_use else "unused"),
)

VOLUMES = ViewSpec(
    kind=ResourceKind.VOLUME, title="Volumes", noun="volume",
    columns=(
        ViewColumn(ColumnSpec("name", "NAME", cap=40, minimum=12), lambda v: v.real_name,
                   lambda v: v.real_name.lower()),
        ViewColumn(ColumnSpec("driver", "DRIVER", cap=12, drop=2), lambda v: v.driver, lambda v: v.driver),
        ViewColumn(ColumnSpec("size", "SIZE", cap=7), lambda v: "" if v.size is None else human_bytes(v.size),
                   lambda v: -1 if v.size is None else v.size),
        ViewColumn(ColumnSpec("created", "CREATED", cap=10, drop=3), lambda v: _ago(v.created),
                   lambda v: _time(v.created)),
        ViewColumn(ColumnSpec("used", "USED BY", cap=40, minimum=10, drop=4, grow=1), lambda v: _users(v.containers),
                   lambda v: len(v.containers)),
        ViewColumn(ColumnSpec("mountpoint", "MOUNTPOINT", cap=60, minimum=16, drop=1, grow=2),
                   lambda v: v.mountpoint, lambda v: v.mountpoint),
    ),
    words=lambda v: (v.real_name, v.driver, v.mountpoint, *(r.name for r in v.containers)),
    copy_id=lambda v: v.real_name,
    states=lambda v: ("used" if v.in_use else "unused",),
)


def attachments_text(network: NetworkSummary) -> str:
    parts = [f"{a.container.name} {a.address}".strip() for a in network.attachments[:3]]
    more = f" +{len(network.attachments) - 3}" if len(network.attachments) > 3 else ""
    return ", ".join(parts) + more


NETWORKS = ViewSpec(
    kind=ResourceKind.NETWORK, title="Networks", noun="network",
    columns=(
        ViewColumn(ColumnSpec("name", "NAME", cap=32, minimum=10), lambda n: n.name, lambda n: n.name.lower()),
        ViewColumn(ColumnSpec("id", "ID", cap=12, drop=1), lambda n: n.short_id, lambda n: n.id),
        ViewColumn(ColumnSpec("driver", "DRIVER", cap=10), lambda n: n.driver, lambda n: n.driver),
        ViewColumn(ColumnSpec("scope", "SCOPE", cap=6, drop=2), lambda n: n.scope, lambda n: n.scope),
        ViewColumn(ColumnSpec("subnet", "SUBNET", cap=40, minimum=12, drop=4), lambda n: ", ".join(n.subnets),
                   lambda n: n.subnets),
        ViewColumn(ColumnSpec("containers", "CONTAINERS", cap=70, minimum=12, drop=3, grow=1), attachments_text,
                   lambda n: len(n.attachments)),
    ),
    words=lambda n: (n.name, n.real_id, n.driver, *n.subnets, *(a.container.name for a in n.attachments),
                     *(a.address for a in n.attachments)),
    copy_id=lambda n: n.real_id,
    states=lambda n: ("used" if n.in_use else "unused", "builtin" if n.builtin else "custom"),
)

SPECS: dict[ResourceKind, ViewSpec] = {s.kind: s for s in (IMAGES, VOLUMES, NETWORKS)}

#: With several engines in view: whose each row is (the items' keys are `<engine>/<id>` then).
ENGINE_COLUMN = ViewColumn(ColumnSpec("engine", "ENGINE", cap=16, minimum=6), lambda i: i.engine,
                           lambda i: i.engine.lower())


def with_engine_column(spec: ViewSpec) -> ViewSpec:
    """`spec` with the engine first, and the engine's name among what the filter matches."""
    return replace(spec, columns=(ENGINE_COLUMN, *spec.columns), words=lambda i: (i.engine, *spec.words(i)))


@dataclass(frozen=True)
class ViewFilter:
    """What `/` typed in a view: words that must all match (a name, id, driver, container, `key=value`
    label, `is:unused` …)."""

    text: str = ""

    def matches(self, spec: ViewSpec, item: Item) -> bool:
        words = self.text.lower().split()
        if not words:
            return True
        haystack = [w.lower() for w in spec.words(item)]
        labels: Mapping[str, str] = {k.lower(): v.lower() for k, v in item.labels.items()}
        for word in words:
            if word.startswith("is:"):
                if word[3:] not in spec.states(item):
                    return False
            elif "=" in word:
                key, _, value = word.partition("=")
                if key not in labels or (value and value not in labels[key]):
                    return False
            elif not any(word in text for text in haystack):
                return False
        return True


def visible_items(spec: ViewSpec, items: Mapping[str, Item], filter: ViewFilter, sort: str,
                  reverse: bool) -> list[Item]:
    column = next((c for c in spec.columns if c.key == sort), spec.columns[0])
    shown = [item for item in items.values() if filter.matches(spec, item)]
    shown.sort(key=lambda item: (column.sort(item), item.key), reverse=reverse)
    return shown


def cells(spec: ViewSpec, item: Item) -> dict[str, str]:
    return {c.key: c.text(item) for c in spec.columns}
