"""A streaming GET over a local unix socket in plain HTTP/1.0: the body as it arrives.

Docker and Podman write every log line as its own write, and over HTTP/1.1 every
write becomes a chunk of the chunked encoding; aiohttp then does several calls of
Python work per chunk, which caps a flood at about half of what a bare reader
gets. Asked in HTTP/1.0, the engine sends the body unchunked and closes the
connection at its end, so the frames arrive as one plain byte stream and a
single `read` takes hundreds of them.
"""

from __future__ import annotations

import asyncio
import json
from typing import AsyncIterator
from urllib.parse import urlencode

READ_SIZE = 1 << 18
_HEAD_LIMIT = 64 * 1024


class HTTPStatusError(Exception):
    """The engine answered with an error status; `message` is its own words."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message


async def raw_stream(socket_path: str, path: str, params: dict[str, str] | None = None, *,
                     buffer: int = _HEAD_LIMIT, read_size: int = READ_SIZE) -> AsyncIterator[bytes]:
    """Yield the body of `GET path?params` as it arrives; HTTPStatusError for an error answer.

    `buffer` is how much may wait unread before the engine is told to pause (twice it, as
    asyncio counts): a bulk transfer wants the engine to keep sending while a piece is written.
    """
    query = urlencode({k: v for k, v in (params or {}).items() if v is not None})
    reader, writer = await asyncio.open_unix_connection(socket_path, limit=buffer)
    try:
        writer.write(f"GET /{path.lstrip('/')}{'?' + query if query else ''} HTTP/1.0\r\nHost: localhost\r\n\r\n"
                     .encode())
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        status_line = head.split(b"\r\n", 1)[0].decode("latin-1")
        status = int(status_line.split()[1])
        if status != 200:
            body = await reader.read()
            raise HTTPStatusError(status, _message(body))
        while True:
            data = await reader.read(read_size)
            if not data:
                return
            yield data
    finally:
        writer.close()


def _message(body: bytes) -> str:
    try:
        return str(json.loads(body).get("message") or body.decode(errors="replace")).strip()
    except (ValueError, AttributeError):
        return body.decode(errors="replace").strip() or "no message"
