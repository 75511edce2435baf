"""Shell tabs of the dashboard (issue 4): opening, listing and following shells.

Mixed into `DashboardScreen`; see the hooks it calls below.
"""

from __future__ import annotations

from tui.engine import ContainerSummary


class ShellsMixin:
    """Shell actions and hooks of the dashboard (in progress)."""

    def shells_container_changed(self, summary: ContainerSummary) -> None:
        """A container's summary changed (called by the dashboard for every update)."""

    def shells_container_gone(self, container_id: str) -> None:
        """A container was removed."""

    def shells_engine_status(self, connected: bool, reason: str) -> None:
        """The engine's event stream dropped or came back."""

    def shells_engine_attached(self) -> None:
        """The full engine client is attached (`self.engine` set)."""

    async def close_shell_tab(self, tab_id: str) -> None:
        """Close the shell in tab `tab_id` (the `close_tab` action on a shell tab)."""

    def check_shell_action(self, action: str) -> bool | None:
        return None
