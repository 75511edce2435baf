"""The scenario harness: `bosun` (the installed console script, running this checkout) in a real pty.

A scenario is a test that drives one bosun process through many steps, the way
a user would, and fails on what a user would call broken:

- a traceback, or a toast reporting an unexpected exception (the screen and
  every byte bosun wrote are scanned after each step);
- an unexpected exit (the process must be alive after each step, and `q`
  must end it with code 0);
- a screen that lacks what the step should show (waits on concrete text).

Every scenario declares the keys it exercises with `@covers(...)`; the
declaration lands in `COVERED` (key → scenarios), which the README check
(`test_scenarios_readme.py`) compares with the keys README documents. The
declaration is held to: a scenario that does not press every key it declares
fails.
"""

from __future__ import annotations

import functools
import os
import time
from collections import Counter
import re
import shutil
import subprocess
import sys
import warnings
from collections import defaultdict
from pathlib import Path
from typing import Callable, Sequence

import pyte
import pytest

from tui.testing.pty_app import REPO_ROOT, PtyApp, ScreenTimeout

SIZES = [pytest.param((160, 48), id="160x48"), pytest.param((80, 24), id="80x24")]

# key (as README and `Bosun.press` spell it) → names of the scenarios that press it
COVERED: dict[str, set[str]] = defaultdict(set)

# What Textual or bosun show when code blew up, rather than an engine's or the user's error.
CRASH = re.compile(r"Traceback \(most recent call last\)|Something went wrong|"
                   r"\b[A-Z][A-Za-z]*(?:Error|Exception): (?!.*\(HTTP \d{3}\))")


# What only a row of the container list shows: a state glyph, or a project's "n/m running".
STATE_MARK = re.compile(r"[●■○‖♥✖◌↻✝] \w|… removing|\b[a-z]+ing…|\d+/\d+ running")  # …: an action under way


BLINK_CYCLE = 1.1  # seconds: a text field's cursor is on for 0.5 s, off for 0.5 s


def covers(*keys: str) -> Callable:
    """Declare the keys a scenario exercises (and so must press)."""
    def mark(test: Callable) -> Callable:
        for key in keys:
            COVERED[key].add(test.__name__)
        test.covers = frozenset(keys)
        return test
    return mark


# -- which program ------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def bosun_command() -> tuple[tuple[str, ...], str]:
    """The argv that starts bosun as a user does, and a note saying what it is.

    The `bosun` console script next to this interpreter (or on PATH), with
    PYTHONPATH set to this checkout (see `child_env`). It may be an editable
    install of another tree: a verbose-import probe of the script itself proves
    it loads `tui` from this checkout, or the scenarios would test other code.
    Only when no script is installed do we fall back to `python -m tui`.
    """
    script = Path(sys.executable).with_name("bosun")
    found = str(script) if script.exists() else shutil.which("bosun")
    if not found:
        note = "no `bosun` command installed: running `python -m tui` instead"
        warnings.warn(note)
        return (sys.executable, "-m", "tui"), note
    probe = subprocess.run([found, "--version"], capture_output=True, text=True, timeout=60,
                           env={**child_env(), "PYTHONVERBOSE": "1"})
    assert probe.returncode == 0, f"{found} --version failed:\n{probe.stderr[-2000:]}"
    wanted = str(REPO_ROOT / "tui" / "cli.py")
    loaded = re.findall(r"(\S*/tui/cli\.py)\b", probe.stderr)
    assert loaded and all(path == wanted for path in loaded), (
        f"{found} does not run this checkout: it loaded {sorted(set(loaded)) or 'no tui/cli.py'}, "
        f"expected {wanted}")
    return (found,), f"`{found}` (the installed command), importing tui from {REPO_ROOT}"


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """What bosun gets on top of PtyApp's clean environment: this checkout first on the path."""
    path = os.environ.get("PYTHONPATH")
    env = {"PYTHONPATH": str(REPO_ROOT) + (os.pathsep + path if path else "")}
    env.update(extra or {})
    return env


# -- the program under test ------------------------------------------------------------------------

class _Recording(PtyApp):
    """PtyApp that also keeps every byte the program wrote (tracebacks land there after the
    program left its screen; clipboard writes are escape sequences pyte drops)."""

    transcript: bytearray

    @property
    def _stream(self):
        return self.__stream

    @_stream.setter
    def _stream(self, stream) -> None:
        # PtyApp's reader thread feeds `self._stream`: a tee, installed before that thread starts.
        self.transcript = bytearray()
        record = self.transcript

        class Tee:
            def feed(self, data: bytes) -> None:
                record.extend(data)
                stream.feed(data)
        self.__stream = Tee()


class Bosun:
    """One bosun process of a scenario. Each step checks it is alive and shows no crash."""

    def __init__(self, args: Sequence[str], *, size: tuple[int, int], cwd: Path | None = None,
                 env: dict[str, str] | None = None, pressed: set[str] | None = None) -> None:
        argv, self.note = bosun_command()
        print(f"scenario runs {self.note}: bosun {' '.join(args)} at {size[0]}x{size[1]}")
        self.cols, self.rows = size
        self.app = _Recording(list(args), cols=self.cols, rows=self.rows, command=argv,
                              env=child_env(env), cwd=cwd)
        self.pressed = pressed if pressed is not None else set()
        self._scanned = 0

    # -- what the user sees -------------------------------------------------------------------

    @property
    def wide(self) -> bool:
        return self.cols >= 160

    def text(self) -> str:
        return self.app.text()

    def line_with(self, text: str) -> str:
        line = self.app.line_with(text)
        assert line is not None, f"no line with {text!r}\n{self.dump()}"
        return line

    def dump(self) -> str:
        return f"{self.app.dump()}\n{self.output_tail()}"

    def output_tail(self) -> str:
        tail = self.app.transcript[-4000:].decode("utf-8", "replace")
        plain = re.sub(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[\]P][^\x07\x1b]*(\x07|\x1b\\)?|\x1b.", "", tail)
        return f"(bosun's last output, escapes stripped: {plain[-1000:]!r})"

    def check(self, step: str = "") -> None:
        """The process lives and nothing on screen or in its output says it crashed."""
        where = f" after {step}" if step else ""
        screen = self.text()
        crash = CRASH.search(screen)
        assert crash is None, f"crash shown on screen{where}: {crash.group(0)!r}\n{self.dump()}"
        new = bytes(self.app.transcript[self._scanned:])
        self._scanned = max(0, len(self.app.transcript) - 200)  # overlap: a marker cut by a read
        crash = CRASH.search(new.decode("utf-8", "replace"))
        assert crash is None, f"crash in bosun's output{where}: {crash.group(0)!r}\n{self.dump()}"
        assert self.app.proc.isalive(), f"bosun exited{where}\n{self.dump()}"

    # -- waits on any condition of the screen -----------------------------------------------------

    def until(self, found: Callable[[pyte.Screen], object], what: str, timeout: float = 10.0):
        """Wait until `found(screen)` is true (screen: the live pyte screen, read under its lock);
        returns that value. Fails with the screen when it times out or bosun exits."""
        app = self.app
        deadline = time.monotonic() + timeout
        with app._lock:
            while True:
                value = found(app._screen)
                if value:
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0 or app._eof:
                    reason = f"timed out after {timeout:.1f}s" if remaining <= 0 else "bosun exited"
                    raise ScreenTimeout(f"{reason} while waiting for {what}\n{self.dump()}")
                app._lock.wait(min(remaining, 0.5))
        self.check(f"waiting for {what}")
        return value

    @staticmethod
    def list_part(line: str) -> str:
        """The container list's part of a screen row (panes beside it start at the ▏ border)."""
        return line.split("▏", 1)[0]

    def row(self, name: str) -> str | None:
        """The list row of container or project `name` (its list part), or None."""
        word = re.compile(rf"(?<![\w.-]){re.escape(name)}(?![\w.-])")
        for line in self.text().splitlines():
            part = self.list_part(line)
            if word.search(part) and STATE_MARK.search(part):
                return part
        return None

    def see_row(self, name: str, pattern: str, timeout: float = 10.0) -> str:
        """Wait until the list row of `name` matches `pattern` (a regex); returns the row."""
        regex = re.compile(pattern)

        def found(_screen):
            row = self.row(name)
            return row if row is not None and regex.search(row) else None
        # row() reads self.text(), which takes the screen's lock again: it is an RLock.
        return self.until(found, f"row {name!r} to match {pattern!r}", timeout)

    def no_row(self, name: str, timeout: float = 10.0) -> None:
        """Wait until `name` has no row on screen (a row scrolled out of view counts as gone: check
        the header's count too where it matters)."""
        self.until(lambda _s: self.row(name) is None, f"row {name!r} to go", timeout)

    def cursor_row(self, screen: pyte.Screen | None = None) -> str | None:
        """The list row the cursor is on: the one row of the list drawn in a colour of its own."""
        screen = screen or self.app._screen
        rows = []
        last = -1
        for y in range(screen.lines):
            part = self.list_part(self._line(screen, y))
            if STATE_MARK.search(part):
                rows.append((screen.buffer[y][2].bg, part))
                last = y
        if len(rows) == 1:
            return rows[0][1]
        if not rows:
            return None
        counts = Counter(bg for bg, _ in rows)
        if len(rows) >= 3:
            base = counts.most_common(1)[0][0]
        elif last + 1 < screen.lines and not self.list_part(self._line(screen, last + 1)).strip():
            base = screen.buffer[last + 1][2].bg  # the table's own colour, below its last row
        else:
            return None
        odd = [part for bg, part in rows if bg != base]
        return odd[0] if len(odd) == 1 else None

    def list_rows(self, screen: pyte.Screen | None = None) -> list[str]:
        """The rows of the container list on screen (their list part), top to bottom."""
        screen = screen or self.app._screen
        parts = (self.list_part(self._line(screen, y)) for y in range(screen.lines))
        return [part for part in parts if STATE_MARK.search(part)]

    @staticmethod
    def _line(screen: pyte.Screen, y: int) -> str:
        return "".join(screen.buffer[y][x].data for x in range(screen.columns))

    def goto(self, name: str, limit: int = 40) -> None:
        """Move the cursor to the row of `name`: to the top, then down until it is there."""
        word = re.compile(rf"(?<![\w.-]){re.escape(name)}(?![\w.-])")
        self.app.press("g")
        self.until(lambda s: (rows := self.list_rows(s)) and self.cursor_row(s) == rows[0], "the cursor at the top")
        for _ in range(limit):
            current = self.until(self.cursor_row, "a cursor row")
            if word.search(current):
                return
            self.app.press("down")
            self.until(lambda s: (r := self.cursor_row(s)) and r != current,
                       f"the cursor to move from {current.strip()!r}")
        raise AssertionError(f"no row {name!r} below the top\n{self.dump()}")

    def see(self, target: str | re.Pattern[str], timeout: float = 10.0) -> None:
        """Wait until the screen shows `target`, then check the process."""
        try:
            self.app.wait_for(target, timeout)
        except ScreenTimeout as exc:
            raise ScreenTimeout(f"{exc}\n{self.output_tail()}") from None
        self.check(f"waiting for {target!r}")

    def gone(self, target: str | re.Pattern[str], timeout: float = 10.0) -> None:
        try:
            self.app.wait_until_gone(target, timeout)
        except ScreenTimeout as exc:
            raise ScreenTimeout(f"{exc}\n{self.output_tail()}") from None
        self.check(f"waiting for {target!r} to go")

    def flowing(self, screen: pyte.Screen | None = None) -> str:
        """The text of toasts (and of anything behind a ▌ edge), lines joined: a toast wraps its
        message over several lines on a narrow screen."""
        screen = screen or self.app._screen
        parts = []
        for y in range(screen.lines):
            line = self._line(screen, y)
            if "▌" in line:
                parts.append(line.rsplit("▌", 1)[1])
        return " ".join(" ".join(parts).split())

    def see_toast(self, text: str, timeout: float = 10.0) -> None:
        """Wait for a toast saying `text` (however it wraps)."""
        wanted = " ".join(text.split()).lower()  # a toast says it whatever the case of its first word
        self.until(lambda s: wanted in self.flowing(s).lower(), f"a toast saying {text!r}", timeout)

    def field_has_cursor(self, screen: pyte.Screen, text: str) -> bool:
        """True if an input field showing `text` is focused: its cursor, the cell after the text,
        is drawn in a colour of its own."""
        for y in range(screen.lines):
            line = self._line(screen, y)
            for match in re.finditer(re.escape(text), line):
                end = match.end()
                # A field's value ends its line (up to a border): a highlighted word in a log line does not.
                rest = re.split(r"[│▎▏]", line[end:], maxsplit=1)[0]
                if end >= screen.columns or line[end] != " " or rest.strip():
                    continue
                text_bg = screen.buffer[y][match.start()].bg
                field_bg = screen.buffer[y][min(end + len(rest) - 1, screen.columns - 1)].bg
                # The cursor after the text, or the text selected (a field selects its value on focus).
                if screen.buffer[y][end].bg != text_bg or (len(rest) > 2 and text_bg != field_bg):
                    return True
        return False

    def left_field(self, text: str, timeout: float = 10.0) -> None:
        """Wait until the field showing `text` lost the focus (keys typed before that still land in it).

        The field's cursor blinks (on and off every 0.5 s), so "no cursor" must hold for a whole
        blink cycle: an observation window, not a sleep standing in for a condition."""
        deadline = time.monotonic() + timeout
        while True:
            self.until(lambda s: not self.field_has_cursor(s, text), f"the field {text!r} to give the keys back",
                       max(0.1, deadline - time.monotonic()))
            clear_since = time.monotonic()
            with self.app._lock:
                while not self.field_has_cursor(self.app._screen, text):
                    left = clear_since + BLINK_CYCLE - time.monotonic()
                    if left <= 0:
                        return
                    self.app._lock.wait(left)
            if time.monotonic() > deadline:
                raise ScreenTimeout(f"the field {text!r} kept the focus\n{self.dump()}")

    def in_field(self, text: str, timeout: float = 10.0) -> None:
        """Wait until a focused field shows `text` (what was typed arrived there)."""
        self.until(lambda s: self.field_has_cursor(s, text), f"a focused field showing {text!r}", timeout)

    def in_empty_field(self, placeholder: str, timeout: float = 10.0) -> None:
        """Wait until an empty field showing `placeholder` has the focus (its cursor on the first letter)."""
        def focused(screen: pyte.Screen) -> bool:
            for y in range(screen.lines):
                x = self._line(screen, y).find(placeholder)
                if x >= 0 and len(placeholder) > 1 and screen.buffer[y][x].bg != screen.buffer[y][x + 1].bg:
                    return True
            return False
        self.until(focused, f"the empty field {placeholder!r} focused", timeout)

    # -- shells -------------------------------------------------------------------------------

    def shell_border(self, screen: pyte.Screen | None = None) -> str | None:
        """The colour of the shell pane's border (it changes with the focus), or None."""
        screen = screen or self.app._screen
        for y in range(screen.lines):
            x = self._line(screen, y).find("╭─ sh:")
            if x >= 0:
                return screen.buffer[y][x].fg
        return None

    def leave_shell(self) -> None:
        """ctrl+]: the keys go back to the list (waited for: the shell's border loses its colour)."""
        focused = self.until(self.shell_border, "a shell pane")
        self.press("ctrl+]")
        self.until(lambda s: (c := self.shell_border(s)) is None or c != focused, "the shell to give the keys back")
        self._unfocused_border = self.shell_border()

    def in_shell(self, timeout: float = 20.0) -> None:
        """Wait until a shell pane has the keys (after e, E or r)."""
        unfocused = getattr(self, "_unfocused_border", None)
        self.until(lambda s: (c := self.shell_border(s)) is not None and c != unfocused, "a shell with the keys",
                   timeout)

    def lacks(self, target: str | re.Pattern[str]) -> None:
        """The screen does not show `target` now."""
        screen = self.text()
        found = target.search(screen) if isinstance(target, re.Pattern) else target in screen
        assert not found, f"{target!r} is on screen:\n{screen}\n(and now) {self.dump()}"

    # -- what the user does ---------------------------------------------------------------------

    def press(self, *keys: str) -> None:
        """Keys by name (`enter`, `ctrl+s`, `?`); each is recorded as exercised."""
        for key in keys:
            self.pressed.add(key)
            self.app.press(key)
        self.check(f"pressing {', '.join(keys)}")

    def type(self, text: str) -> None:
        """Text typed into a field (not recorded as keys)."""
        self.app.type(text)
        self.check(f"typing {text!r}")

    def quit(self, key: str = "q", code: int | None = 0) -> int | None:
        self.pressed.add(key)
        self.app.press(key)
        try:
            # With shells open bosun asks first (README); q again confirms.
            status = self._exit_or_confirm(key)
        except ScreenTimeout as exc:
            raise ScreenTimeout(f"{key} did not end bosun\n{exc}") from None
        self.app._reader.join(timeout=2)  # every byte read, so the scan sees the last ones
        crash = CRASH.search(bytes(self.app.transcript[self._scanned:]).decode("utf-8", "replace"))
        assert crash is None, f"crash in bosun's output on {key}: {crash.group(0)!r}\n{self.dump()}"
        if code is not None:
            assert status == code, f"bosun exited with {status} on {key}, expected {code}\n{self.dump()}"
        return status

    def _exit_or_confirm(self, key: str) -> int | None:
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline:
            if self.app._eof or self.app.proc.exitstatus is not None or not self.app.proc.isalive():
                return self.app.wait_exit(8)
            if "Quit bosun?" in self.app.text():
                self.app.press(key)  # the quit dialog's own q
                return self.app.wait_exit(8)
            time.sleep(0.01)
        return self.app.wait_exit(0.1)

    def close(self) -> None:
        self.app.close()


@pytest.fixture
def bosun(request, tmp_path):
    """Start bosun processes for a scenario: `bosun(args, size=...)`; checks `@covers` after."""
    pressed: set[str] = set()
    started: list[Bosun] = []

    def start(*args: str, size: tuple[int, int] = (160, 48), env: dict[str, str] | None = None) -> Bosun:
        app = Bosun(args, size=size, cwd=tmp_path, env=env, pressed=pressed)
        started.append(app)
        return app

    try:
        yield start
    finally:
        for app in started:
            app.close()
    declared = getattr(request.function, "covers", frozenset())
    missing = declared - pressed
    if missing and _passed(request):
        pytest.fail(f"{request.function.__name__} declares keys it never pressed: {sorted(missing)}")


def _passed(request) -> bool:
    # Skipped or failed scenarios did not get to press their keys: only a pass is held to its claim.
    report = getattr(request.node, "rep_call", None)
    return report is not None and report.passed
