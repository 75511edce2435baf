"""Open the first engine that answers among the resolved endpoints, or say why none did."""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

from tui.engine.docker import DockerEngine
from tui.engine.endpoints import PERMISSION_HINT, Endpoint, probe_socket, resolve_endpoints
from tui.engine.errors import Attempt, EngineError, EngineTimeout, EngineUnreachable, PermissionDenied



async def open_endpoint(endpoint: Endpoint, *, ssh_client: str = "") -> DockerEngine:
    """Connect to one endpoint and check it answers; raises EngineUnreachable with the reason.

    `ssh_client` is the `[engine] ssh_client` setting, for an ssh:// endpoint that names none itself.
    """
    problem = probe_socket(endpoint)
    if problem is not None:
        raise (PermissionDenied if problem.hint == PERMISSION_HINT else EngineUnreachable)([problem])
    relay = None
    if endpoint.scheme == "ssh":
        from tui.engine.ssh_transport import open_ssh

        relay = await open_ssh(endpoint, ssh_client)
    try:
        engine = DockerEngine(endpoint, relay=relay)
    except BaseException:
        if relay is not None:
            await relay.close()
        raise
    try:
        await engine.ping()
    except EngineError as exc:
        await engine.close()
        reason, hint = exc.message.strip(), ""
        if isinstance(exc, EngineTimeout):
            reason = f"accepted the connection but did not answer within {engine.ping_seconds:g} s"
            hint = "the engine may be hung or stopped: check it (`systemctl status docker`, `podman system service`)"
        elif isinstance(exc, EngineUnreachable) and exc.attempts:
            reason, hint = exc.attempts[0].reason, exc.attempts[0].hint
        elif "HTTP request to an HTTPS server" in reason:
            reason = "this port speaks TLS and bosun spoke plain HTTP"
            hint = "set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH to the folder holding ca.pem, cert.pem, key.pem"
        elif exc.status is not None:
            reason = f"{reason} (HTTP {exc.status})"
        raise EngineUnreachable([Attempt(endpoint.url, endpoint.source, reason, hint)]) from exc
    return engine


async def connect(
    host: str | None = None,
    context: str | None = None,
    env: Mapping[str, str] | None = None,
    home: Path | None = None,
    *,
    host_source: str = "--host",
    ssh_client: str = "",
) -> DockerEngine:
    """The engine bosun should use, found like the docker CLI finds it.

    Raises PermissionDenied when a socket exists that we may not open (and none
    answered), EngineUnreachable otherwise; both list every endpoint tried.
    """
    attempts: list[Attempt] = []
    for endpoint in resolve_endpoints(host, context, env, home, host_source=host_source):
        try:
            return await open_endpoint(endpoint, ssh_client=ssh_client)
        except EngineUnreachable as exc:
            attempts.extend(exc.attempts)
    if any(a.hint == PERMISSION_HINT for a in attempts):
        raise PermissionDenied(attempts)
    raise EngineUnreachable(attempts)
