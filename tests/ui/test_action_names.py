"""An action's name is written once, in the registry: the dashboard and the parts that read
the registry name actions by its constants (`START`, `CLOSE_TAB`…), never by a string."""

from __future__ import annotations

import ast
from pathlib import Path

from tui.keys import registry
from tui.keys.registry import ACTIONS, BY_ID

ROOT = Path(__file__).resolve().parents[2] / "tui"
#: The modules that name actions: the dashboard package and what reads the registry.
MODULES = sorted([*(ROOT / "dashboard").rglob("*.py"),
                  *(ROOT / p for p in ("app.py", "screens/commands.py", "screens/help.py", "widgets/footer.py",
                                       "widgets/key_bindings.py", "screens/inspect.py"))])
#: Keyword arguments whose strings are not action names (widget ids, worker groups).
NOT_NAMES = {"id", "group"}
#: The same word meaning something else, on purpose.
ALLOWED = {
    ("dashboard/pane_area.py", "logs"): "the id of the log tab",
    ("screens/help.py", "close"): "the help screen's own close binding (not a registry action)",
    ("screens/inspect.py", "inspect"): "the screen's title, the word",
}

NAMES = set(BY_ID) | {a.action_method for a in ACTIONS} | {alt.method for a in ACTIONS for alt in a.alternates}


def _names_written(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text())
    skip = {id(kw.value) for node in ast.walk(tree) if isinstance(node, ast.Call)
            for kw in node.keywords if kw.arg in NOT_NAMES}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in NAMES
            and id(node) not in skip]


def test_only_the_registry_writes_action_names():
    found = []
    for path in MODULES:
        rel = path.relative_to(ROOT).as_posix()
        found += [f"tui/{rel}:{line}: {name!r}" for line, name in _names_written(path)
                  if (rel, name) not in ALLOWED]
    assert not found, "action names written outside tui/keys/registry.py (use its constants):\n" + "\n".join(found)


def test_the_scan_sees_a_written_name(tmp_path):
    # The check above must be able to fail: a module comparing against a literal id is caught.
    sample = tmp_path / "sample.py"
    sample.write_text('def f(action):\n    return action == "start"\n')
    assert _names_written(sample) == [(2, "start")]


def test_container_actions_come_from_the_registry():
    # The busy marks and the container actions are the registry's (no second table of them).
    from tui.dashboard.actions import APPLIES

    assert set(APPLIES) == set(registry.CONTAINER_ACTIONS)
    assert all(BY_ID[a].busy and BY_ID[a].mutates for a in registry.CONTAINER_ACTIONS)
    assert registry.CONTAINER_ACTIONS == (registry.START, registry.STOP, registry.RESTART, registry.PAUSE,
                                          registry.KILL, registry.REMOVE)
