"""`Fleet`: several engines behind the one `Engine` the dashboard talks to.

Two endpoints can reach the same daemon, so container ids repeat across
members: the fleet names a container `<member>/<real id>` (the summary keeps
the real id in `local_id`, for display and copy), and images, volumes and
networks the same way, and routes every call by that key to the member's own
engine: one table says how (`fleet_routing.ROUTES`, through `Fleet.reach`);
what is asked of every member at once (resource lists, disk usage, prune) is
`fleet_gather`'s. Each member connects on its own and never
waits on another: a member that is slow, dead or reconnecting costs the others
nothing. Its state (connecting, connected, reconnecting, auth failed,
unreachable) is kept here, where the connection is, and announced in the event
stream (`EventsLost` / `EventsResumed` with `engine` = the member's name) so
the list can re-list or grey that member's rows.

Single-engine mode does not use any of this: the dashboard gets the engine itself.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from datetime import datetime
from enum import StrEnum
from typing import AsyncIterator, Awaitable, Callable, Iterable, Mapping

from tui.engine import fleet_gather
from tui.engine.base import Engine
from tui.engine.errors import EngineError, EngineUnreachable, PermissionDenied
from tui.engine.fleet_routing import SEPARATOR, ReadOnlyEngine, routes_by_key, split_key
from tui.engine.prune import DiskUsage, PruneKind, PrunePlan, PruneReport
from tui.engine.resources import ImageSummary, NetworkSummary, ResourceEvent, VolumeSummary
from tui.engine.spec import EngineSpec
from tui.engine.types import ContainerEvent, ContainerSummary, EngineEvent, EventsLost, EventsResumed

__all__ = ["Fleet", "Member", "MemberState", "MemberView", "ReadOnlyEngine", "routed", "split_key",
           "quick_first_lists"]
#: Seconds between tries to reach a member that is down; the last one repeats.
RETRY_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0)
#: An open (connect and first answer) that takes longer is given up on, and tried again later.
OPEN_SECONDS = 10.0
#: `Fleet.list_containers` gives a connected member this long before leaving its rows out.
LIST_PATIENCE = 2.0

OpenEngine = Callable[[EngineSpec], Awaitable[Engine]]


class MemberState(StrEnum):
    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    AUTH_FAILED = "auth failed"
    UNREACHABLE = "unreachable"


def is_auth_failure(exc: BaseException) -> bool:
    """Retrying cannot help (a key the server refuses, a socket we may not open): fail fast, once."""
    if isinstance(exc, PermissionDenied) or getattr(exc, "auth_failed", False):
        return True
    return "auth" in type(exc).__name__.lower()


def reason_of(exc: BaseException) -> str:
    if isinstance(exc, EngineUnreachable) and exc.attempts:
        attempt = exc.attempts[0]
        return f"{attempt.reason}; {attempt.hint}" if attempt.hint else attempt.reason
    if isinstance(exc, EngineError):
        return exc.message.strip().splitlines()[0] if exc.message.strip() else type(exc).__name__
    return f"{type(exc).__name__}: {exc}"


class Member:
    """One engine of the fleet: its spec, its engine once open, and how the connection is."""

    def __init__(self, spec: EngineSpec) -> None:
        self.spec = spec
        self.name = spec.name
        self.engine: Engine | None = None
        self.state = MemberState.CONNECTING
        self.reason = ""  # why it is down (auth failed, unreachable, reconnecting)
        self.since: float | None = None  # wall-clock time it went down (for "since HH:MM:SS")
        self.next_try: float | None = None  # wall-clock time of the next try, while down
        self.ever_connected = False
        self._subscribers: list[asyncio.Queue] = []
        self._task: asyncio.Task | None = None
        self._changed: Callable[[Member], None] | None = None
        self._waiter = asyncio.Event()  # set (and replaced) at each change of state

    @property
    def read_only(self) -> bool:
        return self.spec.read_only

    @property
    def connected(self) -> bool:
        return self.state is MemberState.CONNECTED and self.engine is not None

    def key(self, real_id: str) -> str:
        return f"{self.name}{SEPARATOR}{real_id}"

    def keyed(self, summary: ContainerSummary) -> ContainerSummary:
        return replace(summary, id=self.key(summary.id), local_id=summary.id, engine=self.name)

    def in_scope(self, attributes: Mapping[str, str]) -> bool:
        labels = self.spec.labels
        return all(attributes.get(k) == v or (v == "" and k in attributes) for k, v in labels.items())

    # -- the state, announced --------------------------------------------------------------

    def _set(self, state: MemberState, reason: str = "", next_try: float | None = None) -> None:
        if state in (MemberState.CONNECTED, MemberState.CONNECTING):
            self.since = None
        elif self.since is None:
            self.since = time.time()
        self.state, self.reason, self.next_try = state, reason, next_try
        waiter, self._waiter = self._waiter, asyncio.Event()
        waiter.set()
        if self._changed is not None:
            self._changed(self)

    def _broadcast(self, event: EngineEvent) -> None:
        for queue in self._subscribers:
            queue.put_nowait(event)

    async def first_connection(self, timeout: float = OPEN_SECONDS + 1) -> None:
        """Wait (up to `timeout`) while the member makes its first connection: a log or a shell asked for
        before it is up (its rows came from the quick first list) goes ahead once it is, not fails."""
        deadline = asyncio.get_running_loop().time() + timeout
        while self.state is MemberState.CONNECTING:
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                return
            try:
                await asyncio.wait_for(self._waiter.wait(), left)
            except asyncio.TimeoutError:
                return

    def subscribe(self) -> asyncio.Queue:
        queue: asyncio.Queue = asyncio.Queue()
        self._subscribers.append(queue)
        if self.connected:
            queue.put_nowait(EventsResumed(self.name, 0.0))  # a late subscriber lists at once
        elif self.state is not MemberState.CONNECTING:
            queue.put_nowait(EventsLost(self.name, self.reason))
        return queue

    def unsubscribe(self, queue: asyncio.Queue) -> None:
        if queue in self._subscribers:
            self._subscribers.remove(queue)

    # -- the connection, kept ---------------------------------------------------------------

    async def run(self, open_engine: OpenEngine) -> None:
        """Open the engine (retrying), follow its events, and on a break probe until it answers again."""
        attempt = 0
        while self.engine is None:
            try:
                engine = await asyncio.wait_for(open_engine(self.spec), OPEN_SECONDS)
            except asyncio.TimeoutError:
                reason = f"did not answer within {OPEN_SECONDS:g} s"
                auth = False
            except (EngineError, OSError) as exc:
                reason, auth = reason_of(exc), is_auth_failure(exc)
            else:
                self.engine = engine
                break
            if auth:
                self._set(MemberState.AUTH_FAILED, reason)
                self._broadcast(EventsLost(self.name, reason))
                return  # no retry storm against a server that refuses us
            delay = RETRY_DELAYS[min(attempt, len(RETRY_DELAYS) - 1)]
            self._set(MemberState.UNREACHABLE, reason, time.time() + delay)
            self._broadcast(EventsLost(self.name, reason))
            attempt += 1
            await asyncio.sleep(delay)
        down_since = time.monotonic()
        while True:
            self.ever_connected = True
            self._set(MemberState.CONNECTED)
            self._broadcast(EventsResumed(self.name, time.monotonic() - down_since))
            reason = await self._follow(self.engine)
            down_since = time.monotonic()
            self._set(MemberState.RECONNECTING, reason, time.time() + RETRY_DELAYS[0])
            self._broadcast(EventsLost(self.name, reason))
            await self._probe_until_back(self.engine)

    async def _follow(self, engine: Engine) -> str:
        """Pass the member's events on, keyed, until its stream breaks; returns why it broke."""
        stream = engine.events()
        try:
            async for event in stream:
                if isinstance(event, EventsLost):
                    return event.reason
                if isinstance(event, ContainerEvent):
                    self._broadcast(replace(event, container_id=self.key(event.container_id), engine=self.name))
                elif isinstance(event, ResourceEvent):  # a resource view re-lists on these
                    self._broadcast(fleet_gather.keyed_resource_event(self, event))
        finally:
            await stream.aclose()
        return "the engine closed the event stream"

    async def _probe_until_back(self, engine: Engine) -> None:
        attempt = 0
        while True:
            delay = RETRY_DELAYS[min(attempt, len(RETRY_DELAYS) - 1)]
            self._set(MemberState.RECONNECTING, self.reason, time.time() + delay)
            await asyncio.sleep(delay)
            try:
                ping = getattr(engine, "ping", None)
                if ping is not None:
                    await ping()
                else:
                    await asyncio.wait_for(engine.list_containers(detailed=False), OPEN_SECONDS)
                return
            except (EngineError, OSError, asyncio.TimeoutError) as exc:
                self.reason = reason_of(exc) if not isinstance(exc, asyncio.TimeoutError) else "not answering"
            attempt += 1

    def start(self, open_engine: OpenEngine, changed: Callable[[Member], None] | None) -> None:
        self._changed = changed
        self._task = asyncio.get_running_loop().create_task(self.run(open_engine), name=f"fleet member {self.name}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):
                pass
            self._task = None
        self._broadcast(EventsLost(self.name, "removed from the view"))
        if self.engine is not None:
            await self.engine.close()
            self.engine = None


@routes_by_key
class MemberView(Engine):
    """One member seen through the fleet's keys: what a per-member feed of the dashboard follows."""

    def __init__(self, fleet: Fleet, member: Member) -> None:
        self.fleet, self.member = fleet, member
        self.name, self.kind, self.url = member.name, "fleet-member", member.spec.host

    async def list_containers(self, *, detailed: bool = True,
                              labels: Mapping[str, str] | None = None) -> list[ContainerSummary]:
        return await self.fleet.list_member(self.member, detailed=detailed, labels=labels)

    async def events(self) -> AsyncIterator[EngineEvent]:
        queue = self.member.subscribe()
        try:
            while True:
                event = await queue.get()
                if isinstance(event, ContainerEvent) and not self.member.in_scope(event.attributes):
                    continue
                yield event
        finally:
            self.member.unsubscribe(queue)

    async def event_history(self, since: datetime, until: datetime) -> list[ContainerEvent]:
        engine = self.member.engine
        if engine is None:
            return []
        held = await engine.event_history(since, until)
        return [replace(e, container_id=self.member.key(e.container_id), engine=self.member.name) for e in held
                if self.member.in_scope(e.attributes)]

    # Everything that names a container goes through the fleet, by key (`routes_by_key`).
    def forget(self, container_id: str) -> None:
        self.fleet.forget(container_id)

    async def close(self) -> None:
        pass  # the fleet owns the member


@routes_by_key
class Fleet(Engine):
    """Member engines as one (see the module docstring). `connect_all()` once, inside the event loop."""

    kind = "fleet"

    def __init__(self, specs: Iterable[EngineSpec], open_engine: OpenEngine, *,
                 changed: Callable[[Member], None] | None = None) -> None:
        self.open_engine = open_engine
        self.members: dict[str, Member] = {}
        self.known: list[EngineSpec] = []  # every spec the picker offers, in view or not
        self.changed = changed  # told of every member's state change (the header redraws)
        self._subscribers: list[asyncio.Queue] = []
        self._waiters: list[asyncio.Event] = []
        self._started = False
        for spec in specs:
            self._remember(spec)
            self.members[spec.name] = self._member(spec)
        self.default = next((s.name for s in self.known if s.default), next(iter(self.members), ""))
        self.name = "fleet"
        self.url = ", ".join(m.spec.host for m in self.members.values())

    def _remember(self, spec: EngineSpec) -> None:
        if SEPARATOR in spec.name:
            raise ValueError(f"{spec.source}: engine name {spec.name!r} may not contain {SEPARATOR!r}")
        if all(known.name != spec.name for known in self.known):
            self.known.append(spec)

    def _member(self, spec: EngineSpec) -> Member:
        member = Member(spec)
        for queue in self._subscribers:
            member._subscribers.append(queue)
        return member

    def _member_changed(self, member: Member) -> None:
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            waiter.set()
        if self.changed is not None:
            self.changed(member)

    async def state_changed(self) -> None:
        """Wait until some member's state changes (not `changes`: that is a container's filesystem diff)."""
        waiter = asyncio.Event()
        self._waiters.append(waiter)
        await waiter.wait()

    def connect_all(self) -> None:
        """Start every member connecting (each on its own task)."""
        if not self._started:
            self._started = True
            for member in self.members.values():
                member.start(self.open_engine, self._member_changed)

    # -- membership (the picker) ----------------------------------------------------------------

    def offer(self, spec: EngineSpec) -> None:
        """Know `spec` (the picker lists it) without putting it in view."""
        self._remember(spec)

    def add(self, spec: EngineSpec) -> Member:
        """Put `spec` in view: it connects on its own; its rows come as it answers."""
        self._remember(spec)
        if spec.name in self.members:
            return self.members[spec.name]
        member = self._member(spec)
        self.members[spec.name] = member
        if self._started:
            member.start(self.open_engine, self._member_changed)
        return member

    async def remove_member(self, name: str) -> None:
        member = self.members.pop(name, None)
        if member is not None:
            await member.stop()

    def set_default(self, name: str) -> None:
        if name in self.members:
            self.default = name

    def view(self, name: str) -> MemberView:
        return MemberView(self, self.members[name])

    # -- routing ------------------------------------------------------------------------------------

    def route(self, key: str) -> tuple[Member, Engine, str]:
        """(member, its engine, the real id) of a fleet key; raises if the member cannot be reached now."""
        name, real = split_key(key)
        member, engine = self._reachable(name or key)
        return member, engine, real

    def _reachable(self, name: str) -> tuple[Member, Engine]:
        member = self.members.get(name)
        if member is None:
            raise EngineError(f"{name}: not an engine in view", engine=name or None)
        if member.engine is None or member.state is not MemberState.CONNECTED:
            why = f": {member.reason}" if member.reason else ""
            raise EngineError(f"the engine is {member.state.value}{why}", engine=name)
        return member, member.engine

    async def reach_member(self, name: str, *, wait: bool = True, mutates: bool = False,
                           action: str = "") -> tuple[Member, Engine]:
        """The member `name` and its engine: after waiting (`wait`) for a member still making its first
        connection (what the user asked for goes ahead once it is up), refused on a read-only member if the
        call `mutates`. Every routed call (`fleet_routing`) comes through here."""
        member = self.members.get(name)
        if wait and member is not None and member.state is MemberState.CONNECTING:
            await member.first_connection()
        member, engine = self._reachable(name)
        if mutates and member.read_only:
            what = f"{action.replace('_', ' ')}: " if action else ""
            raise ReadOnlyEngine(f"read-only engine: {what}actions are turned off on {member.name}",
                                 engine=member.name)
        return member, engine

    async def reach(self, key: str, *, wait: bool = True, mutates: bool = False,
                    action: str = "") -> tuple[Member, Engine, str]:
        """`reach_member` for the member a key names, and the real id."""
        name, real = split_key(key)
        member, engine = await self.reach_member(name or key, wait=wait, mutates=mutates, action=action)
        return member, engine, real

    async def list_member(self, member: Member, *, detailed: bool = True,
                          labels: Mapping[str, str] | None = None) -> list[ContainerSummary]:
        if member.engine is None or not member.connected:
            raise EngineError(f"the engine is {member.state.value}", engine=member.name)
        scope = {**member.spec.labels, **(labels or {})} or None
        return [member.keyed(s) for s in await member.engine.list_containers(detailed=detailed, labels=scope)]

    async def list_containers(self, *, detailed: bool = True,
                              labels: Mapping[str, str] | None = None) -> list[ContainerSummary]:
        """Every connected member's containers; one that does not answer in time is left out, not waited for."""

        async def one(member: Member) -> list[ContainerSummary]:
            try:
                return await asyncio.wait_for(self.list_member(member, detailed=detailed, labels=labels),
                                              LIST_PATIENCE)
            except (EngineError, asyncio.TimeoutError):
                return []

        lists = await asyncio.gather(*(one(m) for m in list(self.members.values()) if m.connected))
        return [s for part in lists for s in part]

    async def events(self) -> AsyncIterator[EngineEvent]:
        """Every member's events, merged; a member coming up or going down says so under its name."""
        queue: asyncio.Queue = asyncio.Queue()
        self._subscribers.append(queue)
        for member in self.members.values():
            member._subscribers.append(queue)
            if member.connected:
                queue.put_nowait(EventsResumed(member.name, 0.0))
        try:
            while True:
                event = await queue.get()
                if isinstance(event, ContainerEvent):
                    member = self.members.get(event.engine)
                    if member is not None and not member.in_scope(event.attributes):
                        continue
                yield event
        finally:
            self._subscribers.remove(queue)
            for member in self.members.values():
                member.unsubscribe(queue)

    def forget(self, container_id: str) -> None:
        name, real = split_key(container_id)
        member = self.members.get(name)
        if member is not None and member.engine is not None:
            member.engine.forget(real)

    # -- every member at once: resource views, disk usage, prune (`fleet_gather`) ------------------

    async def list_images(self) -> list[ImageSummary]:
        return await fleet_gather.gather_list(self, "list_images", fleet_gather.keyed_image)

    async def list_volumes(self, *, sizes: bool = True) -> list[VolumeSummary]:
        return await fleet_gather.gather_list(self, "list_volumes", fleet_gather.keyed_volume, sizes=sizes)

    async def list_networks(self) -> list[NetworkSummary]:
        return await fleet_gather.gather_list(self, "list_networks", fleet_gather.keyed_network)

    async def disk_usage(self) -> DiskUsage:
        return await fleet_gather.disk_usage(self)

    async def prune_plan(self, kinds: frozenset[PruneKind], *, all_images: bool = False,
                         labels: Mapping[str, str] | None = None) -> PrunePlan:
        return await fleet_gather.prune_plan(self, kinds, all_images=all_images, labels=labels)

    async def prune(self, plan: PrunePlan) -> PruneReport:
        return await fleet_gather.prune(self, plan)

    async def close(self) -> None:
        await asyncio.gather(*(m.stop() for m in list(self.members.values())), return_exceptions=True)


def routed(engine: Engine, container_id: str) -> tuple[Engine, str]:
    """The engine that owns `container_id` and its id there (itself and the id, outside a fleet), for a shell
    through the engine's own client: refused, like the fleet's exec, on a read-only engine."""
    if isinstance(engine, (Fleet, MemberView)):
        fleet = engine if isinstance(engine, Fleet) else engine.fleet
        member, member_engine, real = fleet.route(container_id)
        if member.read_only:
            raise ReadOnlyEngine(f"read-only engine: shells are turned off on {member.name}", engine=member.name)
        return member_engine, real
    return engine, container_id


def quick_first_lists(specs: Iterable[EngineSpec], labels: Mapping[str, str] | None = None,
                      timeout: float = 3.0) -> list[Awaitable[list[ContainerSummary]]]:
    """The local members' containers from a plain request each, before the full client loads (keyed):
    one awaitable per member, so the first to answer can be drawn without waiting for the others.

    The one-engine run draws its first screen this way (`tui.engine.quick`); with several engines the
    local ones are as quick, and a remote or dead one simply has nothing here (an empty list). Nothing
    waits on these but the first frame (for the first to answer): `timeout` only ends a hung local
    socket's, and is generous, since on a loaded host a list that misses it leaves the engine's rows to
    its full connection, seconds later.
    """
    from tui.engine.endpoints import Endpoint, probe_socket
    from tui.engine.quick import quick_list

    async def one(spec: EngineSpec) -> list[ContainerSummary]:
        endpoint = Endpoint(spec.host, spec.source, name=spec.name)
        if spec.kind != "api" or endpoint.socket_path is None or probe_socket(endpoint, timeout=0.1) is not None:
            return []
        try:
            _, summaries = await asyncio.wait_for(quick_list(endpoint, {**spec.labels, **(labels or {})} or None),
                                                  timeout)
        except (EngineError, OSError, asyncio.TimeoutError):
            return []
        member = Member(spec)
        return [member.keyed(s) for s in summaries]

    return [one(spec) for spec in specs]
