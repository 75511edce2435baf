"""The views on real Docker and Podman: what another client does (tag, volume create, connect) shows live."""

from __future__ import annotations

import pytest

from tests.engine.resource_harness import Resources
from tests.waits import wait_until
from tui.views.kinds import ImagesScreen, NetworksScreen, VolumesScreen

from .conftest import dashboard, screen_text
from .test_dashboard_real_engines import app_for

pytestmark = pytest.mark.engine


async def _view(pilot, key: str, kind: type) -> None:
    await pilot.press(key)
    await wait_until(lambda: isinstance(pilot.app.screen, kind) and pilot.app.screen.listed,
                     f"the {kind.VIEW} view", pilot=pilot)


async def test_each_view_follows_what_another_client_does(real):
    made = Resources(real)
    try:
        repo = made.name("live")
        image_id = await made.image(f"{repo}:one")
        async with app_for(real).run_test(size=(200, 40)) as pilot:
            await dashboard(pilot)
            await _view(pilot, "2", ImagesScreen)
            screen = pilot.app.screen
            await wait_until(lambda: image_id in screen.items, "the imported image listed", pilot=pilot)
            await real.engine.tag_image(image_id, repo, "two")  # as `docker tag` would
            await wait_until(lambda: len(screen.items[image_id].tags) == 2, "the new tag, from the event",
                             pilot=pilot, detail=lambda: screen.items[image_id].tags)
            # Podman calls it docker.io/library/<repo>:two: long enough for the column to cut it.
            await pilot.press("slash", *f"{repo}:two", "enter")
            await wait_until(lambda: screen.table.keys == [image_id], "the filter finding the new tag", pilot=pilot)
            await pilot.press("escape")
            await _view(pilot, "3", VolumesScreen)
            volume = await made.volume(made.name("livevol"))
            await wait_until(lambda: volume in screen_text(pilot.app), "the new volume, from the event",
                             pilot=pilot, detail=lambda: screen_text(pilot.app))
            network_id = await made.network(made.name("livenet"))
            container = await made.container("livec")
            await _view(pilot, "4", NetworksScreen)
            await wait_until(lambda: network_id in pilot.app.screen.items, "the network listed", pilot=pilot)
            await real.engine.connect_network(network_id, container)
            await wait_until(lambda: pilot.app.screen.items[network_id].attachments, "the container attached, "
                             "from the connect event", pilot=pilot)
            await wait_until(lambda: made.name("livec") in screen_text(pilot.app), "the attachment drawn",
                             pilot=pilot, detail=lambda: screen_text(pilot.app))
    finally:
        await made.cleanup()
