"""A child's output pipe, read in few large reads: what keeps a flood cheap for the client that writes it.

`podman logs` writes every line with a write(2) of its own. A reader that waits
on the pipe is woken by each of those writes, so the client pays a wake-up per
line and the reader a read per line; with the pipe at 1 MB, the reader can
instead leave it alone for a few milliseconds after a short read, and the
client's writes in between only copy bytes. The first bytes after a quiet
spell are read at once (nothing is waiting), so a lone line is not held back.
"""

from __future__ import annotations

import asyncio
import fcntl
import os

PIPE_SIZE = 1024 * 1024
READ_SIZE = PIPE_SIZE
# After a read that left the pipe empty, the next read waits this long: at the ~15 MB/s a client
# writes a flood, that is a read of ~75 kB instead of one per line, and a tenth of the pipe.
GATHER_SECONDS = 0.005
_F_SETPIPE_SZ = 1031


def _widen(fd: int) -> bool:
    """Give the pipe PIPE_SIZE bytes (Linux); False where it cannot be (the default 64 kB stays)."""
    try:
        return fcntl.fcntl(fd, _F_SETPIPE_SZ, PIPE_SIZE) >= PIPE_SIZE
    except (AttributeError, OSError, ValueError):
        return False  # not Linux, or above the user's pipe limit


def _wake(future: asyncio.Future) -> None:
    if not future.done():
        future.set_result(None)


class OutputPipe:
    """One pipe: `child_end` goes to the child as its stdout or stderr, `read()` gives what it wrote."""

    def __init__(self) -> None:
        self._read_fd, self._write_fd = os.pipe()
        os.set_blocking(self._read_fd, False)
        # Only a wide pipe can hold what a client writes while we wait: a 64 kB one fills in ~4 ms.
        self.gather = GATHER_SECONDS if _widen(self._read_fd) else 0.0
        self._quiet_until = 0.0  # loop time before which a read waits (see the module's doc)
        self._watched_by: asyncio.AbstractEventLoop | None = None  # the loop with a reader on our end

    @property
    def child_end(self) -> int:
        return self._write_fd

    def child_started(self) -> None:
        """The child holds its copy of the write end: ours must go, or the pipe never ends."""
        if self._write_fd >= 0:
            os.close(self._write_fd)
            self._write_fd = -1

    async def read(self) -> bytes:
        """The next bytes the child wrote (at most READ_SIZE); b"" once it closed its end."""
        loop = asyncio.get_running_loop()
        wait = self._quiet_until - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        while True:
            try:
                data = os.read(self._read_fd, READ_SIZE)
            except BlockingIOError:
                await self._readable(loop)
                continue
            except InterruptedError:
                continue
            # A read that took half the pipe is behind the writer: no pause then.
            if self.gather and data and len(data) < READ_SIZE // 2:
                self._quiet_until = loop.time() + self.gather
            return data

    async def _readable(self, loop: asyncio.AbstractEventLoop) -> None:
        future = loop.create_future()
        loop.add_reader(self._read_fd, _wake, future)
        self._watched_by = loop
        try:
            await future
        finally:
            self._unwatch()

    def _unwatch(self) -> None:
        if self._watched_by is not None:
            self._watched_by.remove_reader(self._read_fd)
            self._watched_by = None

    def close(self) -> None:
        """Both ends closed; a read still waiting is taken off the loop first (the fd number gets reused)."""
        self.child_started()
        if self._read_fd >= 0:
            self._unwatch()
            os.close(self._read_fd)
            self._read_fd = -1
