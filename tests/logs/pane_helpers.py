"""Waiting for log panes in Pilot tests: on what the pane shows, failing loudly when it never does."""

from __future__ import annotations

from typing import Callable

from tests.waits import wait_until
from tui.widgets.log.pane import LogPane


def _main_pane(pilot) -> LogPane | None:
    return next(iter(pilot.app.screen.query("#log-main").results(LogPane)), None)


def _drained(pane: LogPane) -> bool:
    """Nothing queued for the pane's next tick: what it shows is all it has been given."""
    return not pane.view.queued_lines and pane.view._drain_timer is None


def _cursor_pending(pilot) -> bool:
    """The dashboard has yet to point the main pane at the row under the cursor (its debounce)."""
    return getattr(getattr(pilot.app.screen, "logs", None), "cursor_timer", None) is not None


def pane_state(pilot, pane: LogPane | None) -> str:
    if pane is None:
        return f"no log pane on {pilot.app.screen!r}"
    lines = [line.plain for line in pane.view.buffer.iter_visible()]
    return (f"targets={[t.name for t in pane.targets]} lines={pane.view.line_count} "
            f"queued={pane.view.queued_lines} drain_timer={pane.view._drain_timer is not None} "
            f"cursor_pending={_cursor_pending(pilot)}\nlast lines: {lines[-8:]}")


async def settle_logs(pilot, pane: LogPane | None = None, *, lines: int = 1, timeout: float = 10.0) -> LogPane:
    """Wait until `pane` (default: the main one) follows its container(s), shows at least `lines`
    lines and has nothing queued; fail saying what it showed otherwise.

    For the main pane this includes the cursor's debounce: the pane shows the row under the cursor.
    """

    def ready():
        found = pane or _main_pane(pilot)
        if found is None or (pane is None and _cursor_pending(pilot)):
            return None
        if found.targets and found.view.line_count >= lines and _drained(found):
            return found
        return None

    found = await wait_until(ready, f"the log pane to show at least {lines} line(s) with nothing queued",
                             pilot=pilot, timeout=timeout, detail=lambda: pane_state(pilot, pane or _main_pane(pilot)))
    await pilot.pause()
    return found


async def wait_lines(pilot, pane: LogPane, condition: Callable[[list[str]], object], what: str, *,
                     timeout: float = 10.0) -> list[str]:
    """Wait until `condition(lines)` holds for the pane's visible lines (plain text), queue drained."""

    def ready():
        shown = [line.plain for line in pane.view.buffer.iter_visible()]
        return shown if _drained(pane) and condition(shown) else None

    shown = await wait_until(ready, what, pilot=pilot, timeout=timeout, detail=lambda: pane_state(pilot, pane))
    await pilot.pause()
    return shown


async def wait_header(pilot, pane: LogPane, text: str, *, timeout: float = 10.0) -> None:
    """Wait until the pane's header says `text`."""
    from tui.widgets.log.pane import PaneHeader

    header = pane.query_one(PaneHeader)
    await wait_until(lambda: text in header._text.plain, f"the pane header to say {text!r}", pilot=pilot,
                     timeout=timeout, detail=lambda: f"header: {header._text.plain!r}")
