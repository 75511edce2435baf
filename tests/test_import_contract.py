"""The import contract in pyproject.toml (`[tool.importlinter]`) holds: the layers, and no Textual below the UI;
and it is about the modules there are: each it names exists, and each module of the package is in a layer."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.test_import_graph import modules

REPO_ROOT = Path(__file__).resolve().parent.parent


def _lint_imports() -> str:
    beside = Path(sys.executable).parent / "lint-imports"
    found = str(beside) if beside.exists() else shutil.which("lint-imports")
    assert found, ("lint-imports is not installed: it is a test dependency (import-linter in pyproject.toml); "
                   "`bash tests/run` installs it, or: python3 -m pip install -e '.[test]'")
    return found


def test_the_import_contract_holds():
    # Run in the checkout: lint-imports puts the working directory first on sys.path, so it
    # analyses this tree's tui, not another editable install's.
    done = subprocess.run([_lint_imports(), "--no-cache"], cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, f"lint-imports found imports that break the layers:\n{done.stdout}\n{done.stderr}"


def _contracts() -> tuple[str, list[dict]]:
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    return config["root_package"], config["contracts"]


def _layer_names(layer: str) -> list[str]:
    # A layer is one module or siblings joined by `|` (independent) or `:` (they may import each
    # other); a parenthesised one is optional, which import-linter skips when it does not exist.
    return [name.strip().strip("()").strip() for name in re.split(r"[|:]", layer)]


def _named_modules(root: str, contracts: list[dict]) -> set[str]:
    named: set[str] = set()
    for contract in contracts:
        for layer in contract.get("layers", []):
            named.update(_layer_names(layer))
        for key in ("source_modules", "forbidden_modules", "modules"):
            named.update(contract.get(key, []))
    return {name for name in named if name == root or name.startswith(f"{root}.")}  # not textual


def _matches(pattern: str, module: str) -> bool:
    # import-linter's wildcards: `*` one name, `**` one or more.
    parts = (r"[^.]+(\.[^.]+)*" if part == "**" else "[^.]+" if part == "*" else re.escape(part)
             for part in pattern.split("."))
    return re.fullmatch(r"\.".join(parts), module) is not None


def missing_modules(root: str, contracts: list[dict], package: Path = REPO_ROOT / "tui") -> list[str]:
    """The modules the contracts name that are not in the package (a wildcard: that match nothing)."""
    known = set(modules(package))
    return sorted(name for name in _named_modules(root, contracts)
                  if not any(_matches(name, module) for module in known))


def test_every_module_the_contracts_name_exists():
    # import-linter says nothing of an optional layer or a wildcard that names nothing: a contract
    # about modules that moved away would go on passing, proving nothing.
    root, contracts = _contracts()
    assert not missing_modules(root, contracts), "the import contract names modules that do not exist"


def test_a_contract_naming_a_missing_module_fails_the_check():
    contracts = [{"type": "layers", "layers": ["tui.app", "(tui.live) : tui.screens", "tui.engine | (tui.model)"]},
                 {"type": "forbidden", "source_modules": ["tui.gone.**", "tui.settings.**"],
                  "forbidden_modules": ["textual", "tui.actions"]}]
    assert missing_modules("tui", contracts) == ["tui.actions", "tui.gone.**", "tui.live", "tui.model"]


def test_every_module_of_the_package_is_in_a_layer():
    # A module in no layer may import anything: the layers would prove nothing about it.
    root, contracts = _contracts()
    layered = {name for contract in contracts if contract["type"] == "layers"
               for layer in contract["layers"] for name in _layer_names(layer)}
    top = {".".join(name.split(".")[:2]) for name in modules(REPO_ROOT / root) if name != root}
    assert not top - layered, f"modules of {root} in no layer of the import contract: {sorted(top - layered)}"
