"""Split the engine's log/attach byte stream into chunks that keep stdout and stderr apart.

Without a TTY the engine multiplexes both streams into frames:
an 8-byte header `[stream, 0, 0, 0, size (4 bytes, big-endian)]` then `size`
bytes of payload (stream 1 = stdout, 2 = stderr, 0 = stdin echo).
With a TTY there is one raw stream, which we cut into lines ourselves.
Network reads split frames anywhere, so both decoders keep what they have
not finished and carry it over to the next `feed`.
"""

from __future__ import annotations

import re
import struct
from datetime import datetime, timezone

from tui.engine.types import LogChunk, LogStream

_HEADER = struct.Struct(">BxxxL")
_STREAMS = {0: LogStream.STDOUT, 1: LogStream.STDOUT, 2: LogStream.STDERR}
# RFC 3339 with optional fraction (Docker: nanoseconds; Podman: often none).
_TIMESTAMP = re.compile(rb"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d) ")


def parse_timestamp_prefix(payload: bytes) -> tuple[datetime | None, bytes]:
    """Split a leading `--timestamps` stamp off a payload; (None, payload) if there is none."""
    match = _TIMESTAMP.match(payload)
    if match is None:
        return None, payload
    base, fraction, zone = match.groups()
    micros = int((fraction or b".0")[1:7].ljust(6, b"0"))
    stamp = datetime.strptime(base.decode(), "%Y-%m-%dT%H:%M:%S").replace(microsecond=micros)
    if zone == b"Z":
        stamp = stamp.replace(tzinfo=timezone.utc)
    else:
        stamp = datetime.fromisoformat(stamp.isoformat() + zone.decode())
    return stamp, payload[match.end() :]


class FrameDemuxer:
    """Incremental decoder for the multiplexed (non-TTY) stream format."""

    def __init__(self, timestamps: bool = False) -> None:
        self._buffer = bytearray()
        self._timestamps = timestamps

    def feed(self, data: bytes) -> list[LogChunk]:
        self._buffer += data
        chunks: list[LogChunk] = []
        offset = 0
        buffer = self._buffer
        while len(buffer) - offset >= _HEADER.size:
            stream_id, size = _HEADER.unpack_from(buffer, offset)
            end = offset + _HEADER.size + size
            if end > len(buffer):
                break
            payload = bytes(buffer[offset + _HEADER.size : end])
            offset = end
            stamp = None
            if self._timestamps:
                stamp, payload = parse_timestamp_prefix(payload)
            chunks.append(LogChunk(_STREAMS.get(stream_id, LogStream.STDOUT), payload, stamp))
        del buffer[:offset]
        return chunks

    @property
    def pending(self) -> int:
        """Bytes held back waiting for the rest of a frame."""
        return len(self._buffer)


class RawLineSplitter:
    """Decoder for a TTY container's single raw stream: one chunk per line.

    Lines are what carry timestamps, so we cut at newlines; a line still open
    when the stream ends comes out of `flush`.
    """

    def __init__(self, timestamps: bool = False, max_line: int = 1 << 20) -> None:
        self._buffer = bytearray()
        self._timestamps = timestamps
        self._max_line = max_line

    def _chunk(self, line: bytes) -> LogChunk:
        stamp = None
        if self._timestamps:
            stamp, line = parse_timestamp_prefix(line)
        return LogChunk(LogStream.STDOUT, line, stamp)

    def feed(self, data: bytes) -> list[LogChunk]:
        self._buffer += data
        chunks: list[LogChunk] = []
        start = 0
        buffer = self._buffer
        while True:
            newline = buffer.find(b"\n", start)
            if newline < 0:
                break
            chunks.append(self._chunk(bytes(buffer[start : newline + 1])))
            start = newline + 1
        del buffer[:start]
        # A line with no end in sight still has to come out, or memory grows
        # without bound on a stream that never prints a newline.
        if len(buffer) >= self._max_line:
            chunks.append(self._chunk(bytes(buffer)))
            buffer.clear()
        return chunks

    def flush(self) -> list[LogChunk]:
        if not self._buffer:
            return []
        chunk = self._chunk(bytes(self._buffer))
        self._buffer.clear()
        return [chunk]
