"""Taking a container's log frames into a `LogBuffer`: queued on arrival, sanitised later within a budget.

`IngestQueue` is the log view's intake, free of any UI: `add_batch` only queues
(nothing is decoded on arrival); `drain` takes queued frames oldest first, at most a
number of lines and a share of a time budget, parses their timestamps, sanitises
them and stores them in the buffer. The caller (the `LogView` widget) decides when
to drain: on a timer, re-armed only while data waits.

No reader keeps up with a container writing as fast as it can, so the queue is
bounded three ways: by lines (`max_backlog`: more than the buffer keeps could never
be seen), by bytes (`max_queued_bytes`, for long lines) and by age: what waited longer
than `max_lag` seconds is dropped. Each way the oldest go and the newest are kept,
and the count is in `skipped`.

A frame that does not end a line (the engine cut a long line, or a prompt without a
newline) waits for the rest of its line from the same container and stream, at most
`CARRY_SECONDS` (`flush_carry`); colours run on from line to line as on a terminal.
"""

from __future__ import annotations

import time
from collections import deque
from datetime import datetime
from typing import Callable, Iterable

from tui.engine.timestamps import parse_timestamp_prefix
from tui.engine.types import LogBatch, LogChunk, LogStream
from tui.logs.buffer import LogBuffer, LogLine
from tui.logs.sanitize import SGRState, sanitize_line, split_lines

__all__ = ["CARRY_LIMIT", "CARRY_SECONDS", "IngestQueue"]

CARRY_SECONDS = 1.0
CARRY_LIMIT = 1 << 20  # of a longer open line only this much is kept (the rest is counted)
# While lines are being skipped every millisecond spent sanitising is one not spent reading
# (the kernel holds only about 2 ms of a flood for a unix socket): a third of the budget then.
BEHIND_BUDGET_SHARE = 1 / 3

_Key = tuple["str | None", LogStream]


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


class IngestQueue:
    """Frames waiting to become lines of `buffer` (see the module docstring)."""

    def __init__(self, buffer: LogBuffer, *, max_backlog: int | None = None, max_lag: float = 2.0,
                 max_queued_bytes: int = 16 << 20, clock: Callable[[], float] = time.monotonic) -> None:
        self.buffer = buffer
        self.max_backlog = buffer.max_lines if max_backlog is None else max_backlog
        self.max_lag = max_lag
        self.max_queued_bytes = max_queued_bytes
        self.clock = clock
        self.skipped = 0
        """Lines never stored because they arrived faster than they were taken."""
        self.behind = False
        """The last drain found lines skipped since the one before (the caller slows down)."""
        self._queue: deque[_Entry] = deque()
        self._queued_lines = 0
        self._queued_bytes = 0
        self._skipped_at_drain = 0
        # (container, stream) -> an open line: (its head, stamp, last arrival, bytes counted but not kept)
        self._carry: dict[_Key, tuple[bytes, datetime | None, float, int]] = {}
        self._sgr: dict[_Key, SGRState] = {}

    # -- feeding ------------------------------------------------------------------------

    def add_batch(self, batch: LogBatch, container: str | None = None) -> None:
        """Queue a batch. Cheap: nothing is decoded here."""
        if not batch.frames:
            return
        entry = _Entry(batch, container, self.clock())
        self._queue.append(entry)
        self._queued_lines += len(batch.frames)
        self._queued_bytes += entry.nbytes
        self._bound()

    def add_chunks(self, chunks: Iterable[LogChunk], container: str | None = None) -> None:
        """Queue parsed chunks (history loads, tests)."""
        frames = [(c.stream, line, c.timestamp) for c in chunks for line in c.data.splitlines(keepends=True)]
        self.add_batch(LogBatch(frames), container)

    def add_marker(self, message: str, timestamp: datetime | None = None, container: str | None = None) -> None:
        """Queue a separator line (`restarted at …`) after whatever is queued; `message` shows literally."""
        self._queue.append(_Entry(LogLine.marker(message, timestamp, container), container, self.clock()))
        self._queued_lines += 1

    def clear(self) -> None:
        """Forget everything queued or waiting for the rest of its line, and the skip count (not the buffer)."""
        self._queue.clear()
        self._queued_lines = 0
        self._queued_bytes = 0
        self.skipped = self._skipped_at_drain = 0
        self.behind = False
        self._carry.clear()
        self._sgr.clear()

    def __bool__(self) -> bool:
        """Something is queued."""
        return bool(self._queue)

    @property
    def queued_lines(self) -> int:
        """Frames waiting (about one line each)."""
        return self._queued_lines

    @property
    def queued_bytes(self) -> int:
        return self._queued_bytes

    @property
    def has_open_lines(self) -> bool:
        """Some line waits for the rest of it (`flush_carry` shows it in time)."""
        return bool(self._carry)

    def _bound(self, now: float | None = None) -> None:
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

    # -- draining -------------------------------------------------------------------------

    def drain(self, budget: int, seconds: float) -> None:
        """Store queued lines in the buffer, oldest first: at most `budget` lines, for about `seconds`
        (a third of that while behind). Lines waiting longer than `max_lag` are skipped first."""
        queue = self._queue
        if not queue:
            return
        self._bound(self.clock())
        # Behind while lines are being skipped: on arrival since the last drain (too many), or now (too
        # old). Judged afresh each drain, so a rate that only the full pace keeps up with gets it back.
        self.behind = self.skipped > self._skipped_at_drain
        self._skipped_at_drain = self.skipped
        deadline = time.perf_counter() + (seconds * BEHIND_BUDGET_SHARE if self.behind else seconds)
        buffer = self.buffer
        while queue and budget > 0:
            entry = queue[0]
            item = entry.item
            if isinstance(item, LogLine):
                self._pop()
                self._queued_lines -= 1
                buffer.append(item)
                budget -= 1
                continue
            frames, stamped, container = item.frames, item.stamped, entry.container
            index, end = entry.start, len(item.frames)
            while index < end and budget > 0:
                stream, payload, stamp = frames[index]
                index += 1
                if stamped:
                    stamp, payload = parse_timestamp_prefix(payload)
                budget -= self.take(container, stream, payload, stamp)
                if (not index & 31 or len(payload) > 1024) and time.perf_counter() > deadline:
                    budget = 0
            self._queued_lines -= index - entry.start
            entry.start = index
            if index >= end:
                self._pop()

    def take(self, container: str | None, stream: LogStream, payload: bytes, stamp: datetime | None) -> int:
        """Store the lines of one frame now (joined to an open line of the same source); returns how many."""
        key = (container, stream)
        carried = self._carry.pop(key, None) if self._carry else None
        taken = 0
        if carried is not None:
            head, carried_stamp, _, hidden = carried
            if hidden:
                # A line past CARRY_LIMIT: only where it ends matters; the rest is counted.
                end = payload.find(b"\n")
                if end < 0:
                    self._carry_on(key, head, carried_stamp, hidden + len(payload))
                    return 0
                self._store(key, stream, head, carried_stamp or stamp, container, hidden + end)
                payload, taken = payload[end + 1:], 1
                if not payload:
                    return taken
            else:
                payload = head + payload
                stamp = carried_stamp or stamp
        if not payload.endswith(b"\n"):
            if len(payload) < CARRY_LIMIT:
                self._carry_on(key, payload, stamp)
                return taken
            # One line longer than anything kept (the engine cut it into many frames):
            # keep its head, count the rest, and show it as one line with one marker.
            start = payload.rfind(b"\n") + 1
            head = payload[start:]
            self._carry_on(key, head[:CARRY_LIMIT], stamp, max(0, len(head) - CARRY_LIMIT))
            payload = payload[:start]
            if not payload:
                return taken
        if payload.count(b"\n") <= 1:
            raw = payload[:-1] if payload.endswith(b"\n") else payload
            self._store(key, stream, raw, stamp, container)
            return taken + 1
        lines = split_lines(payload)
        for raw in lines:
            self._store(key, stream, raw, stamp, container)
        return taken + len(lines)

    def _carry_on(self, key: _Key, head: bytes, stamp: datetime | None, hidden: int = 0) -> None:
        """Keep an open line for the rest of it (`hidden`: bytes of it counted, not kept)."""
        self._carry[key] = (head, stamp, self.clock(), hidden)

    def _store(self, key: _Key, stream: LogStream, raw: bytes, stamp: datetime | None,
               container: str | None, hidden: int = 0) -> None:
        state = self._sgr.get(key)
        if state is None:
            state = self._sgr[key] = SGRState()
        buffer = self.buffer
        text = sanitize_line(raw, max_cells=buffer.max_cells, state=state, hidden=hidden)
        buffer.append(LogLine(stream, text, stamp, len(raw) + hidden, container))

    def flush_carry(self, older_than: float = CARRY_SECONDS) -> bool:
        """Store the open lines that waited `older_than` seconds as they are (a prompt, a stalled
        writer; 0: all of them); True if any was."""
        if not self._carry:
            return False
        now = self.clock()
        flushed = False
        for key, (payload, stamp, since, hidden) in list(self._carry.items()):
            if now - since >= older_than:
                del self._carry[key]
                if hidden:
                    self._store(key, key[1], payload, stamp, key[0], hidden)
                else:
                    self.take(key[0], key[1], payload + b"\n", stamp)
                flushed = True
        return flushed
