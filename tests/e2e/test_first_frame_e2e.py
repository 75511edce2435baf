"""The first screen before Textual loads, on real Docker and Podman, in a real pseudo-terminal.

The installed `bosun` lists the containers over the engine's socket and draws
them before it imports Textual (tui/first_frame.py). What must hold for a user:
the names are on screen before Textual writes a byte; the handover to Textual
never blanks them; a key typed at once is not lost; and after quitting, the
terminal is back in the mode it was (echo and line editing on).
"""

from __future__ import annotations

import re
import shlex

import pyte
import pytest

from tests.e2e.scenario import Bosun, _Recording, bosun_command, child_env, covers
from tests.e2e.test_dashboard_e2e import IDLE
from tests.e2e import test_scenarios_engines

engine = test_scenarios_engines.engine  # the fixture: labelled containers on a real engine, removed after

pytestmark = [pytest.mark.e2e, pytest.mark.engine]
TEXTUAL_STARTS = b"\x1b[?1000h"  # the first thing Textual's driver writes: mouse tracking on


def replay_keeps(transcript: bytes, name: str, size: tuple[int, int]) -> tuple[int, int]:
    """Feed the recording to a fresh screen in small pieces: (pieces in which `name` was gone after it
    first showed, pieces in all)."""
    screen = pyte.Screen(*size)
    stream = pyte.ByteStream(screen)
    seen, gone, pieces = False, 0, 0
    for start in range(0, len(transcript), 64):
        stream.feed(transcript[start:start + 64])
        pieces += 1
        shown = any(name in line for line in screen.display)
        seen = seen or shown
        gone += seen and not shown
    return gone, pieces


@pytest.mark.parametrize("engine", ["docker", "podman", "podman-cli"], indirect=True)
@covers("a")
def test_the_list_comes_before_textual_and_stays_through_the_handover(bosun, engine):
    kind, url, cli, session, make = engine
    running = make("ff-up", "sh", "-c", IDLE)
    stopped = make("ff-down", "true")
    cli("wait", stopped)
    where = ("--engine", url.removeprefix("cli:")) if url.startswith("cli:") else ("--host", url)
    app: Bosun = bosun(*where, "--label", f"bosun.test={session}", size=(160, 48))
    app.see(running)
    app.press("a")  # at once: typed while Textual may still be loading, it must not be lost
    app.see("stopped hidden")
    app.no_row(stopped)
    transcript = bytes(app.app.transcript)
    first_name = transcript.find(running.encode())
    textual = transcript.find(TEXTUAL_STARTS)
    assert 0 <= first_name < textual, (
        f"the name should be written before Textual starts (name at byte {first_name}, Textual at {textual})")
    gone, pieces = replay_keeps(transcript, running, (160, 48))
    assert gone == 0, f"the list vanished in {gone} of {pieces} pieces of the output after it first showed"
    app.check("the first frame")


@pytest.mark.parametrize("engine", ["docker"], indirect=True)
def test_the_terminal_is_back_in_its_mode_after_quitting(engine, tmp_path):
    kind, url, cli, session, make = engine
    name = make("ff-mode", "sh", "-c", IDLE)
    argv, _ = bosun_command()
    line = shlex.join([*argv, "--host", url, "--label", f"bosun.test={session}"])
    app = _Recording([], cols=120, rows=30, env=child_env(), cwd=tmp_path,
                     command=["sh", "-c", f"{line}; echo BOSUN-EXITED $?; stty -a; exec sleep 60"])
    try:
        app.wait_for(name, timeout=30)
        app.press("q")
        app.wait_for("BOSUN-EXITED 0", timeout=30)
        app.wait_for("icanon", timeout=10)
        text = app.text()
        flags = set(re.findall(r"(?<![\w-])-?(?:echo|icanon|isig)\b", text))
        assert {"echo", "icanon", "isig"} <= flags and not {"-echo", "-icanon", "-isig"} & flags, text
    finally:
        app.close()
