"""The dashboard's disk usage and prune dialogs (composed into the screen; the engine work is theirs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.notice import notify

if TYPE_CHECKING:
    from tui.dashboard.host import PaneHost


class Housekeeping:
    def __init__(self, host: PaneHost) -> None:
        self.host = host

    def prune(self, why_not: str | None) -> None:
        """The prune dialog, scoped to the list's labels (`--label`): what bosun does not show it does not prune."""
        from tui.screens.prune import PruneScreen

        if why_not:
            notify(self.host, why_not, timeout=4)
            return
        self.host.app.push_screen(PruneScreen(self.host.engine, self.host.settings.list.labels))

    def disk_usage(self, why_not: str | None) -> None:
        from tui.screens.disk_usage import DiskUsageScreen

        if why_not:
            notify(self.host, why_not, timeout=4)
            return
        self.host.app.push_screen(DiskUsageScreen(self.host.engine))
