"""The list's selection: one row, a compose project, everything in view, the inverse (composed into the screen).

"In view" is what the list shows under the current filter and the hidden-stopped toggle,
folded projects included (their containers are in view, just folded). So `A` with a filter
typed is "select by filter": the filter's matches; without one, every container shown.
Selected containers outside the view (filtered out since) stay selected: `V` inverts the
view only, and the header counts the whole selection.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from tui.dashboard.model import ContainerRow, Filter, GroupRow, build_rows
from tui.engine import ContainerSummary, State
from tui.notice import notify

if TYPE_CHECKING:
    from tui.dashboard.model import Column, StatsHistory


class SelectionHost(Protocol):
    summaries: dict[str, ContainerSummary]
    selected: set[str]
    filter: Filter
    show_stopped: bool
    sort: Column
    reverse: bool
    stats: dict[str, StatsHistory]

    @property
    def cursor_key(self) -> str | None: ...

    def cursor_row(self) -> object | None:
        """The row under the cursor (a `GroupRow` or a `ContainerRow`), or None."""

    def schedule_rows(self) -> None: ...


EXITED = (State.EXITED, State.DEAD)


class ListSelection:
    def __init__(self, host: SelectionHost) -> None:
        self.host = host

    def _shown(self, summaries: list[ContainerSummary], *, show_stopped: bool | None = None) -> list[ContainerSummary]:
        host = self.host
        rows = build_rows(summaries, filter=host.filter,
                          show_stopped=host.show_stopped if show_stopped is None else show_stopped,
                          sort=host.sort, reverse=host.reverse, stats=host.stats, group=False)
        return [r.summary for r in rows if isinstance(r, ContainerRow)]

    def in_view(self) -> list[ContainerSummary]:
        """The containers the list shows (folded projects' too), in its order."""
        return self._shown(list(self.host.summaries.values()))

    def group_members(self) -> list[ContainerSummary]:
        """The containers listed under the compose project header at the cursor (folded ones too)."""
        row = self.host.cursor_row()
        if not isinstance(row, GroupRow):
            return []
        return self._shown([s for s in self.host.summaries.values() if row.holds(s)])

    def toggle_row(self) -> None:
        """The row under the cursor; a project's header selects all its containers (or unselects them when all were)."""
        host = self.host
        key = host.cursor_key
        if key is None:
            return
        if isinstance(host.cursor_row(), GroupRow):
            members = {s.id for s in self.group_members()}
            host.selected = host.selected - members if members <= host.selected else host.selected | members
        else:
            host.selected ^= {key}
        host.schedule_rows()

    def select_all(self) -> None:
        """Every container in view (the filter's matches when one is typed); if all were already, none of them."""
        host = self.host
        shown = {s.id for s in self.in_view()}
        if not shown:
            notify(host, "Nothing in view to select", timeout=3)
            return
        if shown <= host.selected:
            host.selected -= shown
            notify(host, f"Unselected {_count(len(shown))}", timeout=3)
        else:
            host.selected |= shown
            what = " (the filter's matches)" if host.filter.text.strip() else ""
            notify(host, f"Selected {_count(len(shown))}{what}", timeout=3)
        host.schedule_rows()

    def invert(self) -> None:
        """Select what is in view and not selected, unselect what is."""
        host = self.host
        shown = {s.id for s in self.in_view()}
        host.selected = (host.selected - shown) | (shown - host.selected)
        notify(host, f"{_count(len(shown & host.selected))} selected in view", timeout=3)
        host.schedule_rows()

    def has_exited(self) -> bool:
        """Cheaper than `exited` (no sort): asked on every redraw, for the footer and palette."""
        matches = self.host.filter.matches
        return any(s.state in EXITED and matches(s) for s in self.host.summaries.values())

    def exited(self) -> list[ContainerSummary]:
        """The exited and dead containers matching the filter (shown or hidden by the stopped toggle), by name."""
        found = [s for s in self._shown(list(self.host.summaries.values()), show_stopped=True) if s.state in EXITED]
        return sorted(found, key=lambda s: s.name)


def _count(n: int) -> str:
    return "1 container" if n == 1 else f"{n} containers"
