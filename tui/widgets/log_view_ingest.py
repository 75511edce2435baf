"""Taking lines into `LogView`: queued on arrival, sanitised on a timer, within a budget.

`LogIngest` is a mixin for `tui.widgets.log_view.LogView` (it relies on the state
that class's `__init__` sets up). `add_batch` only queues: nothing is decoded on
arrival. A one-shot timer (20 Hz for a line now and then, 10 Hz for a steady stream,
4 Hz while lines are being skipped; re-armed only while data waits, so an idle view
costs nothing) takes queued frames oldest first, at most `max_lines_per_tick`
lines and `tick_budget` seconds per tick, parses their timestamps, sanitises them
and stores them in the bounded `LogBuffer`; the view then refreshes once.

No reader keeps up with a container writing as fast as it can, so the queue is
bounded three ways: by lines (`max_backlog`, the buffer's size by default: more
could never be seen), by bytes (`max_queued_bytes`, for long lines) and by age: what
waited longer than `max_lag` seconds is dropped.
Each way the oldest go and the newest are kept, and the count is in `skipped`
(the pane shows it).

A frame that does not end a line (the engine cut a long line, or a prompt without a
newline) waits for the rest of its line from the same container and stream, at
most `CARRY_SECONDS`; colours run on from line to line as on a terminal.
"""

from __future__ import annotations

import time
from collections import deque
from datetime import datetime
from typing import TYPE_CHECKING, Iterable

from tui.engine.frames import parse_timestamp_prefix
from tui.engine.types import LogBatch, LogChunk, LogStream
from tui.logs.buffer import LogLine
from tui.logs.sanitize import SGRState, sanitize_line, split_lines

if TYPE_CHECKING:
    from tui.widgets.log_view import LogView as _Base
else:
    _Base = object

CARRY_SECONDS = 1.0
CARRY_LIMIT = 1 << 20  # a "line" this long comes out anyway
# While lines are being skipped, each draw is sure to be stale soon after, and every
# millisecond the loop spends drawing or sanitising is one it is not reading (the
# kernel holds only about 2 ms of a flood for a unix socket). So: draw 4 times a
# second, and sanitise for a third of the usual budget per draw.
BEHIND_SLOWDOWN = 2.5
BEHIND_BUDGET_SHARE = 1 / 3


class _Entry:
    """A queued batch (or marker) and how far into it the drain has got."""

    __slots__ = ("item", "container", "start", "arrived", "nbytes")

    def __init__(self, item: LogBatch | LogLine, container: str | None, arrived: float) -> None:
        self.item = item
        self.container = container
        self.start = 0
        self.arrived = arrived
        self.nbytes = 0 if isinstance(item, LogLine) else item.nbytes

    @property
    def remaining(self) -> int:
        return 1 if isinstance(self.item, LogLine) else len(self.item.frames) - self.start


class LogIngest(_Base):
    """Queueing and draining of `LogView` (see the module docstring)."""

    def _init_ingest(self) -> None:
        self._queue: deque[_Entry] = deque()
        self._queued_lines = 0
        self._queued_bytes = 0
        self._drain_timer = None
        self._carry: dict[tuple[str | None, LogStream], tuple[bytes, datetime | None, float]] = {}
        self._carry_timer = None
        self._sgr: dict[tuple[str | None, LogStream], SGRState] = {}
        self._last_drain = 0.0
        self._behind = False  # the last tick found lines skipped
        self._skipped_at_drain = 0
        self.steady_tick = 0.1

    # -- feeding ------------------------------------------------------------------------

    def add_batch(self, batch: LogBatch, container: str | None = None) -> None:
        """Queue a batch for the next tick. Cheap: nothing is decoded or drawn here."""
        if not batch.frames:
            return
        entry = _Entry(batch, container, time.monotonic())
        self._queue.append(entry)
        self._queued_lines += len(batch.frames)
        self._queued_bytes += entry.nbytes
        self._bound_queue()
        self._schedule()

    def add_chunks(self, chunks: Iterable[LogChunk], container: str | None = None) -> None:
        """Queue parsed chunks (history loads, tests)."""
        frames = [(c.stream, line, c.timestamp) for c in chunks for line in c.data.splitlines(keepends=True)]
        self.add_batch(LogBatch(frames), container)

    def add_marker(self, message: str, timestamp: datetime | None = None, container: str | None = None) -> None:
        """Add a separator line (`restarted at …`) after whatever is queued; `message` shows literally."""
        self._queue.append(_Entry(LogLine.marker(message, timestamp, container), container, time.monotonic()))
        self._queued_lines += 1
        self._schedule()

    def clear(self) -> None:
        """Forget all lines (and anything queued or waiting for the rest of its line), and the skip count."""
        self._queue.clear()
        self._queued_lines = 0
        self._queued_bytes = 0
        self.skipped = self._skipped_at_drain = 0
        self._behind = False
        self._carry.clear()
        self._sgr.clear()
        self.buffer.clear()
        self._rebuild()

    @property
    def queued_lines(self) -> int:
        """Frames waiting for a tick (about one line each)."""
        return self._queued_lines

    def _bound_queue(self, now: float | None = None) -> None:
        """Skip the oldest beyond `max_backlog` lines, then (given `now`) those waiting too long."""
        queue = self._queue
        excess = self._queued_lines - self.max_backlog
        while excess > 0 and queue:
            entry = queue[0]
            if isinstance(entry.item, LogLine):
                self._skip_first()
                continue
            count = min(excess, entry.remaining)
            entry.start += count
            self._queued_lines -= count
            self.skipped += count
            excess -= count
            if not entry.remaining:
                self._pop()
        # Long lines: a backlog of lines can still be a lot of memory.
        while self._queued_bytes > self.max_queued_bytes and len(queue) > 1:
            self._skip_first()
        if now is not None:
            while len(queue) > 1 and now - queue[0].arrived > self.max_lag:
                self._skip_first()

    def _pop(self) -> _Entry:
        entry = self._queue.popleft()
        self._queued_bytes -= entry.nbytes
        return entry

    def _skip_first(self) -> None:
        entry = self._pop()
        count = entry.remaining
        self._queued_lines -= count
        if isinstance(entry.item, LogLine):  # a marker says where something happened: keep it
            self.buffer.append(entry.item)
        else:
            self.skipped += count

    def _schedule(self) -> None:
        if self._drain_timer is None and self.is_mounted and self._queue:
            # A steady stream is drawn 10 times a second (each frame redraws every row, as they all
            # move up); a line now and then shows within `tick`.
            steady = time.monotonic() - self._last_drain < 3 * self.tick
            delay = max(self.tick, self.steady_tick) if steady else self.tick
            if self._behind:
                delay *= BEHIND_SLOWDOWN
            self._drain_timer = self.set_timer(delay, self._on_tick, name="log-view-drain")

    def _on_tick(self) -> None:
        self._drain_timer = None
        self._last_drain = time.monotonic()
        self._drain()

    # -- draining -------------------------------------------------------------------------

    def _drain(self, budget: int | None = None) -> None:
        """Move queued lines (oldest first, within the budgets) into the buffer, then redraw once."""
        queue = self._queue
        if not queue:
            return
        self._bound_queue(time.monotonic())
        # Behind while lines are being skipped: on arrival since the last tick (too many), or now (too
        # old). Judged afresh each tick, so a rate that only the full pace keeps up with gets it back.
        self._behind = self.skipped > self._skipped_at_drain
        self._skipped_at_drain = self.skipped
        budget = self.max_lines_per_tick if budget is None else budget
        deadline = time.perf_counter() + (self.tick_budget * BEHIND_BUDGET_SHARE if self._behind
                                          else self.tick_budget)
        before = self.buffer.visible_dropped
        while queue and budget > 0:
            entry = queue[0]
            item = entry.item
            if isinstance(item, LogLine):
                self._pop()
                self._queued_lines -= 1
                self.buffer.append(item)
                budget -= 1
                continue
            frames, stamped, container = item.frames, item.stamped, entry.container
            index, end = entry.start, len(item.frames)
            while index < end and budget > 0:
                stream, payload, stamp = frames[index]
                index += 1
                if stamped:
                    stamp, payload = parse_timestamp_prefix(payload)
                budget -= self._take(container, stream, payload, stamp)
                if (not index & 31 or len(payload) > 1024) and time.perf_counter() > deadline:
                    budget = 0
            self._queued_lines -= index - entry.start
            entry.start = index
            if index >= end:
                self._pop()
        self._after_append(before)
        self._schedule()

    def _take(self, container: str | None, stream: LogStream, payload: bytes, stamp: datetime | None) -> int:
        """Store the lines of one frame; returns how many."""
        key = (container, stream)
        carried = self._carry.pop(key, None) if self._carry else None
        if carried is not None:
            payload = carried[0] + payload
            stamp = carried[1] or stamp
        if not payload.endswith(b"\n") and len(payload) < CARRY_LIMIT:
            self._carry[key] = (payload, stamp, time.monotonic())
            if self._carry_timer is None:
                self._carry_timer = self.set_timer(CARRY_SECONDS, self._flush_carry)
            return 0
        state = self._sgr.get(key)
        if state is None:
            state = self._sgr[key] = SGRState()
        buffer = self.buffer
        max_cells = buffer.max_cells
        if payload.count(b"\n") <= 1:
            raw = payload[:-1] if payload.endswith(b"\n") else payload
            buffer.append(LogLine(stream, sanitize_line(raw, max_cells=max_cells, state=state), stamp, len(raw),
                                  container))
            return 1
        lines = split_lines(payload)
        for raw in lines:
            buffer.append(LogLine(stream, sanitize_line(raw, max_cells=max_cells, state=state), stamp, len(raw),
                                  container))
        return len(lines)

    def _flush_carry(self) -> None:
        """Lines left open longer than CARRY_SECONDS show as they are (a prompt, a stalled writer)."""
        self._carry_timer = None
        if not self._carry:
            return
        now = time.monotonic()
        before = self.buffer.visible_dropped
        flushed = False
        for key, (payload, stamp, since) in list(self._carry.items()):
            if now - since >= CARRY_SECONDS:
                del self._carry[key]
                self._take(key[0], key[1], payload + b"\n", stamp)
                flushed = True
        if flushed:
            self._after_append(before)
        if self._carry:
            self._carry_timer = self.set_timer(CARRY_SECONDS, self._flush_carry)
