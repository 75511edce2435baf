"""Keep the dashboard's picture of the engine true, cheaply.

It lists once (brief, then detailed), then follows the engine's event stream:
each event makes us re-read just that container, coalescing bursts (a hundred
containers starting at once cost one batch of inspects, not a hundred
redraws). A slow reconcile corrects any drift; no fast polling loop.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta, timezone
from typing import Callable, Mapping

from textual.message import Message

from tui.engine import (
    ContainerEvent,
    ContainerSummary,
    Engine,
    EngineError,
    EventKind,
    EventsLost,
    EventsResumed,
    Health,
    NotFound,
)
from tui.dashboard.messages import (
    ContainerGone, ContainerHappened, ContainersListed, ContainerUpdated, EngineStatus, HistoryRead,
)

_COALESCE_SECONDS = 0.05
_INSPECT_CONCURRENCY = 8
_STORM_BATCH = 20  # containers touched in one coalescing window: more is a storm
_STORM_PAUSE = 0.5


def _drifted(have: ContainerSummary, brief: ContainerSummary) -> bool:
    """Does a brief list entry say something the summary we hold does not?"""
    if have.state is not brief.state or have.exit_code != brief.exit_code:
        return True
    # The list's status text carries health on Docker; Podman's does not.
    return brief.health is not Health.NONE and brief.health is not have.health


class LiveFeed:
    """Posts list/update/gone messages for one engine through `post`."""

    def __init__(self, engine: Engine, post: Callable[[Message], object], *, labels: dict[str, str] | None = None,
                 scope: str | None = None, history_hours: float = 0.0) -> None:
        self.engine = engine
        self.history_hours = history_hours  # the engine's own events read back once, for the timeline
        self.scope = scope  # several engines in view: this feed's lists and status are of that one
        self.post = post
        self.labels = labels or None
        self._dirty: set[str] = set()
        self._wake = asyncio.Event()
        self._listed = False

    async def list_all(self, detailed: bool = True) -> None:
        asked_at = time.monotonic()
        summaries = await self.engine.list_containers(detailed=detailed, labels=self.labels)
        self.post(ContainersListed(summaries, self.scope, asked_at))

    async def _list_member(self) -> None:
        # One engine of several, up (first time or back): briefly first, the first time, as the one engine's
        # first screen does; a failure waits for the next re-list rather than ending this engine's feed.
        try:
            first = not self._listed
            if first:
                await self.list_all(detailed=False)
            self._listed = True
            await self.list_all()
            if first:
                await self.read_history()
        except EngineError:
            pass

    async def read_history(self) -> None:
        """What the engine still holds of the last `history_hours` (once: the live stream has the rest)."""
        if self.history_hours <= 0:
            return
        until = datetime.now(timezone.utc)
        held = await self.engine.event_history(until - timedelta(hours=self.history_hours), until)
        self.post(HistoryRead([event for event in held if self._in_scope(event)]))

    async def reconcile(self, known: Mapping[str, ContainerSummary]) -> None:
        """Correct drift cheaply: one brief list, and an inspect only where it disagrees with `known`."""
        asked_at = time.monotonic()
        brief = await self.engine.list_containers(detailed=False, labels=self.labels)
        gate = asyncio.Semaphore(_INSPECT_CONCURRENCY)

        async def settle(item: ContainerSummary) -> ContainerSummary | None:
            have = known.get(item.id)
            if have is not None and have.detailed and not _drifted(have, item):
                return have
            async with gate:
                try:
                    return await self.engine.summary(item.id)
                except NotFound:
                    return None
                except EngineError:
                    return item

        merged = await asyncio.gather(*(settle(item) for item in brief))
        self.post(ContainersListed([s for s in merged if s is not None], self.scope, asked_at))

    def _in_scope(self, event: ContainerEvent) -> bool:
        if not self.labels:
            return True
        return all(event.attributes.get(k) == v or (v == "" and k in event.attributes) for k, v in self.labels.items())

    async def follow_events(self) -> None:
        """Runs until cancelled: events in, dirty container ids out to `refresh_dirty`."""
        async for event in self.engine.events():
            if isinstance(event, EventsLost):
                self.post(EngineStatus(False, event.reason, self.scope))
            elif isinstance(event, EventsResumed):
                self.post(EngineStatus(True, engine=self.scope))
                if self.scope is None:
                    await self.list_all()
                else:
                    await self._list_member()
            elif isinstance(event, ContainerEvent) and self._in_scope(event):
                self.post(ContainerHappened(event))
                if event.kind is EventKind.DESTROYED:
                    self._dirty.discard(event.container_id)
                    self.post(ContainerGone(event.container_id))
                elif event.kind is not EventKind.OTHER or event.action.startswith("health"):
                    self._dirty.add(event.container_id)
                    self._wake.set()

    async def refresh_dirty(self) -> None:
        """Runs until cancelled: re-reads containers the events touched, in batches."""
        gate = asyncio.Semaphore(_INSPECT_CONCURRENCY)

        async def one(container_id: str) -> None:
            async with gate:
                asked_at = time.monotonic()
                try:
                    self.post(ContainerUpdated(await self.engine.summary(container_id), asked_at))
                except NotFound:
                    self.post(ContainerGone(container_id, asked_at))
                except EngineError:
                    pass  # the reconcile will catch up

        while True:
            await self._wake.wait()
            await asyncio.sleep(_COALESCE_SECONDS)
            self._wake.clear()
            batch, self._dirty = self._dirty, set()
            await asyncio.gather(*(one(cid) for cid in batch))
            if self.scope is not None and len(batch) > _STORM_BATCH:
                # One engine of several in a storm: its rows update a few times a second, not forty,
                # so the one event loop keeps time for the other engines' rows.
                await asyncio.sleep(min(_STORM_PAUSE, len(batch) * 0.002))
