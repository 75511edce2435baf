"""How the pane looks: a coloured prompt, output, the cursor and the leave hint.

Deterministic: known bytes are fed into the stream; no program runs. After an
intended change of looks: `pytest tests/shell --snapshot-update`, review the SVG.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

from tests.shell.helpers import wait_parsed
from tui.widgets.terminal_view import TerminalView

SESSION = (
    b"\x1b[1;32mroot@web\x1b[0m:\x1b[1;34m/srv\x1b[0m$ ls --color\r\n"
    b"\x1b[01;34mbin\x1b[0m  \x1b[01;32mrun.sh\x1b[0m  README.md  \x1b[38;5;208mlogs\x1b[0m  "
    b"\x1b[38;2;200;100;255mtruecolour\x1b[0m\r\n"
    b"\x1b[7m reverse \x1b[0m \x1b[4munderline\x1b[0m \x1b[2mdim\x1b[0m \x1b[41;97m alert \x1b[0m  wide: \xe4\xbd\xa0\xe5\xa5\xbd\r\n"
    # Hostile output stays inside the pane: title, clipboard and reset requests are emulated away.
    b"\x1b]0;pwned\x07\x1b]52;c;aGk=\x07\x1bP+q544e\x1b\\safe\r\n"
    b"\x1b[1;32mroot@web\x1b[0m:\x1b[1;34m/srv\x1b[0m$ "
)


class SnapshotApp(App):
    CSS = "TerminalView { height: 12; } Static { height: 1fr; }"

    def compose(self) -> ComposeResult:
        yield TerminalView(None, title="web · sh")
        yield Static("dashboard below")

    def on_mount(self) -> None:
        view = self.query_one(TerminalView)
        view.feed(SESSION)
        view.focus()


def test_pane_with_coloured_prompt(snap_compare):
    async def settle(pilot):
        await wait_parsed(pilot, pilot.app.query_one(TerminalView))

    assert snap_compare(SnapshotApp(), terminal_size=(70, 16), run_before=settle)
