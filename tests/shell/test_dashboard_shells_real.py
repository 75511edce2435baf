"""Shells through the dashboard against real Docker and Podman (busybox test image).

The whole path: `e` on the row, the shell picked by probing the container,
exec through the API (or `docker/podman exec -it` with --exec-via-cli), the
pane's terminal. Runs when BOSUN_TEST_DOCKER_HOST / BOSUN_TEST_PODMAN_HOST are
set (`bash tests/run` sets them); fails under CI if missing, skips otherwise.
"""

from __future__ import annotations

import pytest

from tests.engine.harness import TEST_LABEL, RealHarness
from tests.ui.conftest import dashboard, move_to
from tests.settings_shorthand import flat_settings
from tui.app import BosunApp, RunOptions
from tui.terminal.transport import LocalPtyTransport

from .dashboard_helpers import open_shell, tab_title, type_line, wait_line, wait_until

pytestmark = pytest.mark.engine



def app_for(harness: RealHarness, **options) -> BosunApp:
    settings = flat_settings(host=harness.engine.url, labels={TEST_LABEL: harness.session}, stop_grace=2,
                             stats=False, **options)
    return BosunApp(settings, RunOptions(persist_theme=False))


def prompt_shown(pane) -> bool:
    """busybox ash's prompt for root ("/ # ") is the last thing on the screen."""
    return pane.view.screen_text().rstrip().endswith("#")


async def test_shell_through_the_dashboard(real):
    cid = await real.idle("shell")
    async with app_for(real).run_test(size=(160, 40)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, cid)
        pane = await open_shell(pilot, screen)
        view = pane.view
        await wait_until(pilot, lambda: prompt_shown(pane), "the prompt", 20, pane)
        # busybox has no bash: the probe picks ash.
        assert pane.command.rsplit("/", 1)[-1] == "ash", pane.command
        assert tab_title(screen, pane) == f"sh: {real.name('shell')}"

        await type_line(pilot, "echo hello-$((6*7))")
        await wait_line(pilot, pane, "hello-42")

        await type_line(pilot, "stty size")
        await wait_line(pilot, pane, f"{view.size.height} {view.size.width}")
        before = view.size
        await pilot.resize_terminal(130, 34)
        await wait_until(pilot, lambda: view.size != before and view.terminal.columns == view.size.width
                         and view.terminal.lines == view.size.height, "the pane to resize")
        await wait_until(pilot, lambda: view._resize_timer is None, "the resize debounce to send the size")
        await type_line(pilot, "clear; stty size")
        await wait_line(pilot, pane, f"{view.size.height} {view.size.width}")

        # A full-screen program takes the alternate screen and gives the prompt back clean.
        await type_line(pilot, "clear; echo before-vi")
        await wait_line(pilot, pane, "before-vi")
        await type_line(pilot, "vi /tmp/notes")
        await wait_until(pilot, lambda: view.terminal.in_alt_screen and "~" in view.screen_text(), "vi", 10, pane)
        await pilot.press("i", *"typed-in-vi", "escape")
        await wait_until(pilot, lambda: "typed-in-vi" in view.screen_text(), "text in vi", 10, pane)
        # Kept: vi waits a moment after ESC for the rest of a key sequence (the terminal's ESC-delay
        # protocol; it shows nothing when the moment is over), so ":" must come later, as a person's would.
        await pilot.pause(0.5)
        await pilot.press(":", "q", "!", "enter")
        await wait_until(pilot, lambda: not view.terminal.in_alt_screen and prompt_shown(pane), "vi to end", 10, pane)
        text = view.screen_text()
        assert "before-vi" in text and "typed-in-vi" not in text and "~" not in text, text

        await type_line(pilot, "exit 3")
        await wait_until(pilot, lambda: view.exited, "the shell to end", 20, pane)
        assert view.exit_code == 3
        await wait_until(pilot, lambda: "[exited with code 3]" in view.screen_text(), "the code", 5, pane)
        # The tab is retitled when the dashboard handles the pane's Exited message, after the screen says so.
        await wait_until(pilot, lambda: "exited" in tab_title(screen, pane), "the tab to be retitled", 5, pane)
        assert tab_title(screen, pane).endswith("exited 3")


async def test_container_stopped_under_the_shell(real):
    cid = await real.idle("stopped")
    async with app_for(real).run_test(size=(160, 40)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, cid)
        pane = await open_shell(pilot, screen)
        await wait_until(pilot, lambda: prompt_shown(pane), "the prompt", 20, pane)
        await real.engine.stop(cid, grace=2)
        name = real.name("stopped")
        await wait_until(pilot, lambda: f"[container {name} stopped" in pane.view.screen_text(),
                         "the pane to say the container stopped", 15, pane)
        await wait_until(pilot, lambda: pane.view.exited, "the exec to end", 15, pane)
        await wait_until(pilot, lambda: "stopped" in tab_title(screen, pane), "the tab to be retitled", 5, pane)
        assert "stopped" in tab_title(screen, pane) and "stopped" in str(pane.view.border_title)


async def test_exec_via_cli(real):
    cid = await real.idle("cli")
    async with app_for(real, exec_via_cli=True).run_test(size=(160, 40)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, cid)
        pane = await open_shell(pilot, screen)
        assert isinstance(pane.view.transport, LocalPtyTransport)
        assert pane.view.transport.argv[1:3] == (["--url", real.engine.url] if real.kind == "podman"
                                                 else ["-H", real.engine.url])
        await wait_until(pilot, lambda: prompt_shown(pane), "the prompt", 20, pane)
        assert pane.command.rsplit("/", 1)[-1] == "ash", pane.command  # probed through the client too
        await type_line(pilot, "echo hello-$((6*7)); stty size")
        await wait_line(pilot, pane, "hello-42")
        await wait_line(pilot, pane, f"{pane.view.size.height} {pane.view.size.width}")
        await type_line(pilot, "exit 5")
        await wait_until(pilot, lambda: pane.view.exited, "the shell to end", 20, pane)
        assert pane.view.exit_code == 5


async def test_exec_via_cli_without_the_client_says_so(real, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    cid = await real.idle("nocli")
    async with app_for(real, exec_via_cli=True, shell="sh").run_test(size=(160, 40)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, cid)
        pane = await open_shell(pilot, screen)
        await wait_until(pilot, lambda: pane.view.exited, "the failure", 10, pane)
        client = "podman" if real.kind == "podman" else "docker"
        assert f"`{client}` is not installed" in pane.view.screen_text().replace("\n", "")
