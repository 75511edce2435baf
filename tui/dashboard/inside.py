"""Inside a container, from the list: its processes (`u`) and its files (`F`), each on a screen of its own.

Composed into the dashboard like the other parts; sees it through `PaneHost`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from tui.engine import State
from tui.keys.registry import FILES, PROCESSES
from tui.untrusted import visible

if TYPE_CHECKING:
    from tui.dashboard.host import PaneHost

#: The list actions this part runs.
INSIDE_ACTIONS = (PROCESSES, FILES)


class InsideScreens:
    def __init__(self, host: PaneHost) -> None:
        self.host = host

    def why_not(self, action: str) -> str | None:
        summary = self.host.cursor_summary
        if summary is None:
            return "No container under the cursor"
        if action == PROCESSES and summary.state not in (State.RUNNING, State.PAUSED, State.RESTARTING):
            return f"Processes: {visible(summary.name)} is not running ({summary.state.value})"
        if action == FILES and summary.state is State.REMOVING:
            return f"Files: {visible(summary.name)} is being removed"
        return None

    def open(self, action: str, read_only: Callable[[str], bool]) -> None:
        """The processes or files screen of the container under the cursor (after the engine attaches);
        `read_only(engine name)` says whether its processes and files may be changed."""
        host = self.host
        summary = host.cursor_summary
        if summary is None or self.why_not(action):
            return
        if host.engine is None:
            host.defer(lambda: self.open(action, read_only))
            return
        if action == PROCESSES:
            from tui.screens.processes import ProcessesScreen

            host.app.push_screen(ProcessesScreen(host.engine, summary, read_only=read_only(summary.engine)))
        else:
            from tui.screens.files import FilesScreen

            host.app.push_screen(FilesScreen(host.engine, summary, read_only=read_only(summary.engine)))
