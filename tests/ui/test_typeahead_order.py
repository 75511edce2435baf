"""Typed keys land in the order they were typed, however they meet the app's other work.

The race: a key that moves the focus (`/`, ctrl+f) goes out to the focused widget,
comes back up unhandled and runs its binding there. The key typed right after it is
still on that way when the rest of the word comes in from the terminal; those keys
go straight to the box that has the focus now and must not overtake it.

`ArrivalAtReturn` plays the terminal: it posts the rest of the word exactly when
the focus-moving key comes back to the app (seen by run_test's message hook), and
posts many idle messages ahead of it so the app has other work queued when it does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from textual import events
from textual._context import active_message_pump
from textual.message import Message
from textual.widgets import Input

from tests.logs.pane_helpers import settle_logs
from tests.ui.conftest import burst, dashboard, make_app, move_to
from tests.waits import wait_until
from tui.engine import FakeEngine
from tui.screens.inspect import InspectScreen

WORD = "PASSWORD"


class Busywork(Message):
    """A message nobody handles: other work the app has queued."""


def pump_taking(message: Message, key: str, fired: bool):
    """The message pump handling `message` now, if it is the (first, not yet acted on) `key`."""
    if fired or not isinstance(message, events.Key) or message.key != key:
        return None
    return active_message_pump.get()


@dataclass
class ArrivalAtReturn:
    """Post `later` keys (after `busy` idle messages) when the app takes `trigger` back from a widget."""

    trigger: str
    later: list[str]
    busy: int = 200
    fired: bool = field(default=False, init=False)

    def __call__(self, message: Message) -> None:
        app = pump_taking(message, self.trigger, self.fired)
        if app is None:
            return
        if not message.is_forwarded or app is not getattr(app, "app", None):
            return  # the key on its way out, or at a widget: not back at the app yet
        self.fired = True
        for _ in range(self.busy):
            app.post_message(Busywork())
        burst(app, self.later)


def engine() -> tuple[FakeEngine, str]:
    fake = FakeEngine()
    web = fake.add_container("web", "nginx")
    fake.add_container("db", "postgres")
    for i in range(5):
        fake.emit_log(web, f"line {i}\n")
    return fake, web


async def test_word_typed_after_slash_reaches_the_list_filter_in_order():
    fake, web = engine()
    arrival = ArrivalAtReturn("slash", list(WORD[1:]))
    async with make_app(fake).run_test(size=(160, 40), message_hook=arrival) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, web)
        burst(pilot.app, ["slash", WORD[0]])
        box = await wait_until(lambda: next(iter(screen.query("#filter").results(Input)), None), "the filter box",
                               pilot=pilot)
        await wait_until(lambda: len(box.value) == len(WORD), f"the filter to hold {len(WORD)} characters",
                         pilot=pilot, detail=lambda: (box.value, pilot.app.focused))
        assert arrival.fired, "the rest of the word was never typed"
        assert box.value == WORD
        assert pilot.app.key_order.given_up == 0, "a key was let go of by the watchdog, not seen done"


async def test_word_typed_after_slash_reaches_the_inspect_search_in_order():
    fake, web = engine()
    arrival = ArrivalAtReturn("slash", list(WORD[1:]))
    async with make_app(fake).run_test(size=(160, 40), message_hook=arrival) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, web)
        await pilot.press("i")
        inspect = await wait_until(lambda: isinstance(pilot.app.screen, InspectScreen) and pilot.app.focused
                                   and pilot.app.screen, "the inspect screen with its tree focused", pilot=pilot)
        burst(pilot.app, ["slash", WORD[0]])
        box = inspect.query_one("#search", Input)
        await wait_until(lambda: len(box.value) == len(WORD), f"the search to hold {len(WORD)} characters",
                         pilot=pilot, detail=lambda: (box.value, pilot.app.focused))
        assert arrival.fired, "the rest of the word was never typed"
        assert box.value == WORD
        assert pilot.app.key_order.given_up == 0, "a key was let go of by the watchdog, not seen done"


async def test_word_typed_after_ctrl_f_reaches_the_log_search_in_order():
    fake, web = engine()
    arrival = ArrivalAtReturn("ctrl+f", list(WORD[1:]))
    async with make_app(fake).run_test(size=(160, 40), message_hook=arrival) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, web)
        pane = await settle_logs(pilot, lines=5)
        await pilot.press("l")
        await wait_until(lambda: pilot.app.focused is pane.view, "the log view focused", pilot=pilot)
        burst(pilot.app, ["ctrl+f", WORD[0]])
        box = pane.query_one("#query", Input)
        await wait_until(lambda: len(box.value) == len(WORD), f"the search to hold {len(WORD)} characters",
                         pilot=pilot, detail=lambda: (box.value, pilot.app.focused))
        assert arrival.fired, "the rest of the word was never typed"
        assert box.value == WORD
        assert pilot.app.key_order.given_up == 0, "a key was let go of by the watchdog, not seen done"


async def test_keys_go_on_when_the_widget_a_key_went_to_closes_before_reading_it():
    """A key handed to a widget that is removed at once is lost with it; the keys after it must not wait forever."""
    from textual.containers import Vertical
    from textual.screen import ModalScreen

    class Two(ModalScreen[None]):
        def compose(self):
            with Vertical():
                yield Input(id="first")
                yield Input(id="second")

    fake, _ = engine()
    app = make_app(fake)
    async with app.run_test(size=(120, 30)) as pilot:
        await dashboard(pilot)
        await app.push_screen(Two())
        first = await wait_until(lambda: next(iter(app.screen.query("#first").results(Input)), None), "the dialog",
                                 pilot=pilot)
        second = app.screen.query_one("#second", Input)
        first.focus()
        await wait_until(lambda: app.focused is first, "the first field focused", pilot=pilot)
        deliver = app.key_order._deliver

        async def deliver_then_close(event: events.Key) -> None:
            await deliver(event)
            if event.key == "z":  # handed to the first field: it goes before reading it
                second.focus()
                await first.remove()

        app.key_order._deliver = deliver_then_close
        burst(app, ["z", "o", "k"])
        await wait_until(lambda: second.value == "ok", "the keys after the lost one in the second field",
                         pilot=pilot, detail=lambda: (second.value, app.focused, app.key_order.waiting))


async def test_a_paste_right_after_slash_waits_its_turn():
    """`/`, `P`, then a paste of the rest arriving as `/` comes back: the paste lands after the P."""

    class PasteAtReturn(ArrivalAtReturn):
        def __call__(self, message: Message) -> None:
            was = self.fired
            self.later = []
            super().__call__(message)
            if self.fired and not was:
                active_message_pump.get().post_message(events.Paste(WORD[1:]))

    fake, web = engine()
    arrival = PasteAtReturn("slash", [])
    async with make_app(fake).run_test(size=(160, 40), message_hook=arrival) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, web)
        burst(pilot.app, ["slash", WORD[0]])
        box = await wait_until(lambda: next(iter(screen.query("#filter").results(Input)), None), "the filter box",
                               pilot=pilot)
        await wait_until(lambda: len(box.value) == len(WORD), f"the filter to hold {len(WORD)} characters",
                         pilot=pilot, detail=lambda: (box.value, pilot.app.focused))
        assert arrival.fired and box.value == WORD


@dataclass
class BusyParentAtKey:
    """When `key` reaches a field, queue `busy` idle messages at the field's screen: what the field
    posts on that key (Enter's Submitted) then reaches the screen after them."""

    key: str
    busy: int = 200
    fired: bool = field(default=False, init=False)

    def __call__(self, message: Message) -> None:
        at = pump_taking(message, self.key, self.fired)
        if not isinstance(at, Input):
            return
        self.fired = True
        for _ in range(self.busy):
            at.screen.post_message(Busywork())


async def test_a_key_typed_after_enter_in_a_field_goes_where_enter_sent_the_focus():
    """Seen in a real terminal on a loaded machine: `/bosun-test` Enter `1` in the images view put
    "bosun-test1" in the filter. Enter is kept by the field, which posts Submitted; the next key went
    out as soon as the field had taken Enter, before the screen had moved the focus to the list."""
    from tests.ui.test_resource_views import engine as views_engine, view
    from tui.dashboard.screen import DashboardScreen
    from tui.views.kinds import ImagesScreen

    fake, _ = views_engine()
    hook = BusyParentAtKey("enter")
    async with make_app(fake).run_test(size=(160, 40), message_hook=hook) as pilot:
        await dashboard(pilot)
        images = await view(pilot, "2", ImagesScreen)
        burst(pilot.app, ["slash", "n", "g", "enter", "1"])
        await wait_until(lambda: isinstance(pilot.app.screen, DashboardScreen), "the container list after 1",
                         pilot=pilot, detail=lambda: (images.screen.query_one("#view-filter", Input).value,
                                                      pilot.app.focused))
        assert hook.fired, "Enter never reached the filter"
        assert images.screen.query_one("#view-filter", Input).value == "ng"
        assert pilot.app.key_order.given_up == 0, "a key was let go of by the watchdog, not seen done"
