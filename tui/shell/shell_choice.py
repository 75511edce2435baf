"""Which shell to open in a container, the way users expect.

1. A shell the user configured (``shell = "zsh"`` or ``["/bin/bash", "-l"]``) wins.
2. Otherwise probe the container once, without a TTY:
   ``sh -c 'command -v bash || command -v ash || command -v sh'``
   and take the first answer: bash if present, else busybox ash, else sh.
3. If the probe fails (no ``sh`` at all, the exec is refused, garbage
   output), fall back to ``/bin/sh``; opening it will then show the error.

The parsing is pure (``parse_probe_output``, ``choose_shell``) and tested
without an engine; ``probe_shell``/``pick_shell`` run the probe.
"""

from __future__ import annotations

import asyncio
import posixpath
import shlex
from typing import Optional, Sequence, Union

from tui.engine.base import Engine
from tui.engine.errors import EngineError
from tui.engine.types import LogStream

PROBE_SCRIPT = "command -v bash || command -v ash || command -v sh"
PROBE_COMMAND = ("sh", "-c", PROBE_SCRIPT)
FALLBACK_SHELL = ("/bin/sh",)
#: In order of preference; the probe script asks in the same order.
KNOWN_SHELLS = ("bash", "ash", "sh")
PROBE_TIMEOUT = 5.0
_MAX_PROBE_OUTPUT = 4096

Configured = Union[str, Sequence[str], None]


def parse_probe_output(output: str) -> Optional[str]:
    """The shell the probe found (a path such as ``/bin/bash``), or ``None``.

    ``command -v`` prints a path for a program, or just the name for a
    builtin; anything else on a line (an alias, an error message) is ignored.
    Only known shells are accepted, so a hostile image cannot make us run an
    arbitrary path by printing it.
    """
    for line in output.splitlines():
        candidate = line.strip()
        if not candidate or any(c.isspace() for c in candidate):
            continue
        name = posixpath.basename(candidate)
        if name not in KNOWN_SHELLS:
            continue
        if candidate.startswith("/") or candidate == name:
            return candidate
    return None


def configured_argv(configured: Configured) -> Optional[list[str]]:
    """A configured shell as argv (a string is split like a shell would), or ``None``."""
    if configured is None:
        return None
    if isinstance(configured, str):
        argv = shlex.split(configured)
    else:
        argv = [str(part) for part in configured]
    return argv or None


def choose_shell(configured: Configured = None, probe_output: Optional[str] = None) -> list[str]:
    """argv for the shell: the configured one, else what the probe found, else ``/bin/sh``."""
    argv = configured_argv(configured)
    if argv is not None:
        return argv
    found = parse_probe_output(probe_output) if probe_output else None
    return [found] if found else list(FALLBACK_SHELL)


async def probe_shell(engine: Engine, container_id: str, *, timeout: float = PROBE_TIMEOUT) -> Optional[str]:
    """Run the probe in the container (no TTY, no stdin); the found shell or ``None``."""

    async def run() -> str:
        session = await engine.exec(container_id, list(PROBE_COMMAND), tty=False, stdin=False)
        chunks: list[bytes] = []
        size = 0
        async with session:
            while (output := await session.read()) is not None:
                if output.stream is LogStream.STDOUT and size < _MAX_PROBE_OUTPUT:
                    chunks.append(output.data)
                    size += len(output.data)
        return b"".join(chunks).decode(errors="replace")

    try:
        text = await asyncio.wait_for(run(), timeout)
    except (EngineError, asyncio.TimeoutError, OSError):
        return None
    return parse_probe_output(text)


async def pick_shell(engine: Engine, container_id: str, configured: Configured = None,
                     *, timeout: float = PROBE_TIMEOUT) -> list[str]:
    """argv of the shell to open: configured, else probed, else ``/bin/sh``."""
    argv = configured_argv(configured)
    if argv is not None:
        return argv
    found = await probe_shell(engine, container_id, timeout=timeout)
    return [found] if found else list(FALLBACK_SHELL)
