"""The audit log: one JSON object a line, appended by the server and by each session.

Several processes append to one file; each line is one `write` on a file
opened with O_APPEND, so lines never interleave.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path


class Audit:
    def __init__(self, path: Path | str | None) -> None:
        self.path = Path(path) if path else None

    def write(self, event: str, **fields: object) -> None:
        if self.path is None:
            return
        record = {"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "event": event, **fields}
        line = (json.dumps(record, ensure_ascii=True) + "\n").encode()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)


def from_environment() -> tuple[Audit, str]:
    """The audit log and session id a served session was started with."""
    return Audit(os.environ.get("BOSUN_SERVE_AUDIT")), os.environ.get("BOSUN_SERVE_SESSION", "?")
