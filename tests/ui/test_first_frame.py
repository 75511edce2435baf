"""The frame the CLI draws before Textual loads (tui/first_frame.py).

It must show what Textual's first frame shows, cell for cell in the list, or
the handover would make the list jump; it must never pass a container's
control characters to the terminal; and it must leave the terminal as it was.
"""

from __future__ import annotations

import os
import pty
import termios
from datetime import datetime, timezone

import pyte
import pytest

from tests.ui.conftest import make_app, screen_text
from tests.waits import wait_until
from tui.engine import ContainerSummary, FakeEngine, Health, State
from tui.first_frame import FirstFrame, compose_frame, theme_colours
from tui.dashboard.screen import DashboardScreen
from tui.settings import Settings

NOW = datetime.now(timezone.utc)


def summaries() -> list[ContainerSummary]:
    def one(name, state=State.RUNNING, project=None, **kw):
        labels = {"com.docker.compose.project": project, "com.docker.compose.service": name.split("-")[1]} \
            if project else {}
        return ContainerSummary(id=name * 3, name=name, image="registry.local/app:1.2", state=state,
                                engine="docker", status_text="Up 2 hours", labels=labels, **kw)

    return [
        one("shop-api-1", project="shop", health=Health.HEALTHY),
        one("shop-db-1", project="shop"),
        one("shop-worker-1", State.EXITED, project="shop", exit_code=1),
        one("builder", State.CREATED),
        one("evil\x1b[2J\x07-name", State.EXITED, exit_code=0),
    ]


def shown(frame: str, size: tuple[int, int]) -> list[str]:
    screen = pyte.Screen(*size)
    pyte.ByteStream(screen).feed(frame.encode("utf-8"))
    return screen.display


@pytest.mark.parametrize("size", [(160, 48), (80, 24)])
def test_frame_shows_title_list_and_footer(size):
    lines = shown(compose_frame(summaries(), ("docker", "unix:///var/run/docker.sock"), size), size)
    assert lines[0].startswith(" bosun  docker  unix:///var/run/docker.sock   2 running / 5"), lines[0]
    # At 80 columns the figures' room, kept from the first frame, leaves none for IMAGE (it would go when they came).
    assert lines[1].split()[:2] == (["NAME", "IMAGE"] if size[0] >= 120 else ["NAME", "STATE"]), lines[1]
    body = "\n".join(lines[2:-1])
    for text in ("▾ shop", "shop-api-1", "♥ healthy", "■ exited (1)", "builder", "○ created"):
        assert text in body, f"{text!r} not in\n{body}"
    assert "? Help" in lines[-1] and "q Quit" in lines[-1] and "s Start" in lines[-1], lines[-1]
    assert all(len(line) == size[0] for line in lines)


def test_a_containers_control_characters_never_reach_the_terminal():
    frame = compose_frame(summaries(), ("docker", "unix:///x"), (160, 48))
    assert "\x07" not in frame and "\x1b[2J" not in frame
    assert "evil␛[2J␇-name" in "\n".join(shown(frame, (160, 48)))


def test_read_only_footer_drops_the_mutating_keys():
    lines = shown(compose_frame(summaries(), ("docker", "unix:///x"), (160, 48), read_only=True), (160, 48))
    assert "s Start" not in lines[-1] and "i Inspect" in lines[-1], lines[-1]


def test_bundled_theme_colours_and_textual_builtins():
    assert theme_colours("bosun-dark").background == "#0F1720"
    assert theme_colours("nord").background is None  # a Textual theme: the terminal's colours for one frame


@pytest.mark.parametrize("size", [(160, 48), (80, 24)])
async def test_list_cells_are_the_ones_textual_draws(size):
    """The handover does not move the list: Textual's list (panes hidden, the same width as in its
    first frame) holds exactly the frame's rows."""
    listed = summaries()
    frame = shown(compose_frame(listed, ("docker", "unix:///x"), size), size)
    app = make_app(FakeEngine(), log_pane=False)
    app.connect_engine = lambda: None  # the test shows its own dashboard, as the quick path does
    async with app.run_test(size=size) as pilot:
        screen = DashboardScreen(None, Settings().replace(panes={"visible": False}), initial=listed,
                                 engine_label=("docker", "unix:///x"))
        await app.push_screen(screen)
        await wait_until(lambda: "builder" in screen_text(app) and screen.query("LogPane"),
                         "the list drawn and the (hidden) log pane mounted", pilot=pilot)
        drawn = screen_text(app).splitlines()
    rows = len(listed) + 2  # the header, a project's row and its containers
    want = [line.rstrip() for line in frame[1:1 + rows]]
    got = [line.rstrip() for line in drawn[1:1 + rows]]
    assert got == want, "\n".join(["frame:", *want, "textual:", *got])


def test_echo_is_off_while_shown_and_the_users_mode_comes_back():
    parent, child = pty.openpty()
    try:
        before = termios.tcgetattr(child)
        assert before[3] & termios.ECHO
        frame = FirstFrame.show(child, "\x1b[?1049hhello")
        assert frame is not None
        during = termios.tcgetattr(child)
        assert not during[3] & (termios.ECHO | termios.ICANON)
        assert os.read(parent, 100).endswith(b"hello")
        frame.abandon()
        assert termios.tcgetattr(child) == before
        assert os.read(parent, 100).endswith(b"\x1b[?1049l")  # back out of the alternate screen
    finally:
        os.close(parent)
        os.close(child)


def test_not_a_terminal_draws_nothing(tmp_path):
    with open(tmp_path / "out", "wb") as out:
        assert FirstFrame.show(out.fileno(), "frame") is None
    assert (tmp_path / "out").read_bytes() == b""



def test_the_first_frame_needs_neither_textual_nor_rich_nor_asyncio_nor_ssl():
    """What the CLI imports before drawing the first frame stays light (each of these costs
    tens of milliseconds, and the first screen is measured against lazydocker's)."""
    import subprocess
    import sys

    probe = ("import sys, tui.cli, tui.run, tui.settings, tui.engine.endpoints, tui.engine.quick, tui.first_frame\n"
             "print(sorted(m for m in ('asyncio', 'rich', 'ssl', 'textual', 'aiohttp') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]", f"loaded before the first frame: {loaded}"


@pytest.mark.parametrize("size", [(160, 48), (80, 24), (40, 10)])
def test_the_waiting_frame_names_the_engine_and_fits(size):
    from tui.first_frame import compose_waiting_frame

    screen = pyte.Screen(*size)
    pyte.ByteStream(screen).feed(compose_waiting_frame("unix:///run/x\x1b[2J.sock", size).encode())
    lines = screen.display
    assert len(lines) == size[1] and all(len(line) == size[0] for line in lines)
    text = "\n".join(lines)
    assert "Connecting…" in text and "unix:///run/x" in text, text
    assert lines[-1].startswith(" q Quit"), lines[-1]
    assert "\x1b" not in text
