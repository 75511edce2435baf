"""``ExecTransport``: an engine ``ExecSession`` (async) as a ``TerminalTransport``.

The terminal widget talks to a transport with three plain methods (``write``,
``resize``, ``close``) and gets output through callbacks. An exec session is
async, so this adapter runs two tasks on the event loop:

* a reader that awaits ``session.read()`` and hands each chunk to
  ``on_output``; at EOF it asks for the exit code and calls ``on_exit`` once;
* a writer that drains one ordered queue of input and resize requests, so
  keystrokes are never reordered and the UI never waits on the engine.

``exec_connector`` builds the widget's connector: it starts the exec with
the pane's size, then wraps the session.

Methods are meant to be called on the loop's thread (the widget's); ``close``
is also safe from another thread.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable, Mapping, Optional, Sequence, Union

from tui.engine.base import Engine, ExecSession
from tui.engine.errors import EngineError

log = logging.getLogger(__name__)

#: How long to wait for the exit code once output has ended.
EXIT_CODE_TIMEOUT = 5.0
#: Stop reading while the consumer has this much unprocessed output.
HIGH_WATER = 256 * 1024
_BACKLOG_POLL = 1 / 60

_Op = Union[bytes, tuple[int, int], None]  # input, (rows, cols), or None = stop


class ExecTransport:
    """Adapts ``session`` to the ``TerminalTransport`` protocol.

    :param session: a started exec session (``tty=True`` for a shell).
    :param on_output: called with each output chunk (on the loop).
    :param on_exit: called once with the exit code (``None`` if unknown).
    :param backlog: bytes the consumer has not processed yet; while it is
        above ``HIGH_WATER`` the reader stops reading, so a flood (``yes``)
        backs up into the engine instead of our memory. Defaults to
        ``on_output.backlog`` if the callback has one (``TerminalView``'s does).
    """

    def __init__(
        self,
        session: ExecSession,
        *,
        on_output: Callable[[bytes], None],
        on_exit: Optional[Callable[[Optional[int]], None]] = None,
        backlog: Optional[Callable[[], int]] = None,
    ) -> None:
        self.session = session
        self.backlog = backlog if backlog is not None else getattr(on_output, "backlog", None)
        self.on_output = on_output
        self.on_exit = on_exit
        self.exit_status: Optional[int] = None
        self.started = False
        self._ops: asyncio.Queue[_Op] = asyncio.Queue()
        self._reader: Optional[asyncio.Task] = None
        self._writer: Optional[asyncio.Task] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._closed = False
        self._exit_reported = False
        self._size: Optional[tuple[int, int]] = None
        self._closer: Optional[asyncio.Task] = None

    def start(self) -> None:
        """Start the reader and writer tasks (needs a running loop)."""
        if self.started:
            return
        self.started = True
        self._loop = asyncio.get_running_loop()
        self._reader = self._loop.create_task(self._read_loop(), name="exec-reader")
        self._writer = self._loop.create_task(self._write_loop(), name="exec-writer")

    @property
    def running(self) -> bool:
        return self.started and not self._exit_reported and not self._closed

    # ---------------------------------------------------------- the interface

    def write(self, data: bytes) -> None:
        """Queue input for the program (returns at once; order is kept)."""
        if data and not self._closed and not self._exit_reported:
            self._ops.put_nowait(bytes(data))

    def resize(self, rows: int, cols: int) -> None:
        """Queue a TTY resize (rows first); repeated sizes are dropped."""
        if self._closed or self._exit_reported or rows < 1 or cols < 1:
            return
        if self._size == (rows, cols):
            return
        self._size = (rows, cols)
        self._ops.put_nowait((rows, cols))

    def close(self) -> None:
        """Stop the tasks and close the session (the process sees EOF/hangup)."""
        loop = self._loop
        if loop is None:
            self._closed = True
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._close_now()
        else:
            try:
                loop.call_soon_threadsafe(self._close_now)
            except RuntimeError:
                pass  # loop closed: nothing left to do

    async def aclose(self) -> None:
        """Close and wait until the session is closed."""
        self._close_now()
        tasks = [t for t in (self._reader, self._writer) if t is not None]
        if self._closer is not None:
            tasks.append(self._closer)
        await asyncio.gather(*tasks, return_exceptions=True)

    # ---------------------------------------------------------------- tasks

    def _close_now(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._ops.put_nowait(None)
        if self._reader is not None:
            self._reader.cancel()
        if self._writer is None or self._writer.done():
            self._closer = asyncio.get_running_loop().create_task(self._close_session())
        # else the writer finishes what was queued before the stop, then closes the session.

    async def _close_session(self) -> None:
        try:
            await self.session.close()
        except Exception:  # closing a broken connection: nothing to report
            log.debug("closing the exec session failed", exc_info=True)

    async def _read_loop(self) -> None:
        try:
            while True:
                try:
                    output = await self.session.read()
                except EngineError:
                    output = None
                if output is None:
                    break
                if output.data:
                    self.on_output(output.data)
                if self.backlog is not None:
                    while self.backlog() > HIGH_WATER:
                        await asyncio.sleep(_BACKLOG_POLL)
        except asyncio.CancelledError:
            return
        code: Optional[int] = None
        try:
            code = await self.session.exit_code(EXIT_CODE_TIMEOUT)
        except asyncio.CancelledError:
            return
        except Exception:
            log.debug("no exit code for the exec session", exc_info=True)
        self.exit_status = code
        self._exit_reported = True
        self._ops.put_nowait(None)
        if self.on_exit is not None and not self._closed:
            self.on_exit(code)

    async def _write_loop(self) -> None:
        try:
            while True:
                op = await self._ops.get()
                if op is None:
                    break
                # Coalesce what is already queued: one write per burst (a paste, key repeat).
                batch: list[bytes] = []
                pending: list[_Op] = [op]
                while not self._ops.empty():
                    pending.append(self._ops.get_nowait())
                stop = False
                for item in pending:
                    if item is None:
                        stop = True
                        break
                    if isinstance(item, bytes):
                        batch.append(item)
                        continue
                    if batch:
                        await self._send(b"".join(batch))
                        batch = []
                    await self._resize(*item)
                if batch:
                    await self._send(b"".join(batch))
                if stop:
                    break
        finally:
            if self._closed:
                await self._close_session()

    async def _send(self, data: bytes) -> None:
        try:
            await self.session.write(data)
        except EngineError:
            log.debug("write to a finished exec session dropped", exc_info=True)

    async def _resize(self, rows: int, cols: int) -> None:
        try:
            await self.session.resize(rows, cols)
        except EngineError:
            log.debug("resize of the exec session failed", exc_info=True)


def exec_connector(
    engine: Engine,
    container_id: str,
    cmd: Sequence[str],
    *,
    user: Optional[str] = None,
    workdir: Optional[str] = None,
    env: Optional[Mapping[str, str]] = None,
) -> Callable[..., Awaitable[ExecTransport]]:
    """A ``TerminalView`` connector that runs ``cmd`` in the container with a TTY.

    ``TERM=xterm-256color`` is set unless ``env`` says otherwise (the pane
    emulates xterm; engines default to no TERM at all).
    """

    async def connect(rows: int, cols: int, on_output, on_exit) -> ExecTransport:
        environment = {"TERM": "xterm-256color", **(env or {})}
        session = await engine.exec(
            container_id, list(cmd), tty=True, stdin=True, user=user, workdir=workdir,
            env=environment, size=(rows, cols),
        )
        return ExecTransport(session, on_output=on_output, on_exit=on_exit)

    return connect
