"""Exec sessions through the client: `exec -it` in a local pseudo-terminal, or plain pipes without a TTY.

With a TTY the client runs on our pty as its controlling terminal: it puts
the terminal in raw mode, forwards bytes both ways and, on SIGWINCH (which
the kernel sends when we set the pty's size), resizes the exec inside the
container. Without one, the container's stdout and stderr come on the
client's two pipes, apart. Either way the client's exit status is the
command's exit status.
"""

from __future__ import annotations

import asyncio
import errno
import fcntl
import os
import struct
import termios
from typing import Mapping, Sequence

from tui.engine.base import ExecSession
from tui.engine.cli.runner import _PREEXEC, CliRunner
from tui.engine.types import ExecOutput, LogStream

READ_SIZE = 64 * 1024
RESIZE_SETTLE = 0.1  # seconds; see `CliExecSession.resize`


def exec_args(container_id: str, cmd: Sequence[str], *, tty: bool, stdin: bool, user: str | None,
              workdir: str | None, env: Mapping[str, str] | None) -> list[str]:
    args = ["exec"]
    if stdin or tty:
        args.append("-i")
    if tty:
        args.append("-t")
    if user:
        args += ["-u", user]
    if workdir:
        args += ["-w", workdir]
    for key, value in (env or {}).items():
        args += ["-e", f"{key}={value}"]
    # Every client stops reading its own options at the container argument.
    return [*args, container_id, *cmd]


def _set_size(fd: int, rows: int, cols: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", max(rows, 1), max(cols, 1), 0, 0))


def _controlling_tty() -> None:  # pragma: no cover - runs in the child between fork and exec
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    if _PREEXEC is not None:
        _PREEXEC()


class CliExecSession(ExecSession):
    """One `exec` child; see the module's doc."""

    def __init__(self, runner: CliRunner, process: asyncio.subprocess.Process, tty: bool,
                 master: int | None) -> None:
        self.runner = runner
        self.process = process
        self.tty = tty
        self._master = master
        self._outputs: asyncio.Queue[ExecOutput | None] = asyncio.Queue()
        self._pumps: list[asyncio.Future] = []
        self._closed = False
        if master is not None:
            asyncio.get_running_loop().add_reader(master, self._on_master)
        else:
            self._open = 2
            self._pumps = [asyncio.ensure_future(self._pump(process.stdout, LogStream.STDOUT)),
                           asyncio.ensure_future(self._pump(process.stderr, LogStream.STDERR))]

    @classmethod
    async def start(cls, runner: CliRunner, container_id: str, cmd: Sequence[str], *, tty: bool, stdin: bool,
                    user: str | None, workdir: str | None, env: Mapping[str, str] | None,
                    size: tuple[int, int] | None) -> CliExecSession:
        args = exec_args(container_id, cmd, tty=tty, stdin=stdin, user=user, workdir=workdir, env=env)
        if not tty:
            process = await runner.spawn(args, stdin=asyncio.subprocess.PIPE if stdin else asyncio.subprocess.DEVNULL)
            return cls(runner, process, False, None)
        master, slave = os.openpty()
        try:
            rows, cols = size or (24, 80)
            _set_size(master, rows, cols)
            os.set_blocking(master, False)
            process = await runner.spawn(args, stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
                                         preexec_fn=_controlling_tty)
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        return cls(runner, process, True, master)

    def _on_master(self) -> None:
        try:
            data = os.read(self._master, READ_SIZE)
        except BlockingIOError:
            return
        except OSError:  # EIO: every holder of the slave side is gone
            data = b""
        if data:
            self._outputs.put_nowait(ExecOutput(LogStream.STDOUT, data))
            return
        self._stop_reading()
        self._outputs.put_nowait(None)

    def _stop_reading(self) -> None:
        if self._master is not None:
            try:
                asyncio.get_running_loop().remove_reader(self._master)
            except (RuntimeError, ValueError, OSError):
                pass

    async def _pump(self, pipe: asyncio.StreamReader, stream: LogStream) -> None:
        while data := await pipe.read(READ_SIZE):
            await self._outputs.put(ExecOutput(stream, data))
        self._open -= 1
        if not self._open:
            await self._outputs.put(None)

    async def read(self) -> ExecOutput | None:
        if self._closed and self._outputs.empty():
            return None
        return await self._outputs.get()

    async def write(self, data: bytes) -> None:
        if self._closed:
            return
        if self._master is not None:
            view = memoryview(data)
            while view:
                try:
                    view = view[os.write(self._master, view):]
                except BlockingIOError:
                    await asyncio.sleep(0.01)  # the client is not reading yet: back off a moment
                except OSError as exc:
                    if exc.errno in (errno.EIO, errno.EBADF):
                        return
                    raise
            return
        if self.process.stdin is not None:
            try:
                self.process.stdin.write(data)
                await self.process.stdin.drain()
            except (BrokenPipeError, ConnectionResetError):
                pass

    async def resize(self, rows: int, cols: int) -> None:
        if self._master is not None and not self._closed:
            _set_size(self._master, rows, cols)
            # The client resizes the exec on SIGWINCH, in its own time; what is written next should
            # meet the new size, as it does after the API's resize call. Nothing tells when it is done.
            await asyncio.sleep(RESIZE_SETTLE)

    async def exit_code(self, timeout: float | None = None) -> int | None:
        try:
            return await asyncio.wait_for(asyncio.shield(self.process.wait()), timeout)
        except asyncio.TimeoutError:
            return None

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._master is not None:
            self._stop_reading()
            os.close(self._master)  # the client sees a hang-up and ends the exec
            self._master = None
        elif self.process.stdin is not None:
            self.process.stdin.close()
        await self.runner.finish(self.process)
        for pump in self._pumps:
            pump.cancel()
        self._outputs.put_nowait(None)
