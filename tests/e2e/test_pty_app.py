"""The pty harness itself, on a tiny raw-mode program instead of bosun (fast, no engine).

The program reports its terminal size (again on SIGWINCH), asks for the
cursor position, sends a sequence stock pyte chokes on, echoes every read as
hex, clears the screen on "c", and ignores q and every polite signal, so
close() has to go all the way to SIGKILL.
"""

from __future__ import annotations

import re
import signal
import sys

import pytest

from tui.testing.pty_app import PtyApp, ScreenTimeout, key_bytes

pytestmark = pytest.mark.e2e

CHILD = r"""
import os, signal, tty
tty.setraw(0)
for sig in (signal.SIGHUP, signal.SIGINT, signal.SIGTERM):
    signal.signal(sig, signal.SIG_IGN)
def size(*_):
    cols, rows = os.get_terminal_size(0)
    os.write(1, f"size {cols}x{rows}\r\n".encode())
signal.signal(signal.SIGWINCH, size)
size()
os.write(1, b"\x1b[6n\x1b[?1;2r" + b"after\r\n")
while True:
    data = os.read(0, 100)
    os.write(1, b"\x1b[2J\x1b[H" if data == b"c" else f"in {data.hex()}\r\n".encode())
"""


def _line(text: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(text)}\s*$", re.M)


def test_screen_keys_replies_resize_and_forced_close():
    app = PtyApp(command=[sys.executable, "-c", CHILD], cols=80, rows=24)
    with app:
        app.wait_for("size 80x24", timeout=10)
        # The cursor report went back to the program (cursor on row 2, column 1)...
        app.wait_for(_line("in " + b"\x1b[2;1R".hex()))
        # ...and `CSI ? r`, a TypeError in stock pyte, did not stop the parser.
        app.wait_for("after")

        for key in ("up", "ctrl+c", "shift+tab", "é"):
            app.press(key)
            app.wait_for(_line("in " + key_bytes(key).hex()))

        app.resize(100, 30)
        app.wait_for("size 100x30")

        app.press("c")
        app.wait_until_gone("after")
        with pytest.raises(ScreenTimeout, match="never-shown"):
            app.wait_for("never-shown", timeout=0.2)

    # It ignored q, ctrl+q, SIGHUP, SIGINT and SIGTERM: only SIGKILL ended it.
    assert not app.proc.isalive()
    assert app.proc.signalstatus == signal.SIGKILL
