"""Shell scenarios on the demo engine (its exec runs a tiny shell), at 160×48 and 80×24."""

from __future__ import annotations

import re

import pytest

from tests.e2e.scenario import SIZES, Bosun, covers
from tests.e2e.test_scenarios_list import demo

pytestmark = pytest.mark.e2e


def open_shell(app: Bosun, name: str, key: str = "e") -> None:
    app.goto(name)
    app.press(key)
    app.see(f"sh: {name}", timeout=15)


def line(text: str) -> re.Pattern[str]:
    """`text` alone on a line of the shell pane (inside its border)."""
    return re.compile(rf"│{re.escape(text)} *│")


def run(app: Bosun, command: str, shows: str | re.Pattern[str]) -> None:
    app.type(command)
    app.press("enter")
    app.see(shows)


@pytest.mark.parametrize("size", SIZES)
@covers("e", "ctrl+c", "ctrl+q", "ctrl+p", "tab", "ctrl+]", "r", "W")
def test_shell_keys_leave_reopen_close(bosun, size):
    app = demo(bosun, size)
    open_shell(app, "shop-web-1")
    app.see("/ # ")
    run(app, "echo hello-one", line("hello-one"))
    # Every key goes to the shell: ctrl+p opens no palette, ctrl+q does not quit, tab is typed.
    app.press("ctrl+p", "ctrl+q", "ctrl+c", "tab")
    run(app, "echo still-here", line("still-here"))
    app.lacks("🔎")
    # ctrl+] gives the keys back to the list; the shell keeps running in its tab.
    app.leave_shell()
    app.see("s Start")
    app.see("sh: shop-web-1")
    # A second shell, which ends: the pane and tab show the exit code, r reopens it.
    app.press("e")
    app.in_shell()
    app.gone("hello-one")  # a new terminal
    app.see("/ # ")
    run(app, "exit 3", "exited with code 3")
    app.see(re.compile(r"sh: shop-web-1( \(2\))? — exited 3"))  # its tab
    app.press("r")
    app.gone(re.compile(r"sh: shop-web-1( \(2\))? — exited 3"), timeout=15)
    app.in_shell()
    run(app, "echo reopened", line("reopened"))
    app.leave_shell()
    app.see("s Start")
    # W closes the shell tab shown, and its shell.
    app.press("W")
    app.gone("sh: shop-web-1 (2)")
    app.press("W")
    app.gone("sh: shop-web-1")
    app.quit()


@pytest.mark.parametrize("size", SIZES)
@covers("E", "tab", "enter", "ctrl+]")
def test_shell_with_options(bosun, size):
    app = demo(bosun, size)
    app.goto("shop-api-1")
    app.press("E")
    app.see("Shell in shop-api-1")
    app.in_empty_field("the image's user")
    app.type("nobody")
    app.press("tab")
    app.in_empty_field("the image's working directory")
    app.type("/srv")
    app.press("tab")
    app.press("tab")
    app.in_empty_field("the configured shell")
    app.press("enter")
    app.see("sh: shop-api-1", timeout=15)
    app.see("/srv # ")
    run(app, "id -un", line("nobody"))
    run(app, "pwd", line("/srv"))
    app.leave_shell()
    app.see("s Start")
    app.quit()


@pytest.mark.parametrize("size", SIZES)
@covers("e", "ctrl+]", "q", "escape", "y")
def test_quit_asks_while_shells_are_open(bosun, size):
    """KEYS.md: q asks first when shells are open (issue 10, item 15)."""
    app = demo(bosun, size)
    open_shell(app, "shop-web-1")
    app.see("/ # ")
    app.leave_shell()
    app.see("s Start")
    app.press("q")
    asks = re.compile(r"(?i)quit[^\n]*\?|shells? (?:is |are )?(?:still )?(?:open|running)")
    app.see(asks)  # a question, not the footer's "q Quit"
    app.check("q with a shell open")
    app.press("escape")
    app.see("sh: shop-web-1")
    app.press("q")
    app.see(asks)
    app.quit("y")  # confirmed: bosun ends, with code 0
