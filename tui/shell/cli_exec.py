"""Shells through the engine's command-line client (``--exec-via-cli``).

Some engines (or proxies in front of them) do not offer the API's exec
endpoint with a hijacked stream. Then bosun runs the engine's own client,
``docker -H <url> exec -it …`` or ``podman --url <url> exec -it …``, in a local
pseudo-terminal (``LocalPtyTransport``): the client does the exec, and the
terminal widget sees an ordinary local program. Its exit status is the
command's exit status, as with the API.

No Textual here; this package may know engines (``engine.kind``, ``engine.url``).
"""

from __future__ import annotations

import asyncio
import os
import shutil
from typing import Callable, Mapping, Optional, Sequence

from tui.engine.base import Engine
from tui.shell.shell_choice import FALLBACK_SHELL, PROBE_COMMAND, PROBE_TIMEOUT, configured_argv, parse_probe_output
from tui.terminal.transport import LocalPtyTransport

TERM = "xterm-256color"


class CliMissing(RuntimeError):
    """The engine's command-line client is not installed (the message says which)."""


def cli_program(engine: Engine) -> str:
    """``podman`` for a Podman engine, else ``docker`` (Podman's Docker API is served to both)."""
    return "podman" if getattr(engine, "kind", "") == "podman" else "docker"


def cli_base(engine: Engine, program: Optional[str] = None) -> list[str]:
    """The client and its endpoint option, so it talks to the engine bosun shows."""
    own = getattr(engine, "cli_argv", None)
    if own:  # the CLI backend: its own client, which already reaches the engine
        return list(own)
    program = program or cli_program(engine)
    url = getattr(engine, "url", "") or ""
    if not url or url.startswith("fake://"):
        raise CliMissing(f"--exec-via-cli needs a real engine; {url or 'this engine'} has no command-line client")
    if program == "podman":
        return ["podman", "--url", url]
    return ["docker", "-H", url]


def exec_argv(
    engine: Engine,
    container_id: str,
    cmd: Sequence[str],
    *,
    interactive: bool = True,
    user: Optional[str] = None,
    workdir: Optional[str] = None,
    env: Optional[Mapping[str, str]] = None,
) -> list[str]:
    """The full client command line for ``exec`` (``-it`` when ``interactive``)."""
    argv = [*cli_base(engine), "exec"]
    if interactive:
        argv.append("-it")
    if user:
        argv += ["-u", user]
    if workdir:
        argv += ["-w", workdir]
    for key, value in (env or {}).items():
        argv += ["-e", f"{key}={value}"]
    # Both clients stop reading their own options at the container argument.
    return [*argv, container_id, *cmd]


def _require(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        raise CliMissing(f"`{program}` is not installed or not on PATH; it is needed for --exec-via-cli "
                         f"(install the {program} client, or run bosun without --exec-via-cli)")
    return path


def cli_connector(
    engine: Engine,
    container_id: str,
    cmd: Sequence[str],
    *,
    user: Optional[str] = None,
    workdir: Optional[str] = None,
    env: Optional[Mapping[str, str]] = None,
) -> Callable[..., LocalPtyTransport]:
    """A ``TerminalView`` connector running ``<client> exec -it … cmd`` in a local pty.

    Raises ``CliMissing`` (shown in the pane) when the client is not installed.
    ``TERM`` is set inside the container as the API path does, unless ``env`` has one.
    """

    def connect(rows: int, cols: int, on_output, on_exit) -> LocalPtyTransport:
        environment = {"TERM": TERM, **(env or {})}
        argv = exec_argv(engine, container_id, cmd, user=user, workdir=workdir, env=environment)
        argv[0] = _require(argv[0])
        local_env = {**os.environ, "TERM": TERM}
        return LocalPtyTransport(argv, rows=rows, cols=cols, on_output=on_output, on_exit=on_exit, env=local_env)

    return connect


async def cli_pick_shell(engine: Engine, container_id: str, configured=None, *,
                         timeout: float = PROBE_TIMEOUT) -> list[str]:
    """``pick_shell`` through the client: configured, else probed with ``exec`` (no TTY), else ``/bin/sh``."""
    argv = configured_argv(configured)
    if argv is not None:
        return argv
    try:
        probe = exec_argv(engine, container_id, PROBE_COMMAND, interactive=False)
        probe[0] = _require(probe[0])
    except CliMissing:
        return list(FALLBACK_SHELL)  # opening will say the client is missing
    try:
        process = await asyncio.create_subprocess_exec(
            *probe, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL)
    except OSError:
        return list(FALLBACK_SHELL)
    try:
        output, _ = await asyncio.wait_for(process.communicate(), timeout)
    except asyncio.TimeoutError:
        process.kill()
        await process.wait()
        return list(FALLBACK_SHELL)
    found = parse_probe_output(output[:4096].decode(errors="replace"))
    return [found] if found else list(FALLBACK_SHELL)
