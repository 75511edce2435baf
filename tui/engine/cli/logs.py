"""`logs --timestamps [--follow]` through the client, with stdout and stderr kept apart.

The client writes the container's stdout on its own stdout and the
container's stderr on its own stderr, so the two streams arrive on two pipes
and their interleaving is lost. Every line carries the engine's timestamp
(bosun always asks for them), so each read's lines from both pipes are put
back in time order; a history (no follow) is read to its end and merged as a
whole. When the caller did not ask for timestamps, they are cut off again.
"""

from __future__ import annotations

import asyncio
import bisect
import re
from datetime import datetime, timezone
from typing import AsyncIterator

from tui.engine.cli.errors import command_error
from tui.engine.cli.pipes import OutputPipe
from tui.engine.cli.runner import CliRunner
from tui.engine.timestamps import raw_timestamp_prefix
from tui.engine.types import LogBatch, LogStream

# A history is handed over in batches of this many lines, as the API backend hands over its reads.
HISTORY_BATCH = 4096
# Lines a history may hold back while waiting for the other stream's order.
HELD_LIMIT = 100_000
# Reads waiting to be taken (each up to a pipe's size): the bound that makes a flood wait in the client.
QUEUED_READS = 8


def since_arg(value: datetime | float | None) -> str | None:
    """RFC 3339 with nanoseconds in UTC: the one form Podman, Docker and nerdctl all take."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromtimestamp(float(value), tz=timezone.utc)
    moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond:06d}000Z"


def log_args(container_id: str, *, follow: bool, tail: int | None, since, until) -> list[str]:
    args = ["logs", "--timestamps"]
    if follow:
        args.append("--follow")
    if tail is not None:
        args += ["--tail", str(max(int(tail), 0))]
    if since is not None:
        args += ["--since", since_arg(since)]
    if until is not None:
        args += ["--until", since_arg(until)]
    return [*args, container_id]


_LINE = re.compile(rb"[^\n]*\n")  # one line with its newline, found in C


class _Lines:
    """Cuts one pipe's bytes into lines, keeping a partial last line for the next read."""

    __slots__ = ("stream", "pending")

    def __init__(self, stream: LogStream) -> None:
        self.stream = stream
        self.pending = b""

    def feed(self, data: bytes) -> list[bytes]:
        if self.pending:
            data = self.pending + data
        cut = data.rfind(b"\n") + 1
        self.pending = data[cut:]
        return _LINE.findall(data, 0, cut) if cut else []

    def flush(self) -> list[bytes]:
        rest, self.pending = self.pending, b""
        return [rest] if rest else []


def _merge(out: list[bytes], err: list[bytes]) -> list[tuple[LogStream, bytes, None]]:
    """Both streams' stamped lines in time order (a tie keeps stdout's first; each stream keeps its own order)."""
    stdout, stderr = LogStream.STDOUT, LogStream.STDERR  # an enum member looked up per line costs a third
    if not err:
        return [(stdout, line, None) for line in out]
    if not out:
        return [(stderr, line, None) for line in err]
    lines = out + err
    # The stamp without its last character ("Z"), compared as bytes, orders by time: the clients print
    # Go's RFC3339Nano, whose fraction drops trailing zeros, and a shorter fraction is a prefix that sorts
    # first, as it should (…:05.1 < …:05.12); the "Z" would sort after the digits. Python's sort is stable
    # and finds the two ordered runs, so this is a linear merge done in C.
    keys = [line[:line.find(b" ", 0, 48) - 1] for line in lines]
    order = sorted(range(len(lines)), key=keys.__getitem__)
    frames = [(stdout, line, None) for line in out]
    frames += [(stderr, line, None) for line in err]
    return [frames[index] for index in order]


def _unstamped(frames: list[tuple[LogStream, bytes, None]]) -> list[tuple[LogStream, bytes, None]]:
    result = []
    for stream, line, _ in frames:
        stamp = raw_timestamp_prefix(line)
        result.append((stream, line[len(stamp) + 1:] if stamp else line, None))
    return result


def _container_lines(lines: list[bytes], chatter: bytearray) -> list[bytes]:
    """The container's stderr lines (each stamped); the rest is the client's own words, kept for an error."""
    kept = [line for line in lines if line[10:11] == b"T" and line[4:5] == b"-"]
    if len(kept) != len(lines):
        for line in lines:
            if not (line[10:11] == b"T" and line[4:5] == b"-") and len(chatter) < 4096:
                chatter += line[:4096]
    return kept


def _key(line: bytes) -> bytes:
    """A stamped line's sort key (see `_merge`)."""
    return line[:line.find(b" ", 0, 48) - 1]


def _ready(held: list[bytes], watermark: bytes | None) -> int:
    """How many of `held` (in order) are stamped at or before `watermark` (all of them for None)."""
    if watermark is None:
        return len(held)
    return bisect.bisect_right(held, watermark, key=_key)


async def cli_log_batches(runner: CliRunner, container_id: str, *, follow: bool, tail: int | None,
                          since, until, timestamps: bool, tty: bool | None) -> AsyncIterator[LogBatch]:
    """What `Engine.log_batches` yields, read from the client's two pipes.

    The pipes are read only as fast as batches are taken (a bounded queue: a flood
    makes the client wait, as a slow reader of the API's stream makes the engine
    wait). A history is merged in time order as it comes: a line is handed over
    once the other stream, while still open, has got past its time. A follow hands
    over what each read brought, so a quiet stream never holds up the other.
    """
    pipes = OutputPipe(), OutputPipe()
    try:
        process = await runner.spawn(log_args(container_id, follow=follow, tail=tail, since=since, until=until),
                                     stdout=pipes[0].child_end, stderr=pipes[1].child_end)
    except BaseException:
        for pipe in pipes:
            pipe.close()
        raise
    for pipe in pipes:
        pipe.child_started()
    out, err = _Lines(LogStream.STDOUT), _Lines(LogStream.STDERR)
    queue: asyncio.Queue[tuple[_Lines, bytes]] = asyncio.Queue(QUEUED_READS)
    error_text = bytearray()

    async def pump(pipe: OutputPipe, lines: _Lines) -> None:
        while data := await pipe.read():
            await queue.put((lines, data))
        await queue.put((lines, b""))

    pumps = [asyncio.ensure_future(pump(pipes[0], out)), asyncio.ensure_future(pump(pipes[1], err))]
    is_open = {out: True, err: True}
    last: dict[_Lines, bytes | None] = {out: None, err: None}  # the latest stamp read on each stream

    def batch(out_lines: list[bytes], err_lines: list[bytes]) -> LogBatch:
        frames = _merge(out_lines, err_lines)
        return LogBatch(frames if timestamps else _unstamped(frames), stamped=timestamps)

    try:
        held: dict[_Lines, list[bytes]] = {out: [], err: []}
        while any(is_open.values()):
            lines, data = await queue.get()
            while True:
                if not data:
                    is_open[lines] = False
                    new = lines.flush()
                else:
                    new = lines.feed(data)
                if lines is err:
                    new = _container_lines(new, error_text)
                if new:
                    held[lines].extend(new)
                    last[lines] = _key(new[-1])
                if queue.empty():
                    break
                lines, data = queue.get_nowait()
            if follow:
                if held[out] or held[err]:
                    yield batch(held[out], held[err])
                    held = {out: [], err: []}
                continue
            # History: what both streams have got past is in its final order.
            open_marks = [last[s] for s in (out, err) if is_open[s]]
            if len(held[out]) + len(held[err]) > HELD_LIMIT:
                watermark = None  # memory first: a stream silent this long is not going to interleave
            elif None in open_marks:
                continue  # an open stream has said nothing yet: anything may come before
            else:
                watermark = min(open_marks) if open_marks else None
            cut_out, cut_err = _ready(held[out], watermark), _ready(held[err], watermark)
            if cut_out + cut_err >= HISTORY_BATCH or (watermark is None and (cut_out or cut_err)):
                ready = batch(held[out][:cut_out], held[err][:cut_err])
                held = {out: held[out][cut_out:], err: held[err][cut_err:]}
                for start in range(0, len(ready.frames), HISTORY_BATCH):
                    yield LogBatch(ready.frames[start:start + HISTORY_BATCH], stamped=ready.stamped)
        if held[out] or held[err]:
            rest = batch(held[out], held[err])
            for start in range(0, len(rest.frames), HISTORY_BATCH):
                yield LogBatch(rest.frames[start:start + HISTORY_BATCH], stamped=rest.stamped)
        status = await process.wait()
        if status != 0:
            raise command_error([runner.program, "logs"], status, bytes(error_text), engine=runner._name(),
                                source=runner.source)
    finally:
        for task in pumps:
            task.cancel()
        try:
            await runner.finish(process)
        finally:
            for pipe in pipes:
                pipe.close()
