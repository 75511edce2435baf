"""The shell pane against real Docker and Podman (busybox image): type, read, resize.

Runs when BOSUN_TEST_DOCKER_HOST / BOSUN_TEST_PODMAN_HOST are set (``bash
tests/run`` sets them); fails under CI if they are missing, skips otherwise.
"""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import open_real_engine
from tests.engine.harness import IDLE, IMAGE, TEST_LABEL
from tests.shell.helpers import TerminalApp, run_line, wait_for, wait_text
from tui.shell.exec_transport import exec_connector
from tui.shell.shell_choice import pick_shell
from tui.widgets.terminal_view import TerminalView

pytestmark = pytest.mark.engine


@pytest.fixture(params=["docker", "podman"])
async def shell_container(request):
    engine = await open_real_engine(request.param)
    session = uuid.uuid4().hex[:10]
    body = {
        "Image": IMAGE,
        "Cmd": ["sh", "-c", IDLE],
        "Labels": {TEST_LABEL: f"shell-{session}"},
    }
    try:
        async with engine._request("containers/create", "POST", params={"name": f"bosun-test-shell-{session}"},
                                   body=body) as response:
            container_id = (await response.json(content_type=None))["Id"]
        try:
            await engine.start(container_id)
            yield engine, container_id
        finally:
            await engine.remove(container_id, force=True)
    finally:
        await engine.close()


async def test_shell_in_a_real_container(shell_container):
    engine, container_id = shell_container
    shell = await pick_shell(engine, container_id)
    # busybox has no bash; `command -v ash` answers with the applet name.
    assert len(shell) == 1 and shell[0].rsplit("/", 1)[-1] == "ash"
    app = TerminalApp(exec_connector(engine, container_id, shell, env={"PS1": "$ "}))
    async with app.run_test(size=(90, 26)) as pilot:
        view = app.query_one(TerminalView)
        await wait_text(pilot, "$", timeout=20)
        await run_line(pilot, "echo $((6*7))")
        await wait_for(pilot, lambda: any(line.rstrip() == "42" for line in view.screen_lines()), what="42")
        await run_line(pilot, "stty size")
        await wait_text(pilot, f"\n{view.size.height} {view.size.width}")
        await pilot.resize_terminal(110, 32)
        await wait_for(pilot, lambda: view.terminal.columns == view.size.width == 108, what="resized")
        await run_line(pilot, "stty size")
        await wait_text(pilot, f"\n{view.size.height} {view.size.width}")
        await run_line(pilot, "exit 4")
        await wait_for(pilot, lambda: view.exited, timeout=20, what="exit")
        assert view.exit_code == 4
