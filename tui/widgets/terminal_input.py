"""Input side of ``TerminalView``: keys, paste, focus, mouse, selection.

``TerminalInput`` is a mixin for ``tui.widgets.terminal_view.TerminalView``
(it relies on the state that class's ``__init__`` sets up: ``terminal``,
``exited``, ``_leave``, ``_back``, ``_mouse_buttons``). Also here are the
key-chord helpers: :func:`normalise_key`, and :func:`terminal_owns_action`,
which the App's ``check_action`` consults so its priority bindings leave
keys to a focused terminal. Both are re-exported by
``tui.widgets.terminal_view``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.app import App
from textual.geometry import Region
from textual.keys import _character_to_key
from textual.selection import Selection

from tui.terminal.keys import encode_focus, encode_key, encode_mouse, encode_paste, mouse_event_wanted
from tui.terminal.keys import MOUSE_WHEEL_DOWN, MOUSE_WHEEL_UP

if TYPE_CHECKING:
    from textual.widget import Widget as _Base
else:
    _Base = object

#: Wheel notches scroll this many rows of scrollback.
WHEEL_ROWS = 3

_BUTTONS = {1: 0, 2: 1, 3: 2}  # Textual button -> xterm button


def normalise_key(key: str) -> str:
    """A key chord in Textual's event spelling (``"ctrl+]"`` -> ``"ctrl+right_square_bracket"``)."""
    *modifiers, name = key.split("+")
    if len(name) == 1 and not name.isalnum():
        name = _character_to_key(name)
    return "+".join([*modifiers, name])


class TerminalInput(_Base):
    """Mixin: everything the user does to a ``TerminalView``."""

    def owns_key(self, key: str) -> bool:
        """Whether a key pressed while this view has focus belongs to the program.

        Every key does, except the leave chord -- and, once the program has
        exited, none (so the app's own keys work again).
        """
        return not self.exited and normalise_key(key) != self._leave

    # -------------------------------------------------------------- selection

    @property
    def allow_select(self) -> bool:  # type: ignore[override]
        # While the program tracks the mouse, drags belong to it.
        return self.terminal.mouse_tracking is None

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        text = "\n".join(line.rstrip() for line in self._viewport_text())
        return selection.extract(text), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self.refresh()

    # ----------------------------------------------------------------- input

    async def _on_key(self, event: events.Key) -> None:
        if normalise_key(event.key) == self._leave or self._leave in event.aliases:
            event.stop()
            event.prevent_default()
            self.post_message(self.Leave(self))
            return
        if self.exited:
            if event.key == "r":
                event.stop()
                event.prevent_default()
                self.post_message(self.Reopen(self))
            return  # other keys: the app's bindings apply again
        # Everything else belongs to the program; nothing may bubble to bindings.
        event.stop()
        event.prevent_default()
        screen = self.terminal
        if event.key in ("shift+pageup", "shift+pagedown") and not screen.in_alt_screen:
            page = max(1, screen.lines - 1)
            self._scroll_by(page if event.key == "shift+pageup" else -page)
            return
        data = encode_key(event.key, event.character, app_cursor=screen.app_cursor)
        if data:
            self._snap_to_bottom()
            self.write(data)

    async def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        if event.text and not self.exited:
            self._snap_to_bottom()
            self.write(encode_paste(event.text, self.terminal.bracketed_paste))

    def on_focus(self, event: events.Focus) -> None:
        self._refresh_cursor_row()
        if self.terminal.focus_reporting:
            self.write(encode_focus(True))

    def on_blur(self, event: events.Blur) -> None:
        self._refresh_cursor_row()
        if self.terminal.focus_reporting:
            self.write(encode_focus(False))

    def _refresh_cursor_row(self) -> None:
        y = self.terminal.cursor.y + self._back
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def _snap_to_bottom(self) -> None:
        if self._back:
            self._back = 0
            self.refresh()

    def _scroll_by(self, rows: int) -> None:
        """Scroll back (positive) or forward (negative) through the scrollback."""
        screen = self.terminal
        back = max(0, min(self._back + rows, len(screen.scrollback)))
        if back != self._back:
            self._back = back
            self._back_mark = screen.lines_scrolled_off
            self.refresh()

    def _mouse_report(self, event: events.MouseEvent, button: int, kind: str) -> bool:
        """Send a mouse event to the program if it asked for this kind; True if sent."""
        screen = self.terminal
        if self.exited or not mouse_event_wanted(screen.mouse_tracking, kind, bool(self._mouse_buttons)):
            return False
        offset = event.get_content_offset(self)
        if offset is None:
            return True  # outside the content (on the border): swallow, send nothing
        data = encode_mouse(
            button, offset.x, offset.y,
            pressed=kind != "release", motion=kind == "motion",
            shift=event.shift, alt=event.meta, ctrl=event.ctrl, sgr=screen.sgr_mouse,
        )
        if data:
            self.write(data)
        return True

    def on_mouse_down(self, event: events.MouseDown) -> None:
        button = _BUTTONS.get(event.button)
        if button is not None and self._mouse_report(event, button, "press"):
            self._mouse_buttons.add(button)
            event.stop()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        button = _BUTTONS.get(event.button)
        self._mouse_buttons.discard(button if button is not None else -1)
        if button is not None and self._mouse_report(event, button, "release"):
            event.stop()
            return
        # Copy-on-select, like most terminals: the selection is final after this event.
        self.call_after_refresh(self._copy_selection)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        held = sorted(self._mouse_buttons)
        button = held[0] if held else 3  # 3: motion with no button
        if self.terminal.mouse_tracking in (1002, 1003):
            self._mouse_report(event, button, "motion")

    def _copy_selection(self) -> None:
        selection = self.text_selection
        if selection is None:
            return
        extracted = self.get_selection(selection)
        if extracted and extracted[0]:
            self.app.copy_to_clipboard(extracted[0])

    def _wheel(self, event: events.MouseEvent, up: bool) -> None:
        event.stop()
        event.prevent_default()
        if self._mouse_report(event, MOUSE_WHEEL_UP if up else MOUSE_WHEEL_DOWN, "wheel"):
            return
        screen = self.terminal
        if screen.in_alt_screen:
            # Full-screen programs without mouse mode (less, man): arrows, as xterm's alternateScroll.
            key = encode_key("up" if up else "down", app_cursor=screen.app_cursor)
            if key and not self.exited:
                self.write(key * WHEEL_ROWS)
            return
        self._scroll_by(WHEEL_ROWS if up else -WHEEL_ROWS)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._wheel(event, up=True)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self._wheel(event, up=False)


def terminal_owns_action(app: App, action: str) -> bool:
    """For ``App.check_action``: refuse a priority action whose key a focused
    ``TerminalView`` owns, so the key reaches the program instead.

    ``action`` is the bare action name (``"quit"``, ``"command_palette"``).
    Only priority bindings matter: ordinary bindings never see keys the view
    handles, because it stops them.
    """
    focused = app.focused
    # TerminalInput is mixed into TerminalView only; checking it avoids an import cycle.
    if not isinstance(focused, TerminalInput):
        return False
    try:
        chain = app.screen._binding_chain
    except Exception:
        return False
    for _namespace, bindings in chain:
        for key, key_bindings in bindings.key_to_bindings.items():
            for binding in key_bindings:
                if binding.priority and binding.action.rsplit(".", 1)[-1] == action and focused.owns_key(key):
                    return True
    return False
