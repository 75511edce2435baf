"""How a failed call to a Docker-API engine becomes one of bosun's typed errors.

The engine (`docker`) and its exec sessions (`docker_exec`) meet the same
failures (aiodocker's errors, HTTP statuses, aiohttp and socket errors,
timeouts) and must report them alike, so both take one `DockerErrors`; the
exec module then needs nothing of the engine's.
"""

from __future__ import annotations

import asyncio
from typing import Callable

import aiodocker
import aiohttp

from tui.engine.diagnose import TLSFileNames, diagnose
from tui.engine.endpoints import Endpoint
from tui.engine.errors import Attempt, Conflict, EngineError, EngineTimeout, EngineUnreachable, NotFound
from tui.engine.raw_stream import HTTPStatusError
from tui.engine.ssh_relay import SSHRelay


def short_reason(exc: BaseException) -> str:
    """One short line on why a connection failed, without aiohttp's internals."""
    # aiohttp's messages carry connection internals ("ConnectionKey(host=...)"), over several lines.
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return "the engine closed the connection"
    if isinstance(exc, (aiohttp.ClientPayloadError, asyncio.IncompleteReadError)):
        return "the event stream was cut off"
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:120]


class DockerErrors:
    """The error mapping for one endpoint; every error it makes carries the engine's name."""

    def __init__(self, endpoint: Endpoint, name: Callable[[], str], relay: SSHRelay | None = None) -> None:
        self.endpoint = endpoint
        # Over SSH the local socket only ever says "closed": the relay knows why (auth, host key, network).
        self._relay = relay
        # Asked each time: the first ping can rename an engine ("docker" that is Podman).
        self._name = name

    @property
    def engine(self) -> str:
        return self._name()

    def error(self, exc: BaseException) -> EngineError:
        """The typed error for `exc` (an `EngineError` passes through unchanged)."""
        if isinstance(exc, EngineError):
            return exc
        if isinstance(exc, (aiodocker.DockerError, HTTPStatusError)):
            status, message = exc.status, str(exc.message)
            if status == 404:
                return NotFound(message, status=status, engine=self.engine)
            # Podman answers some state conflicts with 500 "container state improper".
            if status == 409 or "state improper" in message:
                return Conflict(message, status=status, engine=self.engine)
            if status == 900:  # aiodocker's "could not connect"
                return self.unreachable(exc, message)
            return EngineError(message, status=status, engine=self.engine)
        if isinstance(exc, (asyncio.TimeoutError, TimeoutError)):
            return EngineTimeout("the engine accepted the connection but did not answer in time (hung or overloaded?)",
                                 engine=self.engine)
        if isinstance(exc, (aiohttp.ClientError, OSError)):
            return self.unreachable(exc, str(exc) or type(exc).__name__)
        return EngineError(f"{type(exc).__name__}: {exc}", engine=self.engine)

    def unreachable(self, exc: BaseException, message: str) -> EngineUnreachable:
        """The endpoint cannot be reached: with the diagnosed reason and hint where there is one."""
        endpoint = self.endpoint
        if self._relay is not None and self._relay.problem is not None:
            return EngineUnreachable([self._relay.problem], engine=self.engine)
        tls = endpoint.tls
        names = TLSFileNames(ca=str(tls.ca) if tls.verify else None,
                             cert=str(tls.cert) if endpoint.has_client_cert else None,
                             wanted_cert=str(tls.cert)) if tls else None
        found = diagnose(exc, endpoint.url, names)
        attempt = Attempt(endpoint.url, endpoint.source, found.reason if found else message,
                          found.hint if found else "")
        return EngineUnreachable([attempt], engine=self.engine)

    def not_an_engine(self, what: str) -> EngineUnreachable:
        """An HTTP server that is not an engine: a web page, a proxy's error page."""
        attempt = Attempt(self.endpoint.url, self.endpoint.source,
                          f"answers HTTP but is not a container engine ({what})",
                          "check the address and port: Docker listens on 2375 (2376 with TLS)")
        return EngineUnreachable([attempt], engine=self.engine)

    def lost_reason(self, exc: BaseException) -> str:
        """Why a long-lived stream (the events) broke, for the banner."""
        if self._relay is not None and self._relay.problem is not None:
            return self._relay.problem.reason
        found = diagnose(exc, self.endpoint.url)
        return found.reason if found else short_reason(exc)
