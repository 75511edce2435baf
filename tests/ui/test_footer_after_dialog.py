"""The footer shows the focused part's keys after a dialog closed, even one that took a footer rebuild with it.

Seen in a real terminal (the log pane scenario, about one suite run in three): ctrl+s,
Enter, escape. The focus went back to the list, but the footer still said
"esc Back to list" for good. Textual runs an after-refresh callback with the screen on
top when the footer reads the request; the save dialog dismissed itself from its worker
just then, and the footer's queued rebuild went with the dialog. The dialog dropping the
callback is forced here, as the race does it, so the test does not depend on timing.
"""

from __future__ import annotations

from textual.screen import ModalScreen
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from tui.testing.waits import wait_until
from tui.widgets.footer import LeanFooter

from .conftest import dashboard, make_app, screen_text
from .test_dashboard import three


class ClosingDialog(ModalScreen[None]):
    """A dialog that, like one closing before its next refresh, never runs the callbacks handed to it."""

    def __init__(self) -> None:
        super().__init__()
        self.dropped: list = []

    def compose(self):
        yield Static("a dialog")

    def _invoke_later(self, callback, sender) -> None:
        self.dropped.append(callback)


def footer_keys(footer: LeanFooter) -> list[str]:
    return [key.description for key in footer.query(FooterKey)]


async def test_footer_follows_the_focus_after_a_dialog_dropped_its_rebuild():
    fake, ids = three()
    async with make_app(fake, stats=False).run_test(size=(160, 40)) as pilot:
        screen = await dashboard(pilot)
        footer = screen.query_one(LeanFooter)
        await wait_until(lambda: "Start" in footer_keys(footer) or "Stop" in footer_keys(footer),
                         "the list's keys in the footer", pilot=pilot, detail=lambda: footer_keys(footer))

        dialog = ClosingDialog()
        await pilot.app.push_screen(dialog)
        await wait_until(lambda: pilot.app.screen is dialog, "the dialog on top", pilot=pilot)
        screen.refresh_bindings()  # the dashboard's keys change while the dialog is up (a stats round, a toast)
        await wait_until(lambda: dialog.dropped, "the footer's rebuild handed to the dialog", pilot=pilot)
        dialog.dismiss(None)
        await wait_until(lambda: pilot.app.screen is screen, "the dashboard back on top", pilot=pilot)

        await pilot.press("l")  # into the log pane, as escape back to the list does the other way
        await wait_until(lambda: "Back to list" in footer_keys(footer),
                         "the log pane's keys in the footer once the pane has the focus", pilot=pilot,
                         detail=lambda: f"focused: {pilot.app.focused!r}; footer: {footer_keys(footer)}")
        await pilot.press("escape")
        await wait_until(lambda: "Back to list" not in footer_keys(footer),
                         "the list's keys again after escape", pilot=pilot,
                         detail=lambda: f"focused: {pilot.app.focused!r}; footer: {footer_keys(footer)}")
        assert "Back to list" not in screen_text(pilot.app)
