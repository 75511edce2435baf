"""The prune dialog on real Docker and Podman: bosun run with the session's label (as `--label` does)
previews only what carries it, prunes exactly that, and reports the engine's figures."""

from __future__ import annotations

import pytest

from textual.widgets import Checkbox

from tests.engine.prune_stuff import Stuff
from tests.waits import wait_until
from tui.app import BosunApp, RunOptions
from tui.dashboard.model import human_bytes
from tui.engine.prune import PruneKind
from tui.screens.prune import PruneScreen

from .conftest import dashboard, flat_settings, screen_text
from .test_busy_marks_real import app_for

pytestmark = pytest.mark.engine


async def test_prune_dialog_previews_and_prunes_the_labelled_things(real):
    stuff = Stuff(real)
    try:
        exited = await real.exited("job", 4)
        running = await real.idle("svc")
        dangling = await stuff.image("ui")
        await stuff.image("ui")
        async with app_for(real).run_test(size=(160, 48)) as pilot:
            screen = await dashboard(pilot)
            await pilot.press("X")
            dialog = await wait_until(lambda: pilot.app.screen if isinstance(pilot.app.screen, PruneScreen)
                                      else None, "the prune dialog", pilot=pilot)
            await wait_until(lambda: dialog.plan is not None and "to remove, freeing" in screen_text(pilot.app),
                             "the preview drawn", pilot=pilot, timeout=30)
            listed = {i.id.split(":")[-1] for i in dialog.plan.items}
            assert listed == {exited, dangling}, dialog.plan
            text = screen_text(pilot.app)
            assert real.name("job") in text and "<none>" in text  # (svc is in the list behind the dialog)
            await pilot.press("y")
            await wait_until(lambda: dialog.report is not None and "Removed 2, freed" in screen_text(pilot.app),
                             "the report drawn", pilot=pilot, timeout=30)
            assert not dialog.report.kept
            await pilot.press("escape")
            await wait_until(lambda: exited not in screen.summaries, "the pruned container gone from the list",
                             pilot=pilot)
        assert not await stuff.exists("image", dangling)
        assert (await real.engine.summary(running)).is_running
    finally:
        await stuff.cleanup()


async def test_prune_dialog_lists_a_builds_cache_and_reports_what_the_engine_freed(real):
    """Build cache only, unscoped (the cache carries no labels; nothing else is ticked, so nothing
    else on the shared engine is touched): Docker lists the records our build left with their sizes and
    reports what it reclaimed; Podman says it has none."""
    stuff = Stuff(real)
    try:
        mine = await stuff.build("dialog")
        settings = flat_settings(host=real.engine.url, stats=False)
        async with BosunApp(settings, RunOptions(persist_theme=False)).run_test(size=(160, 48)) as pilot:
            await dashboard(pilot)
            await pilot.press("X")
            dialog = await wait_until(lambda: pilot.app.screen if isinstance(pilot.app.screen, PruneScreen)
                                      else None, "the prune dialog", pilot=pilot)
            for kind in ("CONTAINERS", "IMAGES", "NETWORKS"):  # as a click on each box does
                dialog.query_one(f"#kind-{kind}", Checkbox).value = False
                await pilot.pause()
            await wait_until(lambda: dialog.chosen() == (frozenset({PruneKind.BUILD_CACHE}), False),
                             "only the build cache ticked", pilot=pilot)
            await wait_until(lambda: dialog.plan is not None and dialog.plan.kinds == {PruneKind.BUILD_CACHE}
                             and "Build cache:" in screen_text(pilot.app), "the build cache preview drawn",
                             pilot=pilot, timeout=30)
            plan = dialog.plan
            if real.kind == "podman":
                assert not mine and not plan.items
                await wait_until(lambda: "Podman keeps no build cache the API shows" in screen_text(pilot.app)
                                 and "Nothing to prune" in screen_text(pilot.app), "Podman's note drawn",
                                 pilot=pilot, detail=lambda: screen_text(pilot.app))
                return
            assert mine and mine <= {i.id for i in plan.items}, (mine, plan)
            sizes = {b["ID"]: b["Size"] for b in await stuff._cache_records()}
            assert all(i.size == sizes[i.id] for i in plan.items if i.id in sizes)  # the engine's figures
            text = screen_text(pilot.app)
            assert f"{len(plan.items)} to remove, freeing {human_bytes(plan.size())}" in text
            for record in mine:
                assert record[:12] in text
            await pilot.press("y")
            await wait_until(lambda: dialog.report is not None and "Removed" in screen_text(pilot.app),
                             "the report drawn", pilot=pilot, timeout=60)
            report = dialog.report
            assert mine <= {i.id for i in report.removed} | {i.id for i in report.gone}, report.kept
            assert report.freed == report.reclaimed > 0  # what the engine said it reclaimed
            await wait_until(lambda: f"Removed {len(report.removed)}, freed {human_bytes(report.freed)}"
                             in screen_text(pilot.app), "the freed figure drawn", pilot=pilot)
        assert not await stuff.cache_left(mine)
    finally:
        await stuff.cleanup()
