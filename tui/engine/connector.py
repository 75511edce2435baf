"""Open the first engine that answers among the resolved endpoints, or say why none did."""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

from tui.engine.docker import DockerEngine
from tui.engine.endpoints import PERMISSION_HINT, Endpoint, probe_socket, resolve_endpoints
from tui.engine.errors import Attempt, EngineError, EngineUnreachable, PermissionDenied

TLS_HINT = "check DOCKER_TLS_VERIFY / DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem) match the engine"


async def open_endpoint(endpoint: Endpoint) -> DockerEngine:
    """Connect to one endpoint and check it answers; raises EngineUnreachable with the reason."""
    problem = probe_socket(endpoint)
    if problem is not None:
        raise (PermissionDenied if problem.hint == PERMISSION_HINT else EngineUnreachable)([problem])
    engine = DockerEngine(endpoint)
    try:
        await engine.ping()
    except EngineError as exc:
        await engine.close()
        reason = exc.message
        hint = TLS_HINT if "ssl" in reason.lower() or "certificate" in reason.lower() else ""
        if isinstance(exc, EngineUnreachable) and exc.attempts:
            reason = exc.attempts[0].reason
        raise EngineUnreachable([Attempt(endpoint.url, endpoint.source, reason, hint)]) from exc
    return engine


async def connect(
    host: str | None = None,
    context: str | None = None,
    env: Mapping[str, str] | None = None,
    home: Path | None = None,
) -> DockerEngine:
    """The engine bosun should use, found like the docker CLI finds it.

    Raises PermissionDenied when a socket exists that we may not open (and none
    answered), EngineUnreachable otherwise; both list every endpoint tried.
    """
    attempts: list[Attempt] = []
    for endpoint in resolve_endpoints(host, context, env, home):
        try:
            return await open_endpoint(endpoint)
        except EngineUnreachable as exc:
            attempts.extend(exc.attempts)
    if any(a.hint == PERMISSION_HINT for a in attempts):
        raise PermissionDenied(attempts)
    raise EngineUnreachable(attempts)
