"""Messages shared across the UI: what the engine said, carried to the widgets."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from textual.message import Message

from tui.engine import ContainerEvent, ContainerSummary, EngineError, StatsSample


@dataclass
class ContainersListed(Message):
    """A full list: anything not in it is gone (with `engine`: anything of that engine not in it)."""

    summaries: list[ContainerSummary]
    engine: str | None = None  # several engines in view: the one this list is of
    asked_at: float = field(default_factory=time.monotonic)  # when the engine was asked: see dashboard.freshness


@dataclass
class ContainerUpdated(Message):
    summary: ContainerSummary
    asked_at: float = field(default_factory=time.monotonic)


@dataclass
class ContainerGone(Message):
    container_id: str
    asked_at: float = field(default_factory=time.monotonic)


@dataclass
class EngineStatus(Message):
    """The event stream dropped (`connected=False`) or came back."""

    connected: bool
    reason: str = ""
    engine: str | None = None  # several engines in view: the one whose stream it is


@dataclass
class ContainerHappened(Message):
    """An event of a container, live: the timeline keeps it."""

    event: ContainerEvent


@dataclass
class HistoryRead(Message):
    """What the engine still held of its events when bosun started (oldest first), for the timeline."""

    events: list[ContainerEvent]


@dataclass
class StatsArrived(Message):
    samples: dict[str, StatsSample]


@dataclass
class ActionFinished(Message):
    """An action ran on some containers; `errors` maps container id to what the engine said."""

    action: str
    container_ids: list[str]
    errors: dict[str, EngineError]
