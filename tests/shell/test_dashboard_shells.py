"""Shells in the dashboard, on the fake engine: open, type, leave, list, options, start, exit, reopen."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette

from tests.ui.conftest import dashboard, make_app, move_to, settle
from tui.engine import FakeEngine, State
from tui.screens.shell_options import ShellOptionsScreen, StartForShellScreen
from tui.dashboard.container_table import ContainerTable

from .dashboard_helpers import open_shell, shells, tab_title, type_line, wait_line, wait_text, wait_until

SIZE = (160, 40)


@pytest.fixture(autouse=True)
def isolated_config(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def engine_with(*names: str, state: State = State.RUNNING) -> tuple[FakeEngine, dict[str, str], list]:
    """A fake engine whose exec calls are recorded with their arguments."""
    fake = FakeEngine()
    ids = {name: fake.add_container(name, "busybox") for name in names}
    execs: list[dict] = []
    real_exec = fake.exec

    async def exec(container_id, cmd, **kwargs):
        execs.append({"id": container_id, "cmd": list(cmd), **kwargs})
        return await real_exec(container_id, cmd, **kwargs)

    fake.exec = exec
    return fake, ids, execs


def interactive(execs: list[dict]) -> list[dict]:
    return [e for e in execs if e.get("tty")]


async def test_e_opens_a_shell_tab_beside_the_logs_and_typing_reaches_it():
    fake, ids, execs = engine_with("web")
    async with make_app(fake, stats=False).run_test(size=SIZE) as pilot:
        screen = await dashboard(pilot)
        pane = await open_shell(pilot, screen)
        assert screen.panes.active in screen.shell_tabs and "logs" in screen.panes.tab_ids()
        assert not screen.query_one("#body").has_class("panes-hidden")
        assert pilot.app.focused is pane.view
        assert tab_title(screen, pane) == "sh: web"
        await wait_text(pilot, pane, "/ #")
        await type_line(pilot, "echo hello-there")
        await wait_line(pilot, pane, "hello-there")
        await type_line(pilot, "stty size")
        await wait_line(pilot, pane, f"{pane.view.size.height} {pane.view.size.width}")
        (shell,) = interactive(execs)
        assert shell["id"] == ids["web"] and shell["cmd"] == ["/bin/sh"]  # the probe found nothing better
        assert shell["env"]["TERM"] == "xterm-256color"
        assert "/bin/sh" in str(pane.view.border_title) and "ctrl+] to leave" in str(pane.view.border_subtitle)


async def test_keys_the_app_would_take_reach_the_shell():
    fake, ids, _ = engine_with("web")
    async with make_app(fake, stats=False).run_test(size=SIZE) as pilot:
        screen = await dashboard(pilot)
        pane = await open_shell(pilot, screen)
        await wait_text(pilot, pane, "/ #")
        sent: list[bytes] = []
        real_write = pane.view.transport.write
        pane.view.transport.write = lambda data: (sent.append(data), real_write(data))
        await pilot.press("ctrl+c", "ctrl+q", "ctrl+p", "tab", "shift+tab", "q", "x", "e", "W")
        await pilot.pause()
        assert sent == [b"\x03", b"\x11", b"\x10", b"\t", b"\x1b[Z", b"q", b"x", b"e", b"W"]
        assert pilot.app.is_running and pilot.app.focused is pane.view
        assert not isinstance(pilot.app.screen, CommandPalette) and pilot.app.screen is screen
        assert (await fake.summary(ids["web"])).state is State.RUNNING  # `x` did not stop it
        assert len(screen.shell_tabs) == 1


async def test_leave_chord_gives_the_keys_back_and_two_shells_are_listed():
    fake, ids, execs = engine_with("db", "web")
    async with make_app(fake, stats=False).run_test(size=SIZE) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, ids["web"])
        first = await open_shell(pilot, screen)
        await wait_text(pilot, first, "/ #")
        await type_line(pilot, "cd /srv")
        await pilot.press("ctrl+]")
        await pilot.pause()
        assert isinstance(pilot.app.focused, ContainerTable)
        await move_to(pilot, screen, ids["db"])
        second = await open_shell(pilot, screen)
        await pilot.press("ctrl+]")
        await move_to(pilot, screen, ids["web"])
        third = await open_shell(pilot, screen)  # a second shell in the same container
        assert [tab_title(screen, p) for p in shells(screen)] == ["sh: web", "sh: db", "sh: web (2)"]
        assert len(interactive(execs)) == 3
        # The palette lists them, and its entry brings the first one back, alive, where it was.
        commands = list(screen.shells.commands())
        assert [title for title, _, _ in commands] == ["Shell: sh: web", "Shell: sh: db", "Shell: sh: web (2)"]
        system = [c.title for c in pilot.app.get_system_commands(screen)]
        assert "Shell: sh: db" in system and "List: Shell" in system  # was "Container: Shell"
        commands[0][2]()
        await pilot.pause()
        assert screen.panes.active == next(iter(screen.shell_tabs)) and pilot.app.focused is first.view
        await type_line(pilot, "pwd")
        await wait_line(pilot, first, "/srv")  # same process: it kept its directory
        assert not second.view.exited and not third.view.exited
        # W on the list closes the shell tab shown.
        await pilot.press("ctrl+]", "W")
        await settle(pilot, screen)
        assert [tab_title(screen, p) for p in shells(screen)] == ["sh: db", "sh: web (2)"]
        assert first.view.transport is None and not first.is_attached


async def test_shell_options_dialog_values_reach_exec():
    fake, ids, execs = engine_with("web")
    async with make_app(fake, stats=False).run_test(size=SIZE) as pilot:
        screen = await dashboard(pilot)
        await pilot.press("E")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, ShellOptionsScreen)
        await pilot.press(*"nobody", "tab", *"/srv", "tab", *'A=1', "space", *'B="two', "space", *'words"',
                          "tab", *"sh")
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.shell_tabs, "a shell tab")
        pane = shells(screen)[0]
        await wait_text(pilot, pane, "/srv #")
        (shell,) = interactive(execs)
        assert shell["cmd"] == ["sh"] and shell["user"] == "nobody" and shell["workdir"] == "/srv"
        assert shell["env"] == {"TERM": "xterm-256color", "A": "1", "B": "two words"}
        assert not [e for e in execs if not e.get("tty")]  # a command was given: no probe
        await type_line(pilot, "id -un")
        await wait_line(pilot, pane, "nobody")
        # The next dialog starts from these values; a malformed one says what is wrong and stays.
        await pilot.press("ctrl+]", "E")
        await pilot.pause()
        dialog = pilot.app.screen
        assert dialog.query_one("#user").value == "nobody"
        dialog.query_one("#env").value = "NOEQUALS"
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.screen is dialog and "KEY=VALUE" in str(dialog.query_one("#error").render())
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is screen and len(screen.shell_tabs) == 1


async def test_stopped_container_is_started_after_asking_then_the_shell_opens():
    fake, ids, execs = engine_with("web")
    await fake.stop(ids["web"])
    async with make_app(fake, stats=False).run_test(size=SIZE) as pilot:
        screen = await dashboard(pilot)
        assert screen.check_action("shell", ()) is True
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(pilot.app.screen, StartForShellScreen)
        await pilot.press("n")  # no: nothing happens
        await pilot.pause()
        assert ("start", ids["web"]) not in fake.calls and not screen.shell_tabs
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("y")
        await wait_until(pilot, lambda: screen.shell_tabs, "a shell tab")
        pane = shells(screen)[0]
        await wait_text(pilot, pane, "/ #")
        assert ("start", ids["web"]) in fake.calls
        assert (await fake.summary(ids["web"])).state is State.RUNNING


async def test_paused_container_is_unpaused_after_asking():
    fake, ids, _ = engine_with("web")
    await fake.pause(ids["web"])
    async with make_app(fake, stats=False).run_test(size=SIZE) as pilot:
        screen = await dashboard(pilot)
        await pilot.press("e")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, StartForShellScreen) and dialog.paused
        await pilot.press("y")
        await wait_until(pilot, lambda: screen.shell_tabs, "a shell tab")
        assert ("unpause", ids["web"]) in fake.calls


async def test_exit_shows_the_code_and_r_reopens_the_same_command():
    fake, ids, execs = engine_with("web")
    async with make_app(fake, stats=False).run_test(size=SIZE) as pilot:
        screen = await dashboard(pilot)
        pane = await open_shell(pilot, screen)
        await wait_text(pilot, pane, "/ #")
        await type_line(pilot, "exit 3")
        await wait_until(pilot, lambda: pane.view.exited, "exit", screen_of=pane)
        await wait_text(pilot, pane, "[exited with code 3]")
        assert pane.view.exit_code == 3
        # The tab is retitled when the dashboard handles the pane's Exited message.
        await wait_until(pilot, lambda: "exited" in tab_title(screen, pane), "the tab to be retitled")
        assert tab_title(screen, pane) == "sh: web — exited 3"
        assert "r to reopen" in str(pane.view.border_subtitle)
        probes = len(execs) - len(interactive(execs))
        await pilot.press("r")
        await wait_until(pilot, lambda: not pane.view.exited and pane.view.transport is not None, "reopen")
        await wait_text(pilot, pane, "/ #")
        assert "exited with code" not in pane.view.screen_text()  # a clean screen
        await wait_until(pilot, lambda: "exited" not in tab_title(screen, pane), "the tab to be retitled")
        assert tab_title(screen, pane) == "sh: web"
        assert [e["cmd"] for e in interactive(execs)] == [["/bin/sh"], ["/bin/sh"]]
        assert len(execs) - len(interactive(execs)) == probes  # the shell was not probed again
        assert pilot.app.focused is pane.view


async def test_container_stopping_or_removed_under_the_shell_is_said():
    fake, ids, _ = engine_with("db", "web")
    async with make_app(fake, stats=False).run_test(size=SIZE) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, ids["web"])
        web = await open_shell(pilot, screen)
        await pilot.press("ctrl+]")
        await move_to(pilot, screen, ids["db"])
        db = await open_shell(pilot, screen)
        await wait_text(pilot, db, "/ #")
        fake.exit(ids["web"], 137)
        await wait_text(pilot, web, "[container web stopped (exit code 137)]")
        assert "container web stopped" in tab_title(screen, web) and "stopped" in str(web.view.border_title)
        assert "stopped" not in tab_title(screen, db)
        await fake.remove(ids["db"], force=True)
        await wait_text(pilot, db, "[container db removed]")
        assert "removed" in tab_title(screen, db)
        # The engine's event stream dropping shows in every shell's titles.
        screen.shells.engine_status(False, "socket closed")
        assert "engine connection lost (socket closed)" in tab_title(screen, web)
        screen.shells.engine_status(True, "")
        assert "engine connection lost" not in tab_title(screen, web)


async def test_engine_event_stream_drop_reaches_the_shells():
    fake, ids, _ = engine_with("web")
    async with make_app(fake, stats=False).run_test(size=SIZE) as pilot:
        screen = await dashboard(pilot)
        pane = await open_shell(pilot, screen)
        await wait_text(pilot, pane, "/ #")
        seen: list[str] = []
        original = pane.set_status
        pane.set_status = lambda status, **kw: (seen.append(status), original(status, **kw))
        fake.drop_events("engine restarted")
        await wait_until(pilot, lambda: "" in seen, "the status to come and go")
        assert any(s.startswith("engine connection lost") for s in seen)
        assert tab_title(screen, pane) == "sh: web"


async def test_read_only_hides_shells():
    fake, ids, execs = engine_with("web")
    async with make_app(fake, stats=False, read_only=True).run_test(size=SIZE) as pilot:
        screen = await dashboard(pilot)
        assert screen.check_action("shell", ()) is False and screen.check_action("shell_options", ()) is False
        await pilot.press("e", "E")
        await settle(pilot, screen)
        assert not screen.shell_tabs and not execs and pilot.app.screen is screen
        titles = [c.title for c in pilot.app.get_system_commands(screen)]
        assert not [t for t in titles if "Shell" in t]



async def test_reopen_after_the_container_stopped_offers_a_start_first():
    fake, ids, execs = engine_with("web")
    async with make_app(fake, stats=False).run_test(size=SIZE) as pilot:
        screen = await dashboard(pilot)
        pane = await open_shell(pilot, screen)
        await wait_text(pilot, pane, "/ #")
        await type_line(pilot, "exit 0")
        await wait_until(pilot, lambda: pane.view.exited, "exit", screen_of=pane)
        await fake.stop(ids["web"])
        await wait_text(pilot, pane, "[container web stopped (exit code 143)]")
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(pilot.app.screen, StartForShellScreen)
        await pilot.press("y")
        await wait_until(pilot, lambda: not pane.view.exited and pane.view.transport is not None, "reopen")
        await wait_text(pilot, pane, "/ #")
        assert ("start", ids["web"]) in fake.calls and len(screen.shell_tabs) == 1
        assert tab_title(screen, pane) == "sh: web" and pilot.app.focused is pane.view


async def test_clicking_a_shell_tab_gives_it_the_keys():
    fake, ids, _ = engine_with("web")
    async with make_app(fake, stats=False).run_test(size=SIZE) as pilot:
        screen = await dashboard(pilot)
        pane = await open_shell(pilot, screen)
        await pilot.press("ctrl+]")
        screen.panes.active = "logs"
        await pilot.pause()
        assert isinstance(pilot.app.focused, ContainerTable)
        tab_id = next(iter(screen.shell_tabs))
        await pilot.click(f"#--content-tab-{tab_id}")
        await pilot.pause()
        assert screen.panes.active == tab_id and pilot.app.focused is pane.view
