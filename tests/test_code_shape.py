"""The shape of the code: no file too long to hold in the head, no private Textual bindings,
and benchmarks that share the shipped harnesses (tui/testing) instead of importing the tests."""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGE = REPO_ROOT / "tui"
MAX_LINES = 600

# Files the other branches of issue 12 split; the lead deletes each entry as its branch
# lands (the stale-entry test says when). At the end this list is empty.
KNOWN_LONG: set[str] = set()

# bench/ scripts that still import from tests/, and what: the modules they use are being
# rewritten by the log view branch of issue 12; once it has landed they move into
# tui/testing (as pty_app did) and these entries go.
KNOWN_BENCH_IMPORTS: dict[str, set[str]] = {}


def _source_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*") if p.suffix in (".py", ".tcss") and "__pycache__" not in p.parts)


def _line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_file_under_tui_is_over_600_lines():
    long = {str(p.relative_to(REPO_ROOT)): _line_count(p) for p in _source_files()}
    too_long = {name: n for name, n in long.items() if n > MAX_LINES and name not in KNOWN_LONG}
    assert not too_long, f"files over {MAX_LINES} lines (split the module): {too_long}"


def test_every_known_long_file_is_still_long():
    stale = {name for name in KNOWN_LONG
             if not (REPO_ROOT / name).exists() or _line_count(REPO_ROOT / name) <= MAX_LINES}
    assert not stale, f"no longer over {MAX_LINES} lines (or gone): delete them from KNOWN_LONG: {sorted(stale)}"


def test_no_private_textual_bindings_under_tui():
    # `_bindings` is Textual's private binding map; keys are bound with Binding(id=...) and set_keymap.
    private = re.compile(r"(?<!\w)_bindings(?!\w)")
    hits = [f"{p.relative_to(REPO_ROOT)}:{n}" for p in _source_files() if p.suffix == ".py"
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if private.search(line)]
    assert not hits, f"uses of Textual's private _bindings: {hits}"


def _imports_of_tests(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                 else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
        found |= {name for name in names if name == "tests" or name.startswith("tests.")}
    return found


def test_bench_imports_nothing_from_tests():
    found = {str(p.relative_to(REPO_ROOT)): _imports_of_tests(p) for p in sorted((REPO_ROOT / "bench").glob("*.py"))}
    unexpected = {name: sorted(mods - KNOWN_BENCH_IMPORTS.get(name, set()))
                  for name, mods in found.items() if mods - KNOWN_BENCH_IMPORTS.get(name, set())}
    assert not unexpected, f"bench scripts importing the tests (use tui.testing): {unexpected}"
    stale = {name: sorted(mods - found.get(name, set())) for name, mods in KNOWN_BENCH_IMPORTS.items()
             if mods - found.get(name, set())}
    assert not stale, f"no longer imported: delete them from KNOWN_BENCH_IMPORTS: {stale}"
