"""An action's name is written once, in the registry: the UI (the app, the dashboard, the screens,
the views and the widgets) names actions by its constants (`START`, `CLOSE_TAB`…), never by a string.

The layers below the UI are not scanned: there `start` or `logs` is an engine call or a settings
table, the same word for another thing."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

from tui.keys import registry
from tui.keys.registry import ACTIONS, BY_ID

ROOT = Path(__file__).resolve().parents[2] / "tui"
#: The modules that name actions: the UI, every part of it that binds keys or checks an action.
MODULES = sorted([*(ROOT / p for p in ("app.py", "first_frame.py")),
                  *(path for part in ("dashboard", "screens", "views", "widgets") for path in (ROOT / part).rglob("*.py"))])
#: Keyword arguments whose strings are not action names (widget ids, worker groups).
NOT_NAMES = {"id", "group"}
#: The same word meaning something else, on purpose: how many times, and what it is. The count
#: keeps the scan awake in those files: one more use of the word there fails until it is looked at.
ALLOWED: dict[tuple[str, str], tuple[int, str]] = {
    ("dashboard/pane_area.py", "logs"): (1, "the id of the log tab"),
    ("screens/inspect.py", "inspect"): (2, "the screen's title, the word"),
    ("screens/files.py", "changes"): (1, "what the pager shows: the changes list (else a file's path)"),
    ("views/dialogs.py", "remove"): (1, "the remove dialog's answer and its button's id"),
    ("widgets/log/draw.py", "wrap"): (1, "the cache key of wrapped rows"),
    ("widgets/log/pane.py", "search"): (4, "the query box's mode: search or filter"),
    ("widgets/log/pane.py", "filter"): (1, "the query box's mode: search or filter"),
    ("widgets/log/pane.py", "follow"): (1, "the follow worker's group"),
    ("widgets/terminal_view.py", "start"): (1, "the transport's start method, looked up"),
}

NAMES = set(BY_ID) | {a.action_method for a in ACTIONS} | {alt.method for a in ACTIONS for alt in a.alternates}


def _is_widget_id(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "id"


def _names_written(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text())
    skip = {id(kw.value) for node in ast.walk(tree) if isinstance(node, ast.Call)
            for kw in node.keywords if kw.arg in NOT_NAMES}
    # `event.button.id == "start"` compares a widget's id (given with id=, skipped above), not an action.
    skip |= {id(side) for node in ast.walk(tree) if isinstance(node, ast.Compare)
             and any(map(_is_widget_id, [node.left, *node.comparators]))
             for side in [node.left, *node.comparators]}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in NAMES
            and id(node) not in skip]


def test_only_the_registry_writes_action_names():
    found, allowed_seen = [], Counter()
    for path in MODULES:
        rel = path.relative_to(ROOT).as_posix()
        for line, name in _names_written(path):
            if (rel, name) in ALLOWED:
                allowed_seen[rel, name] += 1
            else:
                found.append(f"tui/{rel}:{line}: {name!r}")
    assert not found, "action names written outside tui/keys/registry.py (use its constants):\n" + "\n".join(found)
    counts = {where: count for where, (count, _) in ALLOWED.items()}
    assert dict(allowed_seen) == counts, "a word ALLOWED names changed how often it is written: look at the new use, " \
        f"then change its count (or delete a stale entry): written {dict(allowed_seen)}, allowed {counts}"


def test_the_scan_sees_a_written_name(tmp_path):
    # The check above must be able to fail: a module comparing against a literal id is caught.
    sample = tmp_path / "sample.py"
    sample.write_text('def f(action):\n    return action == "start"\n')
    assert _names_written(sample) == [(2, "start")]


def test_the_scan_skips_a_widget_id_only(tmp_path):
    # A button's id may be a word that is also an action's name; the action beside it is still caught.
    sample = tmp_path / "sample.py"
    sample.write_text('def f(event, action):\n    return event.button.id == "start" or action == "stop"\n')
    assert _names_written(sample) == [(2, "stop")]


def test_the_scan_covers_the_screens_and_the_views():
    # The screens bind their own keys and check their own actions: they are where a literal hides.
    scanned = {path.relative_to(ROOT).as_posix() for path in MODULES}
    assert {"screens/files.py", "screens/processes.py", "screens/prune.py", "views/screen.py",
            "widgets/log/pane.py"} <= scanned


def test_container_actions_come_from_the_registry():
    # The busy marks and the container actions are the registry's (no second table of them).
    from tui.dashboard.actions import APPLIES

    assert set(APPLIES) == set(registry.CONTAINER_ACTIONS)
    assert all(BY_ID[a].busy and BY_ID[a].mutates for a in registry.CONTAINER_ACTIONS)
    assert registry.CONTAINER_ACTIONS == (registry.START, registry.STOP, registry.RESTART, registry.PAUSE,
                                          registry.KILL, registry.REMOVE)
