"""Several engines in view, past the container list (fake members): the resource views list every engine's
items with an engine column and act on the item's own engine; prune plans and reports per engine; processes
and files are the container's own engine's; a read-only engine refuses, naming itself."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from tests.ui.conftest import move_to, screen_text
from tests.ui.test_multi_engine import fleet_app, fleet_dashboard, key_of
from tests.ui.test_toasts import drawn_toast
from tests.waits import wait_until
from tui.engine import State
from tui.engine import fleet as fleet_module
from tui.screens.disk_usage import DiskUsageScreen
from tui.screens.processes import ProcessesScreen, SignalScreen
from tui.screens.prune import PruneScreen
from tui.testing.fleet_fakes import DownableFake, fake_spec
from tui.views.dialogs import ConfirmResourceRemove
from tui.views.kinds import ImagesScreen, VolumesScreen

SIZE = (160, 40)
MB = 1 << 20


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    monkeypatch.setattr(fleet_module, "RETRY_DELAYS", (0.05, 0.1))


def fakes():
    laptop, prod = DownableFake("laptop"), DownableFake("prod")
    ids = {}
    for name, fake in (("laptop", laptop), ("prod", prod)):
        ids[f"{name}-web"] = fake.add_container("web", "nginx:1")
        ids[f"{name}-tool"] = fake.resources.add_image(f"{name}-tool:1", size=3 * MB)
        fake.resources.add_volume("data", size=MB)
        ids[f"{name}-old"] = fake.add_container("old-job", "alpine:3", state=State.EXITED, exit_code=0)
        fake.storage.container_sizes[ids[f"{name}-old"]] = 2 * MB
        fake.storage.add_image(size=10 * MB)
    return laptop, prod, ids


async def open_view(pilot, key: str, kind: type):
    await pilot.press(key)
    screen = await wait_until(lambda: pilot.app.screen if isinstance(pilot.app.screen, kind)
                              and pilot.app.screen.listed else None, f"the {kind.VIEW} view", pilot=pilot)
    await pilot.pause()
    return screen


async def cursor_on(pilot, screen, key: str) -> None:
    table = screen.table
    await wait_until(lambda: key in table.keys, f"row {key}", pilot=pilot, detail=lambda: table.keys)
    table.move_cursor(row=table.keys.index(key))
    await pilot.pause()


async def test_images_view_lists_each_engines_images_and_removes_on_the_items_own_engine():
    laptop, prod, ids = fakes()
    app = fleet_app([fake_spec("laptop"), fake_spec("prod")], {"laptop": laptop, "prod": prod})
    async with app.run_test(size=SIZE) as pilot:
        await fleet_dashboard(pilot, "laptop", "prod")
        screen = await open_view(pilot, "2", ImagesScreen)
        await wait_until(lambda: {f"laptop/{ids['laptop-tool']}", f"prod/{ids['prod-tool']}"} <= set(screen.items),
                         "both engines' images", pilot=pilot, detail=lambda: list(screen.items))
        text = screen_text(app)
        assert "ENGINE" in text and "laptop-tool:1" in text and "prod-tool:1" in text
        row = next(line for line in text.splitlines() if "prod-tool:1" in line)
        assert "prod" in row.split("prod-tool")[0]  # the engine named on the row, before the tags
        assert ids["prod-tool"].removeprefix("sha256:")[:12] in row  # the engine's own id, not the key

        await cursor_on(pilot, screen, f"prod/{ids['prod-tool']}")
        await pilot.press("D")
        await wait_until(lambda: isinstance(app.screen, ConfirmResourceRemove), "the remove dialog", pilot=pilot)
        await pilot.press("y")
        await drawn_toast(pilot, "Removed image prod-tool:1")
        assert ids["prod-tool"] not in prod.resources.images and ids["laptop-tool"] in laptop.resources.images

        # The filter matches an engine's name.
        await pilot.press("slash", *"laptop", "enter")
        await wait_until(lambda: all(k.startswith("laptop/") for k in screen.table.keys) and screen.table.keys,
                         "only laptop's rows", pilot=pilot, detail=lambda: screen.table.keys)


async def test_a_read_only_engines_items_refuse_removal_naming_it():
    laptop, prod, ids = fakes()
    app = fleet_app([fake_spec("laptop"), fake_spec("prod", read_only=True)], {"laptop": laptop, "prod": prod})
    async with app.run_test(size=SIZE) as pilot:
        await fleet_dashboard(pilot, "laptop", "prod")
        screen = await open_view(pilot, "3", VolumesScreen)
        await cursor_on(pilot, screen, "prod/data")
        assert screen.why_not("remove_resource") == "Read-only: remove is turned off on prod"
        await pilot.press("D")
        await drawn_toast(pilot, "turned off on prod")
        assert not isinstance(app.screen, ConfirmResourceRemove)
        assert "data" in prod.resources.volumes
        await cursor_on(pilot, screen, "laptop/data")
        assert screen.why_not("remove_resource") is None
        row = next(line for line in screen_text(app).splitlines() if "laptop" in line and "data" in line)
        assert "laptop/data" not in row  # the volume's own name on the row, the engine in its column


async def test_prune_plans_each_writable_engine_with_its_share_and_reports_per_engine():
    laptop, prod, ids = fakes()
    app = fleet_app([fake_spec("laptop"), fake_spec("prod")], {"laptop": laptop, "prod": prod})
    async with app.run_test(size=(140, 48)) as pilot:
        await fleet_dashboard(pilot, "laptop", "prod")
        await pilot.press("X")
        dialog = await wait_until(lambda: app.screen if isinstance(app.screen, PruneScreen) else None,
                                  "the prune dialog", pilot=pilot)
        await wait_until(lambda: dialog.plan is not None, "the preview", pilot=pilot)
        await pilot.pause()
        text = screen_text(app)
        assert "laptop: 2, 12.0M" in text and "prod: 2, 12.0M" in text, text
        assert "4 to remove, freeing 24.0M" in text
        await pilot.click("#prune")
        await wait_until(lambda: dialog.report is not None, "the report", pilot=pilot)
        await pilot.pause()
        text = screen_text(app)
        assert "laptop: removed 2, freed 12.0M" in text and "prod: removed 2, freed 12.0M" in text, text
        assert ids["laptop-old"] not in laptop.container_ids() and ids["prod-old"] not in prod.container_ids()


async def test_prune_leaves_a_read_only_engine_out_and_says_so():
    laptop, prod, ids = fakes()
    app = fleet_app([fake_spec("laptop"), fake_spec("prod", read_only=True)], {"laptop": laptop, "prod": prod})
    async with app.run_test(size=(140, 48)) as pilot:
        dash = await fleet_dashboard(pilot, "laptop", "prod")
        await move_to(pilot, dash, key_of(dash, "prod", "web"))  # the cursor's engine does not matter to prune
        await pilot.press("X")
        dialog = await wait_until(lambda: app.screen if isinstance(app.screen, PruneScreen) else None,
                                  "the prune dialog", pilot=pilot, detail=lambda: screen_text(app))
        await wait_until(lambda: dialog.plan is not None, "the preview", pilot=pilot)
        await pilot.pause()
        assert dialog.plan.engines() == ["laptop"]
        assert "prod: read-only, left out" in screen_text(app)


async def test_disk_usage_shows_each_engines_rows():
    laptop, prod, _ = fakes()
    app = fleet_app([fake_spec("laptop"), fake_spec("prod")], {"laptop": laptop, "prod": prod})
    async with app.run_test(size=(140, 48)) as pilot:
        await fleet_dashboard(pilot, "laptop", "prod")
        await pilot.press("U")
        dialog = await wait_until(lambda: app.screen if isinstance(app.screen, DiskUsageScreen) else None,
                                  "the disk usage dialog", pilot=pilot)
        await wait_until(lambda: dialog.usage is not None, "the figures", pilot=pilot)
        await pilot.pause()
        lines = screen_text(app).splitlines()
        assert any("ENGINE" in line and "TYPE" in line for line in lines)
        assert any("laptop" in line and "Images" in line for line in lines)
        assert any("prod" in line and "Images" in line for line in lines)


async def test_processes_are_the_containers_own_engines_and_a_read_only_one_has_no_signal():
    laptop, prod, ids = fakes()
    app = fleet_app([fake_spec("laptop"), fake_spec("prod", read_only=True)], {"laptop": laptop, "prod": prod})
    async with app.run_test(size=SIZE) as pilot:
        dash = await fleet_dashboard(pilot, "laptop", "prod")
        await move_to(pilot, dash, key_of(dash, "prod", "web"))
        await pilot.press("u")
        screen = await wait_until(lambda: app.screen if isinstance(app.screen, ProcessesScreen) else None,
                                  "prod's processes", pilot=pilot)
        await wait_until(lambda: screen.reads >= 1 and screen.query_one(DataTable).row_count > 0,
                         "the processes table", pilot=pilot, detail=lambda: screen_text(app))
        assert screen.check_action("signal", ()) is False
        await pilot.press("K")
        await pilot.pause()
        assert not isinstance(app.screen, SignalScreen) and prod.inside(ids["prod-web"]).signals == []
        await pilot.press("escape")
        await wait_until(lambda: app.screen is dash, "back on the list", pilot=pilot)

        await move_to(pilot, dash, key_of(dash, "laptop", "web"))
        await pilot.press("u")
        screen = await wait_until(lambda: app.screen if isinstance(app.screen, ProcessesScreen) else None,
                                  "laptop's processes", pilot=pilot)
        await wait_until(lambda: screen.reads >= 1 and screen.query_one(DataTable).row_count > 0,
                         "the processes table", pilot=pilot)
        await pilot.press("K")
        await wait_until(lambda: isinstance(app.screen, SignalScreen), "the signal dialog", pilot=pilot)
        await pilot.press("enter")  # SIGTERM
        await drawn_toast(pilot, "Sent SIGTERM")
        assert laptop.inside(ids["laptop-web"]).signals and prod.inside(ids["prod-web"]).signals == []
