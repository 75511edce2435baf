"""Area charts in braille: every character cell holds 2 × 4 dots, so a chart of
`width` cells and `height` rows shows `2 × width` values at `4 × height` levels.

Values are drawn from the bottom up (a filled area), which reads better than a
thin line at these sizes; a value above zero always gets at least its bottom
dot, so "a little" never looks like "nothing". A missing value (no sample
then) is left blank, which is how a gap in the history shows.
"""

from __future__ import annotations

import math
from typing import Sequence

BLANK = "\u2800"
# Dot bits of a braille cell, [row from the top][column].
_DOTS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
DOTS_PER_ROW = 4
DOTS_PER_CELL = 2


def levels(values: Sequence[float | None], top: float, height: int) -> list[int | None]:
    """Each value as a number of lit dots, 0 to `4 × height` (None stays None)."""
    most = height * DOTS_PER_ROW
    out: list[int | None] = []
    for value in values:
        if value is None or math.isnan(value):
            out.append(None)
            continue
        if top <= 0 or value <= 0:
            out.append(0)
            continue
        out.append(max(1, min(most, round(value / top * most))))
    return out


def plot(values: Sequence[float | None], width: int, height: int, top: float) -> list[str]:
    """`height` strings of `width` braille characters, top row first.

    `values` are one per dot column, oldest first; the newest is at the right
    edge, and a shorter series leaves the left blank (no history yet).
    """
    if width <= 0 or height <= 0:
        return []
    columns = width * DOTS_PER_CELL
    shown = list(values)[-columns:]
    padded: list[int | None] = [None] * (columns - len(shown)) + levels(shown, top, height)
    rows = []
    for row in range(height):
        # Dots of this character row: from (height - row - 1) * 4 (its bottom) up.
        floor = (height - row - 1) * DOTS_PER_ROW
        cells = []
        for cell in range(width):
            bits = 0
            for side in range(DOTS_PER_CELL):
                lit = padded[cell * DOTS_PER_CELL + side]
                if lit is None:
                    continue
                for dot in range(min(max(lit - floor, 0), DOTS_PER_ROW)):
                    bits |= _DOTS[DOTS_PER_ROW - 1 - dot][side]
            cells.append(chr(0x2800 + bits))
        rows.append("".join(cells))
    return rows


_STEPS = (1.0, 2.0, 5.0)


def nice_top(value: float, *, floor: float = 1.0, base: float = 10.0) -> float:
    """An axis top that reads as a round figure: the smallest 1, 2 or 5 × a power of ten at
    least `value` (and `floor`); with `base=1024` (bytes) 1, 2, 5 … 500 of a unit, then 1 of the next."""
    value = max(value, floor)
    if base == 10.0:
        exponent = math.floor(math.log10(value))
        for power in (exponent, exponent + 1):
            for step in _STEPS:
                if step * 10.0 ** power >= value * (1 - 1e-9):
                    return step * 10.0 ** power
    unit = 1.0
    while unit * base <= value:
        unit *= base
    for power in (1.0, 10.0, 100.0):
        for step in _STEPS:
            if step * power * unit >= value * (1 - 1e-9):
                return step * power * unit
    return unit * base
