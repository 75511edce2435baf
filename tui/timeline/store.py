"""What happened to each container, kept from bosun's start, bounded.

`TimelineStore` takes the engine's events as they come (and, once at start, what
the engine still holds of the last hours) and keeps them as `TimelineEntry`s:
at most `per_container` for each container, `overall` for the whole engine, and
the entries of at most `containers` containers (the least recently touched go
first). The live stream and the replay overlap by a moment at start: an event
seen twice (same container, action and time) is kept once, and entries stay in
time order whichever arrives first.

It also answers what the list shows beside a container: how often it restarted
lately (a restart is a start that follows a die), so a restart loop can be
flagged, and its last deaths for the compact strip. Plain data, no Textual.
"""

from __future__ import annotations

import bisect
from datetime import datetime, timedelta, timezone
from typing import Iterable

from tui.engine.types import ContainerEvent, ContainerSummary, EventKind, Health
from tui.timeline.entry import HEALTH_FLIPS, TimelineEntry, What, what_of

PER_CONTAINER = 200
OVERALL = 2000
CONTAINERS = 2000
# Entries held in all the per-container lists together: with many busy containers each keeps fewer
# (the least recently touched lose their oldest first), rather than the list of one container thrashing.
HELD = 20_000
HEALTH_OUTPUT_LIMIT = 500  # characters of a check's output kept with its entry


def _time(entry: TimelineEntry) -> datetime:
    return entry.time


def _insert(entries: list[TimelineEntry], entry: TimelineEntry, limit: int) -> int:
    """Insert in time order, keep the newest `limit`; returns how many entries the list grew by (0 or 1)."""
    if not entries or entries[-1].time <= entry.time:
        entries.append(entry)  # the usual case: live, in order
    else:
        bisect.insort_right(entries, entry, key=_time)
    if len(entries) > limit:
        del entries[: len(entries) - limit]
        return 0
    return 1


class TimelineStore:
    def __init__(self, per_container: int = PER_CONTAINER, overall: int = OVERALL,
                 containers: int = CONTAINERS, held: int = HELD) -> None:
        self.per_container, self.overall, self.containers, self.held = per_container, overall, containers, held
        self._held = 0  # entries in the per-container lists
        self._all: list[TimelineEntry] = []
        self._by_key: dict[str, list[TimelineEntry]] = {}  # in order of last touch: the oldest go first
        self._seen: dict[tuple, None] = {}
        self._names: dict[str, str] = {}
        self._started: dict[str, datetime] = {}  # a running container's start, from the list (no event seen)
        self._health: dict[str, tuple[Health, datetime]] = {}  # the health last kept, and since when
        self._checked: set[str] = set()  # a health event came and no inspect since
        #: Goes up on every change: a view redraws when it moved.
        self.version = 0

    # -- what comes in ------------------------------------------------------------------------

    def add(self, event: ContainerEvent, *, replayed: bool = False) -> TimelineEntry | None:
        """Keep one engine event (None: one the timeline leaves out, or one already kept)."""
        if event.kind is EventKind.HEALTH and not replayed:
            self._checked.add(event.container_id)  # the inspect that follows says what the check found
        what = what_of(event)
        if what is None:
            return None
        seen = (event.container_id, event.action, event.time)
        if seen in self._seen:
            return None
        self._seen[seen] = None
        if len(self._seen) > 4 * self.overall:
            for old in list(self._seen)[: len(self._seen) - 2 * self.overall]:
                del self._seen[old]
        key = event.container_id
        if what in (What.HEALTHY, What.UNHEALTHY) and not self._flipped(key, event.health, event.time):
            return None  # the same health again (Podman says it after every check)
        if what is What.STARTED:
            self._health.pop(key, None)  # a new run: its health starts over
        name = event.name or event.attributes.get("name") or self._names.get(key) or key[:12]
        self._names[key] = name
        entry = TimelineEntry(event.time, event.engine, key, name, what, replayed=replayed,
                              detail=self._detail(event, what))
        mine = self._by_key.pop(key, [])
        self._by_key[key] = mine  # touched last
        if what is What.DIED:
            entry.exit_code = event.exit_code
            entry.ran_for = self._ran_for(mine, key, event.time)
            if event.exit_code == 137 and not (mine and mine[-1].what in (What.KILLED, What.OOM, What.STOPPED)):
                # Podman 4 sends no `oom` event and leaves inspect's OOMKilled false: a SIGKILL nobody sent
                # through the engine is all there is to go on.
                entry.detail = "SIGKILL not sent through the engine: the OOM killer, most likely"
        self._keep(mine, entry)
        self.version += 1
        return entry

    def _keep(self, mine: list[TimelineEntry], entry: TimelineEntry) -> None:
        self._held += _insert(mine, entry, self.per_container)
        _insert(self._all, entry, self.overall)
        while self._held > self.held or len(self._by_key) > self.containers:
            oldest = next(iter(self._by_key))  # the least recently touched
            entries = self._by_key[oldest]
            if entries and len(self._by_key) <= self.containers:
                del entries[0]  # over the budget of entries: its oldest goes
                self._held -= 1
                if entries:
                    continue
            self._held -= len(entries)
            del self._by_key[oldest]
            for kept in (self._names, self._started, self._health):
                kept.pop(oldest, None)
            self._checked.discard(oldest)

    def add_history(self, events: Iterable[ContainerEvent]) -> int:
        """What the engine still held when bosun started; returns how many entries it added."""
        added = 0
        for event in sorted(events, key=lambda e: e.time):
            added += self.add(event, replayed=True) is not None
        return added

    def note(self, summary: ContainerSummary) -> bool:
        """What an inspect adds to the last events: the health check's output, that a death was the OOM
        killer's (Podman sends no `oom` event), when a run began. True when an entry changed."""
        key = summary.id
        self.note_started(summary)
        changed = False
        flip = HEALTH_FLIPS.get(summary.health)
        checked = key in self._checked
        self._checked.discard(key)
        if flip is None or not (checked or key in self._health):
            pass  # no check said anything yet: a healthy container paused is no health news
        elif self._flipped(key, summary.health, None):
            # A flip no event said (Podman's say "starting"), or not yet: now is when it was seen.
            entry = TimelineEntry(datetime.now(timezone.utc), summary.engine, key, summary.name, flip)
            self._names[key] = summary.name
            mine = self._by_key.pop(key, [])
            self._by_key[key] = mine
            self._keep(mine, entry)
            changed = True
        mine = self._by_key.get(key)
        if not mine:
            return False
        last_health = next((e for e in reversed(mine) if e.what in (What.HEALTHY, What.UNHEALTHY)), None)
        output = (summary.health_output or "").strip()
        if last_health is not None and not last_health.detail and output \
                and last_health.what.value == summary.health.value:
            last_health.detail = output[:HEALTH_OUTPUT_LIMIT]
            changed = True
        if summary.oom_killed and not summary.is_running:
            index = next((i for i in range(len(mine) - 1, -1, -1) if mine[i].ended_a_run), None)
            if index is not None and mine[index].what is What.DIED \
                    and not (index and mine[index - 1].what is What.OOM):
                mine[index].what = What.OOM
                changed = True
        if changed:
            self.version += 1
        return changed

    def note_started(self, summary: ContainerSummary) -> None:
        """When a running container's run began (the list says it): a death with no start seen needs it."""
        if summary.is_running and summary.started is not None:
            self._started.pop(summary.id, None)
            self._started[summary.id] = summary.started  # last: the oldest noted goes first
            if len(self._started) > 4 * self.containers:
                del self._started[next(iter(self._started))]

    def _flipped(self, key: str, health: Health | None, at: datetime | None) -> bool:
        """Is `health` (seen at `at`; None: now) a change from the health last kept? Keeps it if so."""
        last = self._health.get(key)
        if last is not None and last[0] is health:
            return False
        if last is None or at is None or at >= last[1]:
            self._health[key] = (health, at or datetime.now(timezone.utc))
        return True

    def _detail(self, event: ContainerEvent, what: What) -> str:
        attributes = event.attributes
        if what is What.EXEC:
            return event.action.partition(":")[2].strip() or attributes.get("execCommand", "")
        if what is What.KILLED:
            signal = attributes.get("signal", "")
            return f"signal {signal}" if signal else ""
        if what is What.RENAMED:
            old = attributes.get("oldName", "").lstrip("/")
            return f"was {old}" if old else ""
        return ""

    def _ran_for(self, mine: list[TimelineEntry], key: str, died: datetime) -> float | None:
        for entry in reversed(mine):
            if entry.time > died:
                continue
            if entry.what is What.STARTED:
                return max((died - entry.time).total_seconds(), 0.0)
            if entry.ended_a_run:
                break  # a start we never saw: the list's start time may know it
        started = self._started.pop(key, None)
        if started is not None and started <= died:
            return (died - started).total_seconds()
        return None

    # -- what goes out ------------------------------------------------------------------------

    def entries(self, key: str | None = None, text: str = "") -> list[TimelineEntry]:
        """Newest first: one container's (`key`), or the whole engine's; `text` keeps those that mention it."""
        source = self._by_key.get(key, []) if key is not None else self._all
        words = text.lower().split()
        picked = [e for e in reversed(source) if not words or all(w in _haystack(e) for w in words)]
        return picked

    def restarts(self, key: str, now: datetime, window: timedelta) -> int:
        """Starts within `window` before `now` that followed a death: a restart policy's, or a user's."""
        count = 0
        ended = False
        since = now - window
        for entry in self._by_key.get(key, ()):
            if entry.ended_a_run:
                ended = True
            elif entry.what is What.STARTED:
                if ended and entry.time >= since:
                    count += 1
                ended = False
        return count

    def looping(self, now: datetime, more_than: int, window: timedelta) -> dict[str, int]:
        """Containers that restarted more than `more_than` times within `window`, and how often."""
        since = now - window
        found = {}
        for key, mine in self._by_key.items():
            if mine and mine[-1].time >= since:
                count = self.restarts(key, now, window)
                if count > more_than:
                    found[key] = count
        return found

    def last_deaths(self, key: str, now: datetime, within: timedelta, count: int = 3) -> list[TimelineEntry]:
        """The container's last deaths within `within`, oldest first: the strip beside it in the list."""
        since = now - within
        deaths = []
        for entry in reversed(self._by_key.get(key, ())):
            if entry.time < since or len(deaths) == count:
                break
            if entry.ended_a_run:
                deaths.append(entry)
        return deaths[::-1]

    def name_of(self, key: str) -> str | None:
        return self._names.get(key)

    def __len__(self) -> int:
        return len(self._all)


def _haystack(entry: TimelineEntry) -> str:
    return f"{entry.name} {entry.engine} {entry.words()} {entry.detail}".lower()
