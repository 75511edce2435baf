"""`EngineSpec`: one engine the user wants in view, as named by a flag, a context, a connection or the config.

The shared word between the parts that find engines (flags, Docker contexts,
Podman connections, `[[engines]]`), the parts that reach them (the API client
over unix/tcp/ssh, the CLI backend) and the dashboard that shows several at
once. Plain data: no I/O, no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.engine.endpoints import TLSFiles

#: How bosun talks to the engine: its HTTP API, or its command-line client.
KINDS = ("api", "podman-cli", "docker-cli")
#: How an ssh:// endpoint is reached: bosun's own SSH client, or the system `ssh`.
SSH_CLIENTS = ("", "asyncssh", "openssh")


@dataclass(frozen=True)
class EngineSpec:
    """An engine to show: where it is, what it is called in the view and what may be done to it."""

    name: str  # unique in one view; shown per row and in the header
    host: str  # the address as the user wrote it: unix://, tcp://, ssh://, or a CLI name for CLI kinds
    source: str = "--host"  # where it came from, named in errors ("context prod", "config engines[2]")
    kind: str = "api"
    read_only: bool = False
    labels: dict[str, str] = field(default_factory=dict)  # show only containers with these labels
    ssh_client: str = ""  # "" follows the `[engine] ssh_client` setting
    identity: str = ""  # an SSH private key file (Podman connections name one)
    cli: str = ""  # the client binary for CLI kinds ("podman", "nerdctl"); "" is the kind's default
    tls: TLSFiles | None = None
    default: bool = False  # the engine new actions and the picker start on

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"{self.source}: engine kind {self.kind!r}: expected one of {', '.join(KINDS)}")
        if self.ssh_client not in SSH_CLIENTS:
            raise ValueError(f"{self.source}: ssh_client {self.ssh_client!r}: expected asyncssh or openssh")
