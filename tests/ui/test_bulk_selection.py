"""Bulk helpers (issue 14): A selects everything in view (with a filter: its matches), again unselects;
V inverts the view; "remove all exited" (palette) lists every one first; disk usage (U)."""

from __future__ import annotations

from tests.waits import wait_until
from tui.engine import FakeEngine, State
from tui.screens.confirm import ConfirmRemoveScreen
from tui.screens.disk_usage import DiskUsageScreen

from .conftest import dashboard, make_app, move_to, screen_text, settle


def engine() -> tuple[FakeEngine, dict[str, str]]:
    fake = FakeEngine()
    shop = {"com.docker.compose.project": "shop"}
    ids = {
        "web": fake.add_container("shop-web", labels=shop),
        "db": fake.add_container("shop-db", labels=shop),
        "cache": fake.add_container("cache"),
        "job1": fake.add_container("job-1", state=State.EXITED, exit_code=0),
        "job2": fake.add_container("job-2", state=State.EXITED, exit_code=2),
        "shopjob": fake.add_container("shop-migrate", labels=shop, state=State.EXITED, exit_code=0),
    }
    return fake, ids


async def test_select_all_selects_what_is_in_view_then_none():
    fake, ids = engine()
    async with make_app(fake, stats=False).run_test(size=(140, 36)) as pilot:
        screen = await dashboard(pilot)
        await pilot.press("A")
        await settle(pilot, screen)
        assert screen.selected == set(ids.values())
        assert "Selected 6 containers" in screen_text(pilot.app)
        await pilot.press("A")
        await settle(pilot, screen)
        assert screen.selected == set()


async def test_select_all_respects_hidden_stopped_and_folded_projects_are_in_view():
    fake, ids = engine()
    async with make_app(fake, stats=False).run_test(size=(140, 36)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, "group:shop")
        await pilot.press("enter")  # fold shop: its containers stay in view, folded
        await pilot.press("a")  # hide stopped
        await settle(pilot, screen)
        await pilot.press("A")
        await settle(pilot, screen)
        assert screen.selected == {ids["web"], ids["db"], ids["cache"]}


async def test_with_a_filter_select_all_is_select_by_filter():
    fake, ids = engine()
    async with make_app(fake, stats=False).run_test(size=(140, 36)) as pilot:
        screen = await dashboard(pilot)
        await pilot.press("slash", *"job", "enter")
        await settle(pilot, screen)
        await pilot.press("A")
        await settle(pilot, screen)
        assert screen.selected == {ids["job1"], ids["job2"]}
        assert "Selected 2 containers (the filter's matches)" in screen_text(pilot.app)


async def test_invert_flips_the_view_and_keeps_what_is_filtered_out():
    fake, ids = engine()
    async with make_app(fake, stats=False).run_test(size=(140, 36)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, ids["cache"])
        await pilot.press("space")
        await pilot.press("slash", *"shop", "enter")
        await settle(pilot, screen)
        await move_to(pilot, screen, ids["web"])
        await pilot.press("space", "V")
        await settle(pilot, screen)
        # In view (shop's three): web was selected, so db and shop-migrate are now; cache stays selected.
        assert screen.selected == {ids["db"], ids["shopjob"], ids["cache"]}


async def test_remove_all_exited_lists_every_one_first_then_removes_them():
    fake, ids = engine()
    async with make_app(fake, stats=False).run_test(size=(140, 36)) as pilot:
        screen = await dashboard(pilot)
        screen.action_remove_exited()  # the palette's entry runs this
        dialog = await wait_until(lambda: pilot.app.screen if isinstance(pilot.app.screen, ConfirmRemoveScreen)
                                  else None, "the remove dialog", pilot=pilot)
        await pilot.pause()
        assert {t.id for t in dialog.targets} == {ids["job1"], ids["job2"], ids["shopjob"]}
        text = screen_text(pilot.app)
        for name in ("job-1", "job-2", "shop-migrate"):
            assert name in text
        assert "3 containers" in text
        await pilot.press("y")
        await wait_until(lambda: set(fake.container_ids()) == {ids["web"], ids["db"], ids["cache"]},
                         "the exited ones removed", pilot=pilot)


async def test_remove_all_exited_with_a_filter_takes_its_matches_only():
    fake, ids = engine()
    async with make_app(fake, stats=False).run_test(size=(140, 36)) as pilot:
        screen = await dashboard(pilot)
        await pilot.press("slash", *"shop", "enter")
        await settle(pilot, screen)
        screen.action_remove_exited()
        dialog = await wait_until(lambda: pilot.app.screen if isinstance(pilot.app.screen, ConfirmRemoveScreen)
                                  else None, "the remove dialog", pilot=pilot)
        assert [t.id for t in dialog.targets] == [ids["shopjob"]]
        await pilot.press("escape")
        await wait_until(lambda: pilot.app.screen is screen, "back on the dashboard", pilot=pilot)
        assert ids["shopjob"] in fake.container_ids()


async def test_disk_usage_shows_the_engines_table():
    fake, ids = engine()
    fake.storage.add_image("nginx", size=100 << 20)
    fake.storage.add_volume("data", size=5 << 20)
    fake.storage.add_cache(2 << 20)
    async with make_app(fake, stats=False).run_test(size=(140, 36)) as pilot:
        screen = await dashboard(pilot)
        await pilot.press("U")
        dialog = await wait_until(lambda: pilot.app.screen if isinstance(pilot.app.screen, DiskUsageScreen)
                                  else None, "the disk usage screen", pilot=pilot)
        await wait_until(lambda: dialog.usage is not None and "Build cache" in screen_text(pilot.app),
                         "the engine's figures drawn", pilot=pilot)
        text = screen_text(pilot.app)
        for word in ("TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE", "Images", "Containers", "Local volumes",
                     "Build cache", "100M", "5.0M"):
            assert word in text, word
        await pilot.press("escape")
        await wait_until(lambda: pilot.app.screen is screen, "back on the dashboard", pilot=pilot)
