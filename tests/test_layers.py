"""The layers stay apart: the engine layer never loads Textual."""

import subprocess
import sys


def _modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_engine_layer_loads_no_textual():
    loaded = _modules_after(
        "import tui.engine, tui.engine.docker, tui.engine.fake, tui.engine.connector, tui.engine.endpoints"
    )
    assert "tui.engine.docker" in loaded
    assert not {m for m in loaded if m == "textual" or m.startswith("textual.")}


def test_terminal_layer_knows_nothing_of_containers():
    loaded = _modules_after("import importlib, pkgutil, tui.terminal as t; "
                            "[importlib.import_module('tui.terminal.' + m.name) for m in pkgutil.iter_modules(t.__path__)]")
    assert not {m for m in loaded if m.startswith("tui.engine")}
