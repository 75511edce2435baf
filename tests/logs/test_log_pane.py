"""Pilot tests: log panes in the dashboard, on the fake engine."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tests.logs.pane_helpers import settle_logs, wait_header, wait_lines
from tests.ui.conftest import dashboard, make_app, move_to, settle
from tests.waits import wait_until
from tui.engine import FakeEngine, LogStream, State
from tui.widgets.log.pane import LogPane, PaneHeader
from tui.widgets.log.view import LogView

T0 = datetime(2026, 11, 23, 12, 0, 0, tzinfo=timezone.utc)


def engine() -> tuple[FakeEngine, dict[str, str]]:
    fake = FakeEngine()
    ids = {
        "web": fake.add_container("web", "nginx", labels={"com.docker.compose.project": "shop"}),
        "db": fake.add_container("db", "postgres", labels={"com.docker.compose.project": "shop"}),
        "tty": fake.add_container("tty", "debian", tty=True),
    }
    for i in range(5):
        fake.emit_log(ids["web"], f"web out {i}\n", at=T0 + timedelta(seconds=2 * i))
        fake.emit_log(ids["db"], f"db out {i}\n", at=T0 + timedelta(seconds=2 * i + 1))
    fake.emit_log(ids["web"], "web err\n", LogStream.STDERR, at=T0 + timedelta(seconds=20))
    fake.emit_log(ids["tty"], "tty line\n", at=T0)
    return fake, ids


def header(pane: LogPane) -> str:
    return pane.query_one(PaneHeader)._text.plain


def texts(pane: LogPane) -> list[str]:
    return [line.plain for line in pane.view.buffer.iter_visible()]


async def open_on(pilot, name_id: str):
    screen = await dashboard(pilot)
    await move_to(pilot, screen, name_id)
    pane = await settle_logs(pilot)  # waits out the cursor's debounce, then for the history
    assert pane is not None
    return screen, pane


async def test_pane_follows_the_cursor_and_l_focuses_it():
    fake, ids = engine()
    async with make_app(fake).run_test(size=(160, 40)) as pilot:
        screen, pane = await open_on(pilot, ids["web"])
        assert texts(pane) == [f"web out {i}" for i in range(5)] + ["web err"]
        assert "web" in header(pane) and "following" in header(pane)
        await move_to(pilot, screen, ids["db"])
        await settle_logs(pilot)
        assert texts(pane)[0] == "db out 0"
        await pilot.press("l")
        assert isinstance(pilot.app.focused, LogView)
        await pilot.press("escape")
        assert not isinstance(pilot.app.focused, LogView)


async def test_pin_keeps_the_container_while_the_cursor_moves():
    fake, ids = engine()
    async with make_app(fake).run_test(size=(160, 40)) as pilot:
        screen, pane = await open_on(pilot, ids["web"])
        await pilot.press("l", "P", "escape")
        assert "pinned" in header(pane)
        await move_to(pilot, screen, ids["db"])
        # The cursor's debounce ran out: the pinned pane was asked to follow db and did not.
        await wait_until(lambda: screen.logs.cursor_timer is None, "the log pane's follow-the-cursor timer",
                         pilot=pilot)
        assert pane.targets[0].id == ids["web"]


async def test_stream_key_shows_one_stream_and_tty_says_one_stream():
    fake, ids = engine()
    async with make_app(fake).run_test(size=(160, 40)) as pilot:
        screen, pane = await open_on(pilot, ids["web"])
        await pilot.press("l", "S")
        assert texts(pane) == [f"web out {i}" for i in range(5)]
        assert "stdout only" in header(pane)
        await pilot.press("S")
        assert texts(pane) == ["web err"]
        await pilot.press("S")
        assert len(texts(pane)) == 6
        await pilot.press("escape")
        await move_to(pilot, screen, ids["tty"])
        await settle_logs(pilot)
        assert "TTY: one stream" in header(pane)


async def test_paused_view_counts_new_lines_and_f_follows_again():
    fake, ids = engine()
    for i in range(200):
        fake.emit_log(ids["web"], f"more {i}\n")
    async with make_app(fake).run_test(size=(160, 40)) as pilot:
        screen, pane = await open_on(pilot, ids["web"], )
        await pilot.press("l", "home")
        await pilot.pause()
        assert not pane.view.following
        fake.emit_log(ids["web"], "a\nb\nc\n")
        await wait_lines(pilot, pane, lambda shown: shown[-3:] == ["a", "b", "c"], "the three new lines")
        await wait_header(pilot, pane, "paused, 3 new lines")
        assert "paused, 3 new lines" in header(pane)
        await pilot.press("f")
        await pilot.pause()
        assert pane.view.following and "following" in header(pane)


async def test_search_and_filter():
    fake, ids = engine()
    async with make_app(fake).run_test(size=(160, 40)) as pilot:
        screen, pane = await open_on(pilot, ids["web"])
        await pilot.press("l", "ctrl+f", *"out [34]".replace(" ", ""), "enter")
        await pilot.pause()
        assert pane.view.match_count == 0  # plain text: the brackets are literal
        await pilot.press("ctrl+f", "ctrl+a", "ctrl+k", *"/out [34]/", "enter")
        await pilot.pause()
        assert pane.view.match_count == 2 and "search 1/2" in header(pane)
        await pilot.press("n")
        assert "search 2/2" in header(pane)
        await pilot.press("escape")  # clears the search
        await pilot.press("backslash", *"!out", "enter")
        await pilot.pause()
        assert texts(pane) == ["web err"] and "hiding 'out'" in header(pane)
        await pilot.press("backslash", "ctrl+a", "ctrl+k", *"OUT", "enter")  # smart case: capitals match exactly
        await pilot.pause()
        assert texts(pane) == []


async def test_timestamps_and_tail_presets():
    fake, ids = engine()
    for i in range(1500):
        fake.emit_log(ids["db"], f"line {i}\n")
    async with make_app(fake).run_test(size=(160, 40)) as pilot:
        screen, pane = await open_on(pilot, ids["db"])
        assert pane.view.line_count == 1000 and "last 1 000 lines" in header(pane)
        await pilot.press("l", "T")
        await settle_logs(pilot, pane, lines=1500)
        assert pane.view.line_count == 1505 and "last 10 000 lines" in header(pane)
        await pilot.press("t")
        assert pane.view.show_timestamps


async def test_merged_view_orders_by_time_and_names_containers():
    fake, ids = engine()
    async with make_app(fake).run_test(size=(160, 40)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, "group:shop")
        await pilot.press("m")
        await wait_until(lambda: screen.query("#log-second"), "the merged pane (#log-second)", pilot=pilot)
        second = screen.query_one("#log-second", LogPane)
        await settle_logs(pilot, second, lines=11)
        lines = list(second.view.buffer)
        assert [line.plain for line in lines[:4]] == ["db out 0", "web out 0", "db out 1", "web out 1"] or \
            [line.plain for line in lines[:4]] == ["web out 0", "db out 0", "web out 1", "db out 1"]
        assert [line.timestamp for line in lines] == sorted(line.timestamp for line in lines)
        assert {line.container for line in lines} == {"web", "db"}
        assert "merged: 2 containers" in header(second)
        fake.emit_log(ids["db"], "live db\n")
        await wait_lines(pilot, second, lambda shown: "live db" in shown, "the live line in the merged pane")
        assert second.view.buffer.lines[-1].plain == "live db"


async def test_restart_is_marked_and_nothing_is_lost_or_repeated():
    fake, ids = engine()
    async with make_app(fake).run_test(size=(160, 40)) as pilot:
        screen, pane = await open_on(pilot, ids["web"])
        await fake.restart(ids["web"])
        await wait_lines(pilot, pane, lambda shown: any("restarted at" in line for line in shown),
                         "the restart marker")
        fake.emit_log(ids["web"], "after restart\n")
        await wait_lines(pilot, pane, lambda shown: "after restart" in shown, "the line written after the restart")
        plain = texts(pane)
        assert any("restarted at" in line for line in plain)
        assert plain[-1] == "after restart"
        assert plain.count("web out 0") == 1


async def test_stop_and_remove_are_said_and_lines_kept():
    fake, ids = engine()
    async with make_app(fake).run_test(size=(160, 40)) as pilot:
        screen, pane = await open_on(pilot, ids["web"])
        await pilot.press("l", "P", "escape")  # pinned, so the pane stays on it when the row goes
        await fake.stop(ids["web"])
        await settle(pilot, screen)
        await wait_lines(pilot, pane, lambda shown: any("container exited" in line for line in shown),
                         "the pane to say the container exited")
        assert any("container exited with code 143" in line for line in texts(pane))
        assert "stopped" in header(pane)
        await fake.remove(ids["web"])
        await settle(pilot, screen)
        await wait_lines(pilot, pane, lambda shown: any("container removed" in line for line in shown),
                         "the pane to say the container was removed")
        assert "removed" in header(pane)
        assert "web out 0" in texts(pane) and any("container removed" in t for t in texts(pane))


async def test_bounded_by_log_lines():
    fake, ids = engine()
    async with make_app(fake, log_lines=100, log_tail=None).run_test(size=(160, 40)) as pilot:
        screen, pane = await open_on(pilot, ids["db"])
        fake.emit_log(ids["db"], "".join(f"x{i}\n" for i in range(5000)))
        await wait_lines(pilot, pane, lambda shown: "x4999" in shown, "the last of the 5000 lines")
        assert pane.view.line_count == 100 and texts(pane)[-1] == "x4999"


async def test_save_writes_a_header_and_the_lines(tmp_path):
    fake, ids = engine()
    async with make_app(fake).run_test(size=(160, 40)) as pilot:
        screen, pane = await open_on(pilot, ids["web"])
        await pilot.press("l", "ctrl+s")
        # The pane asks (`LogPane.SaveRequested`) and the screen opens the dialog: a few messages later.
        await wait_until(lambda: pilot.app.screen.query("#path"), "the save dialog", pilot=pilot)
        from textual.widgets import Input

        box = pilot.app.screen.query_one("#path", Input)
        target = tmp_path / "web.log"
        box.value = str(target)
        await pilot.press("enter")
        await wait_until(lambda: target.exists() and target.read_text().count("\n") >= 10,
                         f"{target} written with the header and the lines", pilot=pilot)
        text = target.read_text()
        assert text.startswith("# bosun log of web (")
        assert "# range: 2026-11-23T12:00:00.000000Z .. 2026-11-23T12:00:20.000000Z" in text
        assert "2026-11-23T12:00:20.000000Z stderr web err" in text
        # Refuses to overwrite.
        await pilot.press("ctrl+s")
        await wait_until(lambda: pilot.app.screen.query("#path"), "the save dialog", pilot=pilot)
        pilot.app.screen.query_one("#path", Input).value = str(target)
        await pilot.press("enter")
        await wait_until(lambda: any(n.title == "Cannot save" for n in pilot.app._notifications),
                         "the 'Cannot save' toast (the file exists)", pilot=pilot,
                         detail=lambda: [(n.title, n.message) for n in pilot.app._notifications])
        assert target.read_text() == text


async def test_second_pane_and_close():
    fake, ids = engine()
    async with make_app(fake).run_test(size=(160, 40)) as pilot:
        screen, pane = await open_on(pilot, ids["web"])
        await move_to(pilot, screen, ids["db"])
        await pilot.press("L")
        await wait_until(lambda: screen.query("#log-second"), "the second pane (#log-second)", pilot=pilot)
        panes = screen.logs.panes()
        assert len(panes) == 2 and panes[1].pinned and panes[1].targets[0].id == ids["db"]
        await pilot.press("escape", "W")
        await pilot.pause()
        assert len(screen.logs.panes()) == 1


async def test_stopped_container_shows_history_then_follows_on_start():
    fake, ids = engine()
    old = fake.add_container("old", "alpine", state=State.EXITED, exit_code=2)
    fake.emit_log(old, "last words\n")
    async with make_app(fake).run_test(size=(160, 40)) as pilot:
        screen, pane = await open_on(pilot, old)
        assert texts(pane)[0] == "last words" and "container exited with code 2" in texts(pane)[1]
        await fake.start(old)
        await settle(pilot, screen)
        fake.emit_log(old, "alive again\n")
        await wait_lines(pilot, pane, lambda shown: "alive again" in shown, "the line written after the start")
        assert texts(pane)[-1] == "alive again"
