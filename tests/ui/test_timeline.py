"""Pilot: the timeline (h) and the restart-loop flag in the list, on the fake engine."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from tests.ui.conftest import cell_text, dashboard, make_app, move_to, screen_text
from tests.waits import wait_until
from tui.dashboard.model import Column
from tui.engine import FakeEngine, Health, State
from tui.screens.timeline import TimelineScreen
from tui.timeline import What

SIZE = (140, 40)


def engine() -> tuple[FakeEngine, dict[str, str]]:
    fake = FakeEngine()
    ids = {"web": fake.add_container("web", "nginx"), "db": fake.add_container("db", "postgres"),
           "old": fake.add_container("old", "alpine", state=State.EXITED, exit_code=0)}
    return fake, ids


def app(fake: FakeEngine, **settings):
    return make_app(fake, **{f"timeline.{k}": v for k, v in settings.items()})


async def open_timeline(pilot, screen, key: str | None) -> TimelineScreen:
    if key is not None:
        await move_to(pilot, screen, key)
    await pilot.press("h")
    timeline = await wait_until(lambda: pilot.app.screen if isinstance(pilot.app.screen, TimelineScreen) else None,
                                "the timeline screen", pilot=pilot)
    await pilot.pause()
    return timeline


def drawn_rows(pilot) -> list[str]:
    table = pilot.app.screen.query_one(DataTable)
    return [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


async def test_what_happened_before_bosun_started_is_read_back_from_the_engine():
    fake, ids = engine()  # created and started before the app: only the engine's history has them
    fake.exit(ids["web"], 3)
    async with app(fake).run_test(size=SIZE) as pilot:
        screen = await dashboard(pilot)
        await wait_until(lambda: screen.timeline.store.entries(ids["web"]), "the replayed history", pilot=pilot)
        timeline = await open_timeline(pilot, screen, ids["web"])
        whats = [e.what for e in timeline.shown]
        assert whats == [What.DIED, What.STARTED, What.CREATED] and all(e.replayed for e in timeline.shown)
        assert timeline.shown[0].exit_code == 3 and timeline.shown[0].ran_for is not None
        text = screen_text(pilot.app)
        assert "Timeline: web" in text and "died (exit 3) after" in text and "3 entries · web" in text


async def test_live_events_show_newest_first_with_health_output_oom_exec_and_rename():
    fake, ids = engine()
    async with app(fake).run_test(size=SIZE) as pilot:
        screen = await dashboard(pilot)
        timeline = await open_timeline(pilot, screen, ids["web"])
        fake.exec_started(ids["web"], "sh -c 'cat /etc/hostname'")
        fake.set_health(ids["web"], Health.UNHEALTHY, "probe said [bold]no[/bold]\nsecond line")
        await wait_until(lambda: any(e.what is What.UNHEALTHY and e.detail for e in timeline.shown),
                         "the unhealthy entry with the check's output", pilot=pilot)
        fake.oom_kill(ids["web"])
        fake.rename(ids["web"], "web2")
        await wait_until(lambda: timeline.shown and timeline.shown[0].what is What.RENAMED, "the rename, on top",
                         pilot=pilot)
        await pilot.pause()
        rows = drawn_rows(pilot)
        assert "renamed" in rows[0]
        assert any("OOM-killed" in r for r in rows) and any("died (exit 137)" in r for r in rows)
        assert any("exec started" in r and "cat /etc/hostname" in r for r in rows)
        text = screen_text(pilot.app)
        assert "probe said [bold]no[/bold]" in text  # the container's own text, never markup


async def test_a_toggles_the_whole_engine_and_the_filter_narrows_it():
    fake, ids = engine()
    async with app(fake).run_test(size=SIZE) as pilot:
        screen = await dashboard(pilot)
        fake.exit(ids["db"], 2)
        await wait_until(lambda: any(e.what is What.DIED for e in screen.timeline.store.entries(ids["db"])),
                         "db's death in the timeline", pilot=pilot)
        timeline = await open_timeline(pilot, screen, ids["web"])
        assert {e.key for e in timeline.shown} == {ids["web"]}
        await pilot.press("a")
        await wait_until(lambda: timeline.engine_wide and {e.key for e in timeline.shown} >= {ids["web"], ids["db"]},
                         "the whole engine's entries", pilot=pilot)
        assert "CONTAINER" in screen_text(pilot.app) and "Timeline: the whole engine" in screen_text(pilot.app)
        await pilot.press("slash")
        await wait_until(lambda: pilot.app.focused is timeline.query_one(Input), "the filter to have focus",
                         pilot=pilot)
        await pilot.press(*"exit 2")
        await wait_until(lambda: [e.key for e in timeline.shown] == [ids["db"]], "only db's death", pilot=pilot)
        assert "filter 'exit 2'" in screen_text(pilot.app)
        await pilot.press("escape")  # leaves the filter (kept), a second clears it, a third closes
        await wait_until(lambda: isinstance(pilot.app.focused, DataTable), "the table to have focus", pilot=pilot)
        assert [e.key for e in timeline.shown] == [ids["db"]]
        await pilot.press("escape")
        await wait_until(lambda: len(timeline.shown) > 1, "the filter cleared", pilot=pilot)
        await pilot.press("escape")
        await wait_until(lambda: not isinstance(pilot.app.screen, TimelineScreen), "the timeline closed",
                         pilot=pilot)


async def test_a_restart_loop_is_flagged_in_the_list_with_the_strip_of_exit_codes():
    fake, ids = engine()
    # No stats: nothing redraws the list by itself, so a flag lost on a re-layout would stay lost.
    async with make_app(fake, stats=False, **{"timeline.loop_restarts": 2}).run_test(size=SIZE) as pilot:
        screen = await dashboard(pilot)
        fake.crash_loop(ids["web"], 1)
        await wait_until(lambda: "✖1" in cell_text(screen, ids["web"], Column.STATE), "the strip of one death",
                         pilot=pilot, detail=lambda: cell_text(screen, ids["web"], Column.STATE))
        assert "looping" not in cell_text(screen, ids["web"], Column.STATE)
        fake.crash_loop(ids["web"], 1)
        fake.crash_loop(ids["web"], 4)
        await wait_until(lambda: "↻ looping ×3 ✖4" == cell_text(screen, ids["web"], Column.STATE),
                         "the restart-loop flag", pilot=pilot, detail=lambda: cell_text(screen, ids["web"], Column.STATE))
        await pilot.pause()
        assert "looping ×3" in screen_text(pilot.app)
        assert "looping" not in cell_text(screen, ids["db"], Column.STATE)
        # Coming back from the timeline screen re-lays the list out: the flag stays.
        await open_timeline(pilot, screen, ids["web"])
        await pilot.press("escape")
        await wait_until(lambda: pilot.app.screen is screen, "back on the dashboard", pilot=pilot)
        await pilot.resize_terminal(120, 40)
        await wait_until(lambda: "looping ×3" in cell_text(screen, ids["web"], Column.STATE), "the flag kept",
                         pilot=pilot, detail=lambda: cell_text(screen, ids["web"], Column.STATE))


async def test_one_death_of_a_stopped_container_adds_nothing_to_its_state_cell():
    fake, ids = engine()
    async with app(fake).run_test(size=SIZE) as pilot:
        screen = await dashboard(pilot)
        fake.exit(ids["web"], 3)
        await wait_until(lambda: "exited (3)" in cell_text(screen, ids["web"], Column.STATE), "web exited",
                         pilot=pilot)
        assert "✖" not in cell_text(screen, ids["web"], Column.STATE)


async def test_with_no_history_read_back_the_timeline_starts_at_bosun_s_start():
    fake, ids = engine()
    async with app(fake, history_hours=0.0).run_test(size=SIZE) as pilot:
        screen = await dashboard(pilot)
        timeline = await open_timeline(pilot, screen, ids["web"])
        assert timeline.shown == []
        assert "nothing happened yet" in screen_text(pilot.app)
        await pilot.press("q")
        await wait_until(lambda: not isinstance(pilot.app.screen, TimelineScreen), "the timeline closed",
                         pilot=pilot)


async def test_several_engines_keep_each_engine_s_events_under_its_own_keys():
    from tests.ui.test_multi_engine import fakes, fleet_app, fleet_dashboard, key_of
    from tui.testing.fleet_fakes import fake_spec

    laptop, prod = fakes()
    laptop_web = next(cid for cid in laptop.container_ids() if laptop._containers[cid].name == "web")
    laptop.exit(laptop_web, 5)  # before bosun: the replay of laptop's history has it
    app = fleet_app([fake_spec("laptop"), fake_spec("prod")], {"laptop": laptop, "prod": prod})
    async with app.run_test(size=(140, 30)) as pilot:
        screen = await fleet_dashboard(pilot, "laptop", "prod")
        prod_web = key_of(screen, "prod", "web")
        prod.crash_loop(prod.container_ids()[0], 9)
        store = screen.timeline.store
        await wait_until(lambda: any(e.exit_code == 9 for e in store.entries(prod_web)), "prod's web death, keyed",
                         pilot=pilot)
        laptop_key = key_of(screen, "laptop", "web")
        await wait_until(lambda: any(e.exit_code == 5 for e in store.entries(laptop_key)),
                         "laptop's replayed death, keyed", pilot=pilot)
        assert {e.engine for e in store.entries(prod_web)} == {"prod"}
        await move_to(pilot, screen, prod_web)
        timeline = await open_timeline(pilot, screen, None)
        await pilot.press("a")
        await wait_until(lambda: timeline.engine_wide and len({e.engine for e in timeline.shown}) == 2,
                         "both engines' entries", pilot=pilot)
        text = screen_text(pilot.app)
        assert "ENGINE" in text and "laptop" in text and "prod" in text


async def test_the_entry_under_the_cursor_stays_under_it_when_newer_ones_arrive():
    fake, ids = engine()
    async with app(fake).run_test(size=SIZE) as pilot:
        screen = await dashboard(pilot)
        for i in range(3):
            fake.exec_started(ids["web"], f"job-{i}")
        await wait_until(lambda: len(screen.timeline.store.entries(ids["web"])) >= 5, "the execs", pilot=pilot)
        timeline = await open_timeline(pilot, screen, ids["web"])
        await pilot.press("down", "down")
        chosen = timeline.cursor_entry()
        assert chosen is not None and chosen.detail == "job-0"
        fake.exec_started(ids["web"], "job-3")
        await wait_until(lambda: timeline.shown[0].detail == "job-3", "the newest exec on top", pilot=pilot)
        assert timeline.cursor_entry() is chosen


async def test_entries_that_arrive_after_the_screen_opened_get_columns_wide_enough_at_80x24():
    fake, ids = engine()
    async with app(fake, history_hours=0.0).run_test(size=(80, 24)) as pilot:
        screen = await dashboard(pilot)
        timeline = await open_timeline(pilot, screen, ids["web"])
        fake.exit(ids["web"], 3)
        await wait_until(lambda: "died (exit 3) after" in screen_text(pilot.app), "the death drawn whole",
                         pilot=pilot, detail=lambda: screen_text(pilot.app))
        assert timeline.shown
