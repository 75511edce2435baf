"""The first container list over a local socket, using the standard library only.

Importing aiohttp and aiodocker costs more (about 0.15 s) than everything
else between launch and a listed screen; a local engine answers the list in
milliseconds. So the first screen is drawn from this plain HTTP/1.0 request
while the full client loads in the background.
"""

from __future__ import annotations

import json
import socket
from typing import Callable, Mapping
from urllib.parse import quote

from tui.engine.endpoints import Endpoint
from tui.engine.errors import Attempt, EngineUnreachable
from tui.engine.parse import summary_from_list
from tui.engine.types import ContainerSummary

_TIMEOUT = 3.0


def _request(path: str) -> bytes:
    return f"GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n".encode()


async def _get(path: str, socket_path: str) -> tuple[int, dict[str, str], bytes]:
    import asyncio

    reader, writer = await asyncio.open_unix_connection(socket_path)
    try:
        writer.write(_request(path))
        await writer.drain()
        raw = await reader.read()
    finally:
        writer.close()
    return _response(raw)


def _get_now(path: str, socket_path: str, timeout: float, on_slow: Callable[[], None] | None = None,
             slow_after: float = 0.15) -> tuple[int, dict[str, str], bytes]:
    """The answer to GET `path`; `on_slow()` is called once if none has begun after `slow_after` s."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        sock.connect(socket_path)
        sock.sendall(_request(path))
        chunks = []
        if on_slow is not None and slow_after < timeout:
            sock.settimeout(slow_after)
            try:
                chunks.append(sock.recv(1 << 16))
            except TimeoutError:
                on_slow()
            sock.settimeout(timeout - slow_after)
        while not chunks or chunks[-1]:
            chunks.append(sock.recv(1 << 16))
    return _response(b"".join(chunks))


def _response(raw: bytes) -> tuple[int, dict[str, str], bytes]:
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


def _list_path(labels: Mapping[str, str] | None) -> str:
    path = "/containers/json?all=1"
    if labels:
        filters = json.dumps({"label": [f"{k}={v}" if v else k for k, v in labels.items()]})
        path += "&filters=" + quote(filters)
    return path


def _summaries(endpoint: Endpoint, answer: tuple[int, dict[str, str], bytes]) -> tuple[str, list[ContainerSummary]]:
    status, headers, body = answer
    if status != 200:
        raise ValueError(f"HTTP {status}: {body[:200]!r}")
    kind = engine_kind(headers)
    name = endpoint.name if endpoint.name and endpoint.name not in ("docker", "podman") else kind
    return kind, [summary_from_list(entry, name) for entry in json.loads(body)]


def _unreachable(endpoint: Endpoint, reason: str) -> EngineUnreachable:
    return EngineUnreachable([Attempt(endpoint.url, endpoint.source, reason)])


async def quick_list(endpoint: Endpoint, labels: Mapping[str, str] | None = None) -> tuple[str, list[ContainerSummary]]:
    """(engine kind, brief summaries) from a unix-socket engine; EngineUnreachable if that fails."""
    import asyncio  # (here: the CLI's first frame lists with quick_list_now, without asyncio)

    if endpoint.socket_path is None:
        raise _unreachable(endpoint, "not a local socket")
    try:
        return _summaries(endpoint, await asyncio.wait_for(_get(_list_path(labels), endpoint.socket_path), _TIMEOUT))
    except (OSError, ValueError, IndexError, asyncio.TimeoutError) as exc:
        raise _unreachable(endpoint, str(exc) or type(exc).__name__) from exc


def quick_list_now(endpoint: Endpoint, labels: Mapping[str, str] | None = None, timeout: float = _TIMEOUT,
                   on_slow: Callable[[], None] | None = None) -> tuple[str, list[ContainerSummary]]:
    """`quick_list` without an event loop (the CLI calls it before anything else is imported).

    `on_slow()` is called if the engine accepted the connection and has not begun to answer at
    once (a hung engine): the CLI then says what it waits for rather than leave the screen blank.
    """
    if endpoint.socket_path is None:
        raise _unreachable(endpoint, "not a local socket")
    try:
        return _summaries(endpoint, _get_now(_list_path(labels), endpoint.socket_path, timeout, on_slow))
    except (OSError, ValueError, IndexError) as exc:
        raise _unreachable(endpoint, str(exc) or type(exc).__name__) from exc
