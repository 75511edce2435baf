"""The CLI backend is part of the engine layer: it loads no Textual, and the API path does not load it."""

import subprocess
import sys


def _modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    return set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())


def test_the_cli_backend_loads_no_textual():
    loaded = _modules_after("from tui.engine import CliEngine; import tui.engine.cli.fallback")
    assert "tui.engine.cli.engine" in loaded
    assert not {m for m in loaded if m == "textual" or m.startswith("textual.")}


def test_the_api_client_does_not_load_the_cli_backend():
    loaded = _modules_after("import tui.engine.docker, tui.engine.connector")
    assert not {m for m in loaded if m.startswith("tui.engine.cli")}


def test_the_cli_first_frame_path_loads_no_asyncio():
    """The first frame of `--engine podman-cli` is drawn before the event loop exists (as the API path's is)."""
    loaded = _modules_after("import tui.engine.cli.quick")
    assert "asyncio" not in loaded and not {m for m in loaded if m.startswith("textual")}


def test_an_engine_spec_names_the_client():
    from tui.engine.cli.engine import CliEngine
    from tui.engine.spec import EngineSpec

    engine = CliEngine.from_spec(EngineSpec("box", "", source="config engines[1]", kind="docker-cli", cli="nerdctl"))
    assert (engine.name, engine.cli_argv, engine.kind, engine.runner.source) == ("box", ["nerdctl"], "docker",
                                                                                   "config engines[1]")
    engine = CliEngine.from_spec(EngineSpec("p", "sudo podman", kind="podman-cli"))
    assert engine.cli_argv == ["sudo", "podman"] and engine.kind == "podman"
