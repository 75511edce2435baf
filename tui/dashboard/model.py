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


REMOVING_WORDS = "… removing"  # the state column of a container being removed

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
            elif word.startswith("engine:"):
                if word.split(":", 1)[1] not in summary.engine.lower():
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
                or summary.real_id.startswith(word)
                or word in (summary.compose_project or "").lower()
            ):
                return False
        return True


MEMORY_STEADY = 0.02  # a memory figure moves in the list once it is off by more than this share
#: Samples kept per container: 15 minutes at the default 5 s, what the stats screen's widest chart shows.
HISTORY_SAMPLES = 180
SPARK_SAMPLES = 8  # the list's sparkline
#: A CPU figure moves in the list once it is off by more than this many points of one core, or share of itself.
CPU_STEADY_POINTS = 0.3
CPU_STEADY_SHARE = 0.1


@dataclass
class StatsHistory:
    """The last minutes of samples of one container: the list's sparkline, the stats screen's charts."""

    samples: deque[StatsSample] = field(default_factory=lambda: deque(maxlen=HISTORY_SAMPLES))
    _memory_shown: int | None = field(default=None, repr=False, compare=False)
    # The CPU figures the list showed, one per sample, and the last sample they were worked out to.
    _cpu_shown: deque[float] = field(default_factory=lambda: deque(maxlen=SPARK_SAMPLES), repr=False, compare=False)
    _cpu_upto: StatsSample | None = field(default=None, repr=False, compare=False)

    @property
    def last(self) -> StatsSample | None:
        return self.samples[-1] if self.samples else None

    def cpu_shown(self) -> list[float]:
        """The list's CPU figures, oldest first (the sparkline; the last is the figure): each sample's,
        unless within `CPU_STEADY_POINTS` or `CPU_STEADY_SHARE` of the figure shown before (which then stays).

        An idle service reads 0.0, 0.1, 0.2 % by turns: drawn as they come, every
        row's sparkline shifted and repainted at every stats round, saying nothing.
        """
        new: list[StatsSample] = []
        for sample in reversed(self.samples):  # the samples since the last call, however they were added
            if sample is self._cpu_upto or len(new) == SPARK_SAMPLES:
                break
            new.append(sample)
        for sample in reversed(new):
            value = sample.cpu_percent or 0.0
            if self._cpu_shown:
                shown = self._cpu_shown[-1]
                if abs(value - shown) <= max(CPU_STEADY_POINTS, shown * CPU_STEADY_SHARE):
                    value = shown
            self._cpu_shown.append(value)
        if new:
            self._cpu_upto = new[0]
        return list(self._cpu_shown)

    def memory_shown(self) -> int | None:
        """The memory figure for the list: the last sample's, unless it is within `MEMORY_STEADY`
        of the figure shown before (which then stays).

        A shell loop moves its memory by a page or two every second: the list's
        last digit flickering up and down says nothing, and each flicker costs a
        repaint of its cell (most of an idle list's stats rounds).
        """
        last = self.last
        if last is None:
            return None
        shown = self._memory_shown
        if shown is None or abs(last.memory_used - shown) > shown * MEMORY_STEADY:
            self._memory_shown = shown = last.memory_used
        return shown


@dataclass(frozen=True)
class GroupRow:
    """A folding header: a compose project's, or with several engines in view an engine's (`project` empty)."""

    project: str
    count: int
    running: int
    collapsed: bool
    engine: str = ""  # set when the list is grouped by engine: the project is this engine's

    @property
    def key(self) -> str:
        # One engine: the project's name alone, as always; several: a project is per engine.
        return f"group:{self.project}" if not self.engine else f"group:{self.engine}/{self.project}"

    @property
    def is_engine(self) -> bool:
        return bool(self.engine) and not self.project

    def holds(self, summary: ContainerSummary) -> bool:
        if self.engine and summary.engine != self.engine:
            return False
        return self.is_engine or summary.compose_project == self.project


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
            return -stats[summary.id].cpu_shown()[-1] if last else 1.0  # the figures shown, as for memory
        if column is Column.MEMORY:
            return -stats[summary.id].memory_shown() if last else 1  # by the figures shown: no reshuffle on jitter
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
    engines: list[str] | None = None,
    per_engine: bool = False,
) -> list[Row]:
    """The rows to show, in order: compose projects as collapsible groups, loose containers last.

    With `engines` (several engines in view, grouped by engine), each engine is a folding group of
    its own, in that order, holding its projects and containers; `collapsed` holds row keys then.
    `per_engine` (several engines, not grouped by engine): a project is still one engine's.
    """
    stats = stats or {}
    visible = [
        s for s in summaries
        if filter.matches(s) and (show_stopped or s.state not in (State.EXITED, State.DEAD, State.CREATED))
    ]
    visible.sort(key=sort_key(sort, stats), reverse=reverse)
    if not group:
        return [ContainerRow(s) for s in visible]
    if engines is not None:
        # A filter hides the engines it leaves empty; else an engine shows even with nothing (yet) to list.
        return _engine_rows(visible, engines, collapsed, keep_empty=not filter.text)
    if per_engine:
        return _per_engine_project_rows(visible, collapsed)
    return _project_rows(visible, collapsed)


def _per_engine_project_rows(visible: list[ContainerSummary], collapsed: frozenset[str]) -> list[Row]:
    """Projects first (by name, then engine), each one engine's; loose containers after, in sort order."""
    groups: dict[tuple[str, str], list[ContainerSummary]] = {}
    loose: list[ContainerSummary] = []
    for summary in visible:
        if summary.compose_project:
            groups.setdefault((summary.compose_project, summary.engine), []).append(summary)
        else:
            loose.append(summary)
    rows: list[Row] = []
    for project, engine in sorted(groups, key=lambda k: (k[0].lower(), k[1])):
        members = groups[(project, engine)]
        folded = f"group:{engine}/{project}" in collapsed
        rows.append(GroupRow(project, len(members), sum(m.is_running for m in members), folded, engine=engine))
        if not folded:
            rows.extend(ContainerRow(m) for m in members)
    rows.extend(ContainerRow(m) for m in loose)
    return rows


def _engine_rows(visible: list[ContainerSummary], engines: list[str], collapsed: frozenset[str], *,
                 keep_empty: bool) -> list[Row]:
    by_engine: dict[str, list[ContainerSummary]] = {name: [] for name in engines}
    for summary in visible:
        by_engine.setdefault(summary.engine, []).append(summary)
    rows: list[Row] = []
    for name, members in by_engine.items():
        if not members and not keep_empty:
            continue
        folded = f"group:{name}/" in collapsed
        rows.append(GroupRow("", len(members), sum(m.is_running for m in members), folded, engine=name))
        if not folded:
            rows.extend(_project_rows(members, collapsed, engine=name))
    return rows


def _project_rows(visible: list[ContainerSummary], collapsed: frozenset[str], engine: str = "") -> list[Row]:
    groups: dict[str, list[ContainerSummary]] = {}
    for summary in visible:
        groups.setdefault(summary.compose_project or UNGROUPED, []).append(summary)
    rows: list[Row] = []
    for project in sorted((p for p in groups if p != UNGROUPED), key=str.lower):
        members = groups[project]
        folded = (f"group:{engine}/{project}" if engine else project) in collapsed
        rows.append(GroupRow(project, len(members), sum(m.is_running for m in members), folded, engine=engine))
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
        return REMOVING_WORDS, "paused"
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


