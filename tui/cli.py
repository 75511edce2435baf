"""The `bosun` command: `bosun serve ...` serves the dashboard to browsers (tui.serve),
anything else runs it in this terminal (tui.run)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None, app_class: type | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["serve"]:
        from tui.serve.cli import main as serve_main

        return serve_main(argv[1:])
    from tui.run import main as run_main

    return run_main(argv, app_class)
