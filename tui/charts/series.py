"""Stats samples as one value per dot column of a chart, over a time window.

A column stands for `step` seconds (the sampling interval); the right edge is
the newest sample, so the chart moves one column per stats round. Each column takes the last value of each container in it; a
compose project's columns are the sums of its members'. Counters (bytes
received, written) become rates from one sample to the next, and a counter
that goes back (the container restarted) starts again without a spike.
A column with no sample borrows its left neighbour's value when that sample is
recent (a round that landed a little late must not punch a hole in the line);
a longer gap (the container was scrolled out of the list, or stopped) stays
blank.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterable, Sequence

from tui.engine.types import StatsSample

#: Empty columns right after a sample (at most this many, and never past the newest) take its value.
CARRY_COLUMNS = 1


@dataclass(frozen=True)
class Window:
    """`columns` dot columns of `step` seconds each, ending at `end` (the right edge)."""

    end: datetime
    step: float
    columns: int

    @property
    def seconds(self) -> float:
        return self.step * self.columns

    def column(self, moment: datetime) -> int | None:
        back = (self.end - moment).total_seconds()
        if back < 0 or back >= self.seconds:
            return None
        return self.columns - 1 - int(back / self.step)


Point = tuple[datetime, float]


def gauge_points(samples: Iterable[StatsSample], read: Callable[[StatsSample], float | None]) -> list[Point]:
    """(time, figure) of each sample with a time and a figure (CPU %, memory used)."""
    points = []
    for sample in samples:
        value = read(sample)
        if sample.time is not None and value is not None:
            points.append((sample.time, float(value)))
    return points


def rate_points(samples: Iterable[StatsSample], read: Callable[[StatsSample], int]) -> list[Point]:
    """(time, per second) from each pair of consecutive samples of a counter."""
    points = []
    previous: StatsSample | None = None
    for sample in samples:
        if sample.time is None:
            continue
        if previous is not None and previous.time is not None:
            seconds = (sample.time - previous.time).total_seconds()
            grown = read(sample) - read(previous)
            if seconds > 0 and grown >= 0:
                points.append((sample.time, grown / seconds))
        previous = sample
    return points


def columns_of(points: Sequence[Point], window: Window) -> list[float | None]:
    """One container's points placed in the window's columns (the last in a column wins)."""
    out: list[float | None] = [None] * window.columns
    filled_at: list[int] = []
    for moment, value in points:
        index = window.column(moment)
        if index is not None:
            out[index] = value
            filled_at.append(index)
    last_filled = max(filled_at, default=-1)
    last_seen, carried = -1, None
    for index in range(last_filled):
        if out[index] is not None:
            last_seen, carried = index, out[index]
        elif carried is not None and index - last_seen <= CARRY_COLUMNS:
            out[index] = carried
    return out


def summed(per_member: Sequence[Sequence[float | None]]) -> list[float | None]:
    """Column by column, the sum of the members that have a value there (None where none has)."""
    if not per_member:
        return []
    out: list[float | None] = []
    for column in zip(*per_member):
        present = [v for v in column if v is not None]
        out.append(sum(present) if present else None)
    return out


def latest(points_per_member: Sequence[Sequence[Point]]) -> float | None:
    """The sum of each member's newest figure (None when no member has one)."""
    newest = [points[-1][1] for points in points_per_member if points]
    return sum(newest) if newest else None
