"""Byte pipes between the terminal widget and a program.

``TerminalTransport`` is the small interface the widget talks to: write
input bytes, resize, close. Output arrives through a callback given at
construction. A container exec stream can implement the same three methods;
``LocalPtyTransport`` runs a local argv in a pseudo-terminal.

No Textual here: callbacks run on this module's threads, so a widget must
hop to its own loop (``App.call_from_thread``, or ``TerminalStream.push``,
which is thread-safe).
"""

from __future__ import annotations

import os
import queue
import threading
from typing import Callable, Mapping, Optional, Protocol, Sequence, runtime_checkable

from ptyprocess import PtyProcess

READ_SIZE = 64 * 1024


@runtime_checkable
class TerminalTransport(Protocol):
    """What a terminal widget needs from whatever runs the program."""

    def write(self, data: bytes) -> None:
        """Send input bytes to the program. Must not block the caller for long."""

    def resize(self, rows: int, cols: int) -> None:
        """Tell the program its terminal is now ``rows`` x ``cols`` (rows first)."""

    def close(self) -> None:
        """Stop the program (if still running) and release resources."""


class LocalPtyTransport:
    """Runs ``argv`` in a pty; output bytes go to ``on_output`` from a reader thread.

    :param argv: program and arguments.
    :param rows, cols: initial terminal size.
    :param on_output: called with each chunk read (on the reader thread).
    :param on_exit: called once with the exit status when output ends and the
        program has been reaped (on the reader thread).
    :param env: environment; defaults to ours with ``TERM=xterm-256color``.
    :param cwd: working directory.

    Writes go through a queue to a writer thread, so pasting a lot into a
    program that is not reading never blocks the UI.
    """

    def __init__(
        self,
        argv: Sequence[str],
        *,
        rows: int = 24,
        cols: int = 80,
        on_output: Callable[[bytes], None],
        on_exit: Optional[Callable[[Optional[int]], None]] = None,
        env: Optional[Mapping[str, str]] = None,
        cwd: Optional[str] = None,
    ) -> None:
        self.argv = list(argv)
        self.rows, self.cols = rows, cols
        self.on_output = on_output
        self.on_exit = on_exit
        if env is None:
            env = {**os.environ, "TERM": "xterm-256color"}
        self.env = dict(env)
        self.cwd = cwd
        self._process: Optional[PtyProcess] = None
        self._reader: Optional[threading.Thread] = None
        self._writer: Optional[threading.Thread] = None
        self._outbox: queue.Queue[Optional[bytes]] = queue.Queue()
        self._exited = threading.Event()
        self._exit_status: Optional[int] = None
        self._closed = False

    # ---------------------------------------------------------------- control

    def start(self) -> None:
        """Spawn the program and start the reader and writer threads."""
        if self._process is not None:
            raise RuntimeError("already started")
        self._process = PtyProcess.spawn(
            self.argv, dimensions=(self.rows, self.cols), env=self.env, cwd=self.cwd
        )
        self._reader = threading.Thread(target=self._read_loop, name="pty-reader", daemon=True)
        self._writer = threading.Thread(target=self._write_loop, name="pty-writer", daemon=True)
        self._reader.start()
        self._writer.start()

    @property
    def pid(self) -> Optional[int]:
        return self._process.pid if self._process is not None else None

    @property
    def running(self) -> bool:
        """Started and output has not ended yet."""
        return self._process is not None and not self._exited.is_set()

    @property
    def exit_status(self) -> Optional[int]:
        """Exit code, ``-signal`` if killed by a signal, ``None`` while running."""
        return self._exit_status

    def wait(self, timeout: Optional[float] = None) -> Optional[int]:
        """Block until the program has exited and its output is drained."""
        self._exited.wait(timeout)
        return self._exit_status

    # ---------------------------------------------------------- the interface

    def write(self, data: bytes) -> None:
        """Queue input for the program (returns immediately)."""
        if data and not self._closed:
            self._outbox.put(bytes(data))

    def resize(self, rows: int, cols: int) -> None:
        """Set the pty size; the kernel sends SIGWINCH to the program."""
        self.rows, self.cols = rows, cols
        if self._process is not None and not self._exited.is_set():
            try:
                self._process.setwinsize(rows, cols)
            except OSError:
                pass  # the program is gone; nothing to tell

    def close(self) -> None:
        """Terminate the program if needed, stop the threads, close the pty."""
        if self._closed:
            return
        self._closed = True
        self._outbox.put(None)
        process = self._process
        if process is None:
            return
        if not self._exited.is_set():
            try:
                process.terminate(force=True)
            except Exception:
                pass
        # The reader sees EIO once the program is gone; closing the fd under
        # a blocked read could hand the number to another open() meanwhile.
        if self._reader is not None:
            self._reader.join(timeout=2)
        if self._writer is not None:
            self._writer.join(timeout=2)
        try:
            process.close(force=True)
        except Exception:
            pass

    # ---------------------------------------------------------------- threads

    def _read_loop(self) -> None:
        process = self._process
        assert process is not None
        fd = process.fd
        try:
            while True:
                try:
                    data = os.read(fd, READ_SIZE)
                except OSError:
                    break  # EIO: every slave end is closed (Linux's pty EOF)
                if not data:
                    break
                self.on_output(data)
        finally:
            self._exit_status = self._reap(process)
            self._exited.set()
            self._outbox.put(None)
            if self.on_exit is not None:
                self.on_exit(self._exit_status)

    @staticmethod
    def _reap(process: PtyProcess) -> Optional[int]:
        try:
            process.wait()
        except Exception:
            pass
        if process.exitstatus is not None:
            return process.exitstatus
        if process.signalstatus is not None:
            return -process.signalstatus
        return None

    def _write_loop(self) -> None:
        process = self._process
        assert process is not None
        while True:
            data = self._outbox.get()
            if data is None or self._exited.is_set():
                return
            view = memoryview(data)
            try:
                while view:
                    written = os.write(process.fd, view)
                    view = view[written:]
            except OSError:
                return
