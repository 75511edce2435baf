"""The client's child processes: one-shot commands and long-running ones, all accounted for.

Every child the CLI backend starts is registered here and ended by `close()`,
so closing a view or quitting bosun leaves no client behind; on Linux each
child also gets SIGKILL from the kernel if bosun itself dies (PR_SET_PDEATHSIG),
so not even a crash leaves an orphan `podman logs -f` running.

That signal is asked for by `setpriv --pdeathsig KILL` (util-linux) in front of the
client where it is installed, else by a `preexec_fn`. The wrapper is the cheaper
way: a `preexec_fn` makes Python fork the whole interpreter rather than vfork, about
10 ms of CPU per child for a bosun of 100 MB, and every list, inspect and action is
a child.
"""

from __future__ import annotations

import asyncio
import ctypes
import os
import shutil
import signal
import sys
from dataclasses import dataclass
from typing import Callable, Sequence

from tui.engine.cli.errors import client_missing, command_error
from tui.engine.errors import EngineError, EngineTimeout

# One-shot commands that should answer quickly (list, inspect, start...).
CALL_SECONDS = 30.0
# How long a child gets to end after SIGTERM before SIGKILL.
TERM_GRACE = 2.0

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


_PREEXEC = _die_with_parent if sys.platform.startswith("linux") else None
_DEATH_WRAPPER: list[list[str]] = []  # found once per process: [argv] or [[]] for none


async def _death_wrapper() -> list[str]:
    """`setpriv --pdeathsig KILL --` if this machine's setpriv takes it (util-linux 2.33 on), else []."""
    if not _DEATH_WRAPPER:
        found: list[str] = []
        program = shutil.which("setpriv") if _PREEXEC is not None else None
        if program is not None:
            wrapper = [program, "--pdeathsig", "KILL", "--"]
            try:
                check = await asyncio.create_subprocess_exec(*wrapper, "true", stdin=asyncio.subprocess.DEVNULL,
                                                             stdout=asyncio.subprocess.DEVNULL,
                                                             stderr=asyncio.subprocess.DEVNULL)
                found = wrapper if await check.wait() == 0 else []
            except OSError:
                pass
        if not _DEATH_WRAPPER:
            _DEATH_WRAPPER.append(found)
    return _DEATH_WRAPPER[0]


@dataclass(frozen=True)
class Completed:
    """What a finished command left: its exit status and both outputs."""

    argv: list[str]
    status: int
    stdout: bytes
    stderr: bytes


class CliRunner:
    """Starts `base + args` as children and ends them all on `close()`."""

    def __init__(self, base: Sequence[str], name: Callable[[], str], *, source: str = "--engine",
                 env: dict[str, str] | None = None) -> None:
        self.base = list(base)
        self._name = name
        self.source = source
        self.env = env
        self.children: set[asyncio.subprocess.Process] = set()
        self.closed = False
        self._resolved: str | None = None  # the client's path, for the death wrapper to run

    @property
    def program(self) -> str:
        return self.base[0]

    async def spawn(self, args: Sequence[str], *, stdin=asyncio.subprocess.DEVNULL,
                    stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
                    **extra) -> asyncio.subprocess.Process:
        """Start a child (registered until `finish`); ClientMissing if the client is not installed."""
        if self.closed:
            raise EngineError("the engine is closed", engine=self._name())
        argv = [*self.base, *args]
        preexec = extra.pop("preexec_fn", None)
        if preexec is None:
            argv, preexec = await self._dying_with_us(argv)
        try:
            process = await asyncio.create_subprocess_exec(
                *argv, stdin=stdin, stdout=stdout, stderr=stderr, env=self.env, preexec_fn=preexec, **extra)
        except FileNotFoundError:
            raise client_missing(self.program, engine=self._name(), source=self.source) from None
        except PermissionError as exc:
            raise command_error(argv, None, f"permission denied: {exc}", engine=self._name(),
                                source=self.source) from None
        self.children.add(process)
        return process

    async def _dying_with_us(self, argv: list[str]):
        """`argv` and the preexec_fn that make the child die with bosun (see the module's doc)."""
        wrapper = await _death_wrapper()
        if wrapper and self._resolved is None:
            path = (self.env or os.environ).get("PATH")
            self._resolved = shutil.which(self.program, path=path) or ""
        if not wrapper or not self._resolved:
            return argv, _PREEXEC  # a client not found is reported as missing by the spawn itself
        return [*wrapper, self._resolved, *argv[1:]], None

    async def finish(self, process: asyncio.subprocess.Process) -> int | None:
        """End a child if it still runs (TERM, then KILL) and reap it; its exit status."""
        try:
            if process.returncode is None:
                try:
                    process.terminate()
                except ProcessLookupError:
                    pass
                try:
                    await asyncio.wait_for(asyncio.shield(process.wait()), TERM_GRACE)
                except asyncio.TimeoutError:
                    try:
                        process.kill()
                    except ProcessLookupError:
                        pass
            return await process.wait()
        finally:
            self.children.discard(process)

    async def call(self, args: Sequence[str], *, timeout: float | None = None, check: bool = True,
                   stdin: bytes | None = None) -> Completed:
        """Run a command to its end; a failure (with `check`) raises the typed error for what it said."""
        argv = [*self.base, *args]
        process = await self.spawn(args, stdin=asyncio.subprocess.PIPE if stdin is not None
                                   else asyncio.subprocess.DEVNULL)
        try:
            out, err = await asyncio.wait_for(process.communicate(stdin), timeout or CALL_SECONDS)
        except asyncio.TimeoutError:
            raise EngineTimeout(f"`{' '.join(argv[:3])} …` did not finish within {timeout or CALL_SECONDS:g} s",
                                engine=self._name()) from None
        finally:
            await self.finish(process)
        done = Completed(argv, process.returncode or 0, out, err)
        if check and done.status != 0:
            raise command_error(argv, done.status, err, engine=self._name(), source=self.source)
        return done

    async def close(self) -> None:
        """End every child still running and reap it."""
        self.closed = True
        children = list(self.children)
        await asyncio.gather(*(self.finish(child) for child in children), return_exceptions=True)

    def live_pids(self) -> list[int]:
        return [child.pid for child in self.children if child.returncode is None]


def pid_alive(pid: int) -> bool:
    """Is there still a process (not a zombie) with this pid?"""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        try:
            os.kill(pid, 0)
        except OSError:
            return False
        return True
