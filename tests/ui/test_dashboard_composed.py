"""The dashboard is composed, not mixed in: its parts see the screen only through the protocols they are handed.

Issue 12 found `DashboardScreen` plus two mixins sharing one `self`, the mixins using the
screen's private state and calling each other. Behaviour tests cannot see that shape come
back; these read it from the code.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pathlib
from typing import Protocol

import tui.dashboard
from tui.dashboard.screen import DashboardScreen

DASHBOARD = pathlib.Path(tui.dashboard.__file__).parent


def _modules():
    for path in sorted(DASHBOARD.glob("*.py")):
        if path.stem != "__init__":
            yield path, importlib.import_module(f"tui.dashboard.{path.stem}")


def host_members() -> set[str]:
    """What the protocols of tui/dashboard declare (PaneHost, ActionHost, FeedHost, SelectionHost, …)."""
    members: set[str] = set()
    for _, module in _modules():
        for _, klass in inspect.getmembers(module, inspect.isclass):
            if klass.__module__ != module.__name__ or Protocol not in klass.__mro__ or klass is Protocol:
                continue
            for base in klass.__mro__:
                if base.__module__.startswith("tui."):
                    members |= set(vars(base)) | set(getattr(base, "__annotations__", {}))
    return {name for name in members if not name.startswith("__")}


def host_uses(tree: ast.AST) -> set[str]:
    """Attributes read or set on the part's host: `self.host.x`, or `host.x` after `host = self.host`."""
    used: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        value = node.value
        on_self_host = (isinstance(value, ast.Attribute) and value.attr == "host"
                        and isinstance(value.value, ast.Name) and value.value.id == "self")
        if on_self_host or (isinstance(value, ast.Name) and value.id == "host"):
            used.add(node.attr)
    return used


def test_the_screen_has_no_mixins_of_ours():
    ours = [klass for klass in DashboardScreen.__mro__ if klass.__module__.startswith("tui.")]
    assert ours == [DashboardScreen], f"the dashboard inherits parts of itself again: {ours}"


def test_each_part_uses_only_what_the_host_protocols_declare():
    members = host_members()
    assert {"focus_list", "mark_busy", "summaries", "selected"} <= members, "the protocols were not found"
    wrong: dict[str, list[str]] = {}
    for path, _ in _modules():
        if path.stem == "screen":
            continue  # the host itself
        used = host_uses(ast.parse(path.read_text(encoding="utf-8")))
        bad = sorted(name for name in used if name.startswith("_") or name not in members)
        if bad:
            wrong[path.name] = bad
    assert not wrong, f"parts reaching past the host protocols (private or undeclared): {wrong}"


def test_the_scan_sees_a_part_reaching_into_the_screen():
    tree = ast.parse("class Part:\n    def f(self):\n        host = self.host\n        host._deferred.append(1)\n"
                     "        self.host.busy_with('x')\n")
    assert host_uses(tree) == {"_deferred", "busy_with"}


def test_the_parts_do_not_import_each_other_s_tabs():
    """The log tabs and the shell tabs once called each other through the shared `self`."""
    for name, other in (("log_tabs", "shell_tabs"), ("shell_tabs", "log_tabs")):
        text = (DASHBOARD / f"{name}.py").read_text(encoding="utf-8")
        assert f"tui.dashboard.{other}" not in text and f"from .{other}" not in text, f"{name} imports {other}"
