"""A private local unix socket whose every connection is carried to a remote engine socket over SSH.

The HTTP client (aiodocker on aiohttp), the plain HTTP/1.0 log reader and
exec's hijacked stream all speak to a local unix socket; this one lives in a
0700 folder of its own, and each connection made to it is joined to a fresh
stream to the remote engine (`Dialer.dial`: a channel of the one SSH
connection, or a `docker system dial-stdio` process). A connection that drops
or a server that restarts is the dialer's business: the next connection made
here dials again, so the engine's own retries (the event stream's backoff, the
log follower reopening) reconnect without knowing SSH is there.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from typing import Protocol

from tui.engine.errors import Attempt

_CHUNK = 1 << 18


class Dialer(Protocol):
    #: why the last dial failed, as an Attempt (None while dials work)
    problem: Attempt | None
    #: the remote's host name as the SSH client resolved it (an ssh_config alias's HostName)
    host: str

    async def dial(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """A byte stream to the remote engine socket; raises OSError (with `problem` set) when there is none."""

    async def close(self) -> None: ...


class SSHRelay:
    """Listens on `socket_path`; `url` is what the HTTP client is given."""

    def __init__(self, dialer: Dialer) -> None:
        self.dialer = dialer
        self._dir = tempfile.mkdtemp(prefix="bosun-ssh-")  # 0700: only this user reaches the engine through it
        self.socket_path = os.path.join(self._dir, "engine.sock")
        self.url = "unix://" + self.socket_path
        self._server: asyncio.AbstractServer | None = None
        self._pipes: set[asyncio.Task] = set()

    @property
    def problem(self) -> Attempt | None:
        return self.dialer.problem

    @property
    def host(self) -> str:
        return self.dialer.host

    async def start(self) -> None:
        self._server = await asyncio.start_unix_server(self._accept, self.socket_path, limit=_CHUNK)
        os.chmod(self.socket_path, 0o600)

    async def _accept(self, local_reader: asyncio.StreamReader, local_writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._pipes.add(task)
        try:
            try:
                remote_reader, remote_writer = await self.dialer.dial()
            except Exception:  # (whatever the SSH client raised: the dialer's `problem` says why)
                return  # the client sees the connection close
            try:
                await _join(local_reader, local_writer, remote_reader, remote_writer)
            finally:
                _close(remote_writer)
        except asyncio.CancelledError:
            pass  # the relay is closing: the streams go with it
        finally:
            _close(local_writer)
            if task is not None:
                self._pipes.discard(task)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for task in list(self._pipes):
            task.cancel()
        await self.dialer.close()
        shutil.rmtree(self._dir, ignore_errors=True)


async def _copy(reader, writer) -> None:
    try:
        while data := await reader.read(_CHUNK):
            writer.write(data)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()  # a half-close: the HTTP/1.0 request is done, its answer still comes
    except (OSError, EOFError, RuntimeError):
        pass


async def _join(local_reader, local_writer, remote_reader, remote_writer) -> None:
    """Copy both ways until the remote side ends (or the local one goes away)."""
    up = asyncio.ensure_future(_copy(local_reader, remote_writer))
    down = asyncio.ensure_future(_copy(remote_reader, local_writer))
    try:
        await asyncio.wait({up, down}, return_when=asyncio.FIRST_COMPLETED)
        if up.done() and not down.done():
            # The client finished sending (or half-closed): its answer may still be coming.
            await down
    finally:
        for task in (up, down):
            task.cancel()


def _close(writer) -> None:
    try:
        writer.close()
    except (OSError, RuntimeError):
        pass
