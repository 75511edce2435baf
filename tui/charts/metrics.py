"""What each chart of the stats screen shows: its figure, how it reads, how its axis is scaled.

CPU and memory are gauges (the figure at the sample); network and block I/O
are counters, charted as rates per second. For a compose project every
figure is the sum of its members'. The memory chart is scaled to the limit
when the limit is near enough to matter (else a container using 20 MB of a
2 GB limit would be a flat line), and always says the limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from operator import attrgetter
from typing import Any, Callable, Mapping, Sequence

from tui.charts.braille import nice_top
from tui.charts.series import Placements, Window, columns_of, gauge_points, latest, rate_points, summed
from tui.engine.types import StatsSample

#: Scale the memory chart to the limit once the peak is at least this share of it.
LIMIT_SCALE_SHARE = 0.25


class Kind(Enum):
    PERCENT = "percent"  # a gauge in % of one core
    BYTES = "bytes"  # a gauge in bytes
    RATE = "rate"  # a counter in bytes, charted per second


@dataclass(frozen=True)
class Metric:
    id: str
    title: str
    kind: Kind
    read: Callable[[StatsSample], Any]


METRICS: tuple[Metric, ...] = (
    Metric("cpu", "CPU", Kind.PERCENT, attrgetter("cpu_percent")),
    Metric("memory", "Memory", Kind.BYTES, attrgetter("memory_used")),
    Metric("net_rx", "Network in", Kind.RATE, attrgetter("net_rx")),
    Metric("net_tx", "Network out", Kind.RATE, attrgetter("net_tx")),
    Metric("block_read", "Block read", Kind.RATE, attrgetter("block_read")),
    Metric("block_write", "Block write", Kind.RATE, attrgetter("block_write")),
)
BY_ID = {m.id: m for m in METRICS}


def _digits(value: float) -> str:
    """Three figures at most, and no `.0` (`1.5`, `12.3`, `50`, `120`)."""
    text = f"{value:.1f}" if abs(value) < 100 else f"{value:.0f}"
    return text[:-2] if text.endswith(".0") else text


def human_bytes(value: float) -> str:
    """`512 B`, `1.5 KiB`, `120 MiB`, `2 GiB`."""
    size = float(value)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(size) < 1024 or unit == "TiB":
            return f"{size:.0f} B" if unit == "B" else f"{_digits(size)} {unit}"
        size /= 1024
    return f"{_digits(size)} TiB"


def figure(kind: Kind, value: float | None) -> str:
    """A figure as the chart says it (`12.3 %`, `120 MiB`, `1.5 KiB/s`); no figure is `–`."""
    if value is None:
        return "–"
    if kind is Kind.PERCENT:
        return f"{_digits(value)} %"
    return human_bytes(value) + ("/s" if kind is Kind.RATE else "")


@dataclass(frozen=True)
class MemoryLimit:
    """The memory limit of the container (or the sum of a project's), and how to say it."""

    total: int | None  # None: no limit (or not every member has one)
    words: str

    @classmethod
    def of(cls, limits: Sequence[int]) -> MemoryLimit:
        """From the members' own limits (`HostConfig.Memory`: 0 means none)."""
        if not limits:
            return cls(None, "")
        limited = [n for n in limits if n > 0]
        if len(limited) == len(limits):
            return cls(sum(limited), f"limit {human_bytes(sum(limited))}")
        if not limited:
            return cls(None, "no limit")
        return cls(None, f"no limit on {len(limits) - len(limited)} of {len(limits)}")


def memory_limit_of(inspect: Mapping[str, Any]) -> int:
    """The limit a container was given (`--memory`), from its inspect; 0 when none."""
    try:
        return max(int((inspect.get("HostConfig") or {}).get("Memory") or 0), 0)
    except (TypeError, ValueError):
        return 0


@dataclass(frozen=True)
class ChartView:
    """Everything one chart draws: a value per dot column, the axis top, the figures beside it."""

    values: list[float | None]
    top: float
    top_label: str
    current: str
    peak: str
    note: str = ""


def window_for(histories: Sequence[Sequence[StatsSample]], step: float, columns: int) -> Window | None:
    """The window ending at the newest sample of any member (None before the first sample)."""
    # Samples are appended in time order: each member's newest is its last with a time.
    newest = [next((s.time for s in reversed(samples) if s.time is not None), None) for samples in histories]
    times = [t for t in newest if t is not None]
    if not times or columns <= 0:
        return None
    return Window(max(times), step, columns)


def chart_view(metric: Metric, histories: Sequence[Sequence[StatsSample]] | Placements, window: Window,
               limit: MemoryLimit | None = None) -> ChartView:
    """What one chart draws over `window`; `histories` may be a round's shared `Placements`."""
    shared = histories if isinstance(histories, Placements) else Placements(histories)
    placements = shared.of(window)
    if metric.kind is Kind.RATE:
        points = [rate_points(p, metric.read) for p in placements]
    else:
        points = [gauge_points(p, metric.read) for p in placements]
    values = summed([columns_of(p, window) for p in points])
    shown = [v for v in values if v is not None]
    peak = max(shown) if shown else None
    current = latest(points)
    note = ""
    if metric.kind is Kind.PERCENT:
        top = nice_top(peak or 0.0, floor=1.0)
    elif metric.kind is Kind.RATE:
        top = nice_top(peak or 0.0, floor=1024.0, base=1024.0)
    else:
        top = nice_top(peak or 0.0, floor=1 << 20, base=1024.0)
        if limit is not None and limit.words:
            note = limit.words
            if limit.total and current is not None:
                note += f" ({100.0 * current / limit.total:.0f} %)"
            if limit.total and (peak or 0) >= limit.total * LIMIT_SCALE_SHARE:
                top = float(max(limit.total, peak or 0))
    return ChartView(values, top, figure(metric.kind, top), figure(metric.kind, current), figure(metric.kind, peak),
                     note)
