"""In which order an action runs on the containers of a compose project. Pure logic, no widgets.

Compose writes a service's dependencies on each of its containers, in the label
`com.docker.compose.depends_on` ("db:service_started:false,cache:service_healthy:true":
service, condition, restart). Without the compose CLI that label is all we have:
starting runs dependencies first, stopping runs dependents first, as `docker compose`
does. Containers whose order the labels do not give run together, in one wave.
"""

from __future__ import annotations

from tui.engine import ContainerSummary, State
from tui.keys.registry import KILL, PAUSE, REMOVE, RESTART, START, STOP

DEPENDS_ON_LABEL = "com.docker.compose.depends_on"

#: Actions that bring containers up: dependencies go first (unpause too, see `waves`).
_UPWARD = frozenset({START, RESTART})
_DOWNWARD = frozenset({STOP, KILL, REMOVE})


def depends_on(summary: ContainerSummary) -> set[str]:
    """The services this container's service depends on, by the compose label."""
    raw = summary.labels.get(DEPENDS_ON_LABEL, "")
    return {part.split(":", 1)[0].strip() for part in raw.split(",") if part.split(":", 1)[0].strip()}


def _depths(needs: dict[str, set[str]]) -> dict[str, int]:
    """How many dependency steps below each service; {} for a cycle (compose refuses those: no order is invented)."""
    depth: dict[str, int] = {}
    visiting: set[str] = set()

    def deep(service: str) -> int:
        if service in depth:
            return depth[service]
        if service in visiting:
            raise _Cycle
        visiting.add(service)
        depth[service] = max((deep(s) + 1 for s in needs.get(service, ())), default=0)
        visiting.discard(service)
        return depth[service]

    try:
        for service in needs:
            deep(service)
    except _Cycle:
        return {}
    return depth


class _Cycle(Exception):
    pass


def _upward_waves(targets: list[ContainerSummary]) -> list[list[ContainerSummary]]:
    """Dependencies first: each wave depends only on services of earlier waves (or on none of the targets)."""
    by_project: dict[str, list[ContainerSummary]] = {}
    for summary in targets:
        by_project.setdefault(summary.compose_project or "", []).append(summary)
    level: dict[str, int] = {}
    for project, members in by_project.items():
        services = {m.compose_service for m in members if m.compose_service and project}
        needs = {m.compose_service: depends_on(m) & services for m in members if m.compose_service and project}
        depth = _depths(needs)
        for member in members:
            service = member.compose_service
            level[member.id] = depth.get(service, 0) if service and project else 0
    waves: dict[int, list[ContainerSummary]] = {}
    for summary in targets:
        waves.setdefault(level[summary.id], []).append(summary)
    return [waves[k] for k in sorted(waves)]


def waves(action: str, targets: list[ContainerSummary]) -> list[list[ContainerSummary]]:
    """`targets` in waves: each wave runs at once, after the one before it has finished."""
    if not targets:
        return []
    up = _upward_waves(targets)
    if action in _UPWARD:
        return up
    if action in _DOWNWARD:
        return list(reversed(up))
    if action == PAUSE:
        # Pause is a toggle per container: pausing goes down the dependencies, unpausing up.
        paused = all(s.state is State.PAUSED for s in targets)
        return up if paused else list(reversed(up))
    return [list(targets)]


def describe(groups: list[list[ContainerSummary]]) -> str:
    """The order in words, for the confirmation: "db, cache → web" (one wave: just the names)."""
    return " → ".join(", ".join(s.name for s in sorted(wave, key=lambda s: s.name)) for wave in groups)
