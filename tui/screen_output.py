"""Fewer bytes per frame: two refinements of how Textual turns a frame into terminal output.

Every byte bosun writes crosses an SSH link, and the terminal (tmux, a
terminal emulator) parses it. An idle dashboard redraws little — a few
figures per stats round, a log line — but Textual 8.2.8 writes more than
what changed:

- A partial update writes each changed line from the left edge of the
  widget, not from where the change starts (the `TODO: crop to x extents` in
  `ChopsUpdate`): a new CPU figure at the right end of a list row rewrote the
  whole row. Here a line is written from the changed span's start (moved one
  cell left if that cuts a double-width character in half).
- Every segment is written as `ESC[<style>m text ESC[0m`, also when the next
  segment has the same style: a table cell is three segments (padding, text,
  padding) of one style. Here a segment whose style is the one already set
  is written as its text alone; the terminal sees the same cells in the same
  styles.

Both replace Textual functions, written against Textual 8.2.8 (pinned in
pyproject.toml; tests/ui/test_screen_output.py fails on another version, so
a new pin makes someone read these again). Asking Textual its version costs
a metadata lookup (about 10 ms) on every start, so `install` checks only
that what it replaces is still there.
"""

from __future__ import annotations

from rich.cells import get_character_cell_size
from rich.color import ColorSystem
from rich.console import Console
from rich.control import Control
from rich.segment import Segment
from textual._compositor import ChopsUpdate
from textual.strip import Strip

WRITTEN_FOR = "8.2.8"
_RESET = "\x1b[0m"
_installed = False


def render_strip(strip: Strip, color_system: ColorSystem) -> str:
    """`strip` as terminal sequences, a style set once for a run of segments that share it."""
    parts: list[str] = []
    append = parts.append
    render_ansi = Strip.render_ansi
    current = ""  # the style set in the terminal ("" = none)
    for text, style, _ in strip._segments:
        if style is None:
            if current:
                append(_RESET)
                current = ""
            append(text)
            continue
        ansi = style._ansi
        if ansi is None:
            ansi = render_ansi(style, color_system)
        if style._link:
            # A hyperlink wraps its own styled text: written as Textual writes it.
            if current:
                append(_RESET)
                current = ""
            append(Strip.render_style(style, text, color_system))
            continue
        if ansi != current:
            if current:
                append(_RESET)
            if ansi:
                append(f"\x1b[{ansi}m")
            current = ansi
        append(text)
    if current:
        append(_RESET)
    return "".join(parts)


def _render(self: Strip, console: Console) -> str:
    if self._render_cache is None:
        self._render_cache = render_strip(self, console._color_system or ColorSystem.TRUECOLOR)
    return self._render_cache


def _start_at(strip: Strip, offset: int) -> int:
    """Where to start writing `strip` to begin at cell `offset`: there, or one cell left of it
    when a double-width character spans it (half a character cannot be written)."""
    x = 0
    for text, _, control in strip._segments:
        if control:
            continue
        width = Segment(text).cell_length
        if x + width <= offset:
            x += width
            continue
        for character in text:
            size = get_character_cell_size(character)
            if x + size > offset:
                return x
            x += size
        return x
    return x


def _render_segments(self: ChopsUpdate, console: Console) -> str:
    """Textual's `ChopsUpdate.render_segments`, writing each line from the changed span's start."""
    sequences: list[str] = []
    append = sequences.append
    move_to = Control.move_to
    chops = self.chops
    chop_ends = self.chop_ends
    last_y = self.spans[-1][0]
    for y, x1, x2 in self.spans:
        line = chops[y]
        ends = chop_ends[y]
        for end, (x, strip) in zip(ends, line.items()):
            if strip is None:
                continue
            if x > x2 or end <= x1:
                continue
            if x >= x1 and end <= x2:
                append(move_to(x, y).segment.text)
                append(strip.render(console))
                continue
            start = _start_at(strip, x1 - x) if x < x1 else 0
            strip = strip.crop(start, min(end, x2) - x)
            append(move_to(x + start, y).segment.text)
            append(strip.render(console))
        if y != last_y:
            append("\n")
    return "".join(sequences)


def install() -> bool:
    """Apply both refinements (once); False when what they replace is not there."""
    global _installed
    if _installed:
        return True
    if not (hasattr(ChopsUpdate, "render_segments") and "_render_cache" in Strip.__slots__
            and hasattr(Strip, "render_ansi") and hasattr(Strip, "render_style")):
        return False
    Strip.render = _render
    ChopsUpdate.render_segments = _render_segments
    _installed = True
    return True
