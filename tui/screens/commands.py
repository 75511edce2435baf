"""Command palette entries from the action registry: each action once, with its own description.

An entry is offered when its action can run now: a list action that applies to
the cursor or the selection, a log pane action when a log pane is there, an
inspect action on the inspect screen (for a toggle, the half that applies).
"""

from __future__ import annotations

from typing import Callable, Iterator

from textual.app import SystemCommand
from textual.screen import Screen

from tui.keys.registry import BACK, Action, Scope, in_scope

PREFIX = {Scope.LIST: "List", Scope.SCREEN: "Dashboard", Scope.LOG: "Log pane", Scope.INSPECT: "Inspect",
          Scope.PROCESSES: "Processes", Scope.FILES: "Files", Scope.STATS: "Stats", Scope.TIMELINE: "Timeline",
          Scope.VIEWS: "View"}


def _command(action: Action, label: str, callback: Callable, prefix: str = "") -> SystemCommand:
    return SystemCommand(f"{prefix or PREFIX[action.scope]}: {label}", action.description, callback)


def registry_commands(screen: Screen) -> Iterator[SystemCommand]:
    from tui.dashboard.screen import DashboardScreen
    from tui.screens.files import FilesScreen
    from tui.screens.inspect import InspectScreen
    from tui.screens.processes import ProcessesScreen
    from tui.screens.timeline import TimelineScreen
    from tui.screens.stats import StatsScreen
    from tui.views.screen import ResourceScreen

    if isinstance(screen, DashboardScreen):
        yield from _dashboard_commands(screen)
    elif isinstance(screen, InspectScreen):
        yield from _node_commands(screen, Scope.INSPECT)
    elif isinstance(screen, ProcessesScreen):
        yield from _node_commands(screen, Scope.PROCESSES)
    elif isinstance(screen, FilesScreen):
        yield from _node_commands(screen, Scope.FILES)
    elif isinstance(screen, TimelineScreen):
        yield from _node_commands(screen, Scope.TIMELINE)
    elif isinstance(screen, StatsScreen):
        yield from _node_commands(screen, Scope.STATS)
    elif isinstance(screen, ResourceScreen):
        # "View: Images" also answers a k9s-minded `:images` typed into the palette.
        yield from _node_commands(screen.app, Scope.VIEWS)
        for scope in (Scope.RESOURCES, screen.OWN_SCOPE):
            if scope is not None:
                yield from _node_commands(screen, scope, prefix=screen.SPEC.title)


def _dashboard_commands(screen) -> Iterator[SystemCommand]:
    for scope in (Scope.LIST, Scope.SCREEN):
        for action in in_scope(scope):
            if action.palette and screen.check_action(action.id, ()) and not screen.why_not(action.id):
                yield _command(action, action.label, getattr(screen, f"action_{action.action_method}"))
    yield from _node_commands(screen.app, Scope.VIEWS)
    pane = screen.logs.command_pane()
    if pane is not None:
        yield from _node_commands(pane, Scope.LOG, skip=() if pane.has_focus_within else (BACK,))
    yield from (SystemCommand(title, help_text, callback) for title, help_text, callback in screen.shells.commands())


def _node_commands(node, scope: Scope, skip: tuple[str, ...] = (), prefix: str = "") -> Iterator[SystemCommand]:
    """Entries for the actions `node` runs itself (its own `check_action` picks a toggle's half)."""
    for action in in_scope(scope):
        if not action.palette or action.id in skip:
            continue
        halves = [(a.method, a.label) for a in action.alternates] or [(action.action_method, action.label)]
        for method, label in halves:
            if node.check_action(method, ()):
                yield _command(action, label, getattr(node, f"action_{method}"), prefix)
                break
