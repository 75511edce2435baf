"""Run a terminal program (bosun by default) in a real pseudo-terminal and read its screen.

The end-to-end tests and the benchmarks drive bosun the way a user does: a pty
of a given size, keys written as the bytes a terminal would send, and the
screen as a terminal would show it (a `pyte` screen fed by a reader thread).

    with PtyApp(["--demo"], cols=120, rows=30) as app:
        app.wait_for("shop-web-1")
        app.press("?")
        app.wait_for("Start")

Nothing here imports bosun's app (only `tui.testing.waits`): the harness must
stay valid whatever bosun's own terminal layer does. It lives in the package,
not in tests/, so the benchmarks share it without importing the tests.
"""

from __future__ import annotations

import os
import re
import select
import shutil
import signal
import string
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Sequence

import pyte
from ptyprocess import PtyProcess
from textual.keys import _character_to_key

from tui.testing.waits import WaitTimeout, wait_until_sync

# The checkout (the folder holding this tui package): `python -m tui` run there is this tree's bosun.
REPO_ROOT = Path(__file__).resolve().parents[2]

# Textual reads a lone ESC as the start of a sequence for up to ESCDELAY
# (100 ms); a key sent sooner after it would turn into alt+key. This is the
# terminal's input protocol (a real terminal user cannot type faster either),
# not a wait for the app: nothing on screen says the ESC was taken alone.
_ESCAPE_SETTLE = 0.15

KEYS: dict[str, bytes] = {
    "enter": b"\r", "return": b"\r", "escape": b"\x1b", "esc": b"\x1b", "tab": b"\t",
    "shift+tab": b"\x1b[Z", "space": b" ", "backspace": b"\x7f",
    "up": b"\x1b[A", "down": b"\x1b[B", "right": b"\x1b[C", "left": b"\x1b[D",
    "home": b"\x1b[H", "end": b"\x1b[F", "insert": b"\x1b[2~", "delete": b"\x1b[3~",
    "pageup": b"\x1b[5~", "pagedown": b"\x1b[6~",
    "f1": b"\x1bOP", "f2": b"\x1bOQ", "f3": b"\x1bOR", "f4": b"\x1bOS",
    "f5": b"\x1b[15~", "f6": b"\x1b[17~", "f7": b"\x1b[18~", "f8": b"\x1b[19~",
    "f9": b"\x1b[20~", "f10": b"\x1b[21~", "f11": b"\x1b[23~", "f12": b"\x1b[24~",
}
# Textual's names of printable keys ("slash", "question_mark"), taken from Textual itself (its name table is
# private), so a name from a binding is sent as its character, not typed as the letters of the name.
KEYS.update({_character_to_key(char): char.encode() for char in string.punctuation})


def key_bytes(key: str) -> bytes:
    """The bytes an xterm sends for `key`: a name ("enter", "ctrl+c") or literal text."""
    if key in KEYS:
        return KEYS[key]
    if key.startswith("ctrl+") and len(key) == 6:
        return bytes([ord(key[5].lower()) & 0x1F])
    if key.startswith("alt+") and len(key) > 4:
        return b"\x1b" + key_bytes(key[4:])
    return key.encode()  # "q", "?", or a whole word typed at once


class _Screen(pyte.Screen):
    """pyte's Screen, tolerant of the private (`CSI ? …`) forms it has no keyword for,
    with terminal replies (cursor position, device attributes) sent back to the program."""

    def __init__(self, columns: int, lines: int, reply) -> None:
        super().__init__(columns, lines)
        self._reply = reply

    # pyte passes private=True to these, which don't accept it (TypeError).
    def set_margins(self, *args, private: bool = False, **_) -> None:
        if not private:  # `CSI ? … r` restores DEC modes: nothing to do for us
            super().set_margins(*args)

    def select_graphic_rendition(self, *args, private: bool = False, **_) -> None:
        if not private:
            super().select_graphic_rendition(*args)

    def report_device_status(self, mode: int = 0, private: bool = False, **_) -> None:
        super().report_device_status(mode)  # `CSI ? 6 n` wants the same answer

    def write_process_input(self, data: str) -> None:
        self._reply(data.encode())


class _Stream(pyte.ByteStream):
    def _send_to_parser(self, data: str):
        # Stock pyte resets its parser and re-raises, which would drop the rest
        # of the read and kill our reader thread: skip the bad sequence instead.
        try:
            return super()._send_to_parser(data)
        except Exception:
            return True


class ScreenTimeout(WaitTimeout):
    """What we waited for did not show up (or go away) in time; carries the screen."""


class PtyApp:
    """A program in a pseudo-terminal, with its screen kept up to date in the background."""

    def __init__(self, args: Sequence[str] = (), *, cols: int = 120, rows: int = 30,
                 command: Sequence[str] | None = None, env: dict[str, str] | None = None,
                 cwd: str | os.PathLike | None = None, quit_keys: Sequence[str] = ("escape", "q")) -> None:
        argv = list(command) if command is not None else [sys.executable, "-m", "tui"]
        self.argv = argv + list(args)
        self.quit_keys = tuple(quit_keys)  # what close() tries first (escape leaves a modal or the filter)
        self._config_home = tempfile.mkdtemp(prefix="bosun-e2e-config-")
        child_env = {k: v for k, v in os.environ.items()
                     # Our settings, not the caller's: bosun and Textual read these.
                     if not k.startswith(("BOSUN_", "TEXTUAL_")) and k not in ("COLUMNS", "LINES")}
        child_env.update(TERM="xterm-256color", COLORTERM="truecolor", XDG_CONFIG_HOME=self._config_home)
        child_env.update(env or {})
        self._lock = threading.Condition()
        self._screen = _Screen(cols, rows, self._reply)
        self._stream = _Stream(self._screen)
        self._closed = False
        self._eof = False  # the reader saw the pty close
        self.output_bytes = 0
        self.last_output_at = 0.0  # monotonic time of the latest screen update
        self.started = time.monotonic()
        try:
            # Rows first: ptyprocess (like the kernel) takes (rows, cols).
            self.proc = PtyProcess.spawn(self.argv, cwd=str(cwd or REPO_ROOT), env=child_env,
                                         dimensions=(rows, cols))
        except BaseException:
            shutil.rmtree(self._config_home, ignore_errors=True)
            raise
        self._reader = threading.Thread(target=self._read_loop, name="pty-reader", daemon=True)
        self._reader.start()

    # -- output ----------------------------------------------------------------------------

    def _read_loop(self) -> None:
        fd = self.proc.fd
        poller = select.poll()  # not select(): a long test session may have fds above 1024
        poller.register(fd, select.POLLIN)
        while not self._closed:
            # A timeout so close() can stop us without closing the fd under a blocked read.
            try:
                if not poller.poll(100):
                    continue
                data = os.read(fd, 65536)
            except (OSError, ValueError):
                data = b""  # EIO: the child and everything holding the pty are gone
            with self._lock:
                if data:
                    self._stream.feed(data)
                    self.output_bytes += len(data)
                    self.last_output_at = time.monotonic()
                else:
                    self._eof = True
                self._lock.notify_all()
            if not data:
                return

    def _reply(self, data: bytes) -> None:
        # Called by the screen, under the lock, when the program asked something.
        try:
            os.write(self.proc.fd, data)
        except OSError:
            pass

    def text(self) -> str:
        """The screen as text, one line per row (trailing spaces kept)."""
        with self._lock:
            return "\n".join(self._screen.display)

    def line_with(self, text: str) -> str | None:
        """The first screen row containing `text`, or None."""
        return next((line for line in self.text().splitlines() if text in line), None)

    def dump(self) -> str:
        """The screen framed with row numbers, plus the process state: for failure messages."""
        with self._lock:
            lines = list(self._screen.display)
            cols = self._screen.columns
        alive = self.proc.isalive()
        state = "running" if alive else f"exited (code {self.proc.exitstatus}, signal {self.proc.signalstatus})"
        if self.last_output_at:  # a screen that stopped changing long ago tells a hung app from a wrong one
            state += f", last output {time.monotonic() - self.last_output_at:.1f} s ago"
        border = "    +" + "-" * cols + "+"
        body = [f"{i:3} |{line}|" for i, line in enumerate(lines)]
        return "\n".join([f"screen of {' '.join(self.argv)} [{state}]:", border, *body, border])

    def _wait(self, found, what: str, timeout: float, since: float | None) -> float:
        now = time.monotonic()
        start = now if since is None else since
        deadline = now + timeout
        with self._lock:
            if found("\n".join(self._screen.display)):
                return now - start
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._eof:
                    reason = f"timed out after {timeout:.1f}s" if remaining <= 0 else "the program exited"
                    break
                self._lock.wait(min(remaining, 0.5))
                if found("\n".join(self._screen.display)):
                    # Timed to the output that made it true, not to our wake-up.
                    return max(0.0, self.last_output_at - start)
        raise ScreenTimeout(f"{reason} while waiting for {what}\n{self.dump()}")

    @staticmethod
    def _matcher(target: str | re.Pattern[str]):
        if isinstance(target, re.Pattern):
            return lambda screen: target.search(screen) is not None
        return lambda screen: target in screen

    def wait_for(self, target: str | re.Pattern[str], timeout: float = 10.0, *,
                 since: float | None = None) -> float:
        """Wait until the screen contains `target` (text or compiled regex).

        Returns the seconds from the call (or from the monotonic instant `since`)
        to the output that made it appear. If it is already there: 0.0, or with
        `since`, the time since then (an upper bound).
        """
        return self._wait(self._matcher(target), f"{target!r} to appear", timeout, since)

    def wait_until(self, found, what: str, timeout: float = 10.0, *, since: float | None = None) -> float:
        """Wait until `found(screen_text)` is true; seconds as for wait_for (`what` names it in a timeout)."""
        return self._wait(found, what, timeout, since)

    def wait_until_gone(self, target: str | re.Pattern[str], timeout: float = 10.0, *,
                        since: float | None = None) -> float:
        """Wait until the screen no longer contains `target`; seconds as for wait_for."""
        match = self._matcher(target)
        return self._wait(lambda screen: not match(screen), f"{target!r} to go away", timeout, since)

    # -- input -------------------------------------------------------------------------------

    def press(self, *keys: str, delay: float = 0.0) -> None:
        """Send keys: names from KEYS, "ctrl+x", "alt+x", or literal text (sent as typed)."""
        for key in keys:
            data = key_bytes(key)
            os.write(self.proc.fd, data)
            if data == b"\x1b":
                time.sleep(_ESCAPE_SETTLE)  # the ESC-delay protocol (see above), kept
            elif delay:
                time.sleep(delay)  # the pace of the input itself (`type`), not a wait for the app

    def type(self, text: str) -> None:
        """Type text one character at a time, as a person (not a paste) would.

        For bursty input (a paste, SSH delivering keys together) use `press(*text)`: no pacing.
        """
        self.press(*text, delay=0.01)

    def resize(self, cols: int, rows: int) -> None:
        """Resize the terminal; the kernel sends the program SIGWINCH."""
        with self._lock:
            self._screen.resize(lines=rows, columns=cols)
        self.proc.setwinsize(rows, cols)

    # -- lifetime ----------------------------------------------------------------------------

    @property
    def pid(self) -> int:
        return self.proc.pid

    def wait_exit(self, timeout: float = 5.0) -> int | None:
        """Wait for the program to end: its exit code (None if killed by a signal).
        Raises ScreenTimeout if it is still running after `timeout`."""
        try:
            wait_until_sync(lambda: not self.proc.isalive(), "the program to exit", timeout=timeout, interval=0.02)
        except WaitTimeout:
            raise ScreenTimeout(f"still running {timeout:.1f}s later\n{self.dump()}") from None
        return self.proc.exitstatus

    def close(self) -> None:
        """End the program: its quit keys, then ctrl+q, SIGTERM, SIGKILL; always reaped."""
        if self._closed:
            return
        try:
            for step, grace in ((self.quit_keys, 2.0), (("ctrl+q",), 1.0), (signal.SIGTERM, 1.0)):
                if not self.proc.isalive():
                    break
                try:
                    if isinstance(step, signal.Signals):
                        self.proc.kill(step)
                    else:
                        self.press(*step)
                    self.wait_exit(grace)
                except (OSError, ScreenTimeout):
                    pass
            if self.proc.isalive():
                self.proc.kill(signal.SIGKILL)
            self.proc.wait()  # reaps; returns at once if isalive() already did
        finally:
            self._closed = True
            self._reader.join(timeout=2)
            try:
                self.proc.close(force=True)
            except OSError:
                pass
            shutil.rmtree(self._config_home, ignore_errors=True)

    def __enter__(self) -> PtyApp:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
