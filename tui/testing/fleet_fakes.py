"""Fake members for several-engine tests and benchmarks: one that can die and come back, one that never answers.

`fake_opener` is the fleet's `open_engine` over named fakes: a spec whose host
is `fake://NAME` opens the fake of that name, `fake://never` hangs (a TCP port
that takes the connection and says nothing), `fake://refused` fails at once.
"""

from __future__ import annotations

import asyncio
from typing import Mapping

from tui.engine.errors import Attempt, EngineUnreachable
from tui.engine.fake import FakeEngine
from tui.engine.spec import EngineSpec


class DownableFake(FakeEngine):
    """A fake engine that can go down (every call fails, the event stream breaks) and come back."""

    def __init__(self, name: str = "fake", **kwargs) -> None:
        super().__init__(name, **kwargs)
        self.down_reason = ""

    def go_down(self, reason: str = "connection refused") -> None:
        self.down_reason = reason
        self.lose_events(reason)

    def come_back(self) -> None:
        self.down_reason = ""

    def _check(self) -> None:
        if self.down_reason:
            raise EngineUnreachable([Attempt(self.url, "test", self.down_reason)], engine=self.name)

    async def list_containers(self, **kwargs):
        self._check()
        return await super().list_containers(**kwargs)

    async def summary(self, container_id: str):
        self._check()
        return await super().summary(container_id)

    async def stats_once(self, container_id: str):
        self._check()
        return await super().stats_once(container_id)


def fake_opener(engines: Mapping[str, FakeEngine]):
    """An `open_engine(spec)` for the fleet over `engines` (see the module docstring)."""
    opened: list[str] = []

    async def open_engine(spec: EngineSpec):
        name = spec.host.removeprefix("fake://")
        opened.append(name)
        if name == "never":
            await asyncio.Event().wait()
        if name == "refused" or name not in engines:
            raise EngineUnreachable([Attempt(spec.host, spec.source, "connection refused",
                                             "is the engine running?")], engine=spec.name)
        return engines[name]

    open_engine.opened = opened  # type: ignore[attr-defined]
    return open_engine


def fake_spec(name: str, *, host: str | None = None, **kwargs) -> EngineSpec:
    return EngineSpec(name=name, host=host or f"fake://{name}", source="test", **kwargs)
