"""No two modules of tui/ import each other, directly or around a loop.

Every import counts: those inside functions and under `TYPE_CHECKING` too, since
a loop that only works because an import was pushed into a function is still a
loop in the design. The graph is read from the source with `ast`; nothing is
imported.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "tui"

# Loops that other branches of issue 12 remove. The lead deletes each entry as its
# branch lands (the stale-entry test below says when one no longer exists); at the
# end this list is empty.
KNOWN_CYCLES: list[frozenset[str]] = []


def modules(package: Path = PACKAGE) -> dict[str, tuple[Path, bool]]:
    """Dotted name -> (file, is a package) for every module under `package`."""
    found = {}
    for path in package.rglob("*.py"):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        found[".".join(parts)] = (path, is_package)
    return found


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Module -> the modules of the package it imports (anywhere in its source)."""
    known = modules(package)
    root = package.name

    def existing(name: str) -> str | None:
        # `from tui.engine.types import State` imports tui.engine.types; `import tui.x.y` of a
        # name that is not a module (an attribute) counts as its nearest module.
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for name, (path, is_package) in known.items():
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".") if is_package else name.split(".")[:-1]
                    base = base[: len(base) - node.level + 1]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                # `from tui.widgets import typeahead` imports the module tui.widgets.typeahead.
                names = [f"{source}.{alias.name}" if f"{source}.{alias.name}" in known else source
                         for alias in node.names]
            else:
                continue
            for imported in names:
                if imported == root or imported.startswith(root + "."):
                    target = existing(imported)
                    if target and target != name:
                        targets.add(target)
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(frozenset(group))
    return found


def a_loop(graph: dict[str, set[str]], group: frozenset[str]) -> list[str]:
    """One concrete loop through `group`, as a -> b -> ... -> a, for the failure message."""
    start = min(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph[node] & group):
            if child == start:
                return paths[node] + [start]
            if child not in paths:
                paths[child] = paths[node] + [child]
                queue.append(child)
    return sorted(group)


def test_no_module_imports_itself_around_a_loop():
    graph = import_graph()
    new = [group for group in cycles(graph) if not any(group <= known for known in KNOWN_CYCLES)]
    assert not new, "modules that import each other:\n" + "\n".join(
        "  " + " -> ".join(a_loop(graph, group)) for group in new)


def test_every_known_cycle_still_exists():
    # Once a branch has removed its loop, its entry must go, so the list cannot hide a new loop.
    found = cycles(import_graph())
    stale = [known for known in KNOWN_CYCLES if not any(group & known for group in found)]
    assert not stale, "these known cycles are gone: delete them from KNOWN_CYCLES:\n" + "\n".join(
        "  " + ", ".join(sorted(known)) for known in stale)


def test_the_graph_sees_imports_in_functions_and_type_checking(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("def f():\n    from pkg import b\n")
    (package / "b.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .c import X\n")
    (package / "c.py").write_text("import pkg.a\n")
    (package / "d.py").write_text("from pkg.a import f\n")
    graph = import_graph(package)
    assert graph["pkg.a"] == {"pkg.b"} and graph["pkg.b"] == {"pkg.c"} and graph["pkg.c"] == {"pkg.a"}
    assert cycles(graph) == [frozenset({"pkg.a", "pkg.b", "pkg.c"})]
    assert a_loop(graph, cycles(graph)[0]) == ["pkg.a", "pkg.b", "pkg.c", "pkg.a"]
