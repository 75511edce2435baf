"""The engine layer: the one place that talks to container engines.

It never imports Textual; the UI gets domain types (`types`) and typed errors
(`errors`) through the `Engine` interface (`base`). Backends: `DockerEngine`
(Docker Engine, and Podman's Docker-compatible API), `CliEngine` (an engine's
command-line client: `podman`, `docker`, `nerdctl`; see `tui.engine.cli`) and
`FakeEngine` (in memory).
Heavier modules load on first use so `import tui.engine` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui.engine.errors import (
    Attempt,
    ClientMissing,
    ClientTooOld,
    ConfigError,
    Conflict,
    EngineError,
    EngineTimeout,
    EngineUnreachable,
    NotFound,
    NotModified,
    PermissionDenied,
)
from tui.engine.types import (
    ContainerEvent,
    ContainerSummary,
    EngineEvent,
    EventKind,
    EventsLost,
    EventsResumed,
    ExecOutput,
    Health,
    LogBatch,
    LogChunk,
    LogStream,
    Port,
    State,
    StatsSample,
)

if TYPE_CHECKING:
    from tui.engine.base import Engine, ExecSession
    from tui.engine.cli.engine import CliEngine
    from tui.engine.connector import connect
    from tui.engine.docker import DockerEngine
    from tui.engine.fake import FakeEngine

# The interface imports asyncio: the CLI's first frame (types, errors, endpoints) does without it.
_LAZY = {
    "Engine": "tui.engine.base",
    "ExecSession": "tui.engine.base",
    "CliEngine": "tui.engine.cli.engine",
    "connect": "tui.engine.connector",
    "DockerEngine": "tui.engine.docker",
    "FakeEngine": "tui.engine.fake",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(name)
    import importlib

    return getattr(importlib.import_module(module), name)


__all__ = [
    "Attempt", "CliEngine", "ClientMissing", "ClientTooOld", "ConfigError", "Conflict", "ContainerEvent", "ContainerSummary", "DockerEngine",
    "Engine", "EngineError", "EngineEvent", "EngineTimeout", "EngineUnreachable", "EventKind",
    "EventsLost", "EventsResumed", "ExecOutput", "ExecSession", "FakeEngine", "Health", "LogBatch", "LogChunk",
    "LogStream", "NotFound", "NotModified", "PermissionDenied", "Port", "State", "StatsSample", "connect",
]
