"""Typed engine errors that keep the engine's own word (status code and message)."""

from __future__ import annotations

from dataclasses import dataclass


class EngineError(Exception):
    """Any failure talking to a container engine.

    `status` is the HTTP status the engine answered with (None when it never
    answered), `message` the engine's own text, `engine` which engine said it.
    """

    def __init__(self, message: str, *, status: int | None = None, engine: str | None = None,
                 exit_status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.engine = engine
        # A command-line client's exit status (the CLI backend): it has no HTTP status to give.
        self.exit_status = exit_status

    def __str__(self) -> str:
        where = f"{self.engine}: " if self.engine else ""
        code = f" (HTTP {self.status})" if self.status is not None else ""
        if self.exit_status is not None:
            code += f" (exit status {self.exit_status})"
        return f"{where}{self.message}{code}"


class NotFound(EngineError):
    """404: no such container (or exec, or image)."""


class Conflict(EngineError):
    """409: the request conflicts with the container's state (e.g. kill a stopped one)."""


class NotModified(EngineError):
    """304: the container is already in the asked-for state."""


class EngineTimeout(EngineError):
    """The engine did not answer in time."""


@dataclass(frozen=True)
class Attempt:
    """One endpoint bosun tried, and why it failed."""

    endpoint: str
    source: str
    reason: str
    hint: str = ""

    def describe(self) -> str:
        line = f"{self.endpoint} ({self.source}): {self.reason}"
        return f"{line}; {self.hint}" if self.hint else line


class EngineUnreachable(EngineError):
    """No endpoint answered; `attempts` lists every one tried and why it failed."""

    def __init__(self, attempts: list[Attempt], *, engine: str | None = None) -> None:
        self.attempts = list(attempts)
        lines = "\n".join(f"  - {a.describe()}" for a in self.attempts) or "  (no endpoint to try)"
        super().__init__(f"no container engine reachable; tried:\n{lines}", engine=engine)

    def __str__(self) -> str:
        return self.message


class PermissionDenied(EngineUnreachable):
    """An engine socket exists but this user may not open it (or its client says it may not)."""


class ClientMissing(EngineUnreachable):
    """The engine's command-line client (the CLI backend's `podman`, `docker`, `nerdctl`) is not installed."""


class ClientTooOld(EngineError):
    """The command-line client lacks an option bosun needs (`--format json`, `--no-trunc`); the message says which."""


class ConfigError(EngineError):
    """The engine configuration itself is wrong (unknown context, bad URL, missing TLS files)."""
