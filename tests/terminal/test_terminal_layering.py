"""The terminal layer never imports the engine, nor Textual (its renderer is ``tui.widgets.terminal_render``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import tui.terminal

PACKAGE = Path(tui.terminal.__file__).parent


def test_no_module_mentions_the_engine() -> None:
    for path in PACKAGE.glob("*.py"):
        source = path.read_text()
        assert "tui.engine" not in source and "from ..engine" not in source, path.name


def test_imports_in_a_fresh_interpreter() -> None:
    check = (
        "import sys\n"
        "import tui.terminal.screen, tui.terminal.stream, tui.terminal.keys, tui.terminal.transport\n"
        "assert 'textual' not in sys.modules, 'the terminal layer imported textual'\n"
        "import tui.widgets.terminal_render\n"
        "assert not [m for m in sys.modules if m.startswith('tui.engine')]\n"
    )
    subprocess.run([sys.executable, "-c", check], check=True, cwd=PACKAGE.parent.parent)
