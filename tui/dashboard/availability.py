"""Whether a dashboard action can run now, and if not, why: the one place read-only is enforced.

The footer (dimmed keys), help, the palette and a key that did not act all ask
here. Read-only is the run's (`--read-only`) or, with several engines in view,
an engine's own: an action on a read-only engine's containers is refused,
naming the engine.
"""

from __future__ import annotations

from typing import Any, Iterable

from tui.keys.registry import (
    BY_ID, CLOSE_TAB, CONTAINER_ACTIONS, COPY_ID, DISK_USAGE, INSPECT, LOGS, MERGE_LOGS, PRUNE, REMOVE_EXITED, SHELL,
    SHELL_OPTIONS, SPLIT_LOGS, Scope, key_label, resolve,
)
from tui.dashboard.inside import INSIDE_ACTIONS
from tui.dashboard.pane_area import LOGS_TAB
from tui.notice import notify
from tui.untrusted import visible

#: The dashboard screen (not imported: it imports this module).
DashboardScreen = Any

NO_CURSOR = "No container under the cursor"


def check(screen: DashboardScreen, action: str) -> bool | None:
    """Textual's check_action: True (runs), None (shown, disabled), False (hidden)."""
    spec = BY_ID.get(action)
    if spec is not None and spec.mutates and screen.settings.read_only:
        return False  # hidden: nothing that changes anything in read-only mode (prune neither)
    if spec is None or spec.scope is not Scope.LIST:
        return True  # screen-wide actions say themselves when they cannot act
    return None if why_not(screen, action) else True  # None: shown, disabled


def read_only_among(engine: Any, names: Iterable[str]) -> list[str]:
    """The engines among `names` configured read-only, with several engines in view (`engine` a fleet);
    none with one engine (there `--read-only` is the run's). The dashboard, the resource views and the
    processes and files screens all ask here."""
    members = getattr(engine, "members", None)
    if not members:
        return []
    return sorted(n for n in set(names) if n in members and members[n].read_only)


def read_only_for(screen: DashboardScreen, engine_name: str) -> bool:
    """Whether what is inside a container of `engine_name` may not be changed (a screen's signal, upload)."""
    return screen.settings.read_only or bool(read_only_among(screen.engine, [engine_name]))


def read_only_engines(screen: DashboardScreen) -> list[str]:
    """The read-only engines among those of the containers an action would be for."""
    fleet = screen.fleet_view.fleet
    if fleet is None:
        return []
    chosen = screen.actions.chosen() if screen.selected or screen.cursor_summary else screen.project_under_cursor()
    return read_only_among(fleet, (s.engine for s in chosen))


def why_not(screen: DashboardScreen, action: str) -> str | None:
    """Why `action` cannot run now (a toast's text), or None if it can."""
    spec = BY_ID.get(action)
    if spec is None:
        return None
    if spec.mutates and screen.settings.read_only:
        return f"Read-only: {action} is turned off"
    # An engine's own read-only holds for what acts on its containers; prune (screen-wide) leaves a read-only
    # engine out of its plan instead, whatever is under the cursor.
    if spec.mutates and spec.scope is Scope.LIST and (engines := read_only_engines(screen)):
        return f"Read-only: {action} is turned off on {', '.join(visible(e) for e in engines)}"
    if action in CONTAINER_ACTIONS:
        return screen.actions.why_not(action, spec.label, NO_CURSOR)
    if action in (INSPECT, SPLIT_LOGS):
        return None if screen.cursor_summary else NO_CURSOR
    if action == COPY_ID:
        return None if (screen.selected or screen.cursor_summary) else NO_CURSOR
    if action in (SHELL, SHELL_OPTIONS):
        return screen.shells.why_not()
    if action == REMOVE_EXITED:
        return None if screen.selecting.has_exited() else "Remove all exited: no exited container (matching the filter)"
    if action in (PRUNE, DISK_USAGE):
        return None if screen.engine is not None else "Still connecting to the engine"
    if action in (LOGS, MERGE_LOGS):
        return screen.logs.why_not(action)
    if action in INSIDE_ACTIONS:
        return screen.inside.why_not(action)
    if action == CLOSE_TAB:
        if screen.panes is not None and (screen.panes.active != LOGS_TAB or screen.logs.has_second):
            return None
        return "Nothing to close: the main log pane stays (z hides the panes)"
    return None


def explain(screen: DashboardScreen, action: str) -> None:
    """A key whose action did not run: say why (the list has no focus, or it cannot act now)."""
    spec = BY_ID[action]
    if spec.scope is Scope.LIST and not screen.list_has_focus():
        notify(screen, f"{spec.label} acts on the list: press escape to go back to it", timeout=4)
        return
    if spec.scope is Scope.LOG:
        there = f": press {key_label(resolve(screen.settings.keys)[LOGS])} to go there" \
            if screen.logs.main is not None else ""
        notify(screen, f"{spec.label} acts on the log pane{there}", timeout=4)
        return
    reason = why_not(screen, action)
    if reason:
        notify(screen, reason, timeout=4)
