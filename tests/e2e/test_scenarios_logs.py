"""Scenarios of the log panes on the demo engine, at 160×48 and 80×24: every pane key.

The demo's shop-web-1 has stdout lines (`GET /healthz 200 2ms`) and stderr ones
(`warning: slow request (912 ms)`); redis has the same history; the `metrics`
project's header shows its two containers merged.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.scenario import SIZES, Bosun, covers
from tests.e2e.test_scenarios_list import demo

pytestmark = pytest.mark.e2e

STAMP = re.compile(r"\d\d:\d\d:\d\d")


def pane_on(app: Bosun, name: str) -> None:
    """Cursor on `name`, its log in the pane, and the pane given the keys with `l`."""
    app.goto(name)
    app.see(f" {name} · ")
    app.see("GET /healthz 200 2ms")
    app.press("l")
    app.see("Back to list")  # the footer shows the pane's keys


@pytest.mark.parametrize("size", SIZES)
@covers("l", "S", "t", "w", "f", "end", "T", "M", "\\", "I", "ctrl+s", "enter", "escape")
def test_log_pane_keys_streams_time_wrap_follow_history_filter_save(bosun, size, tmp_path):
    app = demo(bosun, size)
    pane_on(app, "shop-web-1")

    # Scrolling up stops the tail; f and end follow again.
    app.see("GET /api/items/121 200 66ms")  # the history is in, the view at its end
    app.press("home")  # the oldest line: the pane stops following
    app.see("paused")
    app.press("f")
    app.see("following")
    app.press("pageup")
    app.see("paused")
    app.press("end")
    app.see("following")

    # S: both streams, stdout only, stderr only.
    app.see("warning: slow request (912 ms)")
    app.press("S")
    app.see("stdout only")
    app.gone("warning: slow request")
    app.see("GET /healthz 200 2ms")
    app.press("S")
    app.see("stderr only")
    app.gone("GET /healthz")
    app.see("warning: slow request (912 ms)")
    app.press("S")
    app.see("stdout+stderr")
    app.see("GET /healthz 200 2ms")

    # t: the engine's timestamps.
    app.lacks(STAMP)
    app.press("t")
    app.see(STAMP)
    app.press("t")
    app.gone(STAMP)

    # w wraps long lines (the real-engine scenarios check a line longer than the pane).
    app.press("w")
    app.see("GET /healthz 200 2ms")
    app.press("w")
    app.see("GET /healthz 200 2ms")

    # T: tail presets; M: since presets.
    app.press("T")
    app.see_toast("Loading the last 10 000 lines")
    app.see("last 10 000 lines")
    app.press("M")
    app.see_toast("Loading lines since 1 m ago")
    app.see("since 1 m")
    app.see("GET /")  # the demo writes a line a second or so: the last minute has some

    # \ filters: text keeps matching lines, !text hides them; a bad regex says so.
    app.press("\\")
    app.in_empty_field("filter: text")
    app.type("slow")
    app.press("enter")
    app.see("only 'slow'")
    app.gone("GET /")
    app.press("\\")
    app.in_field("slow")  # the box opens with the last filter, selected: typing replaces it
    app.type("!slow")
    app.press("enter")
    app.see("hiding 'slow'")
    app.gone("warning: slow")
    app.press("I")
    app.see_toast("Case-sensitive search and filter")
    app.press("I")
    app.see_toast("ignore case")

    # ctrl+s saves what the pane holds: the file is written and a toast says where.
    app.press("ctrl+s")
    app.see("Save the log")
    app.see("shop-web-1-")  # the proposed file name
    app.press("enter")
    app.see_toast("lines saved to")
    app.gone("Save the log")
    saved = list(tmp_path.glob("shop-web-1-*.log"))
    assert len(saved) == 1, f"{sorted(p.name for p in tmp_path.iterdir())}\n{app.dump()}"
    text = saved[0].read_text(encoding="utf-8")
    assert "shop-web-1" in text.splitlines()[0] + text.splitlines()[1], text[:500]

    # A bad regular expression says so (issue 10, item 3: it crashed).
    app.press("\\")
    app.in_field("!slow")
    app.type("/[unclosed/")
    app.press("enter")
    app.see_toast("Bad regular expression")
    app.press("escape")
    app.check("a bad regular expression")


SEARCH_AT = re.compile(r"search (\d+)/(\d+)")


@pytest.mark.parametrize("size", SIZES)
@covers("l", "ctrl+f", "n", "N", "enter", "P", "escape")
def test_log_search_and_pin(bosun, size):
    """KEYS.md: ctrl+f searches in the pane (was /), P pins it (was p)."""
    app = demo(bosun, size)
    pane_on(app, "shop-web-1")
    app.press("ctrl+f")
    app.in_empty_field("search: text")
    app.type("GET /")  # the demo's history has several: n has somewhere to go
    app.press("enter")
    # The search lands on the first match in view, which need not be the first of all.
    landed = app.until(lambda screen: SEARCH_AT.search("\n".join(screen.display)), "search k/N in the header")
    at, total = int(landed.group(1)), int(landed.group(2))
    assert total >= 2, f"the demo's history should have several 'GET /' lines\n{app.dump()}"
    app.press("n")
    app.see(re.compile(rf"search {at % total + 1}/\d+"))  # new lines may add matches, never move these
    app.press("N")
    app.see(re.compile(rf"search {at}/\d+"))
    # No match: a toast says so, and bosun lives on (issue 10, item 2).
    app.press("ctrl+f")
    app.in_field("GET /")  # selected, as a field's text is on focus: typing replaces it
    app.type("zzzz")
    app.press("enter")
    app.see_toast("No line matches")

    app.press("P")
    app.see("shop-web-1 [pinned]")
    app.press("escape")  # the first escape ends the search (README: escape steps back one thing at a time)
    app.gone("search 0/0")
    app.press("escape")  # the second gives the keys back to the list
    app.see("s Start")
    app.goto("redis")  # the pinned pane stays on its container
    app.see("shop-web-1 [pinned]")
    app.lacks(" redis · ")
    app.press("l")
    app.press("P")  # unpinned: it follows the cursor again
    app.see(" redis · ")
    app.press("escape")
    app.see("s Start")  # back on the list before q: escape and q in one read would be alt+q
    app.quit()


@pytest.mark.parametrize("size", SIZES)
@covers("L", "m", "space", "W", "z", "escape")
def test_second_pane_merged_view_close_zoom(bosun, size):
    app = demo(bosun, size)
    # m: the selected containers merged, each line carrying its container's name.
    app.goto("nightly-backup")
    app.press("space")
    app.goto("redis")
    app.press("space")
    app.press("m")
    app.see("merged: 2 containers")
    app.see(re.compile(r"redis\s+GET /"))
    app.see(re.compile(r"(nightly-backup|redis)\s+(GET /|starting up)"))
    app.press("W")
    app.gone("merged: 2 containers")

    # L: a second pane, pinned to the container under the cursor; W closes it.
    app.see(" redis · ")
    app.press("L")
    app.see("redis [pinned]")
    app.press("W")
    app.gone("redis [pinned]")
    app.see(" redis · ")
    app.press("escape")
    # The list has the keys (its footer): z typed at once after escape would read as alt+z.
    app.until(lambda screen: "Back to list" not in screen.display[-1], "the footer to show the list's keys")

    # z: list and pane / pane only / list only.
    app.press("z")
    app.gone("NAME")
    app.see("stdout+stderr")
    app.press("z")
    app.see("NAME")
    app.gone("stdout+stderr")
    app.press("z")
    app.see("NAME")
    app.see("stdout+stderr")
    app.quit()


@pytest.mark.parametrize("size", SIZES)
@covers("b")
def test_layout_key_moves_panes(bosun, size):
    """KEYS.md: b puts the panes beside / below the list (was v)."""
    app = demo(bosun, size)

    def beside(screen) -> bool:
        return any("▏" in line and "NAME" in line for line in app.text().splitlines())
    was_beside = beside(None)
    assert was_beside == app.wide, app.dump()  # auto: beside on 160 columns and more
    app.press("b")
    app.until(lambda s: beside(s) != was_beside, "the panes to move")
    app.see("stdout+stderr")
    app.press("b")
    app.until(lambda s: beside(s) == was_beside, "the panes to move back")
    app.quit()


@pytest.mark.parametrize("size", SIZES)
@covers("y", "l", "i", "escape")
def test_copy_keys(bosun, size):
    """KEYS.md: y copies the container id in the list, a line in the pane, the value under the cursor
    in inspect (OSC 52 to the terminal)."""
    app = demo(bosun, size)
    app.goto("redis")
    start = len(app.app.transcript)
    app.press("y")
    app.until(lambda s: b"\x1b]52;" in app.app.transcript[start:], "a clipboard write (OSC 52)")
    app.see_toast("Copied")
    app.press("l")
    app.see("Back to list")
    app.see("ready to accept connections")  # a line to copy: `y` in an empty pane has nothing to say
    start = len(app.app.transcript)
    app.press("y")
    app.until(lambda s: b"\x1b]52;" in app.app.transcript[start:], "a clipboard write (OSC 52)")
    app.press("escape")
    app.see("s Start")
    app.press("i")
    app.see('"/redis"')
    start = len(app.app.transcript)
    app.press("y")
    app.until(lambda s: b"\x1b]52;" in app.app.transcript[start:], "a clipboard write (OSC 52)")
    app.press("escape")
    app.gone('"/redis"')
    app.quit()
