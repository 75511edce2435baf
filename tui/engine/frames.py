"""Split the engine's log/attach byte stream into chunks that keep stdout and stderr apart.

Without a TTY the engine multiplexes both streams into frames:
an 8-byte header `[stream, 0, 0, 0, size (4 bytes, big-endian)]` then `size`
bytes of payload (stream 1 = stdout, 2 = stderr, 0 = stdin echo).
With a TTY there is one raw stream, which we cut into lines ourselves.
Network reads split frames anywhere, so both decoders keep what they have
not finished and carry it over to the next `feed`.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

from tui.engine.types import LogBatch, LogChunk, LogFrame, LogStream

_HEADER = struct.Struct(">BxxxL")
_STREAMS = {0: LogStream.STDOUT, 1: LogStream.STDOUT, 2: LogStream.STDERR}


class FrameDemuxer:
    """Incremental decoder for the multiplexed (non-TTY) stream format."""

    def __init__(self, timestamps: bool = False) -> None:
        self._buffer = bytearray()
        self._timestamps = timestamps

    def feed(self, data: bytes) -> list[LogChunk]:
        frames = self.feed_raw(data)
        if not self._timestamps:
            return [LogChunk(stream, payload) for stream, payload, _ in frames]
        return LogBatch(frames, stamped=True).chunks()

    def feed_raw(self, data: bytes) -> FrameList:
        """Frames complete so far as (stream, payload, None); a stamp stays in the payload."""
        buffer = self._buffer
        buffer += data
        offsets: list[int] = []
        append = offsets.append
        offset = 0
        end_of_data = len(buffer)
        unpack = _HEADER.unpack_from
        while end_of_data - offset >= 8:
            end = offset + 8 + unpack(buffer, offset)[1]
            if end > end_of_data:
                break
            append(offset)
            offset = end
        with memoryview(buffer) as view:  # one copy, not a bytearray slice and then bytes of it
            frames = FrameList(bytes(view[:offset]), offsets)
        del buffer[:offset]
        return frames

    @property
    def pending(self) -> int:
        """Bytes held back waiting for the rest of a frame."""
        return len(self._buffer)


class FrameList(Sequence):
    """The frames of one read, cut out of its bytes only when asked for.

    In a flood a viewer shows a few lines in a hundred; the rest are counted and
    dropped. Keeping the read's bytes and where each frame starts, and making the
    (stream, payload, None) of a frame only when it is read, spares an object or
    two for every line nobody will see.
    """

    __slots__ = ("_data", "_offsets")

    def __init__(self, data: bytes, offsets: list[int]) -> None:
        self._data = data
        self._offsets = offsets

    def __len__(self) -> int:
        return len(self._offsets)

    @property
    def nbytes(self) -> int:
        """Bytes held: the whole read's, for as long as any frame of it is kept."""
        return len(self._data)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return FrameList(self._data, self._offsets[index])
        offset = self._offsets[index]
        stream_id, size = _HEADER.unpack_from(self._data, offset)
        return _STREAMS.get(stream_id, LogStream.STDOUT), self._data[offset + 8 : offset + 8 + size], None

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, (str, bytes)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"FrameList({list(self)!r})"


class RawLineSplitter:
    """Decoder for a TTY container's single raw stream: one chunk per line.

    Lines are what carry timestamps, so we cut at newlines; a line still open
    when the stream ends comes out of `flush`.
    """

    def __init__(self, timestamps: bool = False, max_line: int = 1 << 20) -> None:
        self._buffer = bytearray()
        self._timestamps = timestamps
        self._max_line = max_line

    def feed(self, data: bytes) -> list[LogChunk]:
        return self._parse(self.feed_raw(data))

    def flush(self) -> list[LogChunk]:
        return self._parse(self.flush_raw())

    def _parse(self, frames: list[LogFrame]) -> list[LogChunk]:
        if not self._timestamps:
            return [LogChunk(stream, payload) for stream, payload, _ in frames]
        return LogBatch(frames, stamped=True).chunks()

    def feed_raw(self, data: bytes) -> list[LogFrame]:
        """Complete lines so far as (STDOUT, line, None); a stamp stays in the line."""
        self._buffer += data
        frames: list[LogFrame] = []
        start = 0
        buffer = self._buffer
        while True:
            newline = buffer.find(b"\n", start)
            if newline < 0:
                break
            frames.append((LogStream.STDOUT, bytes(buffer[start : newline + 1]), None))
            start = newline + 1
        del buffer[:start]
        # A line with no end in sight still has to come out, or memory grows
        # without bound on a stream that never prints a newline.
        if len(buffer) >= self._max_line:
            frames.append((LogStream.STDOUT, bytes(buffer), None))
            buffer.clear()
        return frames

    def flush_raw(self) -> list[LogFrame]:
        if not self._buffer:
            return []
        frame = (LogStream.STDOUT, bytes(self._buffer), None)
        self._buffer.clear()
        return [frame]
