"""Once the dashboard is up, what was built for it is frozen out of the cyclic collector's walks."""

from __future__ import annotations

import gc

from tests.waits import wait_until
from tui.engine import FakeEngine

from .conftest import dashboard, make_app


async def test_the_dashboard_up_freezes_what_the_start_built():
    gc.unfreeze()
    fake = FakeEngine()
    fake.add_container("web", "nginx")
    try:
        async with make_app(fake).run_test(size=(120, 30)) as pilot:
            screen = await dashboard(pilot)
            await wait_until(lambda: screen.panes is not None, "the panes", pilot=pilot)
            await wait_until(lambda: gc.get_freeze_count(), "what the start built frozen", pilot=pilot)
            assert gc.get_freeze_count() > 10_000, gc.get_freeze_count()  # modules, styles, widgets: not a few
    finally:
        gc.unfreeze()
