"""`LogFollower`: one container's log, followed for as long as the container exists.

A container's log stream ends whenever the container stops. The follower then
asks the engine what happened: removed (say so, stop), stopped (say so, wait to
be woken by the next state change), running again with a new start time (mark
the restart) or still running (the stream broke: reopen). Reopening asks for the
lines since the last one received, a second early because Podman's timestamps
have one-second resolution, and skips the ones already delivered (by timestamp,
and by count among lines sharing the last timestamp), so a restart loses nothing
and repeats nothing.

Opening is alike: the history (the tail) in one request, then a follow from a
second before its last stamp, never one request with both: Podman, asked to
follow with a tail, loses the first line written after the tail's last. There
the follow skips up to the history's last lines, found by their text rather
than by counting the lines of the last second (a tail may have cut that second
and Podman does not always stamp a line alike in the two answers). On Podman the
history's last second is left to the follow: its plain read can miss one of its
last lines, and what is delivered cannot be mended.

Everything is delivered as `LogBatch`es (timestamps unparsed until shown); the
follower parses only the stamps it needs: the last of each batch, and those of the
first batches after a reopen. No Textual here: the pane passes callbacks.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Callable

from tui.engine import ContainerSummary, Engine, EngineError, LogBatch, LogChunk, NotFound
from tui.engine.timestamps import raw_timestamp_prefix, timestamp_order_key

RETRY_SECONDS = 2.0
MATCH_LINES = 16  # how many of the history's last lines the follow looks for
REOPEN_PAUSE = 0.3  # a stream that keeps ending at once must not spin
SEAM_BATCHES = 3  # Podman: the batches after the history's end checked against a plain read
SEAM_GAP = 3  # the most lines one gap is filled with; a match further on is taken for a coincidence


class NoteKind(Enum):
    RESTARTED = "restarted"
    STOPPED = "stopped"
    REMOVED = "removed"
    ERROR = "error"
    RESUMED = "resumed"


@dataclass(frozen=True)
class FollowerNote:
    """Something to tell the user, in the log where it happened."""

    kind: NoteKind
    text: str
    time: datetime | None = None


def _order_key(batch: LogBatch, index: int) -> tuple[datetime, int] | None:
    """Where frame `index` stands in time, to the nanosecond when the engine says so."""
    return _frame_key(batch.frames[index], batch.stamped)


def _raw_stamp(batch: LogBatch, index: int) -> bytes | datetime | None:
    """What `_remember` judges "the same stamp" on: the raw bytes when unparsed."""
    frame = batch.frames[index]
    return raw_timestamp_prefix(frame[1]) if batch.stamped else frame[2]


class LogFollower:
    """Follows one container's log (see the module docstring).

    `deliver(batch)` gets the lines, `note(FollowerNote)` what happened to the
    container; both are called on the event loop, from `run`.
    """

    def __init__(
        self,
        engine: Engine,
        container_id: str,
        *,
        deliver: Callable[[LogBatch], None],
        note: Callable[[FollowerNote], None],
        tail: int | None = 1000,
        since: datetime | float | None = None,
        tty: bool | None = None,
        started: datetime | None = None,
    ) -> None:
        self.engine = engine
        self.container_id = container_id
        self.deliver = deliver
        self.note = note
        self.tail = tail
        self.since = since
        self.tty = tty
        self.started = started
        self.at_last = 0  # lines delivered that carry exactly `last_stamp`
        # The last delivered stamp, kept raw: parsing it for every batch of a flood costs more than
        # the few reopens that need it. `_last_key` is what equality is judged on.
        self._last_key: bytes | datetime | None = None
        self._last_frame: tuple[LogBatch, int] | None = None
        self._last_order: tuple[datetime, int] | None = None
        self.delivered = 0
        self._history_loaded = False
        self._opened_at: float | None = None
        self._wake = asyncio.Event()
        self._failing = False
        self._to_skip = 0
        self._history_end: list[bytes] = []  # the history's last lines, to find its end in the follow

    def wake(self) -> None:
        """The container's state changed: look again if waiting for it to run."""
        self._wake.set()

    # -- history -----------------------------------------------------------------------

    async def _deliver_history(self) -> None:
        async for batch in self._history():
            self.deliver(batch)

    async def load_history(self) -> list[LogChunk]:
        """The history (per `tail`/`since`), parsed; `run()` then follows on from it."""
        chunks: list[LogChunk] = []
        async for batch in self._history():
            chunks.extend(batch.chunks())
        return chunks

    async def _history(self):
        self._opened_at = time.time()
        last_lines: deque[bytes] = deque(maxlen=MATCH_LINES)
        batches = self.engine.log_batches(self.container_id, follow=False, tail=self.tail,
                                          since=self.since, timestamps=True, tty=self.tty)
        if self.engine.kind == "podman":
            batches = _without_last_second(batches)
        async for batch in batches:
            self._remember(batch)
            self.delivered += len(batch.frames)
            last_lines.extend(frame[1] for frame in batch.frames)
            yield batch
        self._history_loaded = True
        self._history_end = list(last_lines)

    # -- following ---------------------------------------------------------------------

    async def run(self) -> None:
        """Follow until the container is removed (or the task is cancelled)."""
        first = not self._history_loaded
        if self.started is None:
            # A brief list does not say when the container started: needed to tell a restart.
            try:
                self.started = (await self.engine.summary(self.container_id)).started
            except EngineError:
                pass
        while True:
            opened = time.monotonic()
            try:
                if first:
                    # History and live lines in two requests: Podman, asked to follow
                    # with a tail, loses the first line written after the tail's last.
                    await self._deliver_history()
                    first = False
                request = {"tail": None, "since": self._resume_since()}
                catching_up = self.last_stamp is not None
                self._to_skip = self.at_last
                # Right after the history, its end is found by its last lines, not by counting
                # the lines of its last second: the tail may have cut that second, and Podman
                # does not always stamp a line the same way in the two answers.
                finder = _HistoryEnd(self._history_end, self._last_order_key()) if self._history_end else None
                # The first new line may come in a later batch than the history's end: mend there,
                # and in the batches right after it (the loss is at the switch from file to watch).
                mend = SEAM_BATCHES if finder is not None and self.engine.kind == "podman" else 0
                delivered_end: deque[bytes] = deque(finder.wanted if finder else (), maxlen=MATCH_LINES)
                async for batch in self.engine.log_batches(self.container_id, follow=True, timestamps=True,
                                                           tty=self.tty, **request):
                    if self._failing:
                        self._failing = False
                        self.note(FollowerNote(NoteKind.RESUMED, "log stream back"))
                    if catching_up:
                        batch, catching_up = self._skip_seen(batch) if finder is None else finder.skip(batch)
                        if not catching_up:
                            self._history_end = []
                        if not batch.frames:
                            continue
                    if mend and not catching_up:
                        mend -= 1
                        batch = await self._mend_seam(list(delivered_end), request["since"], batch)
                        delivered_end.extend(_frame_text(frame, batch.stamped) for frame in batch.frames)
                    self._remember(batch)
                    self.delivered += len(batch.frames)
                    self.deliver(batch)
                if catching_up and finder is not None:
                    # Ended before the history's end showed: what was stamped after it is new.
                    self._history_end = []
                    if finder.rest():
                        rest = LogBatch(finder.rest(), finder.stamped)
                        self._remember(rest)
                        self.delivered += len(rest.frames)
                        self.deliver(rest)
            except NotFound:
                self._removed()
                return
            except EngineError as exc:
                if self.delivered:
                    first = False  # part of the history came: the follow from its last stamp reads the rest
                if not self._failing:
                    self._failing = True
                    self.note(FollowerNote(NoteKind.ERROR, f"log stream failed: {exc}"))
                await self._sleep_or_wake(RETRY_SECONDS)
                continue
            if not await self._settle():
                return
            if time.monotonic() - opened < REOPEN_PAUSE:
                await asyncio.sleep(REOPEN_PAUSE)

    async def _mend_seam(self, delivered_end: list[bytes], since, new: LogBatch) -> LogBatch:
        """Put back what Podman's follow skipped in `new`, the batch after `delivered_end`.

        Podman's k8s-file follow now and then misses a line or two at the moment it switches from
        reading the file to watching it (podman#17286): lines a reader of the log would have. The
        same stretch read once without follow has them. `new` is walked through that read from
        where `delivered_end` (the last lines delivered, compared without stamps) ends; a gap of at
        most `SEAM_GAP` lines before a line of `new` is filled from the read. Anything unsure (the
        read lacks the end, or a line of `new` is not where it should be) leaves the rest of `new`
        as the follow gave it.
        """
        frames: list = []
        stamped = new.stamped
        try:
            async for batch in self.engine.log_batches(self.container_id, follow=False, since=since,
                                                       timestamps=True, tty=self.tty):
                frames.extend(batch.frames)
                stamped = batch.stamped
        except EngineError:
            return new
        if stamped != new.stamped or not delivered_end:
            return new
        texts = [_frame_text(frame, stamped) for frame in frames]
        width = len(delivered_end)
        at = next((i + width for i in range(len(texts) - width, -1, -1)
                   if texts[i:i + width] == delivered_end), None)
        if at is None:
            return new
        mended: list = []
        for index, frame in enumerate(new.frames):
            text = _frame_text(frame, stamped)
            found = next((i for i in range(at, min(len(texts), at + SEAM_GAP + 1)) if texts[i] == text), None)
            if found is None:
                mended.extend(new.frames[index:])
                break
            mended.extend(frames[at:found])
            mended.append(frame)
            at = found + 1
        return new if len(mended) == len(new.frames) else LogBatch(mended, stamped)

    async def _settle(self) -> bool:
        """After the stream ended: wait until the container runs again; False once it is gone."""
        noted_stop = False
        while True:
            # Cleared before looking, not after: a wake that comes while we
            # look (the container starting again) must not be lost.
            self._wake.clear()
            try:
                summary = await self.engine.summary(self.container_id)
            except NotFound:
                self._removed()
                return False
            except EngineError:
                await self._sleep_or_wake(RETRY_SECONDS)
                continue
            if same_start(summary.started, self.started):
                # The same start, maybe told to the second only (by the list): keep the precise one,
                # so a restart within that second is still seen as one.
                self.started = summary.started
            if summary.is_running or summary.state.value == "paused" or self._ran_again(summary):
                # A run may be over already (a crash loop exits in milliseconds):
                # reopen all the same, to read what it wrote.
                self._check_restart(summary)
                return True
            if not noted_stop and summary.state.value != "removing":
                # (A `--rm` container on its way out: "removed" follows, say that once.)
                noted_stop = True
                self.note(FollowerNote(NoteKind.STOPPED, _stopped_text(summary), summary.finished))
            await self._wake.wait()

    def _ran_again(self, summary: ContainerSummary) -> bool:
        """Has the container started since we last looked (it may have stopped again already)?"""
        return summary.started is not None and not same_start(summary.started, self.started)

    def _check_restart(self, summary: ContainerSummary) -> None:
        if self.started is not None and self._ran_again(summary):
            local = summary.started.astimezone()
            self.note(FollowerNote(NoteKind.RESTARTED, f"restarted at {local:%H:%M:%S}", summary.started))
        if summary.started is not None:
            self.started = summary.started

    def _removed(self) -> None:
        self.note(FollowerNote(NoteKind.REMOVED, "container removed; the lines above are kept"))

    async def _sleep_or_wake(self, seconds: float) -> None:
        self._wake.clear()
        try:
            await asyncio.wait_for(self._wake.wait(), seconds)
        except asyncio.TimeoutError:
            pass

    # -- where we are in the log ---------------------------------------------------------

    def _resume_since(self) -> datetime | float | None:
        if self.last_stamp is not None:
            return self.last_stamp - timedelta(seconds=1)
        if self._opened_at is not None:
            return self._opened_at - 1
        return self.since

    @property
    def last_stamp(self) -> datetime | None:
        """The timestamp of the last line delivered (None before any)."""
        order = self._last_order_key()
        return None if order is None else order[0]

    def _last_order_key(self) -> tuple[datetime, int] | None:
        if self._last_frame is not None:
            batch, index = self._last_frame
            self._last_frame = None
            self._last_order = _order_key(batch, index)
        return self._last_order

    def _remember(self, batch: LogBatch) -> None:
        """Note the last timestamp of `batch` and how many lines carry it."""
        frames = batch.frames
        if not frames:
            return
        last = len(frames) - 1
        key = _raw_stamp(batch, last)
        if not key:
            return
        same = 1
        while same <= last and _raw_stamp(batch, last - same) == key:
            same += 1
        if key == self._last_key and same == len(frames):
            self.at_last += same
        else:
            self._last_key, self.at_last = key, same
            self._last_frame, self._last_order = (batch, last), None

    def _skip_seen(self, batch: LogBatch) -> tuple[LogBatch, bool]:
        """Drop the frames delivered before a reopen; (rest, still catching up)."""
        last = self._last_order_key()
        for index in range(len(batch.frames)):
            key = _order_key(batch, index)
            if key is None or last is None or key > last:
                return LogBatch(batch.frames[index:], batch.stamped), False
            if key == last:
                if self._to_skip <= 0:
                    return LogBatch(batch.frames[index:], batch.stamped), False
                self._to_skip -= 1
        return LogBatch([], batch.stamped), True


def same_start(a: datetime | None, b: datetime | None) -> bool:
    """Do two start times name the same start? A list may give it in whole seconds (`podman ps`
    prints epoch seconds) where inspect gives nanoseconds: the pane opened from the list then
    marked a restart that never happened as soon as the stream ended (on a stop)."""
    if a == b:
        return True
    if a is None or b is None:
        return False
    if a.microsecond == 0 or b.microsecond == 0:
        return a.replace(microsecond=0) == b.replace(microsecond=0)
    return False


async def _without_last_second(batches):
    """The history's batches less the lines of its last second, which the follow then delivers.

    Podman's plain read, made while the container writes, can miss one of its very last lines
    (seen: `…752, 754` where the follow had `…752, 753, 754`); what was delivered cannot be mended.
    The follow replays that second whole. Held back only when earlier lines remain to find the
    history's end by; a history all within one second is delivered as it came.
    """
    held: list = []
    stamped = True
    released = False
    async for batch in batches:
        stamped = batch.stamped
        held.extend(batch.frames)
        last = _frame_key(held[-1], stamped) if held else None
        if last is None:
            continue
        cut = _first_after(held, stamped, last[0] - timedelta(seconds=1))
        if cut:
            released = True
            yield LogBatch(held[:cut], stamped)
            del held[:cut]
    if held and not released:
        yield LogBatch(held, stamped)
    elif held and _frame_key(held[-1], stamped) is None:
        yield LogBatch(held, stamped)  # unstamped: nothing for the follow to replay it by


def _first_after(frames: list, stamped: bool, moment: datetime) -> int:
    """The index of the first frame stamped after `moment` (frames are in time order)."""
    low, high = 0, len(frames)
    while low < high:
        middle = (low + high) // 2
        key = _frame_key(frames[middle], stamped)
        if key is not None and key[0] > moment:
            high = middle
        else:
            low = middle + 1
    return low


def _frame_key(frame, stamped: bool) -> tuple[datetime, int] | None:
    return timestamp_order_key(frame[1]) if stamped else (None if frame[2] is None else (frame[2], 0))


class _HistoryEnd:
    """Finds where the history ended in a follow that starts a second before its last stamp.

    The follow replays that second and more; what comes after the history's last
    `MATCH_LINES` lines (compared without their stamps) is new. Should they never
    show together (Podman's tail answer can miss a line the follow then has), what
    follows the last replay of the history's very last line is new; failing that,
    the lines stamped after the history's last, once the replay is more than a
    second past it.
    """

    def __init__(self, last_lines: list[bytes], last: tuple[datetime, int] | None) -> None:
        self.wanted = [_text(line) for line in last_lines]
        self.window: deque[bytes] = deque(maxlen=len(self.wanted))
        self.last = last
        self.newer: list = []  # frames stamped after the history's last: new unless the match comes later
        self.after_last_line: list | None = None  # frames after the latest replay of the history's last line
        self._newer = False
        self.stamped = True

    def rest(self) -> list:
        """What is new, as far as the replay went without the full match."""
        return self.after_last_line if self.after_last_line is not None else self.newer

    def skip(self, batch: LogBatch) -> tuple[LogBatch, bool]:
        """(what is new in `batch`, still looking)."""
        self.stamped = batch.stamped
        frames, wanted, window = batch.frames, self.wanted, self.window
        for index, frame in enumerate(frames):
            text = _frame_text(frame, batch.stamped)
            window.append(text)
            if text == wanted[-1] and len(window) == len(wanted) and list(window) == wanted:
                return LogBatch(frames[index + 1:], batch.stamped), False
            key = _order_key(batch, index)
            if key is not None and self.last is not None:
                if key[0] > self.last[0] + timedelta(seconds=1):
                    return LogBatch(self.rest() + list(frames[index:]), batch.stamped), False
                self._newer = key > self.last
            if self.after_last_line is not None:
                self.after_last_line.append(frame)
            if text == wanted[-1]:
                self.after_last_line = []
            if self._newer:
                self.newer.append(frame)
        return LogBatch([], batch.stamped), True


def _text(payload: bytes) -> bytes:
    """A stamped payload without its stamp."""
    prefix = raw_timestamp_prefix(payload)
    return payload[len(prefix) + 1:] if prefix else payload


def _frame_text(frame, stamped: bool) -> bytes:
    """A frame's line as compared across two answers of the engine: without its stamp."""
    return _text(frame[1]) if stamped else frame[1]


def _stopped_text(summary: ContainerSummary) -> str:
    # No clock time here: the marker line carries the stop time (shown with `t`).
    code = "" if summary.exit_code is None else f" with code {summary.exit_code}"
    return f"container {summary.state.value}{code}"
