"""A unix-socket proxy in front of a real engine, that a test can cut and restore.

It stands in for "the engine went away": cutting closes every open
connection and refuses new ones until restored, which is what a client sees
when the daemon restarts.
"""

from __future__ import annotations

import asyncio
import os


class SocketProxy:
    def __init__(self, listen_path: str, target_path: str) -> None:
        self.listen_path = listen_path
        self.target_path = target_path
        self._server: asyncio.AbstractServer | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        if os.path.exists(self.listen_path):
            os.unlink(self.listen_path)
        self._server = await asyncio.start_unix_server(self._serve, path=self.listen_path)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def _serve(self, client_reader, client_writer) -> None:
        try:
            engine_reader, engine_writer = await asyncio.open_unix_connection(self.target_path)
        except OSError:
            client_writer.close()
            return
        self._writers |= {client_writer, engine_writer}
        try:
            await asyncio.gather(self._pipe(client_reader, engine_writer), self._pipe(engine_reader, client_writer))
        finally:
            self._writers -= {client_writer, engine_writer}

    async def cut(self) -> None:
        """Close every connection and stop listening (the socket file goes away)."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._writers):
            writer.close()
        self._writers.clear()
        if os.path.exists(self.listen_path):
            os.unlink(self.listen_path)

    async def restore(self) -> None:
        await self.start()
