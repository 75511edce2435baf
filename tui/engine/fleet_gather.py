"""What the fleet answers from every member at once: images, volumes and networks, disk usage, prune.

With several engines in view a resource view lists each engine's own, on one
list with the engine named per row: every item is keyed `<engine>/<id>` (the
real id kept beside it, for display and copy), so a later remove, tag or
inspect goes back to its own engine through `fleet_routing`. Containers named
inside an item (who uses an image, who is on a network) are keyed the same way,
like the rows of the container list.

Disk usage is each engine's table, one after the other. A prune plans on each
engine that may change (a read-only one is left out, and the plan says so)
and runs each engine's part on that engine, so the report has per-engine
totals. An engine that is down or does not answer is left out with a note;
only when no engine answers does the call fail.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Mapping

from tui.engine.errors import EngineError
from tui.engine.fleet_routing import split_key
from tui.engine.prune import DiskUsage, PruneItem, PruneKind, PrunePlan, PruneReport
from tui.engine.resources import ContainerRef, ImageSummary, NetworkSummary, ResourceEvent, VolumeSummary

if TYPE_CHECKING:
    from tui.engine.base import Engine

#: `tui.engine.fleet`'s Fleet and Member (not imported: that module imports this one).
Fleet = Member = Any

#: A member gets this long to answer a listing before the others are shown without it.
GATHER_SECONDS = 10.0


# -- keys ---------------------------------------------------------------------------------------

def keyed_ref(member: Member, ref: ContainerRef) -> ContainerRef:
    return replace(ref, id=member.key(ref.id))


def keyed_image(member: Member, image: ImageSummary) -> ImageSummary:
    return replace(image, id=member.key(image.id), local_id=image.id, engine=member.name,
                   containers=tuple(keyed_ref(member, r) for r in image.containers))


def keyed_volume(member: Member, volume: VolumeSummary) -> VolumeSummary:
    return replace(volume, name=member.key(volume.name), local_name=volume.name, engine=member.name,
                   containers=tuple(keyed_ref(member, r) for r in volume.containers))


def keyed_network(member: Member, network: NetworkSummary) -> NetworkSummary:
    return replace(network, id=member.key(network.id), local_id=network.id, engine=member.name,
                   attachments=tuple(replace(a, container=keyed_ref(member, a.container))
                                     for a in network.attachments))


def keyed_resource_event(member: Member, event: ResourceEvent) -> ResourceEvent:
    return replace(event, id=member.key(event.id), engine=member.name)


# -- asking every member ------------------------------------------------------------------------

async def _each(fleet: Fleet, ask: Callable[[Engine], Awaitable[Any]], *,
                mutable: bool = False) -> tuple[list[tuple[Member, Any]], list[str]]:
    """(member, answer) for each connected member that answered, and a note for each that did not."""
    notes: list[str] = []
    asked: list[Member] = []
    for member in fleet.members.values():
        if not member.connected:
            notes.append(f"{member.name}: {member.state.value}, left out")
        elif mutable and member.read_only:
            notes.append(f"{member.name}: read-only, left out")
        else:
            asked.append(member)

    async def one(member: Member) -> Any:
        return await asyncio.wait_for(ask(member.engine), GATHER_SECONDS)

    answers = await asyncio.gather(*(one(m) for m in asked), return_exceptions=True)
    got: list[tuple[Member, Any]] = []
    errors: list[BaseException] = []
    for member, answer in zip(asked, answers):
        if isinstance(answer, asyncio.TimeoutError):
            notes.append(f"{member.name}: did not answer within {GATHER_SECONDS:g} s, left out")
        elif isinstance(answer, (EngineError, OSError)):
            notes.append(f"{member.name}: {str(answer).strip().splitlines()[0] if str(answer).strip() else answer!r}")
            errors.append(answer)
        elif isinstance(answer, BaseException):
            raise answer
        else:
            got.append((member, answer))
    if not got and errors:
        raise errors[0]  # nobody could: the engine's own words (e.g. "this engine cannot list images")
    if not got and not asked:
        raise EngineError("no engine in view is connected" + (f" ({'; '.join(notes)})" if notes else ""))
    return got, notes


async def gather_list(fleet: Fleet, method: str, keyed: Callable[[Member, Any], Any], **kwargs: Any) -> list:
    """Every answering member's `method(**kwargs)` list, keyed, on one list."""
    got, _ = await _each(fleet, lambda engine: getattr(engine, method)(**kwargs))
    return [keyed(member, item) for member, items in got for item in items]


async def disk_usage(fleet: Fleet) -> DiskUsage:
    """Each engine's rows (named by engine), one engine after the other."""
    got, notes = await _each(fleet, lambda engine: engine.disk_usage())
    rows = tuple(replace(row, engine=member.name) for member, usage in got for row in usage.rows)
    notes += [f"{member.name}: {note}" for member, usage in got for note in usage.notes]
    return DiskUsage(rows, tuple(notes))


async def prune_plan(fleet: Fleet, kinds: frozenset[PruneKind], *, all_images: bool = False,
                     labels: Mapping[str, str] | None = None) -> PrunePlan:
    """Each engine's plan, items keyed and named by engine; a read-only or unreachable engine is left out."""
    got, notes = await _each(fleet, lambda engine: engine.prune_plan(kinds, all_images=all_images, labels=labels),
                             mutable=True)
    items = tuple(replace(item, id=member.key(item.id), engine=member.name)
                  for member, plan in got for item in plan.items)
    notes += [f"{member.name}: {note}" for member, plan in got for note in plan.notes]
    labels_of = got[0][1].labels if got else ()
    return PrunePlan(items, kinds, all_images, labels_of, tuple(notes))


async def prune(fleet: Fleet, plan: PrunePlan) -> PruneReport:
    """Each engine's part of `plan`, on that engine (all at once); one report, items keyed again."""
    parts: dict[str, list[PruneItem]] = {}
    for item in plan.items:
        parts.setdefault(item.engine, []).append(item)
    report = PruneReport()

    async def one(name: str, items: list[PruneItem]) -> None:
        back: dict[int, PruneItem] = {}
        real_items = []
        for item in items:
            real = replace(item, id=split_key(item.id)[1], engine="")
            back[id(real)] = item
            real_items.append(real)
        try:
            _, engine = await fleet.reach_member(name, wait=False, mutates=True)
            part = await engine.prune(PrunePlan(tuple(real_items), plan.kinds, plan.all_images, plan.labels))
        except EngineError as exc:
            for item in items:
                report.refuse(item, exc)
            return
        report.removed += [back.get(id(i), i) for i in part.removed]
        report.gone += [back.get(id(i), i) for i in part.gone]
        report.kept += [(back.get(id(i), i), why) for i, why in part.kept]
        report.reclaimed += part.reclaimed
        report.reclaimed_on[name] = part.reclaimed

    await asyncio.gather(*(one(name, items) for name, items in parts.items()))
    return report

