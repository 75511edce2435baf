"""The prune dialog (X, and the palette): the preview lists exactly what would go with the engine's sizes,
pruning removes exactly that, the report says what went and what was kept; read-only has none of it."""

from __future__ import annotations

from tests.waits import wait_until
from tui.engine import FakeEngine, State
from tui.engine.prune import PruneKind
from tui.screens.prune import PruneScreen

from .conftest import dashboard, make_app, screen_text

MB = 1 << 20


def engine() -> tuple[FakeEngine, dict[str, str]]:
    fake = FakeEngine()
    ids = {
        "web": fake.add_container("web", "nginx:1"),
        "old": fake.add_container("old-job", "alpine:3", state=State.EXITED, exit_code=0),
    }
    s = fake.storage
    s.container_sizes[ids["old"]] = 3 * MB
    ids["nginx"] = s.add_image("nginx:1", size=150 * MB)
    ids["alpine"] = s.add_image("alpine:3", size=8 * MB)
    ids["dangling"] = s.add_image(size=40 * MB)
    ids["unused_tagged"] = s.add_image("tool:2", size=20 * MB)
    ids["spare_vol"] = s.add_volume("spare-data", size=7 * MB)
    ids["used_vol"] = s.add_volume("web-data", size=9 * MB, mounted_by=(ids["web"],))
    ids["spare_net"] = s.add_network("legacy-net")
    ids["cache"] = s.add_cache(30 * MB)
    return fake, ids


async def open_prune(pilot):
    await pilot.press("X")
    dialog = await wait_until(lambda: pilot.app.screen if isinstance(pilot.app.screen, PruneScreen) else None,
                              "the prune dialog", pilot=pilot)
    await wait_until(lambda: dialog.plan is not None, "the preview", pilot=pilot)
    await pilot.pause()
    return dialog


async def test_the_preview_lists_each_item_and_the_space_it_frees():
    fake, ids = engine()
    async with make_app(fake, stats=False).run_test(size=(140, 48)) as pilot:
        await dashboard(pilot)
        dialog = await open_prune(pilot)
        text = screen_text(pilot.app)
        # Default: stopped containers, dangling images, networks, build cache; not volumes, not tagged images.
        assert {i.id for i in dialog.plan.items} == {ids["old"], ids["dangling"], ids["spare_net"], ids["cache"]}
        assert "old-job" in text and "3.0M" in text and "<none>" in text and "40.0M" in text
        assert "legacy-net" in text and "spare-data" not in text and "tool:2" not in text
        assert "4 to remove, freeing 73.0M" in text
        assert "Prune 4" in text
        assert not fake.storage.removed and ("remove", ids["old"]) not in fake.calls  # a preview changes nothing


async def test_ticking_volumes_and_all_images_changes_the_preview():
    fake, ids = engine()
    async with make_app(fake, stats=False).run_test(size=(140, 48)) as pilot:
        await dashboard(pilot)
        dialog = await open_prune(pilot)
        first = dialog.plan
        dialog.query_one(f"#kind-{PruneKind.VOLUMES.name}").value = True
        dialog.query_one("#kind-ALL_IMAGES").value = True
        await wait_until(lambda: dialog.plan is not None and dialog.plan is not first
                         and PruneKind.VOLUMES in dialog.plan.kinds and dialog.plan.all_images,
                         "the preview with volumes and every unused image", pilot=pilot)
        await pilot.pause()
        ids_listed = {i.id for i in dialog.plan.items}
        assert ids["spare_vol"] in ids_listed and ids["used_vol"] not in ids_listed
        assert ids["unused_tagged"] in ids_listed and ids["nginx"] not in ids_listed
        text = screen_text(pilot.app)
        assert "spare-data" in text and "tool:2" in text and "web-data" not in text


async def test_escape_cancels_and_removes_nothing():
    fake, ids = engine()
    async with make_app(fake, stats=False).run_test(size=(140, 48)) as pilot:
        screen = await dashboard(pilot)
        await open_prune(pilot)
        await pilot.press("escape")
        await wait_until(lambda: pilot.app.screen is screen, "back on the dashboard", pilot=pilot)
        assert not fake.storage.removed
        assert ids["old"] in fake.container_ids()


async def test_prune_removes_exactly_the_listed_and_reports_what_was_freed():
    fake, ids = engine()
    async with make_app(fake, stats=False).run_test(size=(140, 48)) as pilot:
        screen = await dashboard(pilot)
        dialog = await open_prune(pilot)
        listed = {(i.kind, i.id) for i in dialog.plan.items}
        # Stopped after the preview: not in the plan, so it stays.
        late = fake.add_container("late-job", state=State.EXITED, exit_code=1)
        await pilot.press("y")
        await wait_until(lambda: dialog.report is not None, "the prune report", pilot=pilot)
        await pilot.pause()
        assert set(fake.storage.removed) == listed
        assert late in fake.container_ids() and ids["old"] not in fake.container_ids()
        text = screen_text(pilot.app)
        assert "Removed 4, freed 73.0M" in text
        assert "Pruned 4, freed 73.0M" in text  # the toast
        await pilot.press("escape")
        await wait_until(lambda: pilot.app.screen is screen, "back on the dashboard", pilot=pilot)
        await wait_until(lambda: ids["old"] not in screen.summaries, "the pruned container gone from the list",
                         pilot=pilot)


async def test_what_the_engine_refuses_is_reported_in_its_words():
    fake, ids = engine()
    async with make_app(fake, stats=False).run_test(size=(140, 48)) as pilot:
        await dashboard(pilot)
        dialog = await open_prune(pilot)
        await fake.start(ids["old"])  # running again since the preview: the engine refuses to remove it
        await pilot.press("y")
        await wait_until(lambda: dialog.report is not None, "the prune report", pilot=pilot)
        await pilot.pause()
        text = " ".join(screen_text(pilot.app).split())
        assert "Kept 1:" in text and "old-job: fake: You cannot remove a running container" in text
        assert ids["old"] in fake.container_ids()


async def test_prune_is_scoped_to_the_lists_labels():
    fake, ids = engine()
    mine = fake.add_container("mine", state=State.EXITED, labels={"team": "a"})
    async with make_app(fake, stats=False, labels={"team": "a"}).run_test(size=(140, 48)) as pilot:
        await dashboard(pilot)
        dialog = await open_prune(pilot)
        assert {i.id for i in dialog.plan.items} == {mine}
        assert "only what carries team=a" in screen_text(pilot.app)


async def test_read_only_has_no_prune_key_nor_palette_entry():
    fake, ids = engine()
    async with make_app(fake, stats=False, read_only=True).run_test(size=(140, 48)) as pilot:
        screen = await dashboard(pilot)
        assert screen.check_action("prune", ()) is False
        assert not [c for c in pilot.app.get_system_commands(screen) if "Prune" in c.title]
        await pilot.press("X")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, PruneScreen)
        assert not fake.storage.removed


async def test_the_palette_opens_prune_and_disk_usage():
    fake, ids = engine()
    async with make_app(fake, stats=False).run_test(size=(140, 48)) as pilot:
        screen = await dashboard(pilot)
        titles = {c.title for c in pilot.app.get_system_commands(screen)}
        assert {"Dashboard: Prune", "Dashboard: Disk usage", "List: Remove all exited", "List: Select all",
                "List: Invert selection"} <= titles


async def test_read_only_prune_key_says_why():
    fake, ids = engine()
    async with make_app(fake, stats=False, read_only=True).run_test(size=(140, 48)) as pilot:
        await dashboard(pilot)
        await pilot.press("X")
        await wait_until(lambda: "Read-only: prune is turned off" in screen_text(pilot.app), "the read-only toast",
                         pilot=pilot)
        assert not isinstance(pilot.app.screen, PruneScreen)


async def test_a_remapped_prune_key_works_and_x_then_does_nothing():
    fake, ids = engine()
    async with make_app(fake, stats=False, keys={"prune": "ctrl+x"}).run_test(size=(140, 48)) as pilot:
        screen = await dashboard(pilot)
        await pilot.press("X")
        await pilot.pause()
        assert pilot.app.screen is screen
        await pilot.press("ctrl+x")
        await wait_until(lambda: isinstance(pilot.app.screen, PruneScreen), "the prune dialog on ctrl+x",
                         pilot=pilot)
