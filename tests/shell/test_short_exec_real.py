"""A short command run with `E` (an exec that is over almost at once) on real Docker and Podman.

`cat /etc/hostname` ends before the pane's resize reaches the engine: the
engine refuses the resize ("cannot resize a stopped container", "no such
exec"). That refusal used to fail the whole exec, so the output was never read
and the pane said "exited with code unknown". Run many times: it is a race.
"""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from tests.waits import wait_until
from tui.shell.exec_transport import exec_connector
from tui.widgets.terminal_view import TerminalView

pytestmark = pytest.mark.engine

RUNS = 20


class Views(App):
    CSS = "TerminalView { height: 12; }"

    def compose(self) -> ComposeResult:
        return []


@pytest.fixture
async def container(real):
    return real.engine, real.kind, await real.idle("short-exec")


async def test_a_short_exec_shows_its_output_and_exit_code_every_time(container):
    engine, kind, cid = container
    hostname = (await engine.inspect(cid))["Config"]["Hostname"]
    app = Views()
    async with app.run_test(size=(100, 30)) as pilot:
        for run in range(RUNS):
            command = ["sh", "-c", f"cat /etc/hostname; echo; echo run-{run}-done; exit 5"]
            view = TerminalView(exec_connector(engine, cid, command), title=f"run {run}")
            await app.mount(view)
            await wait_until(lambda: view.exited, f"run {run} to end", pilot=pilot, timeout=15,
                             detail=view.screen_text)
            await wait_until(lambda: "[exited" in view.screen_text(), f"run {run}: the end marker", pilot=pilot,
                             detail=view.screen_text)
            text = view.screen_text()
            assert "could not start" not in text, f"run {run}:\n{text}"
            assert hostname in text and f"run-{run}-done" in text, f"run {run} lost its output:\n{text}"
            assert "unknown" not in text, f"run {run}:\n{text}"
            if kind == "podman" and view.exit_code is None:
                # Podman may forget a finished exec at once: "exited", no invented code.
                assert "[exited]" in text, f"run {run}:\n{text}"
            else:
                assert view.exit_code == 5, f"run {run}: exit code {view.exit_code}\n{text}"
                assert "[exited with code 5]" in text, f"run {run}:\n{text}"
            await view.remove()
