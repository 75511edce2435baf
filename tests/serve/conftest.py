from __future__ import annotations

import pytest

import os

from tui.testing.browser import Browser, Served, missing_browser


def browser_available() -> None:
    message = missing_browser()
    if message:
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def serve(tmp_path):
    """Start `bosun serve` with the given options; every server started is stopped after the test."""
    started: list[Served] = []

    def start(*args: str, env: dict[str, str] | None = None, bind: str = "127.0.0.1:0", wait: bool = True):
        served = Served(tmp_path, *args, env=env, bind=bind)
        started.append(served)
        return served.started() if wait else served

    yield start
    for served in started:
        served.stop()


@pytest.fixture
def browser(tmp_path):
    browser_available()
    b = Browser(downloads=tmp_path / "downloads")
    yield b
    b.close()
