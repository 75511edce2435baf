"""One browser session's bosun: `python -m tui.serve.child [bosun options]`.

textual-serve starts this with Textual's web driver selected in the
environment; it is the ordinary bosun command line with an app whose engine
is guarded (`tui.serve.guard`) and which never hands the terminal to a local
program (a browser has no terminal to hand over).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from tui.app import BosunApp


TRANSFERS_OFF = ("Downloads and uploads are off in a browser session: they would read and write "
                 "the server's disk, not yours")


class ServedApp(BosunApp):
    # Textual finds CSS_PATH beside the class's own module: point it back at the app's.
    CSS_PATH = str(Path(__file__).resolve().parent.parent / "app.tcss")

    def __init__(self, settings: Any = None, run: Any = None, **kwargs: Any) -> None:
        from tui.serve.audit import from_environment

        self._audit, self._session = from_environment()
        self._shells = os.environ.get("BOSUN_SERVE_SHELLS") == "1"
        self._engine: Any = None
        super().__init__(settings, run, **kwargs)
        # `exec -it` in a local terminal suspends the app: impossible in a browser.
        self.settings = self.settings.replace(shells={"via_cli": False})
        self.run_options.persist_theme = False  # a visitor's theme choice is not the host's setting

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        # The log pane asks for its save dialog by pushing it; in a browser the file is a download.
        from tui.screens.files import TransferScreen
        from tui.screens.save_log import SaveLogScreen
        from tui.serve.download import DownloadLogScreen

        if isinstance(screen, SaveLogScreen) and not isinstance(screen, DownloadLogScreen):
            screen = DownloadLogScreen(screen.request)
        if isinstance(screen, TransferScreen):
            # Its paths are the server's: a visitor must not write files there nor send its files anywhere.
            from tui.notice import notify

            notify(self, TRANSFERS_OFF, title=screen.verb, severity="warning", timeout=6)
            return None
        return super().push_screen(screen, *args, **kwargs)

    # BosunApp sets `engine` wherever it connects (demo, quick list, full client):
    # wrapping at the assignment catches every path.
    @property  # type: ignore[override]
    def engine(self) -> Any:
        return self._engine

    @engine.setter
    def engine(self, value: Any) -> None:
        from tui.serve.guard import GuardedEngine

        if value is None or isinstance(value, GuardedEngine):
            self._engine = value
        else:
            self._engine = GuardedEngine(value, self._audit, self._session, shells=self._shells)


def main(argv: list[str] | None = None) -> int:
    from tui.run import main as bosun_main

    return bosun_main(sys.argv[1:] if argv is None else argv, app_class=ServedApp)


if __name__ == "__main__":
    sys.exit(main())
