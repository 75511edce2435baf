"""LocalPtyTransport: a real program in a real pty, read back through the screen."""

from __future__ import annotations

import threading
import time

import pytest

from tui.terminal.screen import TerminalScreen
from tui.terminal.stream import TerminalStream
from tui.terminal.transport import LocalPtyTransport, TerminalTransport

TIMEOUT = 10


class Capture:
    """Collects output from the reader thread; wait for text to appear."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.changed = threading.Condition()

    def __call__(self, chunk: bytes) -> None:
        with self.changed:
            self.data += chunk
            self.changed.notify_all()

    def wait_for(self, needle: bytes) -> None:
        deadline = time.monotonic() + TIMEOUT
        with self.changed:
            while needle not in self.data:
                remaining = deadline - time.monotonic()
                assert remaining > 0, f"{needle!r} not in {bytes(self.data)!r}"
                self.changed.wait(remaining)


def run_to_screen(argv: list[str], rows: int, cols: int) -> tuple[TerminalScreen, int | None]:
    screen = TerminalScreen(cols, rows)
    stream = TerminalStream(screen)
    exits: list[int | None] = []
    transport = LocalPtyTransport(argv, rows=rows, cols=cols, on_output=stream.push, on_exit=exits.append)
    transport.start()
    try:
        status = transport.wait(TIMEOUT)
    finally:
        transport.close()
    while stream.process_pending():
        pass
    assert exits == [status]
    return screen, status


def test_echo_and_stty_size_through_the_screen() -> None:
    screen, status = run_to_screen(["sh", "-c", "echo hello; stty size"], rows=30, cols=100)
    assert status == 0
    assert [line.rstrip() for line in screen.display[:2]] == ["hello", "30 100"]


def test_exit_status_is_reported() -> None:
    _, status = run_to_screen(["sh", "-c", "exit 7"], rows=5, cols=20)
    assert status == 7


def test_write_and_resize() -> None:
    capture = Capture()
    transport = LocalPtyTransport(
        ["sh", "-c", "read line; echo got:$line; read again; stty size"],
        rows=10, cols=40, on_output=capture,
    )
    transport.start()
    try:
        transport.write(b"abc\r")
        capture.wait_for(b"got:abc")
        transport.resize(20, 50)
        transport.write(b"\r")
        capture.wait_for(b"20 50")
        assert transport.wait(TIMEOUT) == 0
    finally:
        transport.close()


def test_close_stops_a_running_program() -> None:
    transport = LocalPtyTransport(["sleep", "30"], rows=5, cols=20, on_output=lambda _: None)
    transport.start()
    assert transport.running
    transport.close()  # how long it takes is a figure: bench/timings.py ("close")
    assert not transport.running
    assert transport.exit_status is not None and transport.exit_status < 0  # killed by a signal
    transport.close()  # idempotent


def test_is_a_terminal_transport() -> None:
    transport = LocalPtyTransport(["true"], on_output=lambda _: None)
    assert isinstance(transport, TerminalTransport)
    with pytest.raises(RuntimeError):
        transport.start()
        transport.start()
    transport.close()
