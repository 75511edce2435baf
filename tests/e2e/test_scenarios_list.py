"""Scenarios on the container list of the demo engine, at 160×48 and 80×24.

Each scenario is one `bosun --demo` process taken through many steps (see
scenario.py for what fails a step). The demo's containers: the compose
projects `metrics` (grafana, prometheus) and `shop` (api, db, web, worker),
and builder (created), nightly-backup (exited), redis (running), scratchpad
(paused, a TTY).
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.scenario import SIZES, Bosun, covers

pytestmark = pytest.mark.e2e


def demo(bosun, size, *args: str) -> Bosun:
    """bosun --demo, waited for until its list and log pane are up (keys act from then on)."""
    app = bosun("--demo", *args, size=size)
    app.see("shop-web-1", timeout=20)
    app.see("stdout+stderr", timeout=20)  # the log pane is up (its header's first words)
    return app


@pytest.mark.parametrize("size", SIZES)
@covers("r", "p", "x", "s", "K", "D", "escape", "y", "tab", "enter", "space", "q")
def test_lifecycle_keys_and_remove_confirm(bosun, size):
    app = demo(bosun, size)

    app.goto("redis")
    assert "up 2d" in app.row("redis")
    app.press("r")  # restart: the uptime starts again
    app.see_row("redis", r"running\b.*\bup \d+s")  # (a restart leaves its exit code beside the state)
    app.press("p")
    app.see_row("redis", r"‖ paused")
    app.press("p")  # unpause
    app.see_row("redis", r"● running")
    app.press("x")
    app.see_row("redis", r"■ exited")
    app.press("s")
    app.see_row("redis", r"● running")
    app.press("K")
    app.see_row("redis", r"■ exited \(137\)")

    # A stopped container: remove asks, escape cancels, the Remove button removes.
    app.press("D")
    app.see("Remove container?")
    app.see("Also remove anonymous volumes")
    app.lacks("Force remove")
    app.press("escape")
    app.gone("Remove container?")
    app.see_row("redis", r"exited")
    app.press("D")
    app.see("Remove container?")
    app.press("y")
    app.gone("Remove container?")
    app.see(" / 9")  # the header's count
    app.no_row("redis")

    # A running (here paused) one: only the separate Force remove button removes it.
    app.goto("scratchpad")
    app.press("D")
    app.see("still running: removing needs force")
    app.see("Force remove")
    app.press("y")  # `y` alone never forces: it says so and leaves the dialog up
    app.see_toast("press the Force remove button")
    app.see("Remove container?")
    app.press("enter")  # the focus is on Force remove now
    app.gone("Remove container?")
    app.see(" / 8")
    app.no_row("scratchpad")

    # space selects: the action applies to every selected container.
    app.goto("shop-api-1")
    app.press("space")
    app.see_row("shop-api-1", r"✔")
    app.goto("shop-db-1")
    app.press("space")
    app.see_row("shop-db-1", r"✔")
    app.press("x")
    app.see_row("shop-api-1", r"■ exited")
    app.see_row("shop-db-1", r"■ exited")
    app.see_row("shop-web-1", r"♥ healthy")  # not selected, not touched
    app.press("D")
    app.see("Remove 2 containers?")
    app.press("tab")  # Cancel has the focus; the next button is Remove
    app.press("enter")
    app.see(" / 6")
    app.no_row("shop-api-1")
    app.no_row("shop-db-1")
    app.see_row("shop-web-1", r"healthy")
    app.quit()


@pytest.mark.parametrize("size", SIZES)
@covers("/", "escape", "enter")
def test_filter_by_name_image_state_label(bosun, size):
    app = demo(bosun, size)
    for query, shown, hidden in [
        ("redis", ["redis"], ["shop-web-1", "nightly-backup"]),
        ("nginx", ["shop-web-1"], ["shop-db-1", "redis"]),  # image
        ("exited", ["shop-worker-1", "nightly-backup"], ["redis", "shop-web-1"]),  # state
        ("com.docker.compose.service=db", ["shop-db-1"], ["shop-web-1", "redis"]),  # label
    ]:
        app.press("/")
        app.in_empty_field("filter: name, image")  # the box has the focus: now type
        app.type(query)
        for name in hidden:
            app.no_row(name)
        for name in shown:  # and the list is still on screen around the box
            app.see_row(name, r"\w")
        app.press("escape")  # clears the filter
        app.see_row("metrics-prometheus-1", r"running")
        app.see_row("shop-web-1", r"healthy")
    # enter keeps the filter and gives the keys back to the list.
    app.press("/")
    app.in_empty_field("filter: name, image")
    app.type("shop-w")
    app.no_row("redis")
    app.press("enter")
    app.see_row("shop-worker-1", r"exited")
    app.see_row("shop-web-1", r"healthy")
    app.no_row("redis")
    app.press("escape")
    app.see_row("metrics-prometheus-1", r"running")
    app.quit()


@pytest.mark.parametrize("size", SIZES)
@covers("o", "O", "a", "enter", "?", "escape")
def test_sort_fold_hide_stopped_help(bosun, size):
    app = demo(bosun, size)
    # The keys a user must always find sit at the footer's right edge, at 80 columns too.
    app.until(lambda s: "? Help" in s.display[-1] and "q Quit" in s.display[-1], "? Help and q Quit in the footer")
    before = app.list_rows()
    app.press("o")
    app.see_toast("Sorted by image")
    app.press("o")
    app.see_toast("Sorted by state")
    # By state: the running ones before the stopped ones, in each group.
    app.until(lambda s: (rows := [r for r in app.list_rows(s) if "redis" in r or "nightly-backup" in r])
              and "redis" in rows[0], "redis above nightly-backup")
    by_state = app.list_rows()
    app.press("O")
    app.until(lambda s: app.list_rows(s) != by_state, "the order to reverse")
    app.until(lambda s: (rows := [r for r in app.list_rows(s) if "redis" in r or "nightly-backup" in r])
              and "nightly-backup" in rows[0], "nightly-backup above redis")
    for _ in range(6):  # back round to name order
        app.press("o")
    app.see_toast("Sorted by name")
    app.press("O")
    app.until(lambda s: app.list_rows(s) == before, "the name order back")

    # a hides the stopped containers (and the header says so), a again shows them.
    app.press("a")
    app.see("stopped hidden")
    app.no_row("nightly-backup")
    app.no_row("shop-worker-1")
    app.no_row("builder")
    app.see_row("redis", r"running")
    app.press("a")
    app.see_row("nightly-backup", r"exited")
    app.gone("stopped hidden")

    # enter on a compose project's header folds it, and unfolds it.
    app.goto("shop")
    app.press("enter")
    app.see_row("shop", r"▸ shop")
    app.no_row("shop-web-1")
    app.see_row("redis", r"running")
    app.press("enter")
    app.see_row("shop", r"▾ shop")
    app.see_row("shop-web-1", r"healthy")

    app.press("?")
    app.see("bosun keys")
    app.see(re.compile(r"s\s+Start"))
    app.press("escape")
    app.gone("bosun keys")
    app.quit()


def search_closed(app) -> None:
    """The search bar is closed: the footer's escape says Close, not Close search. (The bar's
    placeholder is no proof: the query hides it.)"""
    app.until(lambda screen: "esc Close" in screen.display[-1] and "Close search" not in screen.display[-1],
              "the footer's escape to say Close (the search closed)")


@pytest.mark.parametrize("size", SIZES)
@covers("i", "/", "n", "N", "v", "j", "enter", "escape")
def test_inspect_tree_search_json_secrets(bosun, size):
    app = demo(bosun, size)
    app.goto("shop-web-1")
    app.press("i")
    app.see("shop-web-1 — inspect")
    app.see("Name")
    app.see('"/shop-web-1"')
    # Search: the tree opens the way to the match; enter gives the keys back to the tree.
    app.press("/")
    app.in_empty_field("Search keys and values")
    app.type("DEMO_PASSWORD")
    app.see("DEMO_PASSWORD=••••••")  # found, and masked
    app.lacks("hunter2")
    app.press("enter")
    app.left_field("DEMO_PASSWORD")  # the tree has the keys again (keys typed sooner land in the box)
    app.press("n")
    app.press("N")
    app.see("DEMO_PASSWORD=••••••")
    app.press("v")
    app.see("secrets shown")
    app.see("DEMO_PASSWORD=hunter2")
    app.press("v")
    app.gone("secrets shown")
    app.gone("hunter2")
    app.see("DEMO_PASSWORD=••••••")
    app.press("escape")  # closes the search
    search_closed(app)
    # The raw JSON, masked too.
    app.press("j")
    app.see('"Id": "')
    app.press("/")
    app.type("DEMO_PASSWORD")
    app.see('"DEMO_PASSWORD=••••••"')
    app.press("enter")
    app.left_field("DEMO_PASSWORD")
    app.lacks("hunter2")
    app.press("v")
    app.see('"DEMO_PASSWORD=hunter2"')
    # Each key waits for the last one's effect: escape and j in one read are alt+j to a terminal.
    app.press("escape")  # closes the search
    search_closed(app)
    app.press("j")
    app.see("▼ State")  # the tree again
    app.press("escape")
    app.gone("shop-web-1 — inspect")
    app.see_row("shop-web-1", r"healthy")
    app.quit()


@pytest.mark.parametrize("size", SIZES)
@covers("?", "escape", "x", "s", "D", "e")
def test_read_only_changes_nothing(bosun, size):
    app = demo(bosun, size, "--read-only")
    app.see("READ-ONLY")
    app.lacks(re.compile(r"\bs Start\b|\bx Stop\b|\be Shell\b"))  # not offered in the footer
    app.press("?")
    app.see("bosun keys")
    app.see("read-only: off")
    app.press("escape")
    app.gone("bosun keys")
    app.goto("nightly-backup")
    app.press("s")
    app.goto("redis")
    app.press("x", "D", "e")
    # Whatever those keys did, it shows by the time the help (pressed after them) is drawn.
    app.press("?")
    app.see("bosun keys")
    app.press("escape")
    app.gone("bosun keys")
    app.see_row("redis", r"● running\s+up 2d")
    app.see_row("nightly-backup", r"■ exited \(0\)")
    app.lacks("Remove container?")
    app.lacks("sh: redis")
    app.quit()


@pytest.mark.parametrize("size", SIZES)
@covers("x", "s", "D", "e")
def test_read_only_keys_say_why(bosun, size):
    """KEYS.md: a key that cannot act now says why (a short toast)."""
    app = demo(bosun, size, "--read-only")
    app.goto("redis")
    for key in ("x", "D", "e"):
        app.press(key)
        app.see_toast("read-only")
        app.gone(re.compile(r"read-only mode|[Rr]ead-only:"), timeout=15)  # the toast goes away
    app.goto("nightly-backup")
    app.press("s")
    app.see_toast("read-only")
    app.see_row("nightly-backup", r"■ exited \(0\)")
    app.quit()


@pytest.mark.parametrize("size", SIZES)
@covers("r", "q")
def test_no_engine_screen_lists_tries_retry_quit(bosun, size):
    app = bosun("--host", "unix:///nonexistent.sock", size=size)
    app.see("No engine reachable", timeout=20)
    app.see("unix:///nonexistent.sock")
    app.see("press r to retry")
    app.press("r")
    app.see_toast("Still no engine")
    app.see("No engine reachable")
    app.quit(code=1)  # no engine: a failure, as README says


@pytest.mark.parametrize("size", SIZES)
@covers("q")
def test_a_bad_engine_address_in_the_environment_is_blamed_on_its_variable(bosun, size):
    # Issue 11, item 4: BOSUN_HOST=garbage was blamed on "--host".
    app = bosun(size=size, env={"BOSUN_HOST": "garbage"})
    app.see("No engine reachable", timeout=20)
    app.see("BOSUN_HOST: cannot use endpoint 'garbage'")
    app.lacks("--host: cannot use")
    app.quit(code=1)


@pytest.mark.parametrize("size", SIZES)
@covers("ctrl+p", "enter", "escape")
def test_palette_theme_switch_is_saved(bosun, size):
    app = demo(bosun, size)
    background = app.app._screen.buffer[1][1].bg
    app.press("ctrl+p")
    app.see("🔎")
    app.type("theme")
    app.see("Change the current theme")
    app.press("enter")
    app.see("Search for themes")  # the theme list is open (a user sees it before typing)
    app.type("bosun-light")
    app.until(lambda s: sum("bosun-light" in app._line(s, y) for y in range(s.lines)) >= 2,
              "bosun-light offered")
    app.press("enter")
    app.until(lambda s: s.buffer[1][1].bg != background, "the colours to change")
    app.gone("🔎")
    config = app.app._config_home + "/bosun/config.toml"
    app.until(lambda _s: _read(config) and 'theme = "bosun-light"' in _read(config), "the choice saved")
    # Palette entries for the dashboard's actions are there too.
    app.press("ctrl+p")
    app.see("🔎")
    app.type("hide stopped")
    app.see(re.compile(r"[Hh]ide stopped"))
    app.press("escape")
    app.gone("🔎")
    app.quit()


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as file:
            return file.read()
    except OSError:
        return ""
