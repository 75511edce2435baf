"""Keys that arrive in one burst (SSH, a paste) land where a user meant them in the shell options dialog.

Each key here is posted to the app without waiting for the one before it to be
handled, as a terminal read of several keys at once delivers them.
"""

from __future__ import annotations

from textual.widgets import Input

from tests.ui.conftest import burst, dashboard, make_app, move_to
from tests.waits import wait_until
from tui.engine import FakeEngine


def fields(app) -> dict[str, str]:
    return {box.id: box.value for box in app.screen.query(Input).results(Input)}


async def test_text_typed_right_after_tab_goes_to_the_next_field():
    fake = FakeEngine()
    web = fake.add_container("web", "nginx")
    async with make_app(fake).run_test(size=(160, 40)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, web)
        await pilot.press("E")
        await wait_until(lambda: type(pilot.app.screen).__name__ == "ShellOptionsScreen", "the shell options dialog",
                         pilot=pilot)
        await wait_until(lambda: isinstance(pilot.app.focused, Input), "the first field focused", pilot=pilot)
        burst(pilot.app, [*"root", "tab", *"/tmp", "tab", *"A=1", "shift+tab", "shift+tab", *"x"])
        # A field reached again with shift+tab has its text selected (as in any form): x replaces it.
        expected = {"user": "x", "workdir": "/tmp", "env": "A=1", "command": ""}
        await wait_until(lambda: fields(pilot.app) == expected, f"the fields to read {expected}", pilot=pilot,
                         detail=lambda: fields(pilot.app))
