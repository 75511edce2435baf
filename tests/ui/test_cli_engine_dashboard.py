"""The dashboard on the CLI backend: keys act through the client, and a failure shows the client's words."""

from __future__ import annotations

import re
import shutil
import stat

import pytest

from tests.engine.cli_harness import CliHarness, open_cli_engine
from tests.engine.harness import TEST_LABEL
from tests.waits import wait_until
from tui.app import BosunApp, RunOptions
from tui.engine import State
from tui.settings import Settings

from .conftest import cell_text, dashboard, move_to, row_keys, screen_text

pytestmark = [pytest.mark.engine, pytest.mark.skipif(shutil.which("podman") is None, reason="needs podman")]


@pytest.fixture
async def podman_cli():
    harness = CliHarness(await open_cli_engine("podman-cli"), "podman-cli")
    try:
        yield harness
    finally:
        await harness.cleanup()
        await harness.engine.close()


def _app(harness, cli: str = "") -> BosunApp:
    settings = Settings().replace(engine={"kind": "podman-cli", "cli": cli, "stop_grace": 2},
                                  list={"labels": {TEST_LABEL: harness.session}})
    return BosunApp(settings, RunOptions(persist_theme=False))


async def _row_says(pilot, screen, cid, text):
    await wait_until(lambda: cid in row_keys(screen) and text in cell_text(screen, cid, "state"),
                     f"the row to say {text!r}", pilot=pilot, timeout=20,
                     detail=lambda: cell_text(screen, cid, "state") if cid in row_keys(screen) else row_keys(screen))


async def test_keys_act_through_the_client(podman_cli):
    h = podman_cli
    cid = await h.idle("ui")
    async with _app(h).run_test(size=(160, 30)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, cid)
        await pilot.press("x")
        await _row_says(pilot, screen, cid, "exited")
        assert (await h.engine.summary(cid)).state is State.EXITED
        await pilot.press("s")
        await _row_says(pilot, screen, cid, "running")
        await pilot.press("p")
        await _row_says(pilot, screen, cid, "paused")
        assert (await h.engine.summary(cid)).state is State.PAUSED


async def test_a_failing_client_command_shows_its_words_and_exit_status(podman_cli, tmp_path):
    """`[engine] cli` names a wrapper; its refusal reaches the user as it said it."""
    h = podman_cli
    cid = await h.idle("refused")
    wrapper = tmp_path / "podman-wrapper"
    wrapper.write_text('#!/bin/sh\nif [ "$1" = kill ]; then echo "Error: the wrapper refuses to kill" >&2; exit 42; fi\n'
                       'exec podman "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    async with _app(h, cli=str(wrapper)).run_test(size=(160, 30)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, cid)
        await pilot.press("K")
        await wait_until(lambda: "the wrapper refuses to kill" in screen_text(pilot.app), "the client's words",
                         pilot=pilot, timeout=20, detail=lambda: screen_text(pilot.app))
        # The toast may wrap its last words onto the next line, behind its border.
        assert re.search(r"\(exit status\s+(▌\s*)?42\)", screen_text(pilot.app)), screen_text(pilot.app)
        assert (await h.engine.summary(cid)).state is State.RUNNING
