"""The import contract in pyproject.toml (`[tool.importlinter]`) holds: the layers, and no Textual below the UI."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

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
