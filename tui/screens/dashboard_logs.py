"""Log panes of the dashboard: where they go, which container they follow, splits and merges.

Mixed into `DashboardScreen`. The pane area (`PaneArea`) is mounted after the
first frame. Its `logs` tab holds the main pane, which follows the cursor (after
a short pause, so scrolling through the list does not open a stream per row)
unless the user pinned it, and at most one more pane: a second container
(`L`) or a merged view of the selection or a compose project (`m`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.engine import ContainerSummary
from tui.model import GroupRow
from tui.widgets.log_pane import LogPane, LogPaneSettings
from tui.widgets.pane_area import LOGS_TAB, PaneArea

if TYPE_CHECKING:
    from tui.screens.dashboard import DashboardScreen as _Base
else:
    _Base = object

FOLLOW_CURSOR_DELAY = 0.15
WIDE = 160  # columns from which `auto` puts the panes beside the list
MAX_LOG_PANES = 2


class LogPanesMixin(_Base):
    """Log pane actions and hooks of the dashboard (see the module docstring)."""

    _panes: PaneArea | None = None
    _cursor_timer = None

    # -- the pane area ----------------------------------------------------------------

    @property
    def panes(self) -> PaneArea | None:
        return self._panes

    async def mount_panes(self) -> None:
        if self._panes is not None:
            return
        body = self.query_one("#body")
        self._panes = PaneArea(id="panes")
        self._apply_layout()
        body.set_class(not self.options.log_pane, "panes-hidden")
        await body.mount(self._panes)
        await self._panes.split.mount(LogPane(self.engine, self._log_settings(), id="log-main"))
        self.logs_follow_cursor(delay=0)

    def _log_settings(self) -> LogPaneSettings:
        name, url = self.engine_label
        return LogPaneSettings(max_lines=self.options.log_lines, tail=self.options.log_tail,
                               engine_name=name, engine_url=url)

    def _apply_layout(self) -> None:
        body = self.query_one("#body")
        layout = self.options.log_layout
        below = layout == "below" or (layout == "auto" and self.size.width < WIDE)
        body.set_class(below, "below")

    def on_resize(self) -> None:
        if self.options.log_layout == "auto":
            self._apply_layout()

    def log_panes(self) -> list[LogPane]:
        return list(self.query(LogPane).results(LogPane))

    @property
    def main_log_pane(self) -> LogPane | None:
        found = self.query("#log-main")
        return found.first(LogPane) if found else None

    # -- hooks the dashboard calls ------------------------------------------------------

    def logs_engine_attached(self) -> None:
        for pane in self.log_panes():
            pane.attach_engine(self.engine, self.engine_label)
        self.logs_follow_cursor(delay=0)

    def logs_container_changed(self, summary: ContainerSummary) -> None:
        for pane in self.log_panes():
            pane.container_changed(summary)

    def logs_container_gone(self, container_id: str) -> None:
        for pane in self.log_panes():
            pane.container_gone(container_id)

    def logs_engine_status(self, connected: bool) -> None:
        for pane in self.log_panes():
            pane.engine_status(connected)

    def logs_follow_cursor(self, delay: float = FOLLOW_CURSOR_DELAY) -> None:
        if self._cursor_timer is not None:
            self._cursor_timer.stop()
            self._cursor_timer = None
        if delay:
            self._cursor_timer = self.set_timer(delay, self._show_cursor_logs)
        else:
            self._show_cursor_logs()

    def _show_cursor_logs(self) -> None:
        self._cursor_timer = None
        pane = self.main_log_pane
        if pane is None or pane.pinned or self.engine is None:
            return
        summary = self.cursor_summary
        if summary is not None:
            pane.show([summary], merged=False)
        elif (project := self._project_under_cursor()):
            pane.show(project, merged=True)  # a compose project header: its containers, merged

    def check_log_action(self, action: str) -> bool | None:
        if action == "logs":
            return True if (self.cursor_summary or self._project_under_cursor()) else None
        if action == "split_logs":
            return True if self.cursor_summary else None
        if action == "merge_logs":
            return True if self._merge_targets() else None
        if action == "close_tab":
            panes = self._panes
            if panes is None:
                return None
            return True if (panes.active != LOGS_TAB or len(self.log_panes()) > 1) else None
        return True

    # -- actions --------------------------------------------------------------------------

    def action_logs(self) -> None:
        """Show the log pane and give it the keys."""
        pane = self.main_log_pane
        if pane is None or self._panes is None:
            return
        self.query_one("#body").remove_class("panes-hidden")
        self._panes.active = LOGS_TAB
        if self._cursor_timer is not None:
            self.logs_follow_cursor(delay=0)
        pane.focus_view()

    async def action_split_logs(self) -> None:
        """A second pane, pinned to the container under the cursor (replaces an earlier second pane)."""
        summary = self.cursor_summary
        if summary is None or self._panes is None or self.engine is None:
            return
        await self._open_second_pane([summary], merged=False)

    async def action_merge_logs(self) -> None:
        """One pane with the logs of the selected containers (or the compose project under the cursor)."""
        targets = self._merge_targets()
        if not targets or self._panes is None or self.engine is None:
            return
        await self._open_second_pane(targets, merged=True)

    def _merge_targets(self) -> list[ContainerSummary]:
        if len(self.selected) > 1:
            return sorted((self.summaries[k] for k in self.selected if k in self.summaries), key=lambda s: s.name)
        return self._project_under_cursor()

    def _project_under_cursor(self) -> list[ContainerSummary]:
        from tui.widgets.container_table import ContainerTable

        table = self.query_one(ContainerTable)
        row = table.rows_by_key.get(table.cursor_key or "")
        if isinstance(row, GroupRow):
            return sorted((s for s in self.summaries.values() if s.compose_project == row.project),
                          key=lambda s: s.name)
        return []

    async def _open_second_pane(self, targets: list[ContainerSummary], *, merged: bool) -> None:
        split = self._panes.split
        for old in self.log_panes():
            if old.id != "log-main":
                await old.remove()
        pane = LogPane(self.engine, self._log_settings(), pinned=True, merged=merged, id="log-second")
        await split.mount(pane)
        self.query_one("#body").remove_class("panes-hidden")
        self._panes.active = LOGS_TAB
        pane.show(targets)
        pane.focus_view()
        self._last_binding_state = None
        self._refresh_bindings_if_changed()

    def action_toggle_layout(self) -> None:
        """Panes beside the list ⇄ below it; the log split turns the other way."""
        body = self.query_one("#body")
        below = not body.has_class("below")
        self.options.log_layout = "below" if below else "beside"
        body.set_class(below, "below")
        if self._panes is not None:
            self._panes.split.set_class(not below, "stacked")

    async def action_close_tab(self) -> None:
        """Close the shell tab shown, or the second log pane."""
        panes = self._panes
        if panes is None:
            return
        if panes.active != LOGS_TAB:
            await self.close_shell_tab(panes.active)
        else:
            for pane in self.log_panes():
                if pane.id != "log-main":
                    await pane.remove()
        self._last_binding_state = None
        self._refresh_bindings_if_changed()

    def action_zoom(self) -> None:
        """Cycle: list and panes → panes only → list only."""
        body = self.query_one("#body")
        if body.has_class("panes-hidden"):
            body.remove_class("panes-hidden")
        elif body.has_class("zoomed"):
            body.remove_class("zoomed")
            body.add_class("panes-hidden")
            from tui.widgets.container_table import ContainerTable

            self.query_one(ContainerTable).focus()
        else:
            body.add_class("zoomed")

    def on_log_pane_leave(self, message: LogPane.Leave) -> None:
        from tui.widgets.container_table import ContainerTable

        self.query_one(ContainerTable).focus()
