"""`y` on the inspect screen: the value under the cursor, a section as JSON, the JSON view's mouse
selection; masked secrets are not copied until revealed; hostile values are copied as shown."""

from __future__ import annotations

import json

from textual.widgets import TextArea

from tests.test_inspect_screen import DOCUMENT, EVIL_LABEL, InspectApp, tree_of
from tests.ui.conftest import screen_text
from tests.waits import wait_until
from tui.screens.inspect import InspectScreen


def node_at(app, *path):
    node = tree_of(app).root
    for key in path:
        node = next(child for child in node.children if child.data.key == key)
    return node


async def put_cursor(pilot, *path) -> None:
    tree_of(pilot.app).jump_to(node_at(pilot.app, *path))
    await pilot.pause()


async def toast(pilot, text: str) -> None:
    await wait_until(lambda: text in screen_text(pilot.app), f"the toast {text!r} drawn", pilot=pilot,
                     detail=lambda: screen_text(pilot.app))


async def test_y_copies_the_value_under_the_cursor():
    app = InspectApp()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await put_cursor(pilot, "Path")
        await pilot.press("y")
        assert app.clipboard == "docker-entrypoint.sh"  # unquoted, as a value
        await toast(pilot, "Copied the value of Path")
        await put_cursor(pilot, "State", "Pid")
        await pilot.press("y")
        assert app.clipboard == "4242"


async def test_y_on_a_section_copies_it_as_json():
    app = InspectApp()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await put_cursor(pilot, "HostConfig", "RestartPolicy")
        await pilot.press("y")
        assert json.loads(app.clipboard) == {"Name": "unless-stopped", "MaximumRetryCount": 0}
        await toast(pilot, "Copied RestartPolicy as JSON")


async def test_a_masked_secret_is_not_copied_until_revealed():
    app = InspectApp()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await put_cursor(pilot, "Config", "Env", 1)
        await pilot.press("y")
        await toast(pilot, "hidden as a secret")
        assert "hunter2" not in app.clipboard
        await pilot.press("v", "y")
        assert app.clipboard == "DB_PASSWORD=hunter2"


async def test_a_hostile_value_is_copied_as_shown_without_its_escape():
    app = InspectApp()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await put_cursor(pilot, "Config", "Labels", "evil")
        await pilot.press("y")
        assert "\x1b" not in app.clipboard and "\x07" not in app.clipboard
        assert app.clipboard == "␛]52;c;aGk=␇[bold]x[/]" and EVIL_LABEL.startswith("\x1b]52")


async def test_json_view_copies_the_mouse_selection_else_the_cursor_line_value():
    app = InspectApp()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause()
        area = app.screen.query_one("#json", TextArea)
        assert isinstance(app.screen, InspectScreen) and app.focused is area
        # The cursor starts on `{`: move to `"Id": "…"` (line 2) and copy its value.
        await pilot.press("down")
        await pilot.press("y")
        assert app.clipboard == DOCUMENT["Id"]
        await toast(pilot, "Copied the value on the cursor line")
        # A drag over the third line selects part of it; y copies exactly the selection.
        await pilot.mouse_down(area, offset=(8, 2))
        await pilot.hover(area, offset=(14, 2))
        await pilot.mouse_up(area, offset=(14, 2))
        selected = area.selected_text
        assert selected and selected in area.document.get_line(2)
        await pilot.press("y")
        assert app.clipboard == selected
        await toast(pilot, f"Copied {len(selected)} characters")
