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
from typing import Callable, Sequence

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


#: (column, POSIX seconds, sample): a sample placed in a window; column -1 is the one just before it.
Placed = tuple[int, float, StatsSample]


def placed(samples: Sequence[StatsSample], window: Window) -> list[Placed]:
    """The samples in the window, oldest first, each with its column, and the one before the window (for a
    rate at its left edge). Read from the newest back, so the cost is the window's samples, not the history's."""
    end, span = window.end.timestamp(), window.seconds
    out: list[Placed] = []
    for sample in reversed(samples):
        if sample.time is None:
            continue
        moment = sample.time.timestamp()
        back = end - moment
        if back < 0:
            continue
        if back >= span:
            out.append((-1, moment, sample))
            break
        out.append((window.columns - 1 - int(back / window.step), moment, sample))
    out.reverse()
    return out


class Placements:
    """Each member's placed samples for a window, worked out once for all the charts of one round."""

    def __init__(self, histories: Sequence[Sequence[StatsSample]]) -> None:
        self.histories = histories
        self._window: Window | None = None
        self._placed: list[list[Placed]] = []

    def of(self, window: Window) -> list[list[Placed]]:
        if window != self._window:
            self._window, self._placed = window, [placed(samples, window) for samples in self.histories]
        return self._placed


def gauge_points(samples: Sequence[Placed], read: Callable[[StatsSample], float | None]) -> list[tuple[int, float]]:
    """(column, figure) of each placed sample with a figure (CPU %, memory used)."""
    points = []
    for column, _, sample in samples:
        value = read(sample)
        if column >= 0 and value is not None:
            points.append((column, float(value)))
    return points


def rate_points(samples: Sequence[Placed], read: Callable[[StatsSample], int]) -> list[tuple[int, float]]:
    """(column, per second) from each pair of consecutive placed samples of a counter; a counter that went
    back (the container restarted) gives none."""
    points = []
    counts = [read(sample) for _, _, sample in samples]
    for i in range(1, len(samples)):
        column, after = samples[i][0], samples[i][1]
        before = samples[i - 1][1]
        grown = counts[i] - counts[i - 1]
        if after > before and grown >= 0 and column >= 0:
            points.append((column, grown / (after - before)))
    return points


def columns_of(points: Sequence[tuple[int, float]], window: Window) -> list[float | None]:
    """One container's points in the window's columns (the last in a column wins)."""
    out: list[float | None] = [None] * window.columns
    for index, value in points:
        out[index] = value
    last_filled = points[-1][0] if points else -1
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


def latest(points_per_member: Sequence[Sequence[tuple[int, float]]]) -> float | None:
    """The sum of each member's newest figure (None when no member has one)."""
    newest = [points[-1][1] for points in points_per_member if points]
    return sum(newest) if newest else None
