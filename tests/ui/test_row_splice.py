"""Containers that come, go or move cost their rows, not the table: rows, cursor, selection and the terminal stay true.

Each check compares the terminal as the written frames left it (a terminal
emulator fed every frame, tests/ui/terminal_replica.py) with the screen
rendered afresh: a line the table forgot to repaint would still show its old
row there. Bytes are counted from the same frames.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest
from textual.app import App

from tests.ui.conftest import dashboard, make_app, move_to, row_keys, settle
from tests.ui.terminal_replica import Replica
from tests.waits import wait_until
from tui import screen_output
from tui.dashboard import container_table
from tui.dashboard.container_table import ContainerTable
from tui.dashboard.model import Column, ContainerRow, StatsHistory, build_rows
from tui.engine import FakeEngine, State

COMPOSE = "com.docker.compose.project"


@pytest.fixture(autouse=True)
def still_clock(monkeypatch):
    """Ages do not tick during a test: only what the test changes changes."""
    now = datetime.now(timezone.utc)
    monkeypatch.setattr(container_table, "utc_now", lambda: now)


class TableApp(App):
    def compose(self):
        yield ContainerTable()


def held_keys(table: ContainerTable) -> list[str]:
    """The rows the DataTable itself holds, in its order (not what the list meant to put there)."""
    return [table._row_locations.get_key(index).value for index in range(table.row_count)]


async def terminal_true(pilot, replica: Replica, what: str) -> None:
    """Wait until the terminal shows what the app means, let Textual finish what followed, and check again."""
    await wait_until(lambda: not replica.differences(), f"the terminal to show {what}", pilot=pilot,
                     detail=lambda: "\n".join(replica.differences()[:6]))
    await pilot.pause()
    assert not replica.differences(), "\n".join(replica.differences()[:6])


def check_table(table: ContainerTable, rows) -> None:
    keys = [row.key for row in rows]
    assert table._order == keys
    assert held_keys(table) == keys
    for index, row in enumerate(rows):
        if isinstance(row, ContainerRow):
            assert row.summary.name in str(table.get_row_at(index)[1]), (index, row.summary.name)


async def test_random_comings_goings_and_moves_keep_the_table_and_the_terminal_true():
    fake = FakeEngine()
    rng = random.Random(18)
    projects = ["", "", "", "shop", "blog"]

    def add(name: str) -> str:
        project = rng.choice(projects)
        return fake.add_container(name, labels={COMPOSE: project} if project else None,
                                  state=rng.choice([State.RUNNING, State.RUNNING, State.EXITED]))

    for i in range(40):
        add(f"c{i:03d}")
    sort, reverse, collapsed = Column.NAME, False, frozenset()
    async with TableApp().run_test(size=(100, 20)) as pilot:
        table = pilot.app.query_one(ContainerTable)

        async def show(what: str):
            rows = build_rows(await fake.list_containers(), sort=sort, reverse=reverse, collapsed=collapsed)
            table.show_rows(rows, stats={}, busy={}, selected=set())
            await terminal_true(pilot, replica, what)
            check_table(table, rows)
            return rows

        replica = Replica(pilot.app)
        table.show_rows(build_rows(await fake.list_containers()), stats={}, busy={}, selected=set())
        await wait_until(lambda: table.row_count > 40, "the first rows", pilot=pilot)
        await pilot.pause()
        replica.start()
        table.move_cursor(row=25)  # scrolled: the view no longer starts at the first row
        await terminal_true(pilot, replica, "the cursor moved down the list")
        counter = 100
        for step in range(60):
            ids = fake.container_ids()
            kind = rng.choice(["add", "add", "remove", "remove", "stop", "sort", "fold", "cursor"])
            before = table.cursor_key
            if kind == "add":
                counter += 1
                add(f"c{rng.randrange(counter):03d}x")
            elif kind == "remove" and ids:
                await fake.remove(rng.choice(ids), force=True)
            elif kind == "stop" and ids:
                await fake.stop(rng.choice(ids))
            elif kind == "sort":
                sort, reverse = rng.choice([Column.NAME, Column.STATE, Column.IMAGE]), rng.random() < 0.5
            elif kind == "fold":
                collapsed = collapsed ^ {rng.choice(["shop", "blog"])}
            else:
                table.move_cursor(row=rng.randrange(max(table.row_count, 1)))
                await pilot.pause()
                before = table.cursor_key
            rows = await show(f"step {step} ({kind})")
            keys = [row.key for row in rows]
            if before in keys:
                assert table.cursor_key == before, f"step {step} ({kind}): the cursor left its row"


async def test_an_add_writes_its_row_not_the_table():
    fake = FakeEngine()
    age = timedelta(hours=3)
    for i in range(0, 80, 2):
        fake.add_container(f"svc-{i:02d}", age=age)
    stats: dict[str, StatsHistory] = {}

    async def rows():
        listed = await fake.list_containers()
        for summary in listed:
            if summary.id not in stats:
                stats[summary.id] = StatsHistory()
                stats[summary.id].samples.append(await fake.stats_once(summary.id))
        return build_rows(listed)

    assert screen_output.install()  # as BosunApp does
    async with TableApp().run_test(size=(160, 48)) as pilot:
        table = pilot.app.query_one(ContainerTable)
        table.show_rows(await rows(), stats=stats, busy={}, selected=set())
        await wait_until(lambda: table.row_count == 40, "the first rows", pilot=pilot)
        await pilot.pause()
        replica = Replica(pilot.app).start()

        async def change(what: str) -> int:
            table.show_rows(await rows(), stats=stats, busy={}, selected=set())
            await terminal_true(pilot, replica, what)
            return replica.written()

        table.refresh()  # what every add cost before: the whole table
        await terminal_true(pilot, replica, "the table repainted")
        full = replica.written()
        fake.add_container("svc-99", age=age)  # sorts last
        last = await change("a row added at the end")
        fake.add_container("svc-41", age=age)
        middle = await change("a row added in the middle")
        await fake.remove(next(s.id for s in await fake.list_containers() if s.name == "svc-99"), force=True)
        removed_last = await change("the last row removed")
        # A full table is about 17 kB here; the row at the end about 0.4 kB; a row in the middle moves
        # the half of the table below it (Textual cannot scroll the terminal).
        assert last < full / 10, (last, full)
        assert removed_last < full / 10, (removed_last, full)
        assert middle < full * 0.65, (middle, full)


async def test_rows_coming_and_going_above_a_scrolled_view_leave_the_view_as_it_is():
    fake = FakeEngine()
    ids = [fake.add_container(f"c{i:02d}") for i in range(60)]
    async with TableApp().run_test(size=(100, 20)) as pilot:
        table = pilot.app.query_one(ContainerTable)
        table.show_rows(build_rows(await fake.list_containers()), stats={}, busy={}, selected=set())
        await wait_until(lambda: table.row_count == 60, "the rows", pilot=pilot)
        table.move_cursor(row=45)
        await wait_until(lambda: table.scroll_y > 20, "the view scrolled to the cursor", pilot=pilot)
        await pilot.pause()
        replica = Replica(pilot.app).start()
        table.refresh()
        await terminal_true(pilot, replica, "the table repainted")
        full = replica.written()
        top = table._order[int(table.scroll_y)]
        await fake.remove(ids[3], force=True)
        fake.add_container("a00")  # names as wide as the others: the columns keep their widths
        fake.add_container("c0b")
        table.show_rows(build_rows(await fake.list_containers()), stats={}, busy={}, selected=set())
        await terminal_true(pilot, replica, "rows gone and added above the view")
        assert table._order[int(table.scroll_y)] == top  # the same rows on screen
        assert table.cursor_key == ids[45]
        # The scrollbar (its thumb moved) and the cursor's line (its index moved): about a quarter of the table.
        written = replica.written()
        assert written < full / 3, (written, full)


async def test_adds_and_removes_in_a_flat_sorted_list_keep_cursor_and_selection():
    fake = FakeEngine()
    ids = {name: fake.add_container(name, image) for name, image in
           [("api", "img/b"), ("db", "img/c"), ("web", "img/a"), ("queue", "img/d")]}
    async with make_app(fake, stats=False).run_test(size=(120, 30)) as pilot:
        screen = await dashboard(pilot)
        screen.sort = Column.IMAGE
        screen.schedule_rows()
        await settle(pilot, screen)
        await move_to(pilot, screen, ids["db"])
        await pilot.press("space")
        await move_to(pilot, screen, ids["api"])
        await pilot.press("space")
        await settle(pilot, screen)
        replica = Replica(pilot.app).start()
        ids["first"] = fake.add_container("first", "img/0")
        await wait_until(lambda: ids["first"] in row_keys(screen), "the new container's row", pilot=pilot)
        await settle(pilot, screen)
        assert row_keys(screen) == [ids[n] for n in ("first", "web", "api", "db", "queue")]
        await fake.remove(ids["web"], force=True)
        await fake.remove(ids["queue"], force=True)
        await wait_until(lambda: ids["queue"] not in row_keys(screen), "the rows gone", pilot=pilot)
        await settle(pilot, screen)
        assert row_keys(screen) == [ids[n] for n in ("first", "api", "db")]
        table = screen.query_one(ContainerTable)
        assert held_keys(table) == row_keys(screen)
        assert table.cursor_key == ids["api"]
        assert screen.selected == {ids["api"], ids["db"]}
        assert [str(table.get_cell(ids[n], "mark")).strip() for n in ("first", "api", "db")] == ["", "✔", "✔"]
        await terminal_true(pilot, replica, "the list after the adds and removes")


async def test_adds_and_removes_in_compose_projects_one_folded():
    fake = FakeEngine()
    shop, blog = {COMPOSE: "shop"}, {COMPOSE: "blog"}
    ids = {"web": fake.add_container("web", labels=shop), "db": fake.add_container("db", labels=shop),
           "post": fake.add_container("post", labels=blog), "loose": fake.add_container("loose")}
    async with make_app(fake, stats=False).run_test(size=(120, 30)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, "group:blog")
        await pilot.press("enter")  # fold blog
        await settle(pilot, screen)
        await move_to(pilot, screen, ids["db"])
        await pilot.press("space")
        await settle(pilot, screen)
        replica = Replica(pilot.app).start()
        ids["cache"] = fake.add_container("cache", labels=shop)
        ids["draft"] = fake.add_container("draft", labels=blog)  # into the folded project: no row
        ids["aaa"] = fake.add_container("aaa")
        await wait_until(lambda: ids["aaa"] in row_keys(screen) and ids["draft"] in screen.summaries,
                         "the new rows", pilot=pilot)
        await settle(pilot, screen)
        assert row_keys(screen) == ["group:blog", "group:shop", ids["cache"], ids["db"], ids["web"],
                                    ids["aaa"], ids["loose"]]
        await terminal_true(pilot, replica, "the projects after the adds")
        assert any("2/2 running" in line for line in replica.screen.display)  # blog's header counts draft
        await fake.remove(ids["web"], force=True)
        await fake.remove(ids["post"], force=True)
        await wait_until(lambda: ids["web"] not in row_keys(screen), "web's row gone", pilot=pilot)
        await settle(pilot, screen)
        table = screen.query_one(ContainerTable)
        assert row_keys(screen) == held_keys(table) == ["group:blog", "group:shop", ids["cache"], ids["db"],
                                                        ids["aaa"], ids["loose"]]
        assert table.cursor_key == ids["db"] and screen.selected == {ids["db"]}
        await terminal_true(pilot, replica, "the projects after the removes")


async def test_adds_and_removes_grouped_by_engine_one_folded():
    from tests.ui.test_multi_engine import fakes, fleet_app, fleet_dashboard, key_of
    from tui.testing.fleet_fakes import fake_spec

    laptop, prod = fakes()
    app = fleet_app([fake_spec("laptop"), fake_spec("prod")], {"laptop": laptop, "prod": prod}, stats=False)
    async with app.run_test(size=(140, 30)) as pilot:
        screen = await fleet_dashboard(pilot, "laptop", "prod")
        await move_to(pilot, screen, "group:prod/")
        await pilot.press("enter")  # fold prod
        await settle(pilot, screen)
        cache = key_of(screen, "laptop", "cache")
        await move_to(pilot, screen, cache)
        replica = Replica(pilot.app).start()
        laptop.add_container("api", labels={COMPOSE: "shop"})
        laptop.add_container("zed")
        prod.add_container("worker")  # folded: no row
        await wait_until(lambda: {"api", "zed", "worker"} <= {s.name for s in screen.summaries.values()},
                         "the new containers", pilot=pilot)
        await settle(pilot, screen)
        names = {key: screen.summaries[key].name for key in row_keys(screen) if key in screen.summaries}
        assert [names.get(key, key) for key in row_keys(screen)] == [
            "group:laptop/", "group:laptop/shop", "api", "web", "cache", "zed", "group:prod/"]
        table = screen.query_one(ContainerTable)
        assert held_keys(table) == row_keys(screen) and table.cursor_key == cache
        await terminal_true(pilot, replica, "the engines after the adds")
        await laptop.remove(next(s.id for s in await laptop.list_containers() if s.name == "web"), force=True)
        await wait_until(lambda: "web" not in {screen.summaries[k].name for k in row_keys(screen)
                                              if k in screen.summaries}, "web's row gone", pilot=pilot)
        await settle(pilot, screen)
        assert held_keys(table) == row_keys(screen) and table.cursor_key == cache
        await terminal_true(pilot, replica, "the engines after the remove")


async def test_a_filtered_list_takes_only_the_matching_newcomers():
    fake = FakeEngine()
    ids = {name: fake.add_container(name) for name in ("web-1", "db", "web-3")}
    async with make_app(fake, stats=False).run_test(size=(120, 30)) as pilot:
        screen = await dashboard(pilot)
        await pilot.press("slash", *"web", "enter")
        await wait_until(lambda: ids["db"] not in row_keys(screen),
                         "the filter applied", pilot=pilot)
        await settle(pilot, screen)
        await move_to(pilot, screen, ids["web-3"])
        replica = Replica(pilot.app).start()
        ids["web-2"] = fake.add_container("web-2")
        ids["cache"] = fake.add_container("cache")
        await wait_until(lambda: ids["web-2"] in row_keys(screen), "web-2's row", pilot=pilot)
        await settle(pilot, screen)
        assert row_keys(screen) == [ids["web-1"], ids["web-2"], ids["web-3"]]
        table = screen.query_one(ContainerTable)
        assert held_keys(table) == row_keys(screen) and table.cursor_key == ids["web-3"]
        await terminal_true(pilot, replica, "the filtered list after the adds")
