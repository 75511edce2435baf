"""Messages shared across the UI: what the engine said, carried to the widgets."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from tui.engine import ContainerSummary, EngineError, StatsSample


@dataclass
class ContainersListed(Message):
    """A full list: anything not in it is gone."""

    summaries: list[ContainerSummary]


@dataclass
class ContainerUpdated(Message):
    summary: ContainerSummary


@dataclass
class ContainerGone(Message):
    container_id: str


@dataclass
class EngineStatus(Message):
    """The event stream dropped (`connected=False`) or came back."""

    connected: bool
    reason: str = ""


@dataclass
class StatsArrived(Message):
    samples: dict[str, StatsSample]


@dataclass
class ActionFinished(Message):
    """An action ran on some containers; `errors` maps container id to what the engine said."""

    action: str
    container_ids: list[str]
    errors: dict[str, EngineError]
