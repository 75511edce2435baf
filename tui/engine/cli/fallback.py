"""When bosun picks the CLI backend by itself: no API socket answered, nothing named one, `podman` is installed.

Rootless Podman users often never enable `podman.socket`; the `podman`
command still reaches their containers. An engine named by the user (`--host`,
`DOCKER_HOST`, a context) is never swapped for another one behind their back:
then the no-engine screen only offers the client.
"""

from __future__ import annotations

import shutil

from tui.engine.errors import Attempt, EngineError, EngineUnreachable

# The sources `resolve_endpoints` gives the default sockets: what bosun tries when told nothing.
DEFAULT_SOURCES = frozenset({"default Docker socket", "rootless Podman socket", "rootful Podman socket"})
FALLBACK_NOTE = ("No API socket answered, so bosun drives the `podman` command (CLI backend). "
                 "`podman system service` or `systemctl --user enable --now podman.socket` gives it the API.")


def may_fall_back(error: EngineError) -> bool:
    """Only when every endpoint tried was a default socket (the user named none) and `podman` is on PATH."""
    return (isinstance(error, EngineUnreachable) and bool(error.attempts)
            and all(attempt.source in DEFAULT_SOURCES for attempt in error.attempts)
            and shutil.which("podman") is not None)


def offers_cli(cli: str = "") -> str | None:
    """The client the no-engine screen can offer (`podman`, or the configured one), None if none is installed."""
    program = cli.split()[0] if cli.strip() else "podman"
    return program if shutil.which(program) else None


async def open_cli_engine(kind: str, cli: str = "", *, source: str = "--engine"):
    """A pinged `CliEngine`, or the typed error saying why its client cannot be used."""
    from tui.engine.cli.engine import CliEngine

    return await pinged(CliEngine(kind, cli, source=source))


async def pinged(engine):
    """`engine` once it answered its ping; closed, and the ping's error raised, when it does not."""
    try:
        await engine.ping()
    except BaseException:
        await engine.close()
        raise
    return engine


def with_cli_attempt(api_error: EngineError, cli_error: EngineError) -> EngineError:
    """The API's attempts plus the client's, for the no-engine screen."""
    if not isinstance(api_error, EngineUnreachable):
        return api_error
    if isinstance(cli_error, EngineUnreachable) and cli_error.attempts:
        extra = cli_error.attempts
    else:
        extra = [Attempt("podman (command-line client)", "no API socket answered", cli_error.message)]
    return EngineUnreachable([*api_error.attempts, *extra], engine=api_error.engine)
