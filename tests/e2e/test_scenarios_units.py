"""Scenarios of issue 14's units part on the demo engine, at 160×48 and 80×24: a compose project restarted
from its header, prune previewed then cancelled then done, disk usage, select all and invert."""

from __future__ import annotations

import pytest

from tests.e2e.scenario import SIZES, covers
from tests.e2e.test_scenarios_list import demo

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("size", SIZES)
@covers("r", "y", "escape", "q")
def test_restart_a_compose_project_from_its_header(bosun, size):
    app = demo(bosun, size)
    app.goto("shop")
    app.press("r")
    app.see("Restart shop: its 4 containers?")
    app.press("escape")  # nothing happens without the answer
    app.gone("Restart shop")
    app.see_row("shop-db-1", r"up 3h")
    app.press("r")
    app.see("Restart shop: its 4 containers?")
    app.press("y")
    app.gone("Restart shop")
    for name in ("shop-web-1", "shop-db-1", "shop-worker-1"):
        app.see_row(name, r"\s up \d+s\b")  # all of them restarted, the exited worker too
    app.see_row("metrics-prometheus-1", r"up 1d")  # no part of the project
    app.quit()


@pytest.mark.parametrize("size", SIZES)
@covers("X", "escape", "y", "q")
def test_prune_preview_cancelled_then_done(bosun, size):
    app = demo(bosun, size)
    app.press("X")
    app.see("7 to remove, freeing 1.0G")
    app.see("nightly-backup")
    app.press("escape")
    app.gone("to remove, freeing")
    app.see_row("nightly-backup", r"exited")  # cancelled: nothing went
    app.press("X")
    app.see("7 to remove, freeing 1.0G")
    app.press("y")
    app.see("Removed 7, freed 1.0G")
    app.press("escape")
    app.gone("Removed 7")
    app.no_row("nightly-backup")
    app.no_row("builder")
    app.see_row("shop-web-1", r"healthy")
    app.quit()


@pytest.mark.parametrize("size", SIZES)
@covers("U", "A", "V", "escape", "q")
def test_disk_usage_and_selecting_everything(bosun, size):
    app = demo(bosun, size)
    app.press("U")
    app.see("RECLAIMABLE")
    app.see("Build cache")
    app.press("escape")
    app.gone("RECLAIMABLE")
    app.press("A")
    app.see_toast("Selected 10 containers")
    app.press("V")
    app.see_toast("0 containers selected in view")
    app.quit()
