"""The prune dialog on real Docker and Podman: bosun run with the session's label (as `--label` does)
previews only what carries it, prunes exactly that, and reports the engine's figures."""

from __future__ import annotations

import pytest

from tests.engine.prune_stuff import Stuff
from tests.waits import wait_until
from tui.screens.prune import PruneScreen

from .conftest import dashboard, screen_text
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
