"""Cutting a rendered log line into rows of a fixed width, in one pass.

`Strip.divide` (Rich's `Segment.divide`) measures a segment from its start again
for every cut, so a 10 000-cell line of non-ASCII text wrapped into a narrow pane
took seconds on the first draw. Here each segment is measured once.
"""

from __future__ import annotations

from rich.cells import split_graphemes
from rich.segment import Segment
from textual.strip import Strip


def wrap_strip(strip: Strip, width: int) -> list[Strip]:
    """`strip` as rows of `width` cells (the last may be shorter). A wide character
    that would straddle a cut becomes a space on each side, as `Strip.divide` does."""
    rows: list[Strip] = []
    row: list[Segment] = []
    used = 0
    for text, style, control in strip:
        if text.isascii():  # sanitised text: one cell per character
            pos, end = 0, len(text)
            while pos < end:
                take = min(width - used, end - pos)
                row.append(Segment(text[pos:pos + take], style, control))
                used += take
                pos += take
                if used == width:
                    rows.append(Strip(row, width))
                    row, used = [], 0
            continue
        spans, _ = split_graphemes(text)
        piece = 0  # where the part of `text` not yet in `row` starts
        for start, end, size in spans:
            # `used < width` here (a full row is closed at once), so only a wide
            # character with one cell left can overflow: a space on each side.
            if used + size > width:
                row.append(Segment(text[piece:start] + " ", style, control))
                rows.append(Strip(row, width))
                row, used, piece = [Segment(" ", style, control)], 1, end
            else:
                used += size
                if used < width:
                    continue
                row.append(Segment(text[piece:end], style, control))
                piece = end
            if used == width:
                rows.append(Strip(row, width))
                row, used = [], 0
        if piece < len(text):
            row.append(Segment(text[piece:], style, control))
    if row:
        rows.append(Strip(row, used))
    return rows
