"""Writing a log to a file: a header naming what it is, then one line per log line.

What is written is the sanitised text (no escape sequences: a saved log is safe to
`cat`), one line each, with the engine's timestamp and the stream in front so
stdout and stderr stay apart in the file. Pure functions over plain values; the
pane hands over its buffer or a stream of chunks from the engine.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, TextIO

from tui.engine.types import LogChunk, LogStream
from tui.logs.buffer import LogBuffer, LogLine

if TYPE_CHECKING:
    from tui.engine.base import Engine
from tui.logs.sanitize import SGRState, sanitize_line, split_lines


@dataclass(frozen=True)
class ExportHeader:
    containers: tuple[str, ...]  # "name (short id)"
    engine: str
    source: str  # "what the pane held" or "the whole log from the engine"
    first: datetime | None = None
    last: datetime | None = None


@dataclass(frozen=True)
class SaveRequest:
    """What saving a log pane needs, handed from the pane to the dialog (which never sees the pane)."""

    name: str
    """For the proposed file name: the container's, or "merged"."""
    containers: tuple[str, ...]  # "name (short id)"
    engine_label: str  # the engine's name and address, for the header
    buffer: LogBuffer
    """The pane's lines (read when the file is written, as the pane holds them then)."""
    merged: bool = False
    engine: Engine | None = None
    container_id: str = ""
    """The container whose whole log can be asked of `engine` (empty for a merged view)."""
    tty: bool = False


def default_path(name: str, when: datetime | None = None, folder: Path | None = None) -> Path:
    """`./<name>-20261123-201500.log`: a name that sorts by time and does not clash."""
    when = when or datetime.now()
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name) or "logs"
    return (folder or Path.cwd()) / f"{safe}-{when:%Y%m%d-%H%M%S}.log"


def _stamp(when: datetime | None) -> str:
    if when is None:
        return "-"
    return when.astimezone(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def header_lines(header: ExportHeader, saved: datetime | None = None) -> list[str]:
    saved = saved or datetime.now(timezone.utc)
    return [
        f"# bosun log of {', '.join(header.containers)}",
        f"# engine: {header.engine}",
        f"# range: {_stamp(header.first)} .. {_stamp(header.last)} ({header.source})",
        f"# saved: {_stamp(saved)}",
        "# columns: timestamp (UTC), stream, text",
        "",
    ]


def format_line(line: LogLine, *, with_container: bool = False) -> str:
    stream = "marker" if line.stream is None else line.stream.value
    prefix = f"{_stamp(line.timestamp)} {stream}"
    if with_container:
        prefix += f" {line.container or '-'}"
    return f"{prefix} {line.text.plain}"


def write_lines(out: TextIO, header: ExportHeader | None, lines: Iterable[LogLine], *,
                with_container: bool = False) -> int:
    """Write the header (if any) and `lines`; returns how many lines were written."""
    if header is not None:
        out.write("\n".join(header_lines(header)) + "\n")
    count = 0
    for line in lines:
        out.write(format_line(line, with_container=with_container) + "\n")
        count += 1
    return count


def chunk_lines(chunks: Iterable[LogChunk], container: str | None = None) -> Iterable[LogLine]:
    """Engine chunks as sanitised lines (for saving a whole log without keeping it in memory)."""
    state = {LogStream.STDOUT: SGRState(), LogStream.STDERR: SGRState()}
    for chunk in chunks:
        for raw in split_lines(chunk.data):
            text = sanitize_line(raw, state=state[chunk.stream], placeholders=True)
            yield LogLine(chunk.stream, text, chunk.timestamp, len(raw), container)


def open_new(path: Path) -> TextIO:
    """Open `path` for writing, refusing to overwrite a file that exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    return os.fdopen(fd, "w", encoding="utf-8", errors="replace")
