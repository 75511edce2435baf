"""An exec session on a Docker-API engine: aiodocker's hijacked stream plus resize and exit code."""

from __future__ import annotations

import asyncio
import time

import aiodocker
import aiohttp

from tui.engine.base import ExecSession
from tui.engine.docker_errors import DockerErrors
from tui.engine.errors import EngineError, EngineTimeout, NotFound
from tui.engine.types import ExecOutput, LogStream


class DockerExecSession(ExecSession):
    def __init__(self, errors: DockerErrors, client: aiodocker.Docker, exec_id: str, tty: bool) -> None:
        self.id = exec_id
        self.tty = tty
        self._errors = errors
        self._exec = aiodocker.execs.Exec(client, exec_id, tty=tty)
        self._stream = self._exec.start(detach=False)
        self._closed = False

    async def start(self, size: tuple[int, int] | None) -> None:
        try:
            await self._stream._init()
        except (aiodocker.DockerError, aiohttp.ClientError, OSError) as exc:
            raise self._errors.error(exc) from exc
        if size is not None and self.tty:
            try:
                await self.resize(*size)
            except EngineError:
                # A short command (`cat /etc/hostname`) may be over before the
                # resize arrives: the engine refuses it ("stopped", "no such
                # exec"), but the output is waiting in the stream all the same.
                pass

    async def read(self) -> ExecOutput | None:
        try:
            message = await self._stream.read_out()
        except (aiohttp.ClientError, OSError):
            return None
        if message is None:
            return None
        stream = LogStream.STDERR if message.stream == 2 else LogStream.STDOUT
        return ExecOutput(stream, bytes(message.data))

    async def write(self, data: bytes) -> None:
        if self._closed:
            raise EngineError("the exec session is closed", engine=self._errors.engine)
        try:
            await self._stream.write_in(data)
        except (aiohttp.ClientError, OSError, RuntimeError) as exc:
            raise EngineError(f"cannot write to the process: {exc}", engine=self._errors.engine) from exc

    async def resize(self, rows: int, cols: int) -> None:
        try:
            await self._exec.resize(h=rows, w=cols)
        except aiodocker.DockerError as exc:
            raise self._errors.error(exc) from exc

    async def exit_code(self, timeout: float | None = None) -> int | None:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            try:
                info = await self._exec.inspect()
            except aiodocker.DockerError as exc:
                error = self._errors.error(exc)
                if isinstance(error, NotFound):
                    # Podman may drop a finished exec at once: it ended, its code is gone.
                    return None
                raise error from exc
            if not info.get("Running"):
                code = info.get("ExitCode")
                return int(code) if code is not None else None
            if deadline is not None and time.monotonic() >= deadline:
                if timeout == 0:
                    return None
                raise EngineTimeout(f"exec {self.id[:12]} still running", engine=self._errors.engine)
            await asyncio.sleep(0.05)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            await self._stream.close()
        except (aiohttp.ClientError, OSError, AssertionError):
            pass
