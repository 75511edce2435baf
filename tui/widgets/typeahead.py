"""Keys reach the widgets in the order they were typed, whatever else the app is doing.

Textual hands each key the app reads to the widget focused at that moment; a key
no widget handles travels back up, one message queue at a time, to the bindings.
So `/` opens the filter only once it is back at the app, and the keys typed after
it are by then either on their way through the list (where `b` would swap the
layout) or, read a moment later, already going straight into the filter, ahead of
the key typed right after `/` that is still on its way: "ASSWORDP" for "PASSWORD",
the more likely the busier the app.

`KeyOrder` lets one key out at a time. A key is out from when the app hands it to
a widget until it is done: back at the app with its bindings run, or handled on the
way. A callback queued at that widget right behind the key sees which: kept there (a
field's letter, a shell's key), it tells the app at once; gone on up, it sends a
`KeyOrder.Settled` note after it, up the same queues, and the note reaching the app
says the key is done (kept on the way, or back). A key whose bindings ran at the
app is done once a note from the focus has come up behind what they posted (a
field's Enter posts Submitted, on which the screen moves the focus), so the key
typed next finds the focus where that key sent it. Keys read meanwhile wait, in
order. A key that comes back after the focus moved goes to the widget focused now,
before any waiting key. A focus move that must wait for a mount (`focus_now`)
holds the keys until it is made. A key lost with its widget (closed before it read
the key) lets the others go as soon as that is seen. A paste waits its turn like a
key (it must not land before the `/` typed ahead of it), and then goes to the focus.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from typing import Awaitable, Callable

from textual import events
from textual.app import App
from textual.dom import NoScreen
from textual.message import Message
from textual.message_pump import MessagePump
from textual.widget import Widget

_ORIGIN = "_bosun_focused_when_read"

#: How often a key out is checked for having been lost with its widget.
CHECK_EVERY = 0.05
#: A key out longer than this lets the waiting keys go anyway: a widget that sits on a key
#: must not stop the typing; the keys then go as Textual sends them.
GIVE_UP_AFTER = 2.0


@dataclass
class _Out:
    event: events.Key
    token: int
    path: tuple[MessagePump, ...]  # the widget it was handed to, up to the app
    since: float

    def lost(self) -> bool:
        """Did a node on the key's way close (so the key or its note will never arrive)?"""
        return any(not node.is_running or not node.is_attached for node in self.path)


class KeyOrder:
    """The app's keys, one out at a time (see the module docstring)."""

    class Settled(Message):
        """Behind a key on its way: when this reaches the app, the key is done."""

        def __init__(self, token: int) -> None:
            super().__init__()
            self.token = token

    def __init__(self, app: App, deliver: Callable[[events.Event], Awaitable[None]]) -> None:
        self._app = app
        self._deliver = deliver  # Textual's handling of a key just read: priority bindings, then the focus
        self._waiting: deque[events.Key | events.Paste] = deque()
        self._out: _Out | None = None
        self._focus_pending = 0
        self._tokens = 0
        self._sending = False
        self._timer = None
        self.given_up = 0  # keys let go of without knowing they were done (lost, or too long out)

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    async def read(self, event: events.Key | events.Paste) -> None:
        """A key (or paste) just read from the terminal: it goes now, or after the keys before it."""
        self._waiting.append(event)
        await self._send_next()

    async def came_back(self, event: events.Key) -> bool:
        """A key back at the app, not handled on the way. True: it went on to the widget
        focused now (the focus moved since it was read), not to the bindings."""
        origin = getattr(event, _ORIGIN, None)
        focused = self._app.focused
        if origin is None or focused is None or focused is origin:
            return False
        setattr(event, _ORIGIN, None)
        if self._out is not None and self._out.event is event:
            self._out = None
        # Older than every key waiting: it goes first.
        self._waiting.appendleft(events.Key(event.key, event.character))
        await self._send_next()
        return True

    async def done(self, event: events.Key) -> None:
        """`event` came back and its bindings ran."""
        out = self._out
        if out is None or out.event is not event:
            return
        focused = self._app.focused
        if focused is None:
            self._out = None
            await self._send_next()
            return
        # What the binding posted is still on its way: a field's Enter posts Submitted, and the
        # screen moves the focus only when that reaches it. A note from the focus, up the same
        # queues, comes behind it; the next key goes when the note is back.
        # (A new token: the note sent behind the key on its way up is still coming and says nothing now.)
        self._tokens += 1
        out.token, out.path = self._tokens, _way_up(focused)
        focused.post_message(self.Settled(out.token))

    async def settled(self, note: KeyOrder.Settled) -> None:
        if self._out is not None and self._out.token == note.token:
            self._out = None
            await self._send_next()

    def focus_later(self, widget: Widget) -> None:
        """Give `widget` the focus once the app has mounted it; keys wait until then."""
        self._focus_pending += 1
        self._app.call_later(self._focus_made, widget)

    async def _focus_made(self, widget: Widget) -> None:
        try:
            widget.screen.set_focus(widget)
        except NoScreen:
            pass  # removed meanwhile
        finally:
            self._focus_pending -= 1
        await self._send_next()

    async def _send_next(self) -> None:
        if self._sending:  # a key's priority binding is running: the loop below goes on after it
            return
        self._sending = True
        try:
            while self._waiting and self._out is None and not self._focus_pending:
                await self._send(self._waiting.popleft())
        finally:
            self._sending = False
        self._watch()

    async def _send(self, event: events.Key | events.Paste) -> None:
        app = self._app
        if isinstance(event, events.Paste):
            await self._deliver(event)  # to the focused widget's queue, ahead of any key after it
            return
        focused = app.focused
        target: MessagePump = focused or app.screen
        setattr(event, _ORIGIN, focused)
        await self._deliver(event)
        if not event.is_forwarded:
            return  # a priority binding took it (or Textual kept it): done
        self._tokens += 1
        self._out = _Out(event, self._tokens, _way_up(target), time.monotonic())
        target.call_later(self._behind, self._tokens, event, target)

    def _behind(self, token: int, event: events.Key, target: MessagePump) -> None:
        """Run by `target` right after it dealt with `event`."""
        # Textual keeps "stopped" private; without it the note takes the long way, which is only slower.
        if getattr(event, "_stop_propagation", False):
            self._app.post_message(self.Settled(token))  # kept by the widget: done
        elif target.parent is not None:
            target.parent.post_message(self.Settled(token))  # behind the key, in the queue it went on to

    def _watch(self) -> None:
        busy = self._out is not None
        if self._timer is None:
            if not busy:
                return
            self._timer = self._app.set_interval(CHECK_EVERY, self._check, name="key order")
        elif busy:
            self._timer.resume()
        else:
            self._timer.pause()

    async def _check(self) -> None:
        out = self._out
        if out is not None and (out.lost() or time.monotonic() - out.since > GIVE_UP_AFTER):
            self._out = None
            self.given_up += 1
            await self._send_next()
        else:
            self._watch()


def _way_up(node: MessagePump) -> tuple[MessagePump, ...]:
    """`node` and the nodes a message bubbling from it passes, up to the app."""
    return (node, *getattr(node, "ancestors", ()))


def focus_now(widget: Widget) -> None:
    """Give `widget` the focus at once (Textual's `focus()` waits a turn, and keys slip past).

    A widget mounted this very turn cannot take it yet: it gets it as soon as the app has
    mounted it, and the app's keys wait for that.
    """
    widget.screen.set_focus(widget)
    if widget.screen.focused is widget:
        return
    order = getattr(widget.app, "key_order", None)
    if isinstance(order, KeyOrder):
        order.focus_later(widget)
    else:
        widget.focus()
