"""Open the engine an `EngineSpec` names: the fleet's default `open_engine`.

The API kind goes through the same connector as the one-engine run
(`open_endpoint`: probe, ping, errors that name what was tried); the engine
takes the spec's name, so its errors say which engine of several spoke.
"""

from __future__ import annotations

from dataclasses import replace

from tui.engine.base import Engine
from tui.engine.errors import ConfigError
from tui.engine.spec import EngineSpec


async def open_spec(spec: EngineSpec) -> Engine:
    from tui.engine.connector import open_endpoint
    from tui.engine.endpoints import resolve_endpoints

    if spec.kind in ("podman-cli", "docker-cli"):
        from tui.engine.cli.engine import CliEngine
        from tui.engine.cli.fallback import pinged

        return await pinged(CliEngine.from_spec(spec))
    if spec.kind != "api":
        raise ConfigError(f"{spec.source}: engines of kind {spec.kind} cannot be opened", engine=spec.name)
    endpoint = resolve_endpoints(spec.host, host_source=spec.source)[0]
    endpoint = replace(endpoint, name=spec.name, tls=spec.tls or endpoint.tls, ssh_client=spec.ssh_client,
                       identity=spec.identity)
    return await open_endpoint(endpoint)
