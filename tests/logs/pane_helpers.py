"""Waiting for log panes in Pilot tests: history loaded, queue drained."""

from __future__ import annotations

from tui.widgets.log_pane import LogPane


async def settle_logs(pilot, pane: LogPane | None = None, *, lines: int = 1, timeout: float = 5.0) -> LogPane | None:
    """Wait until `pane` (default: the main one) shows at least `lines` lines and has nothing queued."""
    waited = 0.0
    while waited < timeout:
        found = pane or next(iter(pilot.app.screen.query("#log-main").results(LogPane)), None)
        if found is not None and found.targets and found.view.line_count >= lines and not found.view.queued_lines \
                and found.view._drain_timer is None:
            await pilot.pause()
            return found
        await pilot.pause(0.02)
        waited += 0.02
    return pane
