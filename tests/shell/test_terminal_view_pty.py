"""TerminalView over a local pty running /bin/sh: typing, keys, resize, exit."""

from __future__ import annotations

import asyncio
import re

from textual import events

from tests.shell.helpers import TerminalApp, local_sh, run_line, type_text, wait_for, wait_text
from tui.widgets.terminal_view import TerminalView


async def test_echo_hello_appears_on_the_screen():
    app = TerminalApp(local_sh())
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(TerminalView)
        await wait_text(pilot, "$")
        await run_line(pilot, "echo hello")
        await wait_for(pilot, lambda: "hello" in view.screen_lines()[1] if len(view.screen_lines()) > 1 else False,
                       what="hello on its own line")
        assert any(line.rstrip() == "hello" for line in view.screen_lines())


async def test_ctrl_c_interrupts_the_program_and_does_not_quit():
    app = TerminalApp(local_sh())
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(TerminalView)
        await wait_text(pilot, "$")
        await run_line(pilot, "sleep 100")
        await wait_text(pilot, "sleep 100")
        await pilot.press("ctrl+c")
        # The prompt comes back on a new line, so sleep was interrupted.
        await wait_for(pilot, lambda: view.screen_text().rstrip().endswith("$"), what="prompt after ^C")
        await run_line(pilot, "echo still-here")
        await wait_text(pilot, "\nstill-here")
        assert app.is_running and not view.exited


async def test_app_priority_keys_and_tab_reach_the_program():
    app = TerminalApp(local_sh())
    sent: list[bytes] = []
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(TerminalView)
        await wait_text(pilot, "$")
        real_write = view.transport.write
        view.transport.write = lambda data: (sent.append(data), real_write(data))
        await pilot.press("ctrl+q", "ctrl+p", "tab", "shift+tab")
        assert sent == [b"\x11", b"\x10", b"\t", b"\x1b[Z"]
        assert app.is_running and app.focused is view
        assert not app.screen.query("CommandPalette")


async def test_leave_chord_posts_leave_and_moves_focus():
    app = TerminalApp(local_sh())
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(TerminalView)
        assert "ctrl+] to leave" in str(view.border_subtitle)
        await wait_text(pilot, "$")
        await pilot.press("ctrl+]")
        await pilot.pause()
        assert any(isinstance(m, TerminalView.Leave) for m in app.messages)
        assert app.focused is app.query_one("#dashboard")
        # Out of the shell, the app's own keys work again.
        await pilot.press("ctrl+q")
    assert not app.is_running


async def test_leave_chord_is_configurable():
    app = TerminalApp(local_sh(), leave_key="ctrl+g")
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(TerminalView)
        assert "ctrl+g to leave" in str(view.border_subtitle)
        await wait_text(pilot, "$")
        await pilot.press("ctrl+]")  # now an ordinary key for the program
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert [type(m) for m in app.messages] == [TerminalView.Leave]


async def test_resize_reaches_the_program():
    app = TerminalApp(local_sh())
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(TerminalView)
        await wait_text(pilot, "$")
        rows, cols = view.size.height, view.size.width
        await run_line(pilot, "stty size")
        await wait_text(pilot, f"{rows} {cols}")
        await pilot.resize_terminal(100, 30)
        await wait_for(pilot, lambda: view.terminal.columns == view.size.width == 98, what="screen resized")
        rows, cols = view.size.height, view.size.width
        await run_line(pilot, "stty size")
        await wait_text(pilot, f"\n{rows} {cols}")


async def test_alt_screen_round_trip_leaves_the_prompt_clean():
    app = TerminalApp(local_sh())
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(TerminalView)
        await wait_text(pilot, "$")
        await run_line(pilot, "echo before")
        await wait_text(pilot, "\nbefore")
        command = r"printf '\033[?1049h\033[2J\033[H%s' FULL" + '"SCREEN"' + r"; sleep 0.3; printf '\033[?1049l'"
        await run_line(pilot, command)
        await wait_for(pilot, lambda: view.terminal.in_alt_screen, what="alt screen")
        assert "FULLSCREEN" in view.screen_text()
        await wait_for(pilot, lambda: not view.terminal.in_alt_screen, what="primary screen")
        await wait_for(pilot, lambda: view.screen_text().rstrip().endswith("$"), what="prompt")
        text = view.screen_text()
        assert "FULLSCREEN" not in text
        assert "before" in text


async def test_exit_code_is_shown_and_posted():
    app = TerminalApp(local_sh())
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(TerminalView)
        await wait_text(pilot, "$")
        await run_line(pilot, "exit 3")
        await wait_for(pilot, lambda: view.exited, what="exit")
        await wait_text(pilot, "[exited with code 3]")
        assert "exited with code 3" in str(view.border_subtitle)
        await pilot.pause()
        exited = [m for m in app.messages if isinstance(m, TerminalView.Exited)]
        assert [m.code for m in exited] == [3]
        # The parent reopens (on TerminalView.Reopen, sent when r is pressed).
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.messages[-1], TerminalView.Reopen)
        view.reopen()
        await wait_for(pilot, lambda: not view.exited and view.screen_text().endswith("$"), what="reopened")


async def test_dsr_reply_reaches_the_program():
    app = TerminalApp(local_sh())
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(TerminalView)
        await wait_text(pilot, "$")
        # Ask for the cursor position and read the reply back from the terminal.
        await run_line(pilot, r"stty raw -echo; printf '\033[6n'; dd bs=1 count=6 2>/dev/null | od -c | head -1; stty sane")
        await wait_for(pilot, lambda: re.search(r"033\s+\[\s+\d", view.screen_text()) is not None, what="DSR reply")


async def test_flood_does_not_freeze_the_app():
    app = TerminalApp(local_sh())
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(TerminalView)
        await wait_text(pilot, "$")
        await run_line(pilot, "yes")
        await wait_for(pilot, lambda: view.screen_text().count("y") > 10, what="flood")
        # Well into the flood: thousands of lines have gone by, not just the first screenful.
        await wait_for(pilot, lambda: view.terminal.lines_scrolled_off > 5000, what="a sustained flood")
        # A key posted now is handled promptly, and the backlog stays bounded.
        handled = asyncio.Event()
        real_write = view.transport.write

        def spy(data: bytes) -> None:
            handled.set()
            real_write(data)

        view.transport.write = spy
        app.post_message(events.Key("ctrl+c", "\x03"))
        # How promptly is a figure (bench/terminal_latency.py, "while the shell runs yes"), not a test.
        await asyncio.wait_for(handled.wait(), 5)
        assert view.stream.pending_bytes < 1024 * 1024
        await wait_for(pilot, lambda: view.screen_text().rstrip().endswith("$"), timeout=20, what="prompt after flood")


async def test_wheel_scrolls_back_and_typing_snaps_to_bottom():
    app = TerminalApp(local_sh())
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(TerminalView)
        await wait_text(pilot, "$")
        await run_line(pilot, "i=0; while [ $i -lt 60 ]; do echo line$i; i=$((i+1)); done")
        await wait_text(pilot, "line59")
        await wait_for(pilot, lambda: view.screen_text().rstrip().endswith("$"), what="prompt")
        await pilot.press("shift+pageup")
        assert view.scroll_back > 0
        await type_text(pilot, "x")
        assert view.scroll_back == 0
