"""Pilot tests: the dashboard's keys and behaviour on the fake engine."""

from __future__ import annotations

from tests.waits import wait_until
from tui.engine import EngineError, FakeEngine, Health, State
from tui.screens.confirm import ConfirmRemoveScreen
from tui.screens.help import HelpScreen

from .conftest import cell_text, dashboard, make_app, move_to, row_keys, settle


def three() -> tuple[FakeEngine, dict[str, str]]:
    fake = FakeEngine()
    ids = {
        "web": fake.add_container("web", "nginx", labels={"com.docker.compose.project": "shop",
                                                         "com.docker.compose.service": "web", "tier": "front"}),
        "db": fake.add_container("db", "postgres", labels={"com.docker.compose.project": "shop",
                                                          "com.docker.compose.service": "db"}),
        "cache": fake.add_container("cache", "redis"),
        "old": fake.add_container("old", "alpine", state=State.EXITED, exit_code=2),
    }
    return fake, ids


async def test_lists_containers_grouped_by_compose_project():
    fake, ids = three()
    async with make_app(fake).run_test(size=(140, 30)) as pilot:
        screen = await dashboard(pilot)
        assert row_keys(screen) == ["group:shop", ids["db"], ids["web"], ids["cache"], ids["old"]]
        assert "running" in cell_text(screen, ids["web"], "state")
        assert "exited (2)" in cell_text(screen, ids["old"], "state")
        assert "1/4" not in str(screen.query_one("#title").render())


async def test_stop_start_restart_pause_kill_keys_drive_the_engine():
    fake, ids = three()
    async with make_app(fake).run_test(size=(140, 30)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, ids["cache"])
        await pilot.press("x")
        await settle(pilot, screen)
        assert ("stop", ids["cache"]) in fake.calls
        assert (await fake.summary(ids["cache"])).state is State.EXITED
        assert "exited" in cell_text(screen, ids["cache"], "state")
        await pilot.press("s")
        await settle(pilot, screen)
        assert (await fake.summary(ids["cache"])).state is State.RUNNING
        await pilot.press("p")
        await settle(pilot, screen)
        assert "paused" in cell_text(screen, ids["cache"], "state")
        await pilot.press("p")
        await settle(pilot, screen)
        assert (await fake.summary(ids["cache"])).state is State.RUNNING
        await pilot.press("r")
        await settle(pilot, screen)
        assert ("restart", ids["cache"]) in fake.calls
        await pilot.press("K")
        await settle(pilot, screen)
        assert (await fake.summary(ids["cache"])).exit_code == 137


async def test_keys_that_do_not_apply_are_disabled():
    fake, ids = three()
    async with make_app(fake).run_test(size=(140, 30)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, ids["cache"])
        assert screen.check_action("start", ()) is None  # running: start makes no sense
        await pilot.press("s")
        await settle(pilot, screen)
        assert ("start", ids["cache"]) not in fake.calls
        await move_to(pilot, screen, ids["old"])
        assert screen.check_action("stop", ()) is None and screen.check_action("start", ()) is True


async def test_remove_asks_first_and_can_be_cancelled():
    fake, ids = three()
    async with make_app(fake).run_test(size=(140, 30)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, ids["old"])
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmRemoveScreen)
        await pilot.press("escape")
        await settle(pilot, screen)
        assert ids["old"] in fake.container_ids()
        await pilot.press("D")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot, screen)
        assert ids["old"] not in fake.container_ids()
        assert ids["old"] not in row_keys(screen)


async def test_removing_a_running_container_needs_the_explicit_force_choice():
    fake, ids = three()
    async with make_app(fake).run_test(size=(140, 30)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, ids["cache"])
        await pilot.press("D")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmRemoveScreen) and dialog.running
        await pilot.press("y")  # y alone never forces
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmRemoveScreen)
        await pilot.press("v")  # also the volumes
        await pilot.click("#force")
        await settle(pilot, screen)
        assert ids["cache"] not in fake.container_ids()


async def test_multi_select_applies_the_action_to_every_selected_container():
    fake, ids = three()
    async with make_app(fake).run_test(size=(140, 30)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, ids["web"])
        await pilot.press("space")
        await move_to(pilot, screen, ids["cache"])
        await pilot.press("space")
        await settle(pilot, screen)
        assert "✔" in cell_text(screen, ids["web"], "mark")
        await pilot.press("x")
        await settle(pilot, screen)
        states = {k: (await fake.summary(ids[k])).state for k in ("web", "cache", "db")}
        assert states == {"web": State.EXITED, "cache": State.EXITED, "db": State.RUNNING}


async def test_read_only_disables_every_action_and_says_so():
    fake, ids = three()
    async with make_app(fake, read_only=True).run_test(size=(140, 30)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, ids["cache"])
        for key in ("x", "s", "r", "p", "K", "D"):
            await pilot.press(key)
        await settle(pilot, screen)
        assert [c for c in fake.calls if c[0] != "exec"] == []
        assert not isinstance(pilot.app.screen, ConfirmRemoveScreen)
        assert "READ-ONLY" in str(screen.query_one("#badges").render())
        assert all(screen.check_action(a, ()) is False for a in ("start", "stop", "remove", "kill"))


async def test_filter_by_name_state_and_label():
    fake, ids = three()
    async with make_app(fake).run_test(size=(140, 30)) as pilot:
        screen = await dashboard(pilot)
        await pilot.press("slash")
        await pilot.press(*"cache")
        await settle(pilot, screen)
        assert row_keys(screen) == [ids["cache"]]
        await pilot.press("escape")
        await settle(pilot, screen)
        assert len(row_keys(screen)) == 5
        await pilot.press("slash", *"tier=front", "enter")
        await settle(pilot, screen)
        assert row_keys(screen) == ["group:shop", ids["web"]]
        await pilot.press("escape", "slash", *"exited")
        await settle(pilot, screen)
        assert row_keys(screen) == [ids["old"]]


async def test_hide_stopped_toggle():
    fake, ids = three()
    async with make_app(fake).run_test(size=(140, 30)) as pilot:
        screen = await dashboard(pilot)
        assert ids["old"] in row_keys(screen)
        await pilot.press("a")
        await settle(pilot, screen)
        assert ids["old"] not in row_keys(screen)
        assert "stopped hidden" in str(screen.query_one("#badges").render())


async def test_sort_by_header_click_and_key():
    fake, ids = three()
    async with make_app(fake).run_test(size=(140, 30)) as pilot:
        screen = await dashboard(pilot)
        await pilot.click("ContainerTable", offset=(5, 0))  # the NAME header
        await settle(pilot, screen)
        assert screen.reverse is True  # NAME was already the sort: now descending
        assert row_keys(screen)[-2:] == [ids["old"], ids["cache"]]
        await pilot.press("o")  # next column: image
        await settle(pilot, screen)
        assert screen.sort.value == "image"


async def test_compose_group_folds_and_unfolds():
    fake, ids = three()
    async with make_app(fake).run_test(size=(140, 30)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, "group:shop")
        await pilot.press("enter")
        await settle(pilot, screen)
        assert row_keys(screen) == ["group:shop", ids["cache"], ids["old"]]
        await pilot.press("enter")  # enter unfolds (space on a header selects its containers)
        await settle(pilot, screen)
        assert ids["web"] in row_keys(screen)


async def test_cursor_stays_on_a_container_whose_row_moves():
    fake, ids = three()
    ids["zz"] = fake.add_container("zz", "busybox")
    async with make_app(fake).run_test(size=(140, 30)) as pilot:
        screen = await dashboard(pilot)
        screen.sort = screen.sort.__class__("state")
        screen.schedule_rows()
        await settle(pilot, screen)
        await move_to(pilot, screen, ids["cache"])
        await pilot.press("space")
        before = row_keys(screen).index(ids["cache"])
        fake.exit(ids["cache"], 9)  # changes under the cursor, from outside
        await wait_until(lambda: "exited (9)" in cell_text(screen, ids["cache"], "state"),
                         "the exit to reach the row", pilot=pilot)
        await settle(pilot, screen)
        assert "exited (9)" in cell_text(screen, ids["cache"], "state")
        assert row_keys(screen).index(ids["cache"]) != before
        table = screen.query_one("ContainerTable")
        assert table.cursor_key == ids["cache"] and ids["cache"] in screen.selected


async def test_events_from_outside_update_rows_and_health():
    fake, ids = three()
    async with make_app(fake).run_test(size=(140, 30)) as pilot:
        screen = await dashboard(pilot)
        await wait_until(lambda: fake._subscribers, "the dashboard's event subscription", pilot=pilot)
        new = fake.add_container("late", "busybox")
        fake.set_health(ids["db"], Health.UNHEALTHY, "pg_isready: no response")
        await wait_until(lambda: new in row_keys(screen) and "unhealthy" in cell_text(screen, ids["db"], "state"),
                         "the new row and the health change", pilot=pilot)
        await settle(pilot, screen)
        assert new in row_keys(screen)
        assert "unhealthy" in cell_text(screen, ids["db"], "state")
        await fake.remove(new, force=True)
        await wait_until(lambda: new not in row_keys(screen), "the removed row to go", pilot=pilot)
        await settle(pilot, screen)
        assert new not in row_keys(screen)


async def test_lost_event_stream_shows_a_banner_until_it_is_back():
    fake, ids = three()
    async with make_app(fake).run_test(size=(140, 30)) as pilot:
        screen = await dashboard(pilot)
        await wait_until(lambda: fake._subscribers, "the dashboard's event subscription", pilot=pilot)
        fake._subscribers[0].put_nowait(__import__("tui.engine").engine.EventsLost("fake", "daemon went away"))
        await settle(pilot, screen)
        banner = screen.query_one("#banner")
        assert banner.has_class("visible") and "daemon went away" in str(banner.render())
        fake._subscribers[0].put_nowait(__import__("tui.engine").engine.EventsResumed("fake", 1.0))
        await settle(pilot, screen)
        assert not banner.has_class("visible")


async def test_a_failed_action_shows_the_engines_word_and_leaves_the_row_true():
    fake, ids = three()

    async def refuse(container_id, grace=10):
        raise EngineError("driver failed programming external connectivity", status=500, engine="fake")

    fake.stop = refuse
    async with make_app(fake).run_test(size=(140, 30)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, ids["cache"])
        await pilot.press("x")
        await settle(pilot, screen)
        messages = [str(n.message) for n in pilot.app._notifications]
        assert any("driver failed programming" in m and "500" in m for m in messages), messages
        assert "running" in cell_text(screen, ids["cache"], "state")
        assert not screen.busy


async def test_stats_are_collected_for_visible_running_containers():
    fake, ids = three()
    async with make_app(fake, stats_interval=0.05).run_test(size=(140, 30)) as pilot:
        screen = await dashboard(pilot)
        await wait_until(lambda: ids["web"] in screen.stats and len(screen.stats[ids["web"]].samples) >= 2,
                         "two stats samples of web", pilot=pilot)
        assert ids["old"] not in screen.stats  # not running: nothing collected
        await settle(pilot, screen)
        assert "%" in cell_text(screen, ids["web"], "cpu")


async def test_help_and_inspect_screens_open_and_close():
    fake, ids = three()
    async with make_app(fake).run_test(size=(140, 30)) as pilot:
        screen = await dashboard(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen)
        await pilot.press("escape")
        await move_to(pilot, screen, ids["web"])
        await pilot.press("i")
        await wait_until(lambda: pilot.app.screen is not screen, "the inspect screen", pilot=pilot)
        assert type(pilot.app.screen).__name__ == "InspectScreen"
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is screen


async def test_remapped_keys_from_config():
    fake, ids = three()
    async with make_app(fake, keys={"stop": "z"}).run_test(size=(140, 30)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, ids["cache"])
        await pilot.press("x")
        await settle(pilot, screen)
        assert ("stop", ids["cache"]) not in fake.calls
        await pilot.press("z")
        await settle(pilot, screen)
        assert ("stop", ids["cache"]) in fake.calls


async def test_no_engine_screen_names_what_was_tried(tmp_path):
    from tests.settings_shorthand import flat_settings
    from tui.app import BosunApp, RunOptions

    missing = tmp_path / "gone.sock"
    app = BosunApp(flat_settings(host=f"unix://{missing}"), RunOptions(persist_theme=False))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(lambda: type(pilot.app.screen).__name__ == "NoEngineScreen", "the no-engine screen",
                         pilot=pilot, detail=lambda: repr(pilot.app.screen))
        detail = str(pilot.app.screen.query_one("#no-engine-detail").render())
        assert str(missing) in detail and "no such socket" in detail and "--demo" in detail


async def test_a_key_pressed_before_the_engine_is_attached_runs_when_it_is():
    from tui.app import BosunApp, RunOptions
    from tui.dashboard.screen import DashboardScreen
    from tui.settings import Settings

    fake, ids = three()
    screen = DashboardScreen(None, Settings(), initial=await fake.list_containers(),
                             engine_label=("fake", "fake://"))
    app = BosunApp(run=RunOptions(persist_theme=False), engine=fake)
    app.connect_engine = lambda: None  # this test attaches the engine itself
    async with app.run_test(size=(140, 30)) as pilot:
        await app.push_screen(screen)
        await pilot.pause()
        await move_to(pilot, screen, ids["cache"])
        await pilot.press("x")
        await pilot.pause()
        assert ("stop", ids["cache"]) not in fake.calls
        screen.attach_engine(fake)
        await settle(pilot, screen)
        assert ("stop", ids["cache"]) in fake.calls
