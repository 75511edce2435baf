"""How a fleet call reaches the member engine that owns what it names: one table, one helper.

A container, image, volume or network seen through the fleet is named
`<member>/<real id>` (`fleet_keys`); every call that names one goes to that
member's engine with the real id, through `Routed`. The table `ROUTES` says,
per engine method, whether it changes anything (refused on a read-only member),
whether it waits for a member still making its first connection (what the user
asked for goes ahead once it is up) or answers at once, whether it streams, and
how many of its leading arguments are keys (connecting a container to a network
names both, and both must be on the one engine). A new engine method that names
a container or a resource is routed by adding one line here.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any, AsyncIterator, Callable

from tui.engine.errors import EngineError

if TYPE_CHECKING:
    from tui.engine.base import Engine

#: `tui.engine.fleet`'s Fleet and Member (not imported: that module imports this one).
Fleet = Member = Any

SEPARATOR = "/"


def split_key(key: str) -> tuple[str, str]:
    """`<member>/<real id>` → (member, real id); a key without a member → ("", key).

    The first separator splits: member names never hold one, a real reference may
    (an image named by `registry/repo:tag`)."""
    member, sep, real = key.partition(SEPARATOR)
    return (member, real) if sep else ("", key)


class ReadOnlyEngine(EngineError):
    """An action on a member configured read-only."""


def _keyed_summary(member: Member, summary: Any) -> Any:
    return member.keyed(summary)


@dataclass(frozen=True)
class Routed:
    """A fleet method that goes to the member its first argument names (see the module docstring)."""

    mutates: bool = False  # refused on a read-only member
    wait: bool = True  # a member still making its first connection is waited for, not refused
    stream: bool = False  # the method returns an async iterator (not awaited)
    keys: int = 1  # leading arguments that are fleet keys (all on one member)
    result: Callable[[Member, Any], Any] | None = None  # re-keys what the member answered
    name: str = ""

    def __get__(self, owner_object: Any, owner: type | None = None) -> Any:
        if owner_object is None:
            return self
        # A `MemberView` routes through its fleet; the fleet through itself.
        fleet = getattr(owner_object, "fleet", owner_object)
        return partial(self._stream if self.stream else self._call, fleet)

    async def _reach(self, fleet: Fleet, args: tuple) -> tuple[Member, Engine, tuple]:
        if len(args) < self.keys:
            raise TypeError(f"{self.name} takes {self.keys} key(s) first")
        member, engine, real = await fleet.reach(args[0], wait=self.wait, mutates=self.mutates, action=self.name)
        reals = [real]
        for other in args[1:self.keys]:
            name, other_real = split_key(other)
            if name != member.name:
                raise EngineError(f"{other} is on {name or 'no engine'}, not on {member.name}: "
                                  "one call reaches one engine", engine=member.name)
            reals.append(other_real)
        return member, engine, (*reals, *args[self.keys:])

    async def _call(self, fleet: Fleet, *args: Any, **kwargs: Any) -> Any:
        member, engine, args = await self._reach(fleet, args)
        answer = await getattr(engine, self.name)(*args, **kwargs)
        return self.result(member, answer) if self.result is not None else answer

    async def _stream(self, fleet: Fleet, *args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        _, engine, args = await self._reach(fleet, args)
        inner = getattr(engine, self.name)(*args, **kwargs)
        try:
            async for item in inner:
                yield item
        finally:
            # Closed early (a preview that read its head, a pane closed): the member's stream ends now,
            # so its engine stops sending, rather than whenever the collector gets to it.
            aclose = getattr(inner, "aclose", None)
            if aclose is not None:
                await aclose()


_READ = Routed()
_AT_ONCE = Routed(wait=False)  # asked often and in the background: a member not up yet fails fast
_CHANGE = Routed(mutates=True)

ROUTES: dict[str, Routed] = {
    # containers
    "summary": Routed(wait=False, result=_keyed_summary),
    "inspect": _READ,
    "wait_healthy": Routed(result=_keyed_summary),
    "start": _CHANGE, "stop": _CHANGE, "restart": _CHANGE, "kill": _CHANGE,
    "pause": _CHANGE, "unpause": _CHANGE, "remove": _CHANGE,
    "logs": Routed(stream=True), "log_batches": Routed(stream=True),
    "stats": Routed(wait=False, stream=True), "stats_once": _AT_ONCE,
    "exec": _CHANGE,  # a shell can change anything: not on a read-only engine
    # inside a container: processes and files
    "top": _READ, "signal_process": _CHANGE,
    "stat_path": _READ, "get_archive": Routed(stream=True), "put_archive": _CHANGE,
    "changes": _READ, "list_dir": _READ, "read_file": _READ,
    # images, volumes, networks (their keys come from the fleet's lists: `fleet_gather`)
    "inspect_image": _READ, "remove_image": _CHANGE, "tag_image": _CHANGE,
    "inspect_volume": _READ, "remove_volume": _CHANGE,
    "inspect_network": _READ, "remove_network": _CHANGE,
    "connect_network": Routed(mutates=True, keys=2), "disconnect_network": Routed(mutates=True, keys=2),
}


def routes_by_key(cls: type) -> type:
    """Give `cls` (the fleet, a member's view of it) every method of `ROUTES`."""
    for name, route in ROUTES.items():
        setattr(cls, name, replace(route, name=name))
    abc.update_abstractmethods(cls)
    return cls
