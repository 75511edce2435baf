"""What a real terminal would show, rebuilt from the frames the app wrote, beside what the app means to show.

A test that splices rows in place must prove two things the widget tree
cannot: that every line that changed was written (a line the app forgot to
repaint keeps its old row on the user's screen), and how many bytes that
took. `Replica` feeds every frame the app would write to the terminal into a
terminal emulator (pyte); `truth` renders the whole screen afresh, every
widget's caches dropped, into another; `differences` compares the two cell by
cell, styles included.
"""

from __future__ import annotations

import pyte
from textual._compositor import CompositorUpdate, LayoutUpdate
from textual.widgets import DataTable


def _emulator(width: int, height: int) -> tuple[pyte.Screen, pyte.Stream]:
    screen = pyte.Screen(width, height)
    return screen, pyte.Stream(screen)


def full_frame(app) -> str:
    """The whole screen as terminal sequences, rendered afresh (no widget's cached lines used)."""
    for widget in app.screen.walk_children(with_self=True):
        widget._styles_cache.clear()
        if isinstance(widget, DataTable):
            widget._clear_caches()
    compositor = app.screen._compositor
    strips = compositor.render_strips()
    return LayoutUpdate([[strip] for strip in strips], compositor.size.region).render_segments(app.console)


class Replica:
    """The terminal as the frames written since `start` left it (the screen as it was then, then each frame)."""

    def __init__(self, app) -> None:
        self.app = app
        width, height = app.size
        self.screen, self.stream = _emulator(width, height)
        self.frames: list[str] = []
        self._display = app._display

    def start(self) -> "Replica":
        """Take the screen as it is now (call once it has drawn and settled), and record from here."""
        self.stream.feed(full_frame(self.app))
        app, display = self.app, self._display

        def recording(screen, renderable) -> None:
            # What the app would write: Textual drops a frame drawn during a batch update.
            if isinstance(renderable, CompositorUpdate) and not app._batch_count:
                frame = renderable.render_segments(app.console)
                self.frames.append(frame)
                self.stream.feed(frame)
            display(screen, renderable)

        app._display = recording
        return self

    def written(self) -> int:
        """Bytes written since the last call (or since `start`)."""
        total = sum(len(frame.encode()) for frame in self.frames)
        self.frames.clear()
        return total

    def differences(self) -> list[str]:
        """Lines where the terminal does not show what the app means: empty when they agree."""
        width, height = self.app.size
        truth, stream = _emulator(width, height)
        stream.feed(full_frame(self.app))
        lines = []
        for y in range(height):
            if [self.screen.buffer[y][x] for x in range(width)] != [truth.buffer[y][x] for x in range(width)]:
                lines.append(f"line {y}: terminal {self.screen.display[y]!r}, app {truth.display[y]!r}")
        return lines
