"""How each family of clients is asked for JSON, and which client a kind runs (plain data: no asyncio).

Shared by the backend and by the first frame, which lists before the event loop exists.
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass


@dataclass(frozen=True)
class Dialect:
    """How one family of clients is asked for JSON."""

    kind: str  # "podman" or "docker": what the engine is
    ps: tuple[str, ...]
    events: tuple[str, ...]
    stats: tuple[str, ...]


PODMAN = Dialect("podman", ("ps", "--all", "--format", "json"),
                 ("events", "--format", "json", "--filter", "type=container"),
                 ("stats", "--no-stream", "--format", "json"))
# Docker before 23 has no `--format json`; `{{json .}}` (one object a line) is understood by every version and nerdctl.
DOCKER = Dialect("docker", ("ps", "--all", "--no-trunc", "--format", "{{json .}}"),
                 ("events", "--format", "{{json .}}", "--filter", "type=container"),
                 ("stats", "--no-stream", "--no-trunc", "--format", "{{json .}}"))
DIALECTS = {"podman-cli": PODMAN, "docker-cli": DOCKER}
DEFAULT_CLIENTS = {"podman-cli": "podman", "docker-cli": "docker"}


def client_argv(kind: str, cli: str = "") -> list[str]:
    """The client command for `kind`: `cli` split like a shell (`sudo podman`, a wrapper), else the default."""
    return shlex.split(cli) if cli.strip() else [DEFAULT_CLIENTS[kind]]


def program_name(argv: list[str]) -> str:
    """What the view calls the engine: the client's name (`podman`, `nerdctl`), past a `sudo`."""
    words = [w for w in argv if not w.startswith("-")]
    program = words[1] if len(words) > 1 and os.path.basename(words[0]) == "sudo" else argv[0]
    return os.path.basename(program)


def engine_url(argv: list[str]) -> str:
    """The engine's address for the header and messages: the client command it is reached by."""
    return f"cli:{' '.join(argv)}"


def label_args(labels) -> list[str]:
    """`ps` filters for the containers carrying these labels (an empty value: any value)."""
    args: list[str] = []
    for key, value in (labels or {}).items():
        args += ["--filter", f"label={key}={value}" if value else f"label={key}"]
    return args
