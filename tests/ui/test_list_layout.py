"""The container list as drawn: filter placement, column widths, caps, and which columns a width shows."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from tests.waits import wait_until
from tui.engine import FakeEngine, Port, State
from tui.dashboard.container_table import ContainerTable
from tui.dashboard.pane_area import PaneArea
from tui.dashboard.table_layout import fit_columns

from .conftest import cell_text, dashboard, make_app, move_to, screen_text, settle

SIZES = [(160, 48), (80, 24)]
RAW_STATUS = "Up 4 seconds (health: starting)"


def compose(project: str, service: str) -> dict[str, str]:
    return {"com.docker.compose.project": project, "com.docker.compose.service": service}


def shop() -> tuple[FakeEngine, dict[str, str]]:
    fake = FakeEngine()
    ids = {
        "web": fake.add_container("shop-web-1", "nginx:1.27", labels=compose("shop", "web"),
                                  ports=[Port(80, "tcp", "127.0.0.1", 8080)]),
        "api": fake.add_container("shop-api-1", "ghcr.io/acme/shop-api:2.4.1", labels=compose("shop", "api")),
        "db": fake.add_container("shop-db-1", "postgres:16", labels=compose("shop", "db")),
        "cache": fake.add_container("redis", "redis:7-alpine"),
        "old": fake.add_container("nightly-backup", "alpine:3.20", state=State.EXITED, exit_code=0),
    }
    return fake, ids


def line_of(app, text: str) -> str:
    return next((line for line in screen_text(app).splitlines() if text in line), "")


def column_width(table: ContainerTable, key: str) -> int:
    from textual.widgets.data_table import ColumnKey

    return table.columns[ColumnKey(key)].get_render_width(table)


def header_line(app) -> str:
    return line_of(app, "NAME")


async def wait_stats(pilot, screen, ids) -> None:
    await wait_until(lambda: all(cell_text(screen, ids[k], "memory").strip() for k in ("web", "cache")),
                     "memory figures in the list", pilot=pilot)


# -- issue 10 item 5: the filter input -------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_filter_input_sits_above_the_list_and_the_panes_stay(size):
    fake, ids = shop()
    async with make_app(fake, stats=False).run_test(size=size) as pilot:
        screen = await dashboard(pilot)
        await wait_until(lambda: screen.panes is not None and screen.main_log_pane is not None, "the log pane",
                         pilot=pilot)
        await pilot.press("slash")
        await pilot.press(*"redis")
        await settle(pilot, screen)
        table, panes = screen.query_one(ContainerTable), screen.query_one(PaneArea)
        box = screen.query_one("#filter")
        assert box.region.width == table.region.width and box.region.x == table.region.x
        assert box.region.bottom <= table.region.y  # above the list, not beside it
        assert table.region.height > 3 and panes.region.width > 20 and panes.region.height > 3
        text = screen_text(pilot.app)
        assert "NAME" in text and "Logs" in text and "redis" in text
        assert "shop-web-1" not in text  # the filter applies
        await pilot.press("escape")
        await settle(pilot, screen)
        assert "shop-web-1" in screen_text(pilot.app)


# -- issue 10 item 9: columns sized from what they show now ------------------------------------------


class QuickListFake(FakeEngine):
    """The quick first list of a real engine: no start times, only the raw status; the detailed
    list comes when the test releases it (once the quick one is on screen)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.release = asyncio.Event()

    async def list_containers(self, *, detailed=True, labels=None):
        if detailed:
            await self.release.wait()
        result = await super().list_containers(detailed=detailed, labels=labels)
        if detailed:
            return result
        return [replace(s, started=None, status_text=RAW_STATUS, detailed=False) for s in result]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_uptime_shrinks_after_the_raw_status_and_mem_shows_whole(size):
    fake = QuickListFake(stats_interval=0.2)
    ids = {"web": fake.add_container("web", "nginx"), "cache": fake.add_container("cache", "redis")}
    async with make_app(fake).run_test(size=size) as pilot:
        screen = await dashboard(pilot)
        await wait_until(lambda: RAW_STATUS[:8] in screen_text(pilot.app), "the raw status drawn", pilot=pilot)
        fake.release.set()
        await wait_until(lambda: RAW_STATUS[:8] not in screen_text(pilot.app), "the detailed list drawn",
                         pilot=pilot)
        await wait_stats(pilot, screen, ids)
        await settle(pilot, screen)
        table = screen.query_one(ContainerTable)
        assert "MEM" in header_line(pilot.app) and "CPU" in header_line(pilot.app), screen_text(pilot.app)
        for key in ("web", "cache"):
            memory = cell_text(screen, ids[key], "memory").strip()
            assert memory[-1] in "BKMGT", memory
            assert memory in line_of(pilot.app, "web" if key == "web" else "cache")
        assert table.virtual_size.width <= table.size.width  # nothing off to the right
        assert column_width(table, "uptime") < len(RAW_STATUS)


def test_units_are_never_cut_columns_go_first():
    from tui.dashboard.container_table import SPECS as specs
    natural = {"mark": 1, "name": 30, "image": 30, "state": 12, "uptime": 7, "ports": 30, "cpu": 15,
               "memory": 4, "service": 10}
    for width in range(40, 200):
        widths = fit_columns(specs, natural, width)
        assert widths["memory"] >= 4 and widths["state"] >= 12
        assert list(widths)[0] == "mark"
    assert "service" in fit_columns(specs, natural, 200)
    assert "image" not in fit_columns(specs, natural, 70)


async def test_a_column_shrinks_when_its_longest_value_goes():
    fake, ids = shop()
    long = fake.add_container("a-container-with-a-rather-long-name", "busybox")
    async with make_app(fake, stats=False).run_test(size=(80, 24)) as pilot:
        screen = await dashboard(pilot)
        table = screen.query_one(ContainerTable)
        wide = column_width(table, "name")
        await fake.remove(long, force=True)
        await wait_until(lambda: column_width(table, "name") < wide, "the name column to shrink", pilot=pilot)


# -- issue 10 item 10: a wider screen never shows less ---------------------------------------------


async def columns_at(size) -> list[str]:
    fake, ids = shop()
    async with make_app(fake).run_test(size=size) as pilot:
        screen = await dashboard(pilot)
        await wait_stats(pilot, screen, ids)
        await wait_until(lambda: screen.panes is not None, "the panes", pilot=pilot)
        await settle(pilot, screen)
        header = header_line(pilot.app)
        return [label for label in ("NAME", "IMAGE", "STATE", "UPTIME", "PORTS", "CPU", "MEM", "SERVICE")
                if f" {label} " in f"{header} "]


async def test_a_wider_screen_shows_at_least_the_columns_of_a_narrower_one():
    narrow, middle, wide = await columns_at((80, 24)), await columns_at((160, 48)), await columns_at((200, 60))
    assert {"NAME", "STATE", "CPU", "MEM"} <= set(narrow)
    assert set(narrow) <= set(middle) <= set(wide)
    assert "IMAGE" in middle
    assert {"IMAGE", "PORTS", "SERVICE"} <= set(wide)


async def test_beside_the_panes_the_list_takes_what_it_needs_and_the_panes_the_rest():
    fake, ids = shop()
    async with make_app(fake, stats=False).run_test(size=(240, 48)) as pilot:
        screen = await dashboard(pilot)
        await wait_until(lambda: screen.panes is not None, "the panes", pilot=pilot)
        await settle(pilot, screen)
        table, panes = screen.query_one(ContainerTable), screen.query_one(PaneArea)
        assert "SERVICE" in header_line(pilot.app) and "PORTS" in header_line(pilot.app)
        await wait_until(lambda: table.region.width == table.wanted_width, "the list at the width it needs",
                         pilot=pilot, detail=lambda: (table.region, table.wanted_width))
        assert table.region.width + panes.region.width == 240


# -- issue 10 item 12: the cursor after an outside removal ------------------------------------------


async def test_cursor_stays_in_place_when_its_container_is_removed_from_outside():
    fake, ids = shop()
    async with make_app(fake, stats=False).run_test(size=(140, 30)) as pilot:
        screen = await dashboard(pilot)
        table = screen.query_one(ContainerTable)
        order = list(table._order)
        await move_to(pilot, screen, ids["db"])
        row = table.cursor_row
        following = order[row + 1]
        await fake.remove(ids["db"], force=True)
        await wait_until(lambda: ids["db"] not in table._order, "the row to go", pilot=pilot)
        assert table.cursor_row == row and table.cursor_key == following
        last = table._order[-1]
        await move_to(pilot, screen, last)
        before_last = table._order[-2]
        await fake.remove(last, force=True)
        await wait_until(lambda: last not in table._order, "the last row to go", pilot=pilot)
        assert table.cursor_key == before_last


# -- issue 11 item 7: rename -----------------------------------------------------------------------


async def test_a_longer_new_name_widens_the_column_and_shows_whole():
    fake, ids = shop()
    async with make_app(fake, stats=False).run_test(size=(160, 48)) as pilot:
        await dashboard(pilot)
        fake.rename(ids["cache"], "redis-with-a-much-longer-name")
        await wait_until(lambda: "redis-with-a-much-longer-name" in screen_text(pilot.app),
                         "the new name drawn whole", pilot=pilot, detail=lambda: screen_text(pilot.app))


# -- issue 11 item 10: untrusted text is capped ----------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_very_long_project_label_does_not_push_cpu_and_mem_off_screen(size):
    fake = FakeEngine(stats_interval=0.2)
    project = "p" * 80
    ids = {"web": fake.add_container("web", "nginx", labels=compose(project, "web")),
           "cache": fake.add_container("cache", "x" * 120)}
    async with make_app(fake).run_test(size=size) as pilot:
        screen = await dashboard(pilot)
        await wait_stats(pilot, screen, ids)
        await settle(pilot, screen)
        header = header_line(pilot.app)
        assert "CPU" in header and "MEM" in header
        assert "…" in line_of(pilot.app, "ppp")  # cut, and saying so
        memory = cell_text(screen, ids["web"], "memory").strip()
        assert memory and memory in line_of(pilot.app, " web ")


async def test_in_a_long_list_the_view_stays_put_when_the_cursor_row_is_removed():
    fake = FakeEngine()
    ids = [fake.add_container(f"c{i:02d}", "busybox") for i in range(60)]
    async with make_app(fake, stats=False).run_test(size=(80, 24)) as pilot:
        screen = await dashboard(pilot)
        table = screen.query_one(ContainerTable)
        await move_to(pilot, screen, ids[45])
        await wait_until(lambda: table.scroll_y > 0, "the list scrolled to the cursor", pilot=pilot)
        top = table.scroll_y
        await fake.remove(ids[45], force=True)
        await wait_until(lambda: ids[45] not in table._order, "the row to go", pilot=pilot)
        await wait_until(lambda: table.scroll_y == top, "the view back where it was", pilot=pilot,
                         detail=lambda: (table.scroll_y, top))
        assert table.cursor_key == ids[46]
        assert "c46" in screen_text(pilot.app)


def test_an_empty_column_never_takes_room_a_cut_one_wants():
    from tui.dashboard.container_table import SPECS

    natural = {"mark": 1, "name": 38, "image": 17, "state": 9, "uptime": 6, "ports": 50, "cpu": 15, "memory": 4,
               "service": 0}
    widths = fit_columns(SPECS, natural, 136)
    assert "service" not in widths and widths["ports"] > 22
    assert "service" in fit_columns(SPECS, natural, 220)


class HeldStatsFake(FakeEngine):
    """Stats come only when the test releases them (once the list without figures is on screen)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.release = asyncio.Event()

    async def stats(self, container_id: str):
        await self.release.wait()
        async for sample in super().stats(container_id):
            yield sample

    async def stats_once(self, container_id: str):
        await self.release.wait()
        return await super().stats_once(container_id)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_first_figures_take_room_kept_for_them_and_nothing_moves(size):
    # The figures come a moment after the first list; had their room not been kept, the list would
    # widen then and the whole screen be laid out and drawn again (seen tracing an idle dashboard).
    fake = HeldStatsFake(stats_interval=0.2)
    ids = {"web": fake.add_container("web", "nginx"), "cache": fake.add_container("cache", "redis")}
    async with make_app(fake).run_test(size=size) as pilot:
        screen = await dashboard(pilot)
        await wait_until(lambda: screen.panes is not None, "the panes", pilot=pilot)
        await settle(pilot, screen)
        table = screen.query_one(ContainerTable)
        before = (table.region, {key: column_width(table, key) for key in table.columns_shown})
        assert not cell_text(screen, ids["web"], "memory").strip()  # no figures yet
        fake.release.set()
        await wait_stats(pilot, screen, ids)
        await settle(pilot, screen)
        after = (table.region, {key: column_width(table, key) for key in table.columns_shown})
        assert after == before
