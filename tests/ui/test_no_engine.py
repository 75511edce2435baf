"""The no-engine screen: the real cause of each failure, and a failing exit status."""

from __future__ import annotations

import socket

import pytest

from tests.ui.conftest import screen_text
from tests.waits import wait_until
from tests.settings_shorthand import flat_settings
from tui.app import BosunApp, RunOptions


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def no_engine_text(pilot) -> str:
    await wait_until(lambda: type(pilot.app.screen).__name__ == "NoEngineScreen", "the no-engine screen",
                     pilot=pilot, detail=lambda: pilot.app.screen)
    await pilot.pause()
    return screen_text(pilot.app)


async def test_a_refused_tcp_port_says_refused_and_gives_no_tls_hint():
    port = free_port()
    app = BosunApp(flat_settings(host=f"tcp://127.0.0.1:{port}"), RunOptions(persist_theme=False))
    async with app.run_test(size=(160, 40)) as pilot:
        text = await no_engine_text(pilot)
        assert f"connection refused: nothing listens at tcp://127.0.0.1:{port}" in text, text
        assert "DOCKER_TLS_VERIFY" not in text and "ssl:default" not in text, text


@pytest.mark.parametrize("which", ["dns", "unroutable"])
async def test_a_host_that_cannot_be_reached_says_why(which, request):
    host = "tcp://no-such-host.invalid:2375" if which == "dns" else request.getfixturevalue("unroutable_host")
    app = BosunApp(flat_settings(host=host), RunOptions(persist_theme=False))
    async with app.run_test(size=(160, 40)) as pilot:
        text = await no_engine_text(pilot)
        said = "cannot resolve the host name (" if which == "dns" else f"{host}: no route to host"
        assert said in text, text


@pytest.mark.parametrize("kind", ["file", "folder"])
async def test_a_path_that_is_not_a_socket_says_what_it_is(tmp_path, kind):
    target = tmp_path / "engine"
    target.mkdir() if kind == "folder" else target.write_text("")
    app = BosunApp(flat_settings(host=f"unix://{target}"), RunOptions(persist_theme=False))
    async with app.run_test(size=(160, 40)) as pilot:
        text = await no_engine_text(pilot)
        expected = "a folder" if kind == "folder" else "a regular file"
        assert f"not a socket: {target} is {expected}" in text, text
        assert "stale socket" not in text


async def test_quitting_without_an_engine_is_a_failure(tmp_path):
    app = BosunApp(flat_settings(host=f"unix://{tmp_path / 'gone.sock'}"), RunOptions(persist_theme=False))
    async with app.run_test(size=(120, 30)) as pilot:
        await no_engine_text(pilot)
        await pilot.press("q")
        await wait_until(lambda: not app.is_running, "the app to exit on q", pilot=pilot)
    assert app.return_code == 1
