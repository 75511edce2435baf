"""A failed client command as one of bosun's typed errors, in the client's own words.

The client has no HTTP status to give: what it has is an exit status and a few
lines on stderr. Both travel with the error; the class comes from what those
lines say, since exit statuses differ between tools (Podman 125 for most
failures, Docker 1).
"""

from __future__ import annotations

import re

from tui.engine.errors import (
    Attempt,
    ClientMissing,
    ClientTooOld,
    Conflict,
    EngineError,
    EngineUnreachable,
    NotFound,
    PermissionDenied,
)

# Podman logs its own warnings in logrus form on stderr ("time=... level=error msg=..."): not the answer.
_LOGRUS = re.compile(r'^time="[^"]*" level=\w+ msg=')
_PREFIXES = ("Error response from daemon: ", "Error: ", "error: ")

_NOT_FOUND = ("no such container", "no container with", "no such object")
_CONFLICT = ("state improper", "is not running", "cannot remove", "you cannot remove", "is already paused",
             "is not paused", "conflict", "stop the container before", "is paused")
_TOO_OLD = ("unknown flag", "unknown shorthand flag", "flag provided but not defined", "unknown option",
            "template: ", "unknown command")
_DENIED = ("permission denied", "operation not permitted")
_UNREACHABLE = ("cannot connect to the docker daemon", "cannot connect to podman", "connection refused",
                "is the docker daemon running", "unable to connect to podman")


def client_words(stderr: bytes | str) -> str:
    """The client's message: its stderr without Podman's logrus noise and without the "Error: " prefix."""
    text = stderr.decode(errors="replace") if isinstance(stderr, bytes) else stderr
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    kept = [line for line in lines if not _LOGRUS.match(line)] or lines
    words = []
    for line in kept:
        for prefix in _PREFIXES:
            if line.startswith(prefix):
                line = line[len(prefix):]
                break
        words.append(line)
    return "; ".join(words)[:2000]


def command_error(argv: list[str], exit_status: int | None, stderr: bytes | str, *, engine: str,
                  source: str = "--engine") -> EngineError:
    """The typed error for a client command that failed with `exit_status` and `stderr`."""
    words = client_words(stderr) or f"`{' '.join(argv[:3])}` exited with status {exit_status} and said nothing"
    low = words.lower()
    if any(marker in low for marker in _TOO_OLD):
        return ClientTooOld(f"{argv[0]} is too old or not the expected client: {words}", engine=engine,
                            exit_status=exit_status)
    if any(marker in low for marker in _UNREACHABLE):
        error = EngineUnreachable([Attempt(argv[0], source, words)], engine=engine)
        error.exit_status = exit_status
        return error
    if any(marker in low for marker in _NOT_FOUND):
        return NotFound(words, engine=engine, exit_status=exit_status)
    if any(marker in low for marker in _CONFLICT) or ("force" in low and "remove" in low):
        return Conflict(words, engine=engine, exit_status=exit_status)
    if any(marker in low for marker in _DENIED):
        error = PermissionDenied([Attempt(argv[0], source, words)], engine=engine)
        error.exit_status = exit_status
        return error
    return EngineError(words, engine=engine, exit_status=exit_status)


def client_missing(program: str, *, engine: str, source: str = "--engine") -> ClientMissing:
    return ClientMissing([Attempt(program, source, f"`{program}` is not installed or not on PATH",
                                  "install it, or name another client with [engine] cli (BOSUN_ENGINE__CLI)")],
                         engine=engine)
