"""`stats --no-stream` through the client, shared: what a stats round costs where the cgroup files cannot be read.

A client reaching a remote engine (`podman --remote`, `docker -H ssh://…`) or one
whose containers' cgroups this machine cannot see leaves the CLI backend asking
the client. The dashboard asks for every visible running container at once (a
few at a time); one `stats --no-stream <id>` each would be a process start per
container per round (fifty containers every five seconds: ten a second). Asks
made in the same turn of the event loop are answered by one `stats --no-stream`
of every running container, and its answer serves the round's later asks too.
A lone ask (a stats view of one container) stays one container's command.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Callable, Mapping, Sequence

from tui.engine.cli.parse import documents, stats_from_cli, stats_id
from tui.engine.cli.runner import CliRunner
from tui.engine.errors import EngineError
from tui.engine.types import StatsSample

# How long an answer for all containers serves later asks: a round's asks trickle in, a few at a time.
SHARED_SECONDS = 1.0


def _matches(raw: Mapping[str, Any], container_id: str) -> bool:
    """Is `raw` (an entry of `stats`, whose id may be the short one) the container asked for?"""
    printed = stats_id(raw)
    return bool(printed) and (container_id.startswith(printed) or printed.startswith(container_id[:12])) or \
        raw.get("name") == container_id or raw.get("Name") == container_id


class SharedStats:
    """`get(id)` is one container's sample from the client; see the module's doc."""

    def __init__(self, runner: CliRunner, args: Sequence[str], engine: Callable[[], str], cpus: int) -> None:
        self.runner = runner
        self.args = list(args)
        self._engine = engine  # called for the name, which a ping may change
        self.cpus = cpus
        self._asking: list[str] | None = None  # ids asked for in this loop turn
        self._round: asyncio.Future | None = None  # the command under way for them
        self._shared: tuple[float, list[dict[str, Any]]] | None = None  # (when, every container's entry)

    async def get(self, container_id: str) -> StatsSample:
        if self._shared is not None and time.monotonic() - self._shared[0] <= SHARED_SECONDS:
            raw = next((r for r in self._shared[1] if _matches(r, container_id)), None)
            if raw is not None:
                return stats_from_cli(raw, self.cpus)
        if self._asking is None:
            self._asking = []
            self._round = asyncio.get_running_loop().create_future()
            asyncio.get_running_loop().call_soon(lambda: asyncio.ensure_future(self._ask()))
        self._asking.append(container_id)
        entries = await asyncio.shield(self._round)
        raw = next((r for r in entries if _matches(r, container_id)), None)
        if raw is None:
            raise EngineError(f"`stats` printed no figures for {container_id[:12]}", engine=self._engine())
        return stats_from_cli(raw, self.cpus)

    async def _ask(self) -> None:
        asked, self._asking = self._asking or [], None
        round_, self._round = self._round, None
        try:
            # One container: its own command. More: every running container's, shared for a moment.
            done = await self.runner.call([*self.args, *asked[:1]] if len(asked) == 1 else self.args)
            entries = documents(done.stdout)
        except BaseException as exc:
            if not round_.done():
                round_.set_exception(exc if isinstance(exc, Exception) else EngineError(str(exc)))
                round_.exception()  # a round nobody awaits any more is not "never retrieved"
            if not isinstance(exc, Exception):
                raise
            return
        if len(asked) > 1:
            self._shared = (time.monotonic(), entries)
        if not round_.done():
            round_.set_result(entries)
