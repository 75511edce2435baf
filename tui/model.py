"""The container list as the dashboard shows it: filter, sort, group. Pure logic, no widgets.

Rows are derived from the summaries on every change; the table widget then
applies the difference. Keeping this free of Textual makes it cheap to test.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import StrEnum

from tui.engine.types import ContainerSummary, Health, State, StatsSample

UNGROUPED = ""


class Column(StrEnum):
    NAME = "name"
    IMAGE = "image"
    STATE = "state"
    UPTIME = "uptime"
    PORTS = "ports"
    CPU = "cpu"
    MEMORY = "memory"
    PROJECT = "project"


_STATE_ORDER = {
    State.RUNNING: 0, State.RESTARTING: 1, State.PAUSED: 2, State.CREATED: 3,
    State.EXITED: 4, State.DEAD: 5, State.REMOVING: 6,
}


@dataclass(frozen=True)
class Filter:
    """What `/` typed: words that must all match (name, image, state, `key=value` label)."""

    text: str = ""

    def matches(self, summary: ContainerSummary) -> bool:
        for word in self.text.lower().split():
            if "=" in word:
                key, _, value = word.partition("=")
                labels = {k.lower(): v.lower() for k, v in summary.labels.items()}
                if key not in labels or (value and value not in labels[key]):
                    return False
            elif word.startswith("state:") or word.startswith("is:"):
                wanted = word.split(":", 1)[1]
                if wanted not in (summary.state.value, summary.health.value):
                    return False
            elif not (
                word in summary.name.lower()
                or word in summary.image.lower()
                or word == summary.state.value
                or word == summary.health.value
                or summary.id.startswith(word)
                or word in (summary.compose_project or "").lower()
            ):
                return False
        return True


@dataclass
class StatsHistory:
    """The last minute of samples of one container, for the sparkline."""

    samples: deque[StatsSample] = field(default_factory=lambda: deque(maxlen=30))

    @property
    def last(self) -> StatsSample | None:
        return self.samples[-1] if self.samples else None

    def cpu_series(self) -> list[float]:
        return [s.cpu_percent or 0.0 for s in self.samples]


@dataclass(frozen=True)
class GroupRow:
    project: str
    count: int
    running: int
    collapsed: bool

    @property
    def key(self) -> str:
        return f"group:{self.project}"


@dataclass(frozen=True)
class ContainerRow:
    summary: ContainerSummary

    @property
    def key(self) -> str:
        return self.summary.id


Row = GroupRow | ContainerRow


def sort_key(column: Column, stats: dict[str, StatsHistory]):
    def key(summary: ContainerSummary):
        last = stats.get(summary.id).last if summary.id in stats else None
        if column is Column.NAME:
            return summary.name.lower()
        if column is Column.IMAGE:
            return summary.image.lower()
        if column is Column.STATE:
            return (_STATE_ORDER.get(summary.state, 9), summary.name.lower())
        if column is Column.UPTIME:
            moment = summary.started if summary.is_running else summary.finished
            return -(moment.timestamp() if moment else 0)
        if column is Column.PORTS:
            return min((p.host_port or 1 << 20 for p in summary.ports), default=1 << 21)
        if column is Column.CPU:
            return -(last.cpu_percent or 0.0) if last else 1.0
        if column is Column.MEMORY:
            return -last.memory_used if last else 1
        return ((summary.compose_project or "~").lower(), summary.name.lower())

    return key


def build_rows(
    summaries: list[ContainerSummary],
    *,
    filter: Filter = Filter(),
    show_stopped: bool = True,
    sort: Column = Column.NAME,
    reverse: bool = False,
    group: bool = True,
    collapsed: frozenset[str] = frozenset(),
    stats: dict[str, StatsHistory] | None = None,
) -> list[Row]:
    """The rows to show, in order: compose projects as collapsible groups, loose containers last."""
    stats = stats or {}
    visible = [
        s for s in summaries
        if filter.matches(s) and (show_stopped or s.state not in (State.EXITED, State.DEAD, State.CREATED))
    ]
    visible.sort(key=sort_key(sort, stats), reverse=reverse)
    if not group:
        return [ContainerRow(s) for s in visible]
    groups: dict[str, list[ContainerSummary]] = {}
    for summary in visible:
        groups.setdefault(summary.compose_project or UNGROUPED, []).append(summary)
    rows: list[Row] = []
    for project in sorted((p for p in groups if p != UNGROUPED), key=str.lower):
        members = groups[project]
        folded = project in collapsed
        rows.append(GroupRow(project, len(members), sum(m.is_running for m in members), folded))
        if not folded:
            rows.extend(ContainerRow(m) for m in members)
    rows.extend(ContainerRow(m) for m in groups.get(UNGROUPED, []))
    return rows


def age(moment: datetime | None, now: datetime | None = None) -> str:
    """'3m', '2h', '5d': how long ago, compactly."""
    if moment is None:
        return ""
    seconds = max(((now or datetime.now(timezone.utc)) - moment).total_seconds(), 0)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{int(seconds // size)}{unit}"
    return f"{int(seconds)}s"


def describe_state(summary: ContainerSummary, now: datetime | None = None) -> tuple[str, str]:
    """(glyph + words, style class) for the state column."""
    state, health = summary.state, summary.health
    if state is State.RUNNING:
        if health is Health.UNHEALTHY:
            return "✖ unhealthy", "unhealthy"
        if health is Health.STARTING:
            return "◌ starting", "starting"
        if health is Health.HEALTHY:
            return "♥ healthy", "healthy"
        return "● running", "running"
    if state is State.PAUSED:
        return "‖ paused", "paused"
    if state is State.RESTARTING:
        return "↻ restarting", "restarting"
    if state is State.EXITED:
        code = summary.exit_code
        return (f"■ exited ({code})" if code is not None else "■ exited"), ("exited" if not code else "failed")
    if state is State.DEAD:
        return "✝ dead", "failed"
    if state is State.REMOVING:
        return "… removing", "paused"
    return "○ created", "exited"


def uptime(summary: ContainerSummary, now: datetime | None = None) -> str:
    if summary.is_running or summary.state is State.PAUSED:
        if summary.started:
            return f"up {age(summary.started, now)}"
        return summary.status_text
    if summary.finished:
        return f"{age(summary.finished, now)} ago"
    return summary.status_text if summary.state is not State.CREATED else ""


_SPARK = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float], width: int = 8) -> str:
    """Always `width` wide: missing history is drawn as baseline, so a flat
    series gives the same text every time (and its row needs no repaint)."""
    if not values:
        return ""
    values = [0.0] * (width - len(values)) + values[-width:]
    top = max(max(values), 1.0)
    return "".join(_SPARK[min(int(v / top * (len(_SPARK) - 1) + 0.5), len(_SPARK) - 1)] for v in values)


def human_bytes(value: int) -> str:
    size = float(value)
    for unit in ("B", "K", "M", "G", "T"):
        if size < 1024 or unit == "T":
            return f"{size:.0f}{unit}" if unit in ("B", "K") or size >= 100 else f"{size:.1f}{unit}"
        size /= 1024
    return f"{size:.1f}T"


