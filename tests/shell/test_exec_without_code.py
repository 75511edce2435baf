"""An exec whose exit code the engine no longer knows (Podman drops finished execs): "exited", no invented code."""

from __future__ import annotations

from tests.shell.helpers import TerminalApp
from tests.waits import wait_until
from tui.engine.base import ExecSession
from tui.engine.types import ExecOutput, LogStream
from tui.shell.exec_transport import ExecTransport
from tui.widgets.shell_pane import ShellPane
from tui.widgets.terminal_view import TerminalView


class _Forgotten(ExecSession):
    tty = True

    def __init__(self) -> None:
        self._out = [ExecOutput(LogStream.STDOUT, b"the-output\r\n")]

    async def read(self):
        return self._out.pop(0) if self._out else None

    async def write(self, data: bytes) -> None:
        pass

    async def resize(self, rows: int, cols: int) -> None:
        pass

    async def exit_code(self, timeout=None):
        return None

    async def close(self) -> None:
        pass


async def test_an_exec_without_a_known_code_says_exited_and_keeps_its_output():
    def connect(rows, cols, on_output, on_exit):
        return ExecTransport(_Forgotten(), on_output=on_output, on_exit=on_exit)

    app = TerminalApp(connect)
    async with app.run_test(size=(80, 20)) as pilot:
        view = app.query_one(TerminalView)
        await wait_until(lambda: "[exited]" in view.screen_text(), "the end marker", pilot=pilot,
                         detail=view.screen_text)
        text = view.screen_text()
        assert "the-output" in text and "unknown" not in text, text
        assert view.border_subtitle.startswith("exited — "), view.border_subtitle
        pane = ShellPane("c", "web", connect, label="sh: web")
        pane.view.exited, pane.view.exit_code = True, None
        assert pane.title() == "sh: web — exited"
