"""Container actions: what each does, when it applies, and running it on many containers.

Every key, palette entry and menu item goes through `run_action`, the one
place actions flow back to the engine.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Awaitable, Callable

from tui.engine import ContainerSummary, Engine, EngineError, State


@dataclass(frozen=True)
class ActionSpec:
    name: str
    label: str
    busy: str  # what the row says while it runs
    mutates: bool
    applies: Callable[[ContainerSummary], bool]


def _running(s: ContainerSummary) -> bool:
    return s.state in (State.RUNNING, State.RESTARTING)


ACTIONS: dict[str, ActionSpec] = {
    spec.name: spec
    for spec in (
        ActionSpec("start", "Start", "starting…", True, lambda s: s.state in (State.CREATED, State.EXITED, State.DEAD)),
        ActionSpec("stop", "Stop", "stopping…", True, lambda s: _running(s) or s.state is State.PAUSED),
        ActionSpec("restart", "Restart", "restarting…", True, lambda s: s.state is not State.REMOVING),
        ActionSpec("pause", "Pause / unpause", "pausing…", True, lambda s: s.state in (State.RUNNING, State.PAUSED)),
        ActionSpec("kill", "Kill", "killing…", True, lambda s: _running(s) or s.state is State.PAUSED),
        ActionSpec("remove", "Remove", "removing…", True, lambda s: s.state is not State.REMOVING),
    )
}


async def run_action(
    engine: Engine,
    action: str,
    targets: list[ContainerSummary],
    *,
    grace: float = 10,
    force: bool = False,
    volumes: bool = False,
) -> dict[str, EngineError]:
    """Run `action` on every target at once; returns the engine's error for each that failed."""

    def call(s: ContainerSummary) -> Awaitable[object]:
        if action == "start":
            return engine.start(s.id)
        if action == "stop":
            return engine.stop(s.id, grace=grace)
        if action == "restart":
            return engine.restart(s.id, grace=grace)
        if action == "pause":
            return engine.unpause(s.id) if s.state is State.PAUSED else engine.pause(s.id)
        if action == "kill":
            return engine.kill(s.id)
        if action == "remove":
            return engine.remove(s.id, force=force, volumes=volumes)
        raise ValueError(f"unknown action {action!r}")

    results = await asyncio.gather(*(call(s) for s in targets), return_exceptions=True)
    errors: dict[str, EngineError] = {}
    for summary, result in zip(targets, results):
        if isinstance(result, EngineError):
            errors[summary.id] = result
        elif isinstance(result, BaseException):
            errors[summary.id] = EngineError(f"{type(result).__name__}: {result}", engine=engine.name)
    return errors
