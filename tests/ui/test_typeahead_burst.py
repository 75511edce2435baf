"""Keys that arrive in one burst after a key that moves the focus go where the focus went.

Each key is posted to the app without waiting for the one before it, as one
terminal read of several keys delivers them (SSH, a paste, fast typing).
"""

from __future__ import annotations

from textual.widgets import Input

from tests.logs.pane_helpers import settle_logs
from tests.ui.conftest import burst, dashboard, make_app, move_to
from tests.waits import wait_until
from tui.engine import FakeEngine
from tui.dashboard.screen import DashboardScreen


def engine() -> tuple[FakeEngine, str]:
    fake = FakeEngine()
    web = fake.add_container("web", "nginx")
    fake.add_container("db", "postgres")
    for i in range(5):
        fake.emit_log(web, f"line {i}\n")
    return fake, web


async def test_text_typed_right_after_slash_goes_to_the_filter_not_to_the_list():
    fake, web = engine()
    async with make_app(fake).run_test(size=(160, 40)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, web)
        calls_before = list(fake.calls)
        # e would open a shell, b swap the layout, s start, x stop: as list keys.
        burst(pilot.app, ["slash", *"websx"])
        box = await wait_until(lambda: next(iter(screen.query("#filter").results(Input)), None), "the filter box",
                               pilot=pilot)
        await wait_until(lambda: box.value == "websx", "the filter to hold 'websx'", pilot=pilot,
                         detail=lambda: (box.value, pilot.app.focused))
        assert isinstance(pilot.app.screen, DashboardScreen) and pilot.app.focused is box
        assert fake.calls == calls_before, "a key of the burst acted on a container"
        assert not screen.query("ShellPane"), "a key of the burst opened a shell"


async def test_text_typed_right_after_ctrl_f_goes_to_the_pane_search():
    fake, web = engine()
    async with make_app(fake).run_test(size=(160, 40)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, web)
        pane = await settle_logs(pilot, lines=5)
        await pilot.press("l")
        burst(pilot.app, ["ctrl+f", *"nNtw"])  # next, previous, timestamps, wrap as pane keys
        box = pane.query_one("#query", Input)
        await wait_until(lambda: box.value == "nNtw", "the search box to hold 'nNtw'", pilot=pilot,
                         detail=lambda: (box.value, pilot.app.focused))
        assert not pane.view.show_timestamps and not pane.view.wrap


async def test_a_view_opened_and_filtered_in_one_burst_gets_the_whole_filter():
    """`2 / word` in one read: the images view's own first focus (its table, once mounted) must
    not take the focus back from the filter `/` opened meanwhile; `t` would then tag an image."""
    from tui.views.dialogs import TagImageDialog
    from tui.views.kinds import ImagesScreen

    fake, _ = engine()
    fake.resources.add_image("bosun-test:latest")
    fake.resources.add_image("nginx:1.27")
    async with make_app(fake).run_test(size=(170, 48)) as pilot:
        await dashboard(pilot)
        burst(pilot.app, ["2", "slash", *"bosun-test", "enter"])
        view = await wait_until(lambda: pilot.app.screen if isinstance(pilot.app.screen, ImagesScreen) else None,
                                "the images view", pilot=pilot)
        box = view.query_one("#view-filter", Input)
        await wait_until(lambda: box.value == "bosun-test" and pilot.app.focused is view.table,
                         "the filter to hold 'bosun-test', the keys back at the table", pilot=pilot,
                         detail=lambda: (box.value, pilot.app.focused, pilot.app.screen))
        assert not isinstance(pilot.app.screen, TagImageDialog)
