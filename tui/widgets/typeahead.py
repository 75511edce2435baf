"""Keys typed right after a key that moved the focus go where the focus went.

A terminal read can hold several keys at once (typing over SSH, a paste, a
fast typist after `/`). Textual hands each key to the widget focused when the
app takes it in; a key that no widget handles then bubbles up to the app's
bindings. So after `/` (a binding, run when that key reached the app) opened the
filter, the rest of `/web` was already on its way through the list: `b` swapped
the layout and the letters never reached the filter.

The app marks each key with the widget it was handed to (`mark`); when the key
comes back up unhandled and the focus has moved meanwhile, it is read again
from the widget that has the focus now (`redirect`) instead of going to the
old widget's bindings.
"""

from __future__ import annotations

from textual import events
from textual.app import App
from textual.widget import Widget

_ORIGIN = "_bosun_focused_when_read"


def focus_now(widget: Widget) -> None:
    """Give `widget` the focus at once (Textual's `focus()` waits a turn, and keys slip past).

    A widget mounted this very turn cannot take it yet: it gets Textual's `focus()` as well.
    """
    widget.screen.set_focus(widget)
    if widget.screen.focused is not widget:
        widget.focus()


def mark(event: events.Key, focused: Widget | None) -> None:
    """Remember which widget `event` is handed to, as it comes in from the terminal."""
    setattr(event, _ORIGIN, focused)


def redirect(app: App, event: events.Key) -> bool:
    """Read an unhandled `event` again if the focus moved since it came in; True if it did.

    It goes back to the app as a key just read, so it takes the whole way a key takes
    (priority bindings, the focused widget, bindings on the way back up) from the widget
    focused now.
    """
    origin = getattr(event, _ORIGIN, None)
    if origin is None or app.focused is None or app.focused is origin:
        return False
    setattr(event, _ORIGIN, None)
    app.post_message(events.Key(event.key, event.character))
    return True
