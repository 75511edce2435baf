"""`bosun serve` in a real headless Chromium: what a person with a browser gets."""

from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.keys import Keys

from tui.testing.browser import ROOT
from tests.waits import wait_until_sync

pytestmark = pytest.mark.timeout(180)


def actions(served) -> list[dict]:
    return [r for r in served.audit() if r["event"] == "action"]


def focus_redis(browser) -> None:
    """Filter the list to redis and give the keys back to the list, seeing each step land."""
    browser.wait_for("shop-api-1", "the container list drawn in the browser")
    browser.keys("/")
    browser.wait_for("filter: name", "the filter box open")
    browser.keys("redis")
    wait_until_sync(lambda: "redis:7-alpine" in (s := browser.screen()) and "shop-api-1" not in s,
                    "the list filtered to redis", detail=browser.screen)
    row = browser.color_at("redis  redis:7")  # the cursor row, drawn as in an unfocused table
    browser.keys(Keys.ENTER)
    wait_until_sync(lambda: browser.color_at("redis  redis:7") != row, "the list focused again",
                    detail=browser.screen)


def redis_row(browser) -> str:
    return next((line for line in browser.screen().splitlines() if "redis:7-alpine" in line), "")


def test_read_only_by_default_list_keys_inspect_logs(serve, browser):
    served = serve("--demo")
    browser.open(served.url)
    screen = browser.wait_for("shop-api-1", "a container's name on the page")
    assert "READ-ONLY" in screen
    assert "token=" not in browser.driver.current_url  # traded for a cookie at once, out of the address bar
    focus_redis(browser)
    browser.keys("x")  # stop: an action key
    browser.wait_for("Read-only: stop is turned off", "the read-only refusal on the page")
    browser.keys("e")  # a shell
    browser.wait_for("Read-only: shell is turned off", "shells refused in read-only mode")
    browser.keys("i")
    browser.wait_for("redis — inspect", "the inspect view")
    browser.keys(Keys.ESCAPE)
    browser.wait_for("i Inspect  l Logs", "back on the list (its footer)")
    browser.keys("l")
    browser.wait_for("ready to accept connections", "the log pane with redis's lines")
    assert "running" in browser.screen()  # nothing was stopped
    assert actions(served) == []
    start = next(r for r in served.audit() if r["event"] == "session-start")
    assert start["address"] == "127.0.0.1" and start["mode"] == "read-only" and "Chrome" in start["agent"]


def test_actions_allowed_run_and_are_logged_shells_still_off(serve, browser):
    served = serve("--demo", "--allow-actions")
    browser.open(served.url)
    focus_redis(browser)
    browser.keys("x")
    wait_until_sync(lambda: "exited" in redis_row(browser), "redis's row to say exited", detail=browser.screen)
    wait_until_sync(lambda: any(a["action"] == "stop" and a["result"] == "ok" for a in actions(served)),
                    "the stop in the audit log", detail=served.audit)
    browser.keys("s")
    # Its own row: "running" elsewhere on the page (the title's count) would let `e` meet a stopped redis.
    wait_until_sync(lambda: "● running" in redis_row(browser), "redis's row to say running again",
                    detail=browser.screen)
    browser.keys("e")
    browser.wait_for("Shells are off", "the shell refused without --allow-shells", timeout=20)
    refused = [a for a in actions(served) if a["action"] == "exec"]
    assert refused and refused[0]["result"].startswith("refused")
    session = {r["session"] for r in served.audit() if r["event"] == "session-start"}
    assert {a["session"] for a in actions(served)} == session


def test_shell_in_the_browser_runs_echo(serve, browser):
    served = serve("--demo", "--allow-actions", "--allow-shells")
    browser.open(served.url)
    focus_redis(browser)
    browser.keys("e")
    browser.wait_for("/ #", "the shell's prompt in the browser")
    browser.keys("echo served-by-bosun", Keys.ENTER)
    # The command line holds "# echo served-by-bosun"; the output line starts at the pane's edge.
    browser.wait_for("│served-by-bosun ", "echo's output read back from the page")
    assert any(a["action"] == "exec" and a["result"] == "ok" for a in actions(served))


def test_the_page_follows_the_window_size(serve, browser):
    served = serve("--demo")
    browser.open(served.url)
    browser.wait_for("shop-api-1")
    wide = browser.cols
    browser.driver.set_window_size(700, 600)
    wait_until_sync(lambda: browser.screen() and browser.cols < wide, "a resize sent for the smaller window",
                    detail=lambda: (wide, browser.cols))
    # The app redraws at the new width: its footer's right end (the palette key) is within it.
    wait_until_sync(lambda: any(line.rstrip().endswith("^p palette") for line in browser.screen().splitlines()),
                    "the footer redrawn at the new width", detail=browser.screen)


def test_copy_reaches_the_browser_clipboard(serve, browser):
    served = serve("--demo")
    browser.driver.execute_cdp_cmd("Browser.grantPermissions", {
        "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"], "origin": served.base})
    browser.open(served.url)
    focus_redis(browser)
    browser.keys("y")  # copy the container's id
    browser.wait_for("Copied", "the copy toast")
    text = wait_until_sync(lambda: browser.driver.execute_async_script(
        "const done = arguments[0]; navigator.clipboard.readText().then(done, () => done(''));"),
        "the id in the browser's clipboard")
    assert re.fullmatch(r"[0-9a-f]{12,64}", text), text


def test_a_saved_log_downloads_through_the_browser(serve, browser, tmp_path):
    served = serve("--demo")
    browser.open(served.url)
    focus_redis(browser)
    browser.keys("l")
    browser.wait_for("ready to accept connections", "redis's log pane")
    browser.ctrl("s")
    browser.wait_for("Save the log", "the save dialog")
    assert "/" not in next(l for l in browser.screen().splitlines() if "redis-" in l).split("redis-")[0].strip(" ▊▎│")
    browser.keys(Keys.ENTER)
    browser.wait_for("sent to your browser", "the download toast")
    downloads = tmp_path / "downloads"
    saved = wait_until_sync(lambda: [p for p in downloads.glob("redis-*.log")], "the log in the browser's downloads",
                            detail=lambda: list(downloads.iterdir()) if downloads.exists() else "no folder")
    text = saved[0].read_text()
    assert "ready to accept connections" in text and "redis" in text.splitlines()[0]
    assert not list(ROOT.glob("redis-*.log")), "nothing written beside the server"
