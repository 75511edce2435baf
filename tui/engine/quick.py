"""The first container list over a local socket, using the standard library only.

Importing aiohttp and aiodocker costs more (about 0.15 s) than everything
else between launch and a listed screen; a local engine answers the list in
milliseconds. So the first screen is drawn from this plain HTTP/1.0 request
while the full client loads in the background.
"""

from __future__ import annotations

import asyncio
import json
from typing import Mapping
from urllib.parse import quote

from tui.engine.endpoints import Endpoint
from tui.engine.errors import Attempt, EngineUnreachable
from tui.engine.parse import summary_from_list
from tui.engine.types import ContainerSummary

_TIMEOUT = 3.0


async def _get(path: str, socket_path: str) -> tuple[int, dict[str, str], bytes]:
    reader, writer = await asyncio.open_unix_connection(socket_path)
    try:
        writer.write(f"GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n".encode())
        await writer.drain()
        raw = await reader.read()
    finally:
        writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


def engine_kind(headers: Mapping[str, str]) -> str:
    return "podman" if "libpod" in headers.get("server", "").lower() or "libpod-api-version" in headers else "docker"


async def quick_list(endpoint: Endpoint, labels: Mapping[str, str] | None = None) -> tuple[str, list[ContainerSummary]]:
    """(engine kind, brief summaries) from a unix-socket engine; EngineUnreachable if that fails."""
    if endpoint.socket_path is None:
        raise EngineUnreachable([Attempt(endpoint.url, endpoint.source, "not a local socket")])
    path = "/containers/json?all=1"
    if labels:
        filters = json.dumps({"label": [f"{k}={v}" if v else k for k, v in labels.items()]})
        path += "&filters=" + quote(filters)
    try:
        status, headers, body = await asyncio.wait_for(_get(path, endpoint.socket_path), _TIMEOUT)
        if status != 200:
            raise ValueError(f"HTTP {status}: {body[:200]!r}")
        kind = engine_kind(headers)
        name = endpoint.name if endpoint.name and endpoint.name not in ("docker", "podman") else kind
        return kind, [summary_from_list(entry, name) for entry in json.loads(body)]
    except (OSError, ValueError, IndexError, asyncio.TimeoutError) as exc:
        raise EngineUnreachable([Attempt(endpoint.url, endpoint.source, str(exc) or type(exc).__name__)]) from exc
