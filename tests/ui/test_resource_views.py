"""The images, volumes and networks views (issue 14): switching, what each row shows, live updates from the
engine's events, filter, sort, select, inspect, and each action with what it draws."""

from __future__ import annotations

import asyncio

import pytest

from tests.ui.conftest import dashboard, make_app, screen_text
from tests.ui.test_toasts import drawn_toast
from tests.waits import wait_until
from tui.dashboard.screen import DashboardScreen
from tui.engine import FakeEngine, State
from tui.keys.registry import BY_ID, MUTATING, REMOVE_RESOURCE, Scope
from tui.screens.inspect import InspectScreen
from tui.views.dialogs import ChooseContainerDialog, ConfirmResourceRemove, TagImageDialog, ViewPrompt, view_named
from tui.views.kinds import ImagesScreen, NetworksScreen, VolumesScreen
from tui.views.table import ResourceTable

SIZE = (160, 40)


def engine() -> tuple[FakeEngine, dict[str, str]]:
    fake = FakeEngine()
    ids = {"web": fake.add_container("web", "nginx:1.27"),
           "old": fake.add_container("old", "alpine:3.20", state=State.EXITED)}
    res = fake.resources
    ids["nginx"] = res.add_image("nginx:1.27", "nginx:stable", size=192 << 20)
    ids["alpine"] = res.add_image("alpine:3.20", size=8 << 20)
    ids["spare"] = res.add_image("spare/tool:0.1", size=3 << 20)
    ids["dangling"] = res.add_image(size=398 << 20)
    res.add_volume("pgdata", size=1600 << 20)
    res.mount("pgdata", ids["web"])
    res.add_volume("orphan", size=0)
    ids["front"] = res.add_network("front", subnet="172.18.0.0/16")
    res.attach(ids["front"], ids["web"])
    ids["back"] = res.add_network("back", subnet="172.19.0.0/16")
    return fake, ids


async def view(pilot, key: str, kind: type) -> ResourceTable:
    await pilot.press(key)
    await wait_until(lambda: isinstance(pilot.app.screen, kind) and pilot.app.screen.listed,
                     f"the {kind.VIEW} view to list", pilot=pilot, detail=lambda: repr(pilot.app.screen))
    await pilot.pause()
    return pilot.app.screen.table


async def shows(pilot, needle: str, present: bool = True) -> str:
    await wait_until(lambda: (needle in screen_text(pilot.app)) == present,
                     f"{needle!r} {'on' if present else 'off'} the screen", pilot=pilot,
                     detail=lambda: screen_text(pilot.app))
    return screen_text(pilot.app)


async def cursor_to(pilot, table: ResourceTable, key: str) -> None:
    await wait_until(lambda: key in table.keys, f"row {key[:19]}", pilot=pilot)
    table.move_cursor(row=table.keys.index(key))
    await pilot.pause()
    assert table.cursor_key == key


async def test_the_number_keys_and_the_prompt_switch_views_and_back():
    fake, ids = engine()
    async with make_app(fake).run_test(size=SIZE) as pilot:
        await dashboard(pilot)
        await view(pilot, "2", ImagesScreen)
        text = screen_text(pilot.app)
        assert "nginx:1.27, nginx:stable" in text  # every tag of one id on one row
        assert "<none> (untagged)" in text and "yes" in text  # dangling
        assert "192M" in text and "1: web" in text and "1: old" in text
        assert "2 images" in text and "3 volumes" in text
        await view(pilot, "3", VolumesScreen)
        text = await shows(pilot, "1.6G")
        assert "pgdata" in text and "1: web" in text and "/var/lib/docker/volumes/pgdata/_data" in text
        await view(pilot, "4", NetworksScreen)
        text = screen_text(pilot.app)
        assert "front" in text and "172.18.0.0/16" in text and "web 172.18.0.2/16" in text
        await pilot.press("1")
        await wait_until(lambda: isinstance(pilot.app.screen, DashboardScreen), "the container list", pilot=pilot)
        assert len(pilot.app.screen_stack) == 2, "views replace each other: nothing piles up"
        await pilot.press("colon")
        await wait_until(lambda: isinstance(pilot.app.screen, ViewPrompt), "the : prompt", pilot=pilot)
        await pilot.press("n", "o", "p", "e", "enter")
        await drawn_toast(pilot, "No view called 'nope'")
        assert isinstance(pilot.app.screen, ViewPrompt)
        for _ in range(4):
            await pilot.press("backspace")
        await pilot.press(*"vol", "enter")
        await wait_until(lambda: isinstance(pilot.app.screen, VolumesScreen), "the volumes view", pilot=pilot)


def test_the_prompt_understands_names_and_habits():
    assert view_named(":images") == view_named("img") == view_named("IM") == "images"
    assert view_named("vol") == "volumes" and view_named(":net") == "networks" and view_named("ps") == "containers"
    assert view_named("") is None and view_named("x") is None


async def test_the_palette_offers_the_views_and_each_views_actions():
    fake, ids = engine()
    async with make_app(fake).run_test(size=SIZE) as pilot:
        screen = await dashboard(pilot)
        titles = {c.title for c in pilot.app.get_system_commands(screen)}
        assert {"View: Images", "View: Volumes", "View: Networks", "View: View…"} <= titles
        await view(pilot, "2", ImagesScreen)
        commands = {c.title: c.help for c in pilot.app.get_system_commands(pilot.app.screen)}
        assert commands["Images: Remove"] == BY_ID[REMOVE_RESOURCE].description
        assert "Images: Tag" in commands and "View: Containers" in commands
        assert "Networks: Connect" not in commands
        table = await view(pilot, "4", NetworksScreen)
        commands = {c.title for c in pilot.app.get_system_commands(pilot.app.screen)}
        assert "Networks: Connect" in commands and "Networks: Disconnect" not in commands  # back: nobody on it
        await cursor_to(pilot, table, ids["front"])
        commands = {c.title for c in pilot.app.get_system_commands(pilot.app.screen)}
        assert {"Networks: Connect", "Networks: Disconnect", "Networks: Remove"} <= commands


async def test_each_view_follows_the_engines_events():
    fake, ids = engine()
    async with make_app(fake).run_test(size=SIZE) as pilot:
        await dashboard(pilot)
        await view(pilot, "2", ImagesScreen)
        new = fake.resources.add_image("redis:7", size=41 << 20)  # a pull elsewhere
        await shows(pilot, "redis:7")
        fake.resources.tag_image(new, "cache", "prod")  # a tag elsewhere
        await shows(pilot, "cache:prod, redis:7")
        await fake.remove(ids["old"])  # the container that used alpine goes
        await wait_until(lambda: not pilot.app.screen.items[ids["alpine"]].containers, "alpine to be unused",
                         pilot=pilot)
        await shows(pilot, "1: old", present=False)
        await view(pilot, "3", VolumesScreen)
        fake.resources.add_volume("fresh")
        await shows(pilot, "fresh")
        await fake.remove_volume("fresh")
        await shows(pilot, "fresh", present=False)
        await view(pilot, "4", NetworksScreen)
        await fake.connect_network(ids["back"], ids["web"])
        await shows(pilot, "web 172.19.0.2/16")


async def test_filter_sort_select_and_copy_in_a_view():
    fake, ids = engine()
    async with make_app(fake).run_test(size=SIZE) as pilot:
        await dashboard(pilot)
        table = await view(pilot, "2", ImagesScreen)
        await pilot.press("slash", *"nginx")
        await wait_until(lambda: table.keys == [ids["nginx"]], "only nginx listed", pilot=pilot)
        await pilot.press("escape")
        await wait_until(lambda: len(table.keys) == 4, "every image again", pilot=pilot)
        await pilot.press("slash", *"is:dangling", "enter")
        await wait_until(lambda: table.keys == [ids["dangling"]], "only the dangling image", pilot=pilot)
        await pilot.press("escape")
        await pilot.press("o")  # by id
        await pilot.press("o")  # by size
        await wait_until(lambda: table.keys[0] == ids["spare"], "the smallest image first", pilot=pilot)
        await pilot.press("O")
        await wait_until(lambda: table.keys[0] == ids["dangling"], "the largest first", pilot=pilot)
        await pilot.press("space")
        await wait_until(lambda: pilot.app.screen.selected == {ids["dangling"]}, "the row selected", pilot=pilot)
        assert "●" in screen_text(pilot.app)
        await pilot.press("y")
        await drawn_toast(pilot, f"Copied {ids['dangling']}")


async def test_inspect_masks_secrets():
    fake, ids = engine()
    async with make_app(fake).run_test(size=SIZE) as pilot:
        await dashboard(pilot)
        table = await view(pilot, "2", ImagesScreen)
        await cursor_to(pilot, table, ids["nginx"])
        await pilot.press("i")
        await wait_until(lambda: isinstance(pilot.app.screen, InspectScreen), "the inspect screen", pilot=pilot)
        await pilot.pause()
        assert pilot.app.screen.document["Config"]["Env"][1] == "BUILD_TOKEN=tok-3141"
        await pilot.press("j")  # the JSON view shows the whole document, masked
        await wait_until(lambda: "BUILD_TOKEN" in screen_text(pilot.app), "the JSON view", pilot=pilot)
        assert "tok-3141" not in screen_text(pilot.app)
        await pilot.press("escape")
        await wait_until(lambda: isinstance(pilot.app.screen, ImagesScreen), "back to the images", pilot=pilot)


async def test_removing_an_image_in_use_is_refused_in_the_engines_words_and_force_is_its_own_button():
    fake, ids = engine()
    fake.exit(ids["web"], 0)  # a stopped user: force may remove it
    async with make_app(fake).run_test(size=SIZE) as pilot:
        await dashboard(pilot)
        table = await view(pilot, "2", ImagesScreen)
        await cursor_to(pilot, table, ids["nginx"])
        await pilot.press("D")
        await wait_until(lambda: isinstance(pilot.app.screen, ConfirmResourceRemove), "the remove dialog",
                         pilot=pilot)
        text = await shows(pilot, "Force remove")
        assert "used by web" in text
        await pilot.press("y")  # y never forces
        shot = await drawn_toast(pilot, "must be forced")
        assert "Remove nginx:1.27 failed" in shot
        assert ids["nginx"] in fake.resources.images
        await pilot.press("D")
        await wait_until(lambda: isinstance(pilot.app.screen, ConfirmResourceRemove), "the dialog again",
                         pilot=pilot)
        await pilot.click("#force")
        await drawn_toast(pilot, "Removed image nginx:1.27")
        await shows(pilot, "nginx:stable", present=False)
        assert ids["nginx"] not in fake.resources.images


async def test_removing_an_unused_image_needs_one_key_and_no_force():
    fake, ids = engine()
    async with make_app(fake).run_test(size=SIZE) as pilot:
        await dashboard(pilot)
        table = await view(pilot, "2", ImagesScreen)
        await cursor_to(pilot, table, ids["spare"])
        await pilot.press("D")
        await wait_until(lambda: isinstance(pilot.app.screen, ConfirmResourceRemove), "the dialog", pilot=pilot)
        assert "Force remove" not in screen_text(pilot.app)
        await pilot.press("y")
        await drawn_toast(pilot, "Removed image spare/tool:0.1")
        await shows(pilot, "spare/tool", present=False)


async def test_g_and_G_go_to_the_top_and_the_bottom_as_in_the_container_list():
    fake, ids = engine()
    async with make_app(fake).run_test(size=SIZE) as pilot:
        await dashboard(pilot)
        table = await view(pilot, "2", ImagesScreen)
        await wait_until(lambda: len(table.keys) > 1, "several images listed", pilot=pilot)
        await pilot.press("G")
        await wait_until(lambda: table.cursor_key == table.keys[-1], "the cursor on the last row", pilot=pilot)
        await pilot.press("g")
        await wait_until(lambda: table.cursor_key == table.keys[0], "the cursor on the first row", pilot=pilot)
        assert not isinstance(pilot.app.screen, TagImageDialog), "g tagged instead of going to the top"


async def test_tag_asks_for_the_reference_and_the_row_shows_it():
    fake, ids = engine()
    async with make_app(fake).run_test(size=SIZE) as pilot:
        await dashboard(pilot)
        table = await view(pilot, "2", ImagesScreen)
        await cursor_to(pilot, table, ids["alpine"])
        await pilot.press("t")
        await wait_until(lambda: isinstance(pilot.app.screen, TagImageDialog), "the tag dialog", pilot=pilot)
        await pilot.press(*"mirror/alpine:v3", "enter")
        await drawn_toast(pilot, "Tagged alpine:3.20 as mirror/alpine:v3")
        await shows(pilot, "alpine:3.20, mirror/alpine:v3")
        await pilot.press("t")
        await wait_until(lambda: isinstance(pilot.app.screen, TagImageDialog), "the tag dialog", pilot=pilot)
        await pilot.press(*"Bad Name", "enter")
        await drawn_toast(pilot, "invalid reference format")


async def test_a_volume_in_use_is_refused_and_an_unused_one_removed():
    fake, ids = engine()
    async with make_app(fake).run_test(size=SIZE) as pilot:
        await dashboard(pilot)
        table = await view(pilot, "3", VolumesScreen)
        await cursor_to(pilot, table, "pgdata")
        await pilot.press("D")
        await wait_until(lambda: isinstance(pilot.app.screen, ConfirmResourceRemove), "the dialog", pilot=pilot)
        assert "Mounted by web" in await shows(pilot, "Mounted by web")
        await pilot.press("y")
        await drawn_toast(pilot, "volume is in use")
        assert "pgdata" in fake.resources.volumes
        await cursor_to(pilot, table, "orphan")
        await pilot.press("D", "y")
        await drawn_toast(pilot, "Removed volume orphan")
        await shows(pilot, "orphan", present=False)


async def test_connect_and_disconnect_choose_the_container_in_a_dialog():
    fake, ids = engine()
    async with make_app(fake).run_test(size=SIZE) as pilot:
        await dashboard(pilot)
        table = await view(pilot, "4", NetworksScreen)
        await cursor_to(pilot, table, ids["back"])
        await pilot.press("d")
        await drawn_toast(pilot, "Disconnect: no container is on back")
        await pilot.press("c")
        await wait_until(lambda: isinstance(pilot.app.screen, ChooseContainerDialog), "the chooser", pilot=pilot)
        text = await shows(pilot, "old  (exited)")
        assert "web  (running)" in text
        await pilot.press("down", "enter")  # the second: web
        await drawn_toast(pilot, "Connected web to back")
        await shows(pilot, "web 172.19.0.2/16")
        await pilot.press("d")
        await wait_until(lambda: isinstance(pilot.app.screen, ChooseContainerDialog), "the chooser", pilot=pilot)
        await pilot.press("enter")
        await drawn_toast(pilot, "Disconnected web from back")
        await shows(pilot, "web 172.19.0.2/16", present=False)
        await cursor_to(pilot, table, ids["front"])
        await pilot.press("D", "y")
        await drawn_toast(pilot, "has active endpoints")  # the engine's words


@pytest.mark.parametrize("key,kind", [("2", ImagesScreen), ("3", VolumesScreen), ("4", NetworksScreen)])
async def test_read_only_hides_every_view_action_that_changes_something(key, kind):
    fake, ids = engine()
    async with make_app(fake, read_only=True).run_test(size=SIZE) as pilot:
        await dashboard(pilot)
        await view(pilot, key, kind)
        screen = pilot.app.screen
        for action_id in MUTATING:
            if BY_ID[action_id].scope in (Scope.RESOURCES, kind.OWN_SCOPE):
                assert screen.check_action(action_id, ()) is False, action_id
        helps = {c.help for c in pilot.app.get_system_commands(screen)}
        assert not helps & {BY_ID[a].description for a in MUTATING}
        assert "D Remove" not in screen_text(pilot.app) and "READ-ONLY" in screen_text(pilot.app)
        await pilot.press("D")
        await drawn_toast(pilot, "Read-only: remove is turned off")
        assert not [c for c in fake.calls if c[0].startswith("remove_")]


async def test_a_view_re_lists_slowly_what_no_event_says():
    # Podman 4 sends no event when a network is created: the slow re-list still finds it.
    fake, ids = engine()
    async with make_app(fake, reconcile_interval=0.3).run_test(size=SIZE) as pilot:
        await dashboard(pilot)
        await view(pilot, "4", NetworksScreen)
        subscribers, fake._subscribers = fake._subscribers, []  # the event goes nowhere
        fake.resources.add_network("quiet")
        fake._subscribers = subscribers
        await shows(pilot, "quiet")


async def test_volume_sizes_are_asked_when_the_view_opens_not_every_slow_re_list_and_kept_meanwhile():
    """/system/df measures every volume: the slow re-list leaves it out, and a re-list draws the sizes it
    knows until the engine answers again; a re-list that finds nothing new draws nothing."""
    fake, ids = engine()
    asked: list[bool] = []
    gate = asyncio.Event()
    gate.set()
    real_list = fake.list_volumes

    async def list_volumes(*, sizes=True):  # the fake's own answer, counted and held back on demand
        asked.append(sizes)
        if sizes:
            await gate.wait()
        return await real_list(sizes=sizes)

    fake.list_volumes = list_volumes
    async with make_app(fake, reconcile_interval=0.3).run_test(size=SIZE) as pilot:
        await dashboard(pilot)
        table = await view(pilot, "3", VolumesScreen)
        await shows(pilot, "1.6G")
        table.show_count = 0
        real_show = table.show

        def counted_show(*args, **kwargs):
            table.show_count += 1
            return real_show(*args, **kwargs)

        table.show = counted_show
        opened = len(asked)
        await wait_until(lambda: asked[opened:].count(False) >= 3, "three slow re-lists", pilot=pilot)
        assert True not in asked[opened:], "a slow re-list asked the engine for sizes"
        assert table.show_count == 0, "a re-list that found nothing new rebuilt the table"
        assert "1.6G" in screen_text(pilot.app)

        await pilot.press("1")
        await wait_until(lambda: isinstance(pilot.app.screen, DashboardScreen), "the container list", pilot=pilot)
        gate.clear()  # the engine is slow to measure this time
        fake.resources.add_volume("fresh", size=5 << 20)
        await pilot.press("3")
        await shows(pilot, "fresh")  # the quick list is drawn...
        assert "1.6G" in screen_text(pilot.app)  # ...with the sizes known from before
        gate.set()
        await shows(pilot, "5.0M")
