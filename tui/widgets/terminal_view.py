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

Layout: this module holds the widget itself (messages, public API, transport
lifecycle, resize); the input side lives in ``tui.widgets.terminal_input``
(``TerminalInput`` mixin, ``normalise_key``, ``terminal_owns_action``) and the
output side in ``tui.widgets.terminal_output`` (``TerminalOutput`` mixin:
parse pacing, repaint, rendering). Their public names are re-exported here.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
from typing import Any, Awaitable, Callable, Optional, Union

from textual import events
from textual.geometry import Size
from textual.markup import escape
from textual.message import Message
from textual.widget import Widget

from tui.terminal.screen import TerminalScreen
from tui.terminal.stream import TerminalStream
from tui.terminal.transport import TerminalTransport
# Re-exported: these lived here before the input and output sides were split out.
from tui.widgets.terminal_input import TerminalInput, WHEEL_ROWS, normalise_key, terminal_owns_action  # noqa: F401
from tui.widgets.terminal_output import (  # noqa: F401
    FRAME, HIGH_WATER, LOW_WATER, PARSE_BUDGET, TICK_TIME, TerminalOutput,
)

OutputCallback = Callable[[bytes], None]
ExitCallback = Callable[[Optional[int]], None]
#: ``connect(rows, cols, on_output, on_exit) -> transport`` (or an awaitable of one).
Connector = Callable[[int, int, OutputCallback, ExitCallback],
                     Union[TerminalTransport, Awaitable[TerminalTransport]]]
#: Resize debounce: a window drag produces many Resize events.
RESIZE_DEBOUNCE = 0.1


class TerminalView(TerminalInput, TerminalOutput, Widget, can_focus=True):
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

    class _ViewMessage(Message):
        """A message about one view; `control` lets handlers use selectors."""

        def __init__(self, view: "TerminalView") -> None:
            super().__init__()
            self.view = view

        @property
        def control(self) -> "TerminalView":
            return self.view

    class Leave(_ViewMessage):
        """The user pressed the leave chord: give focus back to the dashboard."""

    class Exited(_ViewMessage):
        """The program ended (``code`` is ``None`` if unknown, negative for a signal)."""

        def __init__(self, view: "TerminalView", code: Optional[int]) -> None:
            super().__init__(view)
            self.code = code

    class Reopen(_ViewMessage):
        """The user pressed ``r`` after the program ended; the parent may call ``reopen``."""

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
        self._last_paint = 0.0
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
        # After whatever output is still queued; drawn inside the emulated screen.
        # No code known (the engine forgot the exec): say it ended, invent nothing.
        shown = "exited" if code is None else f"exited with code {code}"
        self.feed(f"\r\n\x1b[0;2m[{shown}]\x1b[0m".encode())
        self._update_subtitle()
        self.post_message(self.Exited(self, code))

    def _update_subtitle(self) -> None:
        leave = escape(self.leave_key)
        if self.exited:
            shown = "exited" if self.exit_code is None else f"exited with code {self.exit_code}"
            self.border_subtitle = f"{shown} — r to reopen · {leave} to leave"
        else:
            self.border_subtitle = f"{leave} to leave"

    def _reply(self, generation: int, data: bytes) -> None:
        # Runs inside process_pending on the loop: DSR/DA answers go straight to stdin.
        if generation == self._generation:
            self.write(data)

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


def _quiet_close(transport: TerminalTransport) -> None:
    try:
        transport.close()
    except Exception:
        pass
