"""`--no-mouse` / `BOSUN_MOUSE=0`: bosun never asks the terminal for mouse reports, so the terminal's
own selection keeps working. Read from the bytes bosun writes to a real pty."""

from __future__ import annotations

import re

import pytest

from tui.testing.pty_app import PtyApp

pytestmark = pytest.mark.e2e

# DECSET of any mouse mode: X10 (9), normal (1000), highlight (1001), button (1002), any-motion (1003),
# and the report encodings (1005 UTF-8, 1006 SGR, 1015 urxvt, 1016 SGR pixels). 1004 is focus reports.
MOUSE_ON = re.compile(rb"\x1b\[\?(?:[0-9;]*;)?(?:9|100[0-3]|100[56]|101[56])(?:;[0-9;]*)?h")


class RecordingPtyApp(PtyApp):
    """PtyApp that also keeps every byte the program wrote (the harness keeps only the screen)."""

    def __init__(self, *args, **kwargs) -> None:
        self.raw = bytearray()
        super().__init__(*args, **kwargs)

    @property
    def _stream(self):
        return self.__stream

    @_stream.setter
    def _stream(self, stream) -> None:
        raw = self.raw

        class Recorder:
            def feed(self, data: bytes) -> None:
                raw.extend(data)
                stream.feed(data)

        self.__stream = Recorder()


def run_and_capture(args: list[str], env: dict[str, str] | None = None) -> bytes:
    with RecordingPtyApp(["--demo", *args], cols=120, rows=30, env=env) as app:
        app.wait_for("shop-web-1", timeout=30)
        app.wait_for("Logs", timeout=10)  # the footer: the first full frame is out
    return bytes(app.raw)


def test_the_default_turns_mouse_tracking_on():
    raw = run_and_capture([])
    assert MOUSE_ON.search(raw), "bosun never enabled mouse tracking"


def test_no_mouse_sends_no_mouse_tracking_sequence():
    raw = run_and_capture(["--no-mouse"])
    assert b"shop-web-1" in raw  # it did draw
    assert not MOUSE_ON.search(raw), MOUSE_ON.findall(raw)


def test_bosun_mouse_0_in_the_environment_does_the_same():
    raw = run_and_capture([], env={"BOSUN_MOUSE": "0"})
    assert not MOUSE_ON.search(raw), MOUSE_ON.findall(raw)


def test_a_drag_in_the_log_pane_and_y_put_the_text_on_the_terminal_clipboard():
    import base64

    with RecordingPtyApp(["--demo"], cols=120, rows=30) as app:
        app.wait_for("shop-web-1", timeout=30)
        # The pane's header and two log lines under it (the history loads after the first frame).
        app.wait_for(re.compile(r"· following[^\n]*\n.\S[^\n]*\n.\S"), timeout=15)
        rows = app.text().splitlines()
        header = next(y for y, row in enumerate(rows) if "· following" in row)
        # Two log lines under the header, from their first text cell (the gutter is not copied).
        y1, y2 = header + 1, header + 2
        first, second = rows[y1][1:].rstrip(), rows[y2][1:].rstrip()
        assert first and second, app.dump()
        end = len(rows[y2].rstrip())
        # SGR mouse reports (1-based), in one write so no line arrives in between: press (which also
        # gives the pane the keys), drag with the button held, release.
        app.press(f"\x1b[<0;2;{y1 + 1}M\x1b[<32;{end};{y2 + 1}M\x1b[<0;{end};{y2 + 1}m")
        app.wait_for("paused", timeout=10)  # the drag paused following: the lines stay put
        app.press("y")
        app.wait_for("Copied 2 lines", timeout=10)
        copies = re.findall(rb"\x1b\]52;c;([A-Za-z0-9+/=]*)\x07", bytes(app.raw))
        assert copies, "no OSC 52 in what bosun wrote"
        assert base64.b64decode(copies[-1]).decode() == f"{first}\n{second}"
