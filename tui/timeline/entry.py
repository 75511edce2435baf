"""One thing that happened to a container, in the words the timeline shows.

An engine's event (`ContainerEvent`) says which action ran; a `TimelineEntry`
says what it means for the user: died with which exit code after how long,
turned unhealthy with what the check printed, an exec of which command.
Plain data, no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from tui.engine.types import ContainerEvent, EventKind, Health


class What(StrEnum):
    CREATED = "created"
    STARTED = "started"
    RESTARTED = "restarted"
    DIED = "died"
    OOM = "OOM-killed"
    STOPPED = "stopped"
    KILLED = "killed"
    HEALTHY = "healthy"
    UNHEALTHY = "unhealthy"
    PAUSED = "paused"
    UNPAUSED = "unpaused"
    RENAMED = "renamed"
    EXEC = "exec started"
    DESTROYED = "destroyed"


#: Glyphs of the compact strip beside a container (what ended a run, and the restarts).
GLYPHS = {What.DIED: "✖", What.OOM: "☠", What.RESTARTED: "↻", What.KILLED: "✖", What.UNHEALTHY: "♡"}

_BY_KIND = {
    EventKind.CREATED: What.CREATED, EventKind.STARTED: What.STARTED, EventKind.RESTARTED: What.RESTARTED,
    EventKind.DIED: What.DIED, EventKind.OOM: What.OOM, EventKind.STOPPED: What.STOPPED,
    EventKind.KILLED: What.KILLED, EventKind.PAUSED: What.PAUSED, EventKind.UNPAUSED: What.UNPAUSED,
    EventKind.RENAMED: What.RENAMED, EventKind.DESTROYED: What.DESTROYED,
}
# "starting" is left out: Podman 4 sends `health_status` after every check, saying "starting" whatever the
# result (the inspect that follows tells: `TimelineStore.note`).
HEALTH_FLIPS = {Health.HEALTHY: What.HEALTHY, Health.UNHEALTHY: What.UNHEALTHY}


def what_of(event: ContainerEvent) -> What | None:
    """What an engine event means here; None for the ones the timeline leaves out (attach, cleanup, …)."""
    if event.kind is EventKind.HEALTH:
        return HEALTH_FLIPS.get(event.health) if event.health is not None else None
    if event.kind is EventKind.OTHER:
        head = event.action.partition(":")[0].strip()
        return What.EXEC if head in ("exec_start", "exec") else None
    return _BY_KIND.get(event.kind)


def _seconds(value: float) -> str:
    if value < 10:
        return f"{value:.1f}s"
    if value < 120:
        return f"{value:.0f}s"
    if value < 7200:
        return f"{value / 60:.0f}m"
    return f"{value / 3600:.1f}h"


@dataclass(slots=True)
class TimelineEntry:
    """What happened, to which container, when. `detail` may be filled in later (the health check's output
    arrives with the inspect that follows the event)."""

    time: datetime
    engine: str
    key: str  # the container's key in the list (`<engine>/<id>` with several engines in view)
    name: str
    what: What
    exit_code: int | None = None
    ran_for: float | None = None  # seconds the run lasted, on a die
    detail: str = ""  # health output, the exec's command, the signal, the new name
    replayed: bool = False  # read back from the engine's history at start, not seen live

    def words(self) -> str:
        """What happened, plainly: `died (exit 3) after 2.1s`."""
        parts = [self.what.value]
        if self.exit_code is not None:
            parts.append(f"(exit {self.exit_code})")
        if self.ran_for is not None:
            parts.append(f"after {_seconds(self.ran_for)}")
        return " ".join(parts)

    @property
    def ended_a_run(self) -> bool:
        return self.what in (What.DIED, What.OOM)
