"""The dashboard's log panes: which container they follow, splits and merges.

`LogTabs` is composed into `DashboardScreen` and sees it through `PaneHost`.
Its panes live in the `logs` tab of the pane area (mounted after the first
frame): the main pane follows the cursor (after a short pause, so scrolling
through the list does not open a stream per row) unless the user pinned it,
and at most one more pane shows a second container (`L`) or a merged view of
the selection or a compose project (`m`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.dashboard.pane_area import LOGS_TAB
from tui.engine import ContainerSummary, Engine
from tui.keys.registry import LOGS, MERGE_LOGS
from tui.widgets.log.pane import LogPane

if TYPE_CHECKING:
    from tui.dashboard.host import PaneHost

FOLLOW_CURSOR_DELAY = 0.15
MAIN_ID, SECOND_ID = "log-main", "log-second"


class LogTabs:
    """The log panes of the dashboard (see the module docstring)."""

    def __init__(self, host: PaneHost) -> None:
        self.host = host
        #: The pending "show the cursor's container" after a cursor move (None: nothing pending).
        self.cursor_timer = None
        # A container removed under the unpinned main pane stays shown (its last lines are
        # why it died) until the user moves the cursor; the move the removal itself causes
        # does not count. `_held_cursor` is where the rows put the cursor after the removal.
        self._held_removed: str | None = None
        self._held_cursor: str | None = None
        self._held_rows_shown = False

    # -- the panes ------------------------------------------------------------------------

    def panes(self) -> list[LogPane]:
        area = self.host.panes
        return list(area.query(LogPane).results(LogPane)) if area is not None else []

    @property
    def main(self) -> LogPane | None:
        return next((p for p in self.panes() if p.id == MAIN_ID), None)

    @property
    def has_second(self) -> bool:
        return any(p.id != MAIN_ID for p in self.panes())

    def command_pane(self) -> LogPane | None:
        """The log pane a palette entry acts on: the focused one, else the main one."""
        focused = self.host.focused
        for pane in self.panes():
            if focused is not None and pane in focused.ancestors_with_self:
                return pane
        return self.main

    async def mount_main(self) -> None:
        """The pane area is there: put the main pane in its `logs` tab."""
        area = self.host.panes
        if area is None or self.main is not None:
            return
        await area.split.mount(LogPane(self.host.engine, self.host.settings.logs, engine_label=self.host.engine_label, id=MAIN_ID))
        self.follow_cursor(delay=0)

    # -- what happens on the dashboard ---------------------------------------------------------

    def engine_attached(self, engine: Engine) -> None:
        for pane in self.panes():
            pane.attach_engine(engine, self.host.engine_label)
        self.follow_cursor(delay=0)

    def container_changed(self, summary: ContainerSummary) -> None:
        for pane in self.panes():
            pane.container_changed(summary)

    def container_gone(self, container_id: str) -> None:
        for pane in self.panes():
            pane.container_gone(container_id)
        main = self.main
        if main is not None and not main.pinned and [t.id for t in main.targets] == [container_id]:
            self._held_removed, self._held_cursor, self._held_rows_shown = container_id, None, False

    def engine_status(self, connected: bool, engine: str | None = None) -> None:
        """The event stream dropped or came back; with `engine` (several in view), that one's panes only."""
        for pane in self.panes():
            if engine is None or any(t.engine == engine for t in pane.targets):
                pane.engine_status(connected)

    def rows_shown(self, call_after_refresh) -> None:
        """The list was redrawn: if it moved the cursor off a removed container, that was not the user."""
        if self._held_removed is not None:
            self._note_held_cursor()
            call_after_refresh(self._note_held_cursor)  # a cursor the table puts back after a frame

    def _note_held_cursor(self) -> None:
        if self._held_removed is not None:
            self._held_cursor = self.host.cursor_key
            self._held_rows_shown = True

    def _holding_removed(self) -> bool:
        """Keep the removed container in the main pane? False (and let go) once the user moved."""
        held = self._held_removed
        if held is None:
            return False
        pane = self.main
        if (pane is not None and not pane.pinned and [t.id for t in pane.targets] == [held]
                and self._held_rows_shown and self.host.cursor_key == self._held_cursor):
            return True
        self._held_removed = None
        return False

    def follow_cursor(self, delay: float = FOLLOW_CURSOR_DELAY) -> None:
        """The cursor moved (or the main pane may follow it again): show its container, after `delay`."""
        if self._holding_removed():
            return
        if self.cursor_timer is not None:
            self.cursor_timer.stop()
            self.cursor_timer = None
        if delay:
            self.cursor_timer = self.host.set_timer(delay, self._show_cursor_logs)
        else:
            self._show_cursor_logs()

    def _show_cursor_logs(self) -> None:
        self.cursor_timer = None
        pane = self.main
        if pane is None or pane.pinned or self.host.engine is None or self._holding_removed():
            return
        summary = self.host.cursor_summary
        if summary is not None:
            pane.show([summary], merged=False)
        elif (project := self.host.project_under_cursor()):
            pane.show(project, merged=True)  # a compose project header: its containers, merged

    def why_not(self, action: str) -> str | None:
        """Why the `logs` or `merge_logs` action cannot run now, or None."""
        if action == LOGS:
            return None if (self.host.cursor_summary or self.host.project_under_cursor()) \
                else "No container under the cursor"
        if action == MERGE_LOGS:
            return None if self._merge_targets() else \
                "Merged logs: select two or more containers, or put the cursor on a compose project"
        return None

    # -- actions ------------------------------------------------------------------------------

    def focus(self) -> None:
        """Show the logs tab and give the main pane the keys (the `logs` action)."""
        pane, area = self.main, self.host.panes
        if pane is None or area is None:
            return
        self.host.reveal_panes()
        area.active = LOGS_TAB
        if self.cursor_timer is not None:
            self.follow_cursor(delay=0)  # (a removed container being held stays: its lines are read here)
        pane.focus_view()

    async def split(self) -> None:
        """A second pane, pinned to the container under the cursor (replaces an earlier second pane)."""
        summary = self.host.cursor_summary
        if summary is not None and self.host.panes is not None and self.host.engine is not None:
            await self._open_second([summary], merged=False)

    async def merge(self) -> None:
        """One pane with the logs of the selected containers (or the compose project under the cursor)."""
        targets = self._merge_targets()
        if targets and self.host.panes is not None and self.host.engine is not None:
            await self._open_second(targets, merged=True)

    def _merge_targets(self) -> list[ContainerSummary]:
        chosen = self.host.selection()
        return chosen if len(chosen) > 1 else self.host.project_under_cursor()

    async def _open_second(self, targets: list[ContainerSummary], *, merged: bool) -> None:
        area = self.host.panes
        await self.close_second()
        pane = LogPane(self.host.engine, self.host.settings.logs, engine_label=self.host.engine_label, pinned=True,
                       merged=merged, id=SECOND_ID)
        await area.split.mount(pane)
        self.host.reveal_panes()
        area.active = LOGS_TAB
        pane.show(targets)
        pane.focus_view()
        self.host.bindings_changed()

    async def close_second(self) -> None:
        for pane in self.panes():
            if pane.id != MAIN_ID:
                await pane.remove()

    def unpinned(self) -> None:
        """A pane was unpinned: the main one, if so, shows the cursor's container now."""
        self.follow_cursor(delay=0)
