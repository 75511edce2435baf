"""Textual bindings built from the action registry.

Each binding carries its action's id, so the user's `[keys]` reach it through
`App.set_keymap`. A scope's bindings go on the node that owns it: list keys on
the container list, dashboard-wide keys on the screen, log keys on the log pane.
"""

from __future__ import annotations

from textual.binding import Binding

from tui.keys.registry import Scope, in_scope


def scope_bindings(scope: Scope, namespace: str = "") -> list[Binding]:
    """The bindings of `scope`; with `namespace` ("screen"), they run that node's actions."""
    prefix = f"{namespace}." if namespace else ""
    out: list[Binding] = []
    for action in in_scope(scope):
        if not action.remappable:
            continue
        for method, label in ([(alt.method, alt.label) for alt in action.alternates]
                              or [(action.action_method, action.label)]):
            out.append(Binding(action.keys, prefix + method, label, show=action.footer, id=action.id))
    return out


def fallback_bindings(scope: Scope, skip: frozenset[str] = frozenset(), *, mutating_only: bool = False) -> list[Binding]:
    """Hidden bindings on the screen for `scope`'s keys: reached when the real binding did not run
    (its part has no focus, or the action cannot run now), they say why."""
    return [Binding(action.keys, f"explain({action.id!r})", show=False, id=action.id)
            for action in in_scope(scope) if action.remappable and action.id not in skip
            and (action.mutates or not mutating_only)]
