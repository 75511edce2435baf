"""Moving around the dashboard must not leave dead footer widgets behind (Textual 8.2.8 did)."""

from __future__ import annotations

import gc

from textual.widgets._footer import FooterKey

from .conftest import dashboard, make_app
from .test_dashboard import three


def live_footer_keys() -> int:
    gc.collect()
    return sum(isinstance(o, FooterKey) for o in gc.get_objects())


async def test_footer_keys_do_not_pile_up():
    fake, ids = three()
    async with make_app(fake, stats=False).run_test(size=(140, 30)) as pilot:
        await dashboard(pilot)
        for _ in range(5):
            await pilot.press("down", "down", "down", "up", "up", "up")
        before = live_footer_keys()
        for _ in range(40):
            # Rows whose enabled keys differ (running, exited, group header):
            # each move rebuilds the footer.
            await pilot.press("down", "down", "down", "up", "up", "up")
        assert live_footer_keys() <= before + 20
