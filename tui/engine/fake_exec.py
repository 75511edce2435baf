"""Exec sessions of the fake engine, driven by the tiny fake shell."""

from __future__ import annotations

import asyncio
from typing import Mapping

from tui.engine.base import ExecSession
from tui.engine.errors import EngineError, EngineTimeout
from tui.engine.fake_shell import FakeShellState, prompt, run_line
from tui.engine.types import ExecOutput, LogStream

_SHELLS = {"sh", "bash", "ash", "/bin/sh", "/bin/bash", "/bin/ash"}


class FakeExecSession(ExecSession):
    def __init__(self, cmd: list[str], *, tty: bool, user: str | None, workdir: str | None,
                 env: Mapping[str, str] | None, size: tuple[int, int] | None) -> None:
        self.tty = tty
        rows, cols = size or (24, 80)
        self._state = FakeShellState(rows=rows, cols=cols, cwd=workdir or "/", user=user or "root", env=dict(env or {}))
        self._out: asyncio.Queue[ExecOutput | None] = asyncio.Queue()
        self._line = ""
        self._closed = False
        self._done = asyncio.Event()
        if cmd and cmd[0] in _SHELLS and len(cmd) >= 3 and cmd[1] == "-c":
            self._put(run_line(cmd[2], self._state))
            self._finish(self._state.exit_code if self._state.exit_code is not None else self._state.last_status)
        elif cmd and cmd[0] in _SHELLS:
            self._put(prompt(self._state))
        else:
            self._put(run_line(" ".join(cmd), self._state))
            self._finish(self._state.last_status)

    def _put(self, text: str, stream: LogStream = LogStream.STDOUT) -> None:
        if text:
            data = text.replace("\n", "\r\n") if self.tty else text
            self._out.put_nowait(ExecOutput(stream, data.encode()))

    def _finish(self, code: int) -> None:
        self._state.exit_code = code
        self._out.put_nowait(None)
        self._done.set()

    async def read(self) -> ExecOutput | None:
        if self._done.is_set() and self._out.empty():
            return None
        return await self._out.get()

    async def write(self, data: bytes) -> None:
        if self._closed or self._done.is_set():
            raise EngineError("the exec session is closed")
        for char in data.decode(errors="replace"):
            if char in "\r\n":
                self._put("\n")
                self._put(run_line(self._line, self._state))
                self._line = ""
                if self._state.exit_code is not None:
                    self._finish(self._state.exit_code)
                    return
                self._put(prompt(self._state))
            elif char == "\x7f":
                if self._line:
                    self._line = self._line[:-1]
                    self._put("\b \b")
            elif char == "\x04" and not self._line:
                self._finish(0)
                return
            elif char == "\x03":
                self._line = ""
                self._put("^C\n" + prompt(self._state))
            elif char >= " ":
                self._line += char
                if self.tty:
                    self._put(char)

    async def resize(self, rows: int, cols: int) -> None:
        self._state.rows, self._state.cols = rows, cols

    async def exit_code(self, timeout: float | None = None) -> int | None:
        if timeout == 0 and not self._done.is_set():
            return None
        try:
            await asyncio.wait_for(self._done.wait(), timeout)
        except asyncio.TimeoutError:
            raise EngineTimeout("exec still running") from None
        return self._state.exit_code

    async def close(self) -> None:
        if not self._closed:
            self._closed = True
            if not self._done.is_set():
                self._finish(0)
