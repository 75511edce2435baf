"""What one shell pane runs, and the connector that starts it.

``ShellRequest`` is what the user asked for (``e``: the defaults; ``E``: user,
working directory, extra environment, command). ``shell_connector`` turns it
into a ``TerminalView`` connector: on the first start it picks the shell
(configured command, else probe the container), then runs it through the API
(``exec_connector``) or the engine's client (``cli_connector``). The chosen
argv is kept, so a reopen runs the very same command without probing again.

No Textual here; the parsing helpers for the dialog's fields are pure.
"""

from __future__ import annotations

import inspect
import shlex
from dataclasses import dataclass, field
from typing import Callable, Optional

from tui.engine.base import Engine
from tui.engine.fleet import routed
from tui.shell.cli_exec import cli_connector, cli_pick_shell
from tui.shell.exec_transport import exec_connector
from tui.shell.shell_choice import pick_shell


@dataclass(frozen=True)
class ShellRequest:
    """How to open a shell; empty fields mean the engine's / image's defaults."""

    user: str = ""
    workdir: str = ""
    env: tuple[tuple[str, str], ...] = ()
    command: tuple[str, ...] = ()  # empty: the configured shell, else detect

    @property
    def is_default(self) -> bool:
        return self == ShellRequest()


def parse_env(text: str) -> tuple[tuple[str, str], ...]:
    """``A=1 B="two words"`` -> pairs; quoting as in a shell. ValueError says what is wrong."""
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise ValueError(f"environment: {exc}") from None
    pairs = []
    for word in words:
        key, sep, value = word.partition("=")
        if not sep or not key or any(c.isspace() for c in key):
            raise ValueError(f"environment: expected KEY=VALUE, got {word!r}")
        pairs.append((key, value))
    return tuple(pairs)


def format_env(pairs: tuple[tuple[str, str], ...]) -> str:
    """The inverse of ``parse_env`` (for pre-filling the dialog)."""
    return " ".join(shlex.quote(f"{k}={v}") for k, v in pairs)


def format_command(argv: tuple[str, ...]) -> str:
    """The inverse of ``parse_command`` (for pre-filling the dialog): joined with spaces, the
    `sh -c '…; …'` typed last time came back as `sh -c echo …; …`, another command."""
    return shlex.join(argv)


def parse_command(text: str) -> tuple[str, ...]:
    """A command line split like a shell would; ValueError on unbalanced quotes."""
    try:
        return tuple(shlex.split(text))
    except ValueError as exc:
        raise ValueError(f"command: {exc}") from None


@dataclass
class ShellLaunch:
    """One pane's program: the request, and the argv once chosen (kept for reopen)."""

    container_id: str
    request: ShellRequest = field(default_factory=ShellRequest)
    argv: Optional[list[str]] = None


def shell_connector(
    engine: Engine,
    launch: ShellLaunch,
    *,
    configured: str = "",
    via_cli: bool = False,
    on_argv: Optional[Callable[[list[str]], None]] = None,
):
    """A ``TerminalView`` connector for ``launch`` (see the module docstring).

    ``on_argv`` is told the argv once it is chosen (the pane shows it).
    """
    request = launch.request

    async def connect(rows: int, cols: int, on_output, on_exit):
        if launch.argv is None:
            if request.command:
                argv = list(request.command)
            elif via_cli:
                argv = await cli_pick_shell(*routed(engine, launch.container_id), configured or None)
            else:
                argv = await pick_shell(engine, launch.container_id, configured or None)
            launch.argv = argv
            if on_argv is not None:
                on_argv(argv)
        make = cli_connector if via_cli else exec_connector
        # The client runs against the container's own engine, by its own id (several engines in view).
        target, container_id = routed(engine, launch.container_id) if via_cli else (engine, launch.container_id)
        start = make(target, container_id, launch.argv, user=request.user or None,
                     workdir=request.workdir or None, env=dict(request.env))
        result = start(rows, cols, on_output, on_exit)
        return await result if inspect.isawaitable(result) else result

    return connect
