"""The RFC 3339 stamps an engine puts before each log line with `--timestamps`.

A leaf of the engine layer: `types` (a `LogBatch` splits the stamp off on demand)
and `frames` (the decoders) both need it, and it needs neither.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

# RFC 3339 with optional fraction (Docker: nanoseconds; Podman: often none).
_TIMESTAMP = re.compile(rb"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d) ")


def parse_timestamp_prefix(payload: bytes) -> tuple[datetime | None, bytes]:
    """Split a leading `--timestamps` stamp off a payload; (None, payload) if there is none."""
    match = _TIMESTAMP.match(payload)
    if match is None:
        return None, payload
    return _time_of(match), payload[match.end() :]


def timestamp_order_key(payload: bytes) -> tuple[datetime, int] | None:
    """(time, nanoseconds past its microsecond) of a stamped payload, None without a stamp.

    A datetime stops at microseconds; Docker's stamps go to nanoseconds, and two lines in
    one microsecond are still in order.
    """
    match = _TIMESTAMP.match(payload)
    if match is None:
        return None
    fraction = match.group(2)
    return _time_of(match), int(fraction[7:10].ljust(3, b"0")) if fraction else 0


def raw_timestamp_prefix(payload: bytes) -> bytes:
    """The stamp `parse_timestamp_prefix` would split off, unparsed (b"" if none): equal bytes, equal time.

    Judged by its shape (`2026-11-24T01:02:03…`) rather than the full pattern, to be cheap
    enough for every batch of a flood; the rest of a line the engine cut has no stamp.
    """
    space = payload.find(b" ", 0, 48)
    if space < 20 or payload[4:5] != b"-" or payload[10:11] != b"T" or payload[13:14] != b":":
        return b""
    return payload[:space]


def _time_of(match: re.Match[bytes]) -> datetime:
    base, fraction, zone = match.groups()
    # A flood carries the same second on thousands of lines: parse it once.
    key = base + zone
    whole = _SECONDS.get(key)
    if whole is None:
        whole = datetime.strptime(base.decode(), "%Y-%m-%dT%H:%M:%S")
        whole = whole.replace(tzinfo=timezone.utc) if zone == b"Z" else datetime.fromisoformat(
            whole.isoformat() + zone.decode())
        if len(_SECONDS) > 256:
            _SECONDS.clear()
        _SECONDS[key] = whole
    if fraction:
        whole = whole.replace(microsecond=int(fraction[1:7].ljust(6, b"0")))
    return whole


_SECONDS: dict[bytes, datetime] = {}
