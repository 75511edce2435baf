"""ExecTransport on the fake engine: bytes both ways, order, resize, exit, close."""

from __future__ import annotations

import asyncio

from tests.shell.helpers import TerminalApp, run_line, wait_for, wait_text
from tests.waits import wait_until
from tui.engine import FakeEngine
from tui.engine.base import ExecSession
from tui.engine.types import ExecOutput, LogStream
from tui.shell.exec_transport import ExecTransport, exec_connector
from tui.widgets.terminal_view import TerminalView


async def _fake_session(**kwargs) -> tuple[FakeEngine, ExecSession]:
    engine = FakeEngine()
    cid = engine.add_container("web")
    return engine, await engine.exec(cid, ["sh"], tty=True, **kwargs)


async def test_output_input_and_exit_code():
    _, session = await _fake_session()
    out: list[bytes] = []
    exits: list = []
    done = asyncio.Event()
    transport = ExecTransport(session, on_output=out.append, on_exit=lambda code: (exits.append(code), done.set()))
    transport.start()
    for chunk in (b"ec", b"ho ", b"hi\r"):
        transport.write(chunk)
    transport.write(b"exit 5\r")
    await asyncio.wait_for(done.wait(), 5)
    text = b"".join(out).decode()
    assert "echo hi\r\nhi\r\n" in text
    assert exits == [5]
    await transport.aclose()


async def test_resize_is_ordered_with_input():
    _, session = await _fake_session(size=(24, 80))
    out: list[bytes] = []
    transport = ExecTransport(session, on_output=out.append)
    transport.start()
    transport.resize(33, 101)
    transport.write(b"stty size\r")
    await wait_until(lambda: b"33 101" in b"".join(out), "the new size in the output", detail=lambda: out)
    assert b"33 101" in b"".join(out)
    await transport.aclose()


class _SlowSession(ExecSession):
    """Records writes; each write yields to the loop, to catch reordering."""

    tty = True

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False
        self._out: asyncio.Queue = asyncio.Queue()

    async def read(self):
        return await self._out.get()

    async def write(self, data: bytes) -> None:
        await asyncio.sleep(0)  # a yield, not a wait: another write could overtake here
        self.writes.append(data)

    async def resize(self, rows, cols) -> None:
        self.writes.append(f"<{rows}x{cols}>".encode())

    async def exit_code(self, timeout=None):
        return 0

    async def close(self) -> None:
        self.closed = True
        self._out.put_nowait(None)


async def test_writes_keep_their_order_and_close_closes_the_session():
    session = _SlowSession()
    transport = ExecTransport(session, on_output=lambda data: None)
    transport.start()
    for i in range(50):
        transport.write(str(i).encode() + b",")
    transport.resize(10, 20)
    transport.write(b"end")
    await wait_until(lambda: session.writes and session.writes[-1] == b"end", "the last write to reach the session",
                     detail=lambda: session.writes)
    joined = b"".join(session.writes)
    assert joined == b"".join(str(i).encode() + b"," for i in range(50)) + b"<10x20>end"
    transport.close()
    await transport.aclose()
    assert session.closed


async def test_backlog_pauses_reading():
    session = _SlowSession()
    backlog = [10 ** 9]
    checks = [0]
    received: list[bytes] = []

    def behind() -> int:
        checks[0] += 1
        return backlog[0]

    transport = ExecTransport(session, on_output=received.append, backlog=behind)
    transport.start()
    for _ in range(3):
        session._out.put_nowait(ExecOutput(LogStream.STDOUT, b"x"))
    # The reader looked at the backlog twice (found it high, waited, looked again) without reading on.
    await wait_until(lambda: checks[0] >= 2, "the reader to check the backlog again while behind")
    assert received == [b"x"]  # stopped after the first chunk: consumer is behind
    backlog[0] = 0
    await wait_until(lambda: len(received) == 3, "the reader to read on once caught up", detail=lambda: received)
    assert received == [b"x", b"x", b"x"]
    await transport.aclose()


async def test_terminal_view_over_fake_exec():
    engine = FakeEngine()
    cid = engine.add_container("web")
    app = TerminalApp(exec_connector(engine, cid, ["sh"]))
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(TerminalView)
        await wait_text(pilot, "/ #")
        await run_line(pilot, "echo hi")
        await wait_for(pilot, lambda: any(line.rstrip() == "hi" for line in view.screen_lines()), what="hi")
        await run_line(pilot, "stty size")
        await wait_text(pilot, f"{view.size.height} {view.size.width}")
        await run_line(pilot, "exit 7")
        await wait_for(pilot, lambda: view.exited, what="exit")
        assert view.exit_code == 7
        await wait_text(pilot, "[exited with code 7]")
