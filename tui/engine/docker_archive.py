"""The archive API of a Docker-API engine (Docker, Podman's compat API): composed into `DockerEngine`.

GET streams the tar the way logs do (plain HTTP/1.0 on a local socket, which
the engine sends unchunked); PUT streams the upload as aiohttp's chunked body.
"""

from __future__ import annotations

import asyncio
from typing import Any, AsyncIterator

import aiodocker
import aiohttp

from tui.engine.archive import Change, PathStat, changes_from_raw
from tui.engine.errors import EngineError
from tui.engine.raw_stream import HTTPStatusError, raw_stream

# An upload may take minutes; what must not happen is a minute with no progress.
_TRANSFER_TIMEOUT = aiohttp.ClientTimeout(total=None, connect=5, sock_connect=5, sock_read=120)
_STAT_HEADER = "X-Docker-Container-Path-Stat"
# A download lets the engine run this far ahead of the disk (the log streams keep a small buffer).
_BULK_BUFFER, _BULK_READ = 8 << 20, 1 << 20


class DockerArchive:
    def __init__(self, engine: Any) -> None:
        # A DockerEngine (not named: the engine module imports this one).
        self.engine = engine

    async def stat(self, container_id: str, path: str) -> PathStat:
        async with self.engine._request(f"containers/{container_id}/archive", "HEAD", params={"path": path}) as r:
            header = r.headers.get(_STAT_HEADER)
        if not header:
            raise EngineError(f"the engine said nothing of {path}", engine=self.engine.name)
        return PathStat.from_header(header)

    async def get(self, container_id: str, path: str) -> AsyncIterator[bytes]:
        engine = self.engine
        where = f"containers/{container_id}/archive"
        if not (engine.endpoint.socket_path and not engine.endpoint.tls):
            async for data in engine._stream(where, {"path": path}):
                yield data
            return
        try:
            async for data in raw_stream(engine.endpoint.socket_path, where, {"path": path},
                                         buffer=_BULK_BUFFER, read_size=_BULK_READ):
                yield data
        except (HTTPStatusError, OSError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
            raise engine.errors.error(exc) from exc

    async def put(self, container_id: str, folder: str, chunks: AsyncIterator[bytes]) -> None:
        engine = self.engine
        try:
            async with engine._client._query(
                f"containers/{container_id}/archive", "PUT", params={"path": folder, "noOverwriteDirNonDir": "1"},
                data=chunks, headers={"Content-Type": "application/x-tar"}, timeout=_TRANSFER_TIMEOUT,
            ) as response:
                await response.read()
        except (aiodocker.DockerError, aiohttp.ClientError, OSError, asyncio.TimeoutError) as exc:
            raise engine.errors.error(exc) from exc

    async def changes(self, container_id: str) -> list[Change]:
        return changes_from_raw(await self.engine._json(f"containers/{container_id}/changes"))
