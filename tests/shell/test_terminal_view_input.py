"""Exact bytes the pane sends, with a capturing transport (no program runs)."""

from __future__ import annotations

import subprocess
import sys

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding

from tests.shell.helpers import wait_parsed
from tests.waits import wait_until
from tui.widgets.terminal_view import TerminalView, terminal_owns_action


class Capture:
    def __init__(self) -> None:
        self.sent: list[bytes] = []
        self.sizes: list[tuple[int, int]] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.sent.append(data)

    def resize(self, rows: int, cols: int) -> None:
        self.sizes.append((rows, cols))

    def close(self) -> None:
        self.closed = True


class CaptureApp(App):
    BINDINGS = [Binding("ctrl+q", "quit", priority=True)]

    def __init__(self) -> None:
        super().__init__()
        self.capture = Capture()

    def compose(self) -> ComposeResult:
        yield TerminalView(lambda rows, cols, out, ex: self.capture)

    def on_mount(self) -> None:
        self.query_one(TerminalView).focus()

    def check_action(self, action, parameters):
        return not terminal_owns_action(self, action)


async def _ready(pilot) -> tuple[TerminalView, Capture]:
    await pilot.pause()
    view = pilot.app.query_one(TerminalView)
    capture = pilot.app.capture
    assert view.transport is capture
    capture.sent.clear()
    return view, capture


async def test_arrows_follow_app_cursor_mode():
    async with CaptureApp().run_test(size=(60, 12)) as pilot:
        view, capture = await _ready(pilot)
        await pilot.press("up")
        view.feed(b"\x1b[?1h")
        await wait_parsed(pilot, view)
        await pilot.press("up", "ctrl+left")
        assert capture.sent == [b"\x1b[A", b"\x1bOA", b"\x1b[1;5D"]


async def test_paste_is_bracketed_only_when_asked():
    async with CaptureApp().run_test(size=(60, 12)) as pilot:
        view, capture = await _ready(pilot)
        pilot.app.post_message(events.Paste("a\nb"))
        await pilot.pause()
        view.feed(b"\x1b[?2004h")
        await wait_parsed(pilot, view)
        pilot.app.post_message(events.Paste("x\x1b[201~y"))
        await pilot.pause()
        assert capture.sent == [b"a\rb", b"\x1b[200~xy\x1b[201~"]


async def test_mouse_goes_to_the_program_only_when_tracking():
    async with CaptureApp().run_test(size=(60, 12)) as pilot:
        view, capture = await _ready(pilot)
        await pilot.click(TerminalView, offset=(5, 3))
        assert capture.sent == []
        view.feed(b"\x1b[?1000h\x1b[?1006h")
        await wait_parsed(pilot, view)
        await pilot.click(TerminalView, offset=(5, 3))
        # Offsets are widget-relative; the border takes one cell: content (4, 2) -> 1-based 5;3.
        assert capture.sent == [b"\x1b[<0;5;3M", b"\x1b[<0;5;3m"]


async def test_dsr_reply_is_written_to_the_transport():
    async with CaptureApp().run_test(size=(60, 12)) as pilot:
        view, capture = await _ready(pilot)
        view.feed(b"ab\x1b[6n")
        await wait_parsed(pilot, view)
        assert capture.sent == [b"\x1b[1;3R"]


async def test_resize_is_debounced_and_rows_first():
    async with CaptureApp().run_test(size=(60, 12)) as pilot:
        view, capture = await _ready(pilot)
        first = list(capture.sizes)
        assert first[-1] == (10, 58)
        await pilot.resize_terminal(70, 20)
        await pilot.resize_terminal(80, 22)
        await wait_until(lambda: view._resize_timer is None and capture.sizes[-1:] == [(20, 78)],
                         "the last size, rows first, to reach the program", pilot=pilot,
                         detail=lambda: f"sizes {capture.sizes}")
        # Two resizes in a row are one for the program; on a slow machine (a CI run took 50 min)
        # the second may come after the debounce ran for the first, so one size before it is allowed.
        assert len(capture.sizes) - len(first) <= 2, capture.sizes
        assert (view.terminal.lines, view.terminal.columns) == (20, 78)


async def test_priority_keys_go_to_the_program_and_leave_does_not():
    app = CaptureApp()
    async with app.run_test(size=(60, 12)) as pilot:
        view, capture = await _ready(pilot)
        assert view.owns_key("ctrl+q") and view.owns_key("ctrl+p") and view.owns_key("tab")
        assert not view.owns_key("ctrl+]") and not view.owns_key("ctrl+right_square_bracket")
        await pilot.press("ctrl+q", "ctrl+c", "ctrl+]")
        assert capture.sent == [b"\x11", b"\x03"]
        assert app.is_running


async def test_copy_screen_puts_the_text_on_the_clipboard():
    app = CaptureApp()
    async with app.run_test(size=(60, 12)) as pilot:
        view, _ = await _ready(pilot)
        view.feed(b"\x1b[31mred\x1b[0m text\r\nsecond")
        await wait_parsed(pilot, view)
        view.action_copy_screen()
        assert app.clipboard.startswith("red text\nsecond")


def test_widget_and_engine_bridge_stay_apart():
    code = (
        "import sys, tui.widgets.terminal_view\n"
        "assert not [m for m in sys.modules if m.startswith('tui.engine')], 'widget imports the engine'\n"
        "import tui.shell.exec_transport, tui.shell.shell_choice\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    check = "import sys, tui.shell.exec_transport, tui.shell.shell_choice; assert 'textual' not in sys.modules"
    subprocess.run([sys.executable, "-c", check], check=True)
