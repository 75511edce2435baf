"""Inside a container, from the list: its processes (`u`), its files (`F`) and its stats over time (`c`,
also for a compose project), each on a screen of its own.

Composed into the dashboard like the other parts; sees it through `PaneHost`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from tui.engine import State
from tui.keys.registry import FILES, GRAPHS, PROCESSES
from tui.untrusted import visible

if TYPE_CHECKING:
    from tui.dashboard.host import PaneHost

#: The list actions this part runs.
INSIDE_ACTIONS = (PROCESSES, FILES, GRAPHS)


class InsideScreens:
    def __init__(self, host: PaneHost) -> None:
        self.host = host

    def why_not(self, action: str) -> str | None:
        summary = self.host.cursor_summary
        if action == GRAPHS:
            return self._why_no_stats(summary)
        if summary is None:
            return "No container under the cursor"
        if action == PROCESSES and summary.state not in (State.RUNNING, State.PAUSED, State.RESTARTING):
            return f"Processes: {visible(summary.name)} is not running ({summary.state.value})"
        if action == FILES and summary.state is State.REMOVING:
            return f"Files: {visible(summary.name)} is being removed"
        return None

    def _why_no_stats(self, summary) -> str | None:
        members = [summary] if summary is not None else self.host.project_under_cursor()
        if not members:
            return "No container or compose project under the cursor"
        if not any(m.is_running for m in members):
            what = visible(members[0].name) if summary is not None else "no container of the project"
            return f"Stats: {what} is not running"
        return None

    def open(self, action: str, read_only: Callable[[str], bool]) -> None:
        """The processes, files or stats screen of the container under the cursor (after the engine attaches);
        `read_only(engine name)` says whether its processes and files may be changed."""
        host = self.host
        summary = host.cursor_summary
        if self.why_not(action):
            return
        if host.engine is None:
            host.defer(lambda: self.open(action, read_only))
            return
        if action == GRAPHS:
            self._open_stats()
        elif action == PROCESSES:
            from tui.screens.processes import ProcessesScreen

            host.app.push_screen(ProcessesScreen(host.engine, summary, read_only=read_only(summary.engine)))
        else:
            from tui.screens.files import FilesScreen

            host.app.push_screen(FilesScreen(host.engine, summary, read_only=read_only(summary.engine)))

    def _open_stats(self) -> None:
        from tui.screens.stats import StatsScreen

        host = self.host
        summary = host.cursor_summary
        members = [summary] if summary is not None else host.project_under_cursor()
        project = "" if summary is not None else members[0].compose_project or ""
        host.app.push_screen(StatsScreen(host.engine, host.engine_feed.watch, members, project=project,
                                         step=host.settings.stats.interval))
