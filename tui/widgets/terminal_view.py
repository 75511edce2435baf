"""``TerminalView``: a terminal emulator pane that talks to a byte transport.

The widget knows nothing about containers. It is given a *connector*, a
callable ``connect(rows, cols, on_output, on_exit)`` that returns (or returns
an awaitable of) a ``TerminalTransport`` (``write``/``resize``/``close``);
``tui.terminal.transport.LocalPtyTransport`` and
``tui.shell.exec_transport.ExecTransport`` both fit. The connector is called
once the pane knows its size, so the program starts at the right size.

Output side: ``on_output`` (any thread) only queues bytes on the
``TerminalStream`` and wakes the loop. Parsing happens in bounded slices
(64 KiB) at most 60 times a second, and only while there is input: an idle
pane costs nothing, and ``yes`` cannot freeze the app. After a slice only the
dirty rows (``TerminalScreen.take_dirty``) are repainted.

Input side: while focused, every key goes to the program (``encode_key``),
including ctrl+c, ctrl+q, ctrl+p, tab and shift+tab, except one chord
(``leave_key``, default ``ctrl+]``, shown in the border) which posts
``TerminalView.Leave``. The App's *priority* bindings run before any widget
sees a key; the App refuses them while a terminal has focus by consulting
:func:`terminal_owns_action` from its ``check_action``::

    def check_action(self, action, parameters):
        if terminal_owns_action(self, action):
            return False   # the key falls through to the focused TerminalView
        return True

Paste is bracketed when the program asked for it. Mouse events go to the
program when it enabled mouse tracking; otherwise the wheel (and
shift+PageUp/PageDown) scrolls our own scrollback, and a mouse drag selects
text with Textual's selection (copied to the clipboard on release).

Everything the program writes is emulated into cells and rendered as
Strips, so no byte of its output ever reaches the real terminal.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
import time
from typing import Any, Awaitable, Callable, Optional, Union

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.app import App
from textual.geometry import Region, Size
from textual.keys import _character_to_key
from textual.markup import escape
from textual.message import Message
from textual.selection import Selection
from textual.strip import Strip
from textual.widget import Widget

from tui.terminal.keys import encode_focus, encode_key, encode_mouse, encode_paste, mouse_event_wanted
from tui.terminal.keys import MOUSE_WHEEL_DOWN, MOUSE_WHEEL_UP
from tui.terminal.render import render_viewport_line, viewport_row
from tui.terminal.screen import TerminalScreen
from tui.terminal.stream import TerminalStream
from tui.terminal.transport import TerminalTransport

OutputCallback = Callable[[bytes], None]
ExitCallback = Callable[[Optional[int]], None]
#: ``connect(rows, cols, on_output, on_exit) -> transport`` (or an awaitable of one).
Connector = Callable[[int, int, OutputCallback, ExitCallback],
                     Union[TerminalTransport, Awaitable[TerminalTransport]]]

#: Bytes parsed per slice; slices repeat until ``TICK_TIME`` is spent. A
#: fixed 64 KiB slice took ~70 ms with newline-dense output (``yes``: every
#: line scrolls), far more per byte than text, hence small slices + a clock.
PARSE_BUDGET = 4 * 1024
#: Parsing time per tick before the loop gets a turn (half a 60 Hz frame).
TICK_TIME = 0.008
#: Back-pressure: a reader *thread* blocks while this much output waits to be
#: parsed (so ``yes`` fills the kernel's pty buffer, not our memory) ...
HIGH_WATER = 256 * 1024
#: ... until parsing brings it below this.
LOW_WATER = 64 * 1024
#: Minimum time between two slices (60 Hz).
FRAME = 1 / 60
#: Resize debounce: a window drag produces many Resize events.
RESIZE_DEBOUNCE = 0.1
#: Wheel notches scroll this many rows of scrollback.
WHEEL_ROWS = 3

_BUTTONS = {1: 0, 2: 1, 3: 2}  # Textual button -> xterm button


def normalise_key(key: str) -> str:
    """A key chord in Textual's event spelling (``"ctrl+]"`` -> ``"ctrl+right_square_bracket"``)."""
    *modifiers, name = key.split("+")
    if len(name) == 1 and not name.isalnum():
        name = _character_to_key(name)
    return "+".join([*modifiers, name])


class TerminalView(Widget, can_focus=True):
    """A terminal pane running whatever the connector starts.

    :param connect: starts the program; see ``Connector``. May be ``None``
        and given later to ``reopen`` (tests may also ``feed`` bytes directly).
    :param leave_key: the one chord that is not sent to the program; it posts
        ``Leave`` so the parent can move focus back to the dashboard.
    :param title: border title (plain text, never parsed as markup).
    :param scrollback: rows of scrollback kept.
    """

    DEFAULT_CSS = """
    TerminalView {
        height: 1fr;
        background: $background;
        color: $foreground;
        border: round $foreground 30%;
        border-subtitle-color: $foreground 60%;
        padding: 0;
    }
    TerminalView:focus {
        border: round $accent;
        border-subtitle-color: $accent;
    }
    """

    class Leave(Message):
        """The user pressed the leave chord: give focus back to the dashboard."""

        def __init__(self, view: "TerminalView") -> None:
            super().__init__()
            self.view = view

        @property
        def control(self) -> "TerminalView":
            return self.view

    class Exited(Message):
        """The program ended (``code`` is ``None`` if unknown, negative for a signal)."""

        def __init__(self, view: "TerminalView", code: Optional[int]) -> None:
            super().__init__()
            self.view = view
            self.code = code

        @property
        def control(self) -> "TerminalView":
            return self.view

    class Reopen(Message):
        """The user pressed ``r`` after the program ended; the parent may call ``reopen``."""

        def __init__(self, view: "TerminalView") -> None:
            super().__init__()
            self.view = view

        @property
        def control(self) -> "TerminalView":
            return self.view

    def __init__(
        self,
        connect: Optional[Connector] = None,
        *,
        leave_key: str = "ctrl+]",
        title: str = "",
        scrollback: int = 10_000,
        name: Optional[str] = None,
        id: Optional[str] = None,
        classes: Optional[str] = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._connect = connect
        self.leave_key = leave_key
        self._leave = normalise_key(leave_key)
        self._scrollback_limit = scrollback
        self.terminal = self._new_screen(80, 24)
        self.stream = TerminalStream(self.terminal)
        self.transport: Optional[TerminalTransport] = None
        #: Exit code once the program ended (``None`` while running / unknown).
        self.exit_code: Optional[int] = None
        self.exited = False
        self._generation = 0  # bumps on reopen: late callbacks of an old transport are ignored
        self._back = 0  # rows scrolled back into the scrollback (0 = following)
        self._back_mark = 0  # screen.lines_scrolled_off when _back was last adjusted
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._loop_thread: Optional[threading.Thread] = None
        self._wake_lock = threading.Lock()
        self._wake_posted = False
        self._drained = threading.Event()  # set while the backlog is small
        self._drained.set()
        self._tick_handle: Optional[asyncio.TimerHandle] = None
        self._last_tick = 0.0
        self._busy = False  # the last tick had a lot to parse: pace the next one
        self._resize_timer: Any = None
        self._sized = False
        self._connecting = False
        self._mouse_buttons: set[int] = set()
        if title:
            self.border_title = escape(title)
        self._update_subtitle()

    # ------------------------------------------------------------ public API

    @property
    def scroll_back(self) -> int:
        """Rows the view is scrolled back into the scrollback (0 = live)."""
        return self._back

    def owns_key(self, key: str) -> bool:
        """Whether a key pressed while this view has focus belongs to the program.

        Every key does, except the leave chord -- and, once the program has
        exited, none (so the app's own keys work again).
        """
        return not self.exited and normalise_key(key) != self._leave

    def screen_lines(self) -> list[str]:
        """The emulated screen as text, one string per row (trailing spaces kept)."""
        return list(self.terminal.display)

    def screen_text(self) -> str:
        """The emulated screen as text, trailing blanks removed."""
        return "\n".join(line.rstrip() for line in self.terminal.display).rstrip("\n")

    def feed(self, data: bytes) -> None:
        """Queue program output (thread-safe); the pane repaints on its next tick."""
        self.stream.push(data)
        self._wake()

    def write(self, data: bytes) -> None:
        """Send bytes to the program, as if typed."""
        transport = self.transport
        if transport is not None and data and not self.exited:
            transport.write(data)

    def reopen(self, connect: Optional[Connector] = None) -> None:
        """Start the program again (after ``Exited``), on a clean screen."""
        if connect is not None:
            self._connect = connect
        self._close_transport()
        self._generation += 1
        self._drained.set()
        self.exited = False
        self.exit_code = None
        columns, lines = self.terminal.columns, self.terminal.lines
        self.terminal = self._new_screen(columns, lines)
        self.stream = TerminalStream(self.terminal)
        self._back = 0
        self._update_subtitle()
        self.refresh()
        if self._sized:
            self._start_transport()

    def action_copy_screen(self) -> None:
        """Put the visible text of the pane on the clipboard."""
        self.app.copy_to_clipboard("\n".join(line.rstrip() for line in self._viewport_text()))

    # --------------------------------------------------------------- lifecycle

    def _new_screen(self, columns: int, lines: int) -> TerminalScreen:
        generation = getattr(self, "_generation", 0)
        return TerminalScreen(
            columns, lines, scrollback_limit=self._scrollback_limit,
            on_reply=lambda data: self._reply(generation, data),
        )

    def on_mount(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.current_thread()

    def on_unmount(self) -> None:
        if self._tick_handle is not None:
            self._tick_handle.cancel()
            self._tick_handle = None
        self._generation += 1
        self._drained.set()  # release a blocked reader thread
        self._close_transport()

    def _close_transport(self) -> None:
        transport, self.transport = self.transport, None
        if transport is not None:
            # LocalPtyTransport.close joins its threads (up to seconds): never on the UI loop.
            threading.Thread(target=_quiet_close, args=(transport,), name="terminal-close", daemon=True).start()

    def _start_transport(self) -> None:
        if self._connect is None or self.transport is not None or self._connecting:
            return
        generation = self._generation
        rows, cols = self.terminal.lines, self.terminal.columns

        def on_output(data: bytes) -> None:
            if generation != self._generation:
                return
            self.feed(data)
            if self.stream.pending_bytes > HIGH_WATER and threading.current_thread() is not self._loop_thread:
                self._drained.clear()
                # Block the reader thread (never the loop) until parsing catches up.
                while (generation == self._generation and self.stream.pending_bytes > LOW_WATER
                       and not self._drained.wait(0.25)):
                    pass

        #: For transports on the loop (ExecTransport), which must not block: poll this instead.
        on_output.backlog = lambda: self.stream.pending_bytes  # type: ignore[attr-defined]

        def on_exit(code: Optional[int]) -> None:
            loop = self._loop
            if generation == self._generation and loop is not None:
                try:
                    loop.call_soon_threadsafe(self._program_exited, generation, code)
                except RuntimeError:
                    pass  # the loop is closed: the app is gone

        try:
            result = self._connect(rows, cols, on_output, on_exit)
        except Exception as exc:  # the program could not start
            self._failed(exc)
            return
        if inspect.isawaitable(result):
            self._connecting = True
            self.run_worker(self._await_transport(result, generation), exit_on_error=False,
                            group="terminal-connect")
        else:
            self._use_transport(result, generation)

    async def _await_transport(self, pending: Awaitable[TerminalTransport], generation: int) -> None:
        try:
            transport = await pending
        except Exception as exc:
            self._connecting = False
            if generation == self._generation:
                self._failed(exc)
            return
        self._connecting = False
        if generation != self._generation or not self.is_attached:
            _quiet_close(transport)
            return
        self._use_transport(transport, generation)

    def _use_transport(self, transport: TerminalTransport, generation: int) -> None:
        self.transport = transport
        start = getattr(transport, "start", None)
        if callable(start) and not getattr(transport, "started", False):
            try:
                start()
            except Exception as exc:
                self.transport = None
                self._failed(exc)
                return
        # The size may have changed while connecting.
        transport.resize(self.terminal.lines, self.terminal.columns)

    def _failed(self, exc: BaseException) -> None:
        message = f"could not start: {exc}".replace("\x1b", "")
        self.feed(f"\r\n\x1b[31m[{message}]\x1b[0m\r\n".encode(errors="replace"))
        self._program_exited(self._generation, None)

    def _program_exited(self, generation: int, code: Optional[int]) -> None:
        if generation != self._generation or self.exited:
            return
        self.exited = True
        self.exit_code = code
        shown = "unknown" if code is None else str(code)
        # After whatever output is still queued; drawn inside the emulated screen.
        self.feed(f"\r\n\x1b[0;2m[exited with code {shown}]\x1b[0m".encode())
        self._update_subtitle()
        self.post_message(self.Exited(self, code))

    def _update_subtitle(self) -> None:
        leave = escape(self.leave_key)
        if self.exited:
            shown = "?" if self.exit_code is None else str(self.exit_code)
            self.border_subtitle = f"exited with code {shown} — r to reopen · {leave} to leave"
        else:
            self.border_subtitle = f"{leave} to leave"

    def _reply(self, generation: int, data: bytes) -> None:
        # Runs inside process_pending on the loop: DSR/DA answers go straight to stdin.
        if generation == self._generation:
            self.write(data)

    # ---------------------------------------------------------------- output

    def _wake(self) -> None:
        """Schedule a parse slice (any thread); at most one wake-up is in flight."""
        with self._wake_lock:
            if self._wake_posted:
                return
            self._wake_posted = True
        loop = self._loop
        if loop is None:
            with self._wake_lock:
                self._wake_posted = False  # not mounted yet: on_mount's size handling ticks
            return
        try:
            loop.call_soon_threadsafe(self._on_wake)
        except RuntimeError:
            pass

    def _on_wake(self) -> None:
        with self._wake_lock:
            self._wake_posted = False
        self._schedule_tick()

    def _schedule_tick(self) -> None:
        if self._tick_handle is not None or self._loop is None:
            return
        delay = self._last_tick + FRAME - time.monotonic()
        if delay <= 0 or not self._busy:
            # After a quiet tick (an echo, a prompt) handle at once: fast typing
            # must not wait for the next frame. Only a flood is paced at 60 Hz.
            self._tick_handle = self._loop.call_soon(self._tick)
        else:
            self._tick_handle = self._loop.call_later(delay, self._tick)

    def _tick(self) -> None:
        self._tick_handle = None
        self._last_tick = time.monotonic()
        if not self.is_attached:
            return
        stream = self.stream
        before = stream.pending_bytes
        deadline = self._last_tick + TICK_TIME
        while (more := stream.process_pending(PARSE_BUDGET)) and time.monotonic() < deadline:
            pass
        self._busy = more or before >= PARSE_BUDGET
        if stream.pending_bytes < LOW_WATER:
            self._drained.set()
        self._repaint_dirty()
        if more:
            self._schedule_tick()

    def _repaint_dirty(self) -> None:
        screen = self.terminal
        dirty = screen.take_dirty()
        if self._back:
            scrolled = screen.lines_scrolled_off - self._back_mark
            if scrolled:
                # Keep showing the same rows while output arrives below.
                self._back = min(self._back + scrolled, len(screen.scrollback))
                self._back_mark = screen.lines_scrolled_off
                self.refresh()
                return
            dirty = {y + self._back for y in dirty if y + self._back < screen.lines}
        if not dirty:
            return
        width = self.size.width
        rows = sorted(dirty)
        start = previous = rows[0]
        for y in rows[1:]:
            if y != previous + 1:
                self.refresh(Region(0, start, width, previous - start + 1))
                start = y
            previous = y
        self.refresh(Region(0, start, width, previous - start + 1))

    # ---------------------------------------------------------------- render

    def render_line(self, y: int) -> Strip:
        screen = self.terminal
        width = self.size.width
        base = self.rich_style
        if y >= screen.lines:
            return Strip.blank(width, base)
        strip = render_viewport_line(screen, y, self._back, show_cursor=self.has_focus and not self.exited)
        selection = self.text_selection
        if selection is not None:
            span = selection.get_span(y)
            if span is not None:
                strip = self._highlight(strip, *span)
        strip = strip.apply_style(base)
        if strip.cell_length != width:
            strip = strip.crop_extend(0, width, base)
        return strip.apply_offsets(0, y)

    def _highlight(self, strip: Strip, start: int, end: int) -> Strip:
        length = strip.cell_length
        end = length if end == -1 else min(end, length)
        if start >= end:
            return strip
        style = self.screen.get_component_rich_style("screen--selection")
        cuts = [c for c in (start, end) if 0 < c < length]
        parts = strip.divide(cuts) if cuts else [strip]
        index = 1 if start > 0 else 0
        middle = parts[index]
        parts[index] = Strip(
            [Segment(text, (seg_style or Style()) + style, control) for text, seg_style, control in middle],
            middle.cell_length,
        )
        return Strip.join(parts)

    def _viewport_text(self) -> list[str]:
        """The rows currently shown (scrollback included) as text."""
        screen = self.terminal
        columns = screen.columns
        lines = []
        for y in range(screen.lines):
            row, _ = viewport_row(screen, y, self._back)
            default = getattr(row, "default", None)
            # A wide character's stub cell is "": joining skips it, as it should.
            lines.append("".join(cell.data if cell is not None else " "
                                 for cell in map(row.get, range(columns), [default] * columns)))
        return lines

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

    # ---------------------------------------------------------------- resize

    def on_resize(self, event: events.Resize) -> None:
        if not self._sized:
            self._apply_size()
            return
        if self._resize_timer is not None:
            self._resize_timer.stop()
        self._resize_timer = self.set_timer(RESIZE_DEBOUNCE, self._apply_size)

    def _apply_size(self) -> None:
        self._resize_timer = None
        size: Size = self.size
        cols, rows = size.width, size.height
        if cols < 1 or rows < 1:
            return
        screen = self.terminal
        if (rows, cols) != (screen.lines, screen.columns):
            screen.resize(lines=rows, columns=cols)
            self._back = min(self._back, len(screen.scrollback))
            if self.transport is not None and not self.exited:
                self.transport.resize(rows, cols)
            self.refresh()
        if not self._sized:
            self._sized = True
            self._start_transport()
            self._wake()

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
    if not isinstance(focused, TerminalView):
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


def _quiet_close(transport: TerminalTransport) -> None:
    try:
        transport.close()
    except Exception:
        pass
