"""The dashboard's timeline: it keeps what happened (a `TimelineStore`), marks the list, opens the screen.

Composed into the dashboard like the other parts. The engine feed's messages
land on the screen, which hands them here: each live event, the history the
engine held at start, and every summary read (the health output and OOM flag
of the events before it). The list asks `marks` for what to show beside each
container: a restart loop, and the last deaths.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

from tui.dashboard.messages import ContainerHappened, HistoryRead
from tui.engine import ContainerSummary
from tui.settings.schema import TimelineSettings
from tui.timeline import TimelineStore, What


class TimelineHost(Protocol):
    """What the timeline needs of the dashboard: the containers listed, the cursor's, the app."""

    summaries: dict[str, ContainerSummary]

    @property
    def app(self) -> Any: ...

    @property
    def cursor_summary(self) -> ContainerSummary | None: ...

#: How far back the strip beside a container looks for deaths.
STRIP_WINDOW = timedelta(hours=1)
#: The loop flags are worked out again at most this often (or when an entry came in).
MARKS_SECONDS = 5.0


class TimelineMarks:
    """What the list shows beside a container: restarts within the window when it is looping, and the exit
    codes of its last deaths (the strip). Compared by value: the row's cells are kept while it is unchanged."""

    __slots__ = ("loop", "deaths")

    def __init__(self, loop: int, deaths: tuple[str, ...]) -> None:
        self.loop, self.deaths = loop, deaths

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TimelineMarks) and (self.loop, self.deaths) == (other.loop, other.deaths)

    def __hash__(self) -> int:
        return hash((self.loop, self.deaths))


class Timeline:
    def __init__(self, host: TimelineHost, settings: TimelineSettings) -> None:
        self.host = host
        self.settings = settings
        self.store = TimelineStore(per_container=settings.per_container, overall=settings.entries)
        self._marks: dict[str, TimelineMarks] = {}
        self._marked_at = 0.0  # when the marks were worked out (monotonic)
        self._stale = True  # an entry came in or a container changed since

    @property
    def window(self) -> timedelta:
        return timedelta(minutes=self.settings.loop_minutes)

    def took(self, message: ContainerHappened | HistoryRead) -> bool:
        """A live event, or the history read at start; True when the list's marks may have changed."""
        if isinstance(message, HistoryRead):
            added = self.store.add_history(message.events) > 0
        else:
            added = self.store.add(message.event) is not None
        self._stale = self._stale or added
        return added

    def listed(self, summaries: list[ContainerSummary]) -> None:
        """A list: when each running container started, for how long a run lasted when no start was seen."""
        for summary in summaries:
            self.store.note_started(summary)

    def summary_seen(self, summary: ContainerSummary) -> None:
        self.store.note(summary)
        self._stale = True  # whether one death is worth the strip depends on the state

    def marks(self) -> dict[str, TimelineMarks]:
        """Container key → its marks, for the containers that have any."""
        now = time.monotonic()
        if not self._stale and now - self._marked_at < MARKS_SECONDS:
            return self._marks
        wall = datetime.now(timezone.utc)
        looping = self.store.looping(wall, self.settings.loop_restarts, self.window)
        marks: dict[str, TimelineMarks] = {}
        for key, summary in self.host.summaries.items():
            deaths = self.store.last_deaths(key, wall, STRIP_WINDOW)
            if not summary.is_running and len(deaths) < 2:
                deaths = []  # one death of a stopped container: its state cell says the exit code already
            loop = looping.get(key, 0)
            if loop or deaths:
                marks[key] = TimelineMarks(loop, tuple("☠" if d.what is What.OOM else
                                                       f"✖{'' if d.exit_code is None else d.exit_code}"
                                                       for d in deaths))
        self._marks, self._marked_at, self._stale = marks, now, False
        return marks

    def open(self) -> None:
        """The timeline screen: the container under the cursor's, or with none the whole engine's."""
        from tui.screens.timeline import TimelineScreen

        summary = self.host.cursor_summary
        engines = {s.engine for s in self.host.summaries.values()}
        self.host.app.push_screen(TimelineScreen(self.store, summary, several_engines=len(engines) > 1))
