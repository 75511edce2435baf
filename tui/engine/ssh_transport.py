"""Reach one engine at an ssh:// address: the chosen SSH client behind a private local socket."""

from __future__ import annotations

from tui.engine.endpoints import Endpoint
from tui.engine.ssh_relay import SSHRelay
from tui.engine.ssh_target import parse_ssh_url

DEFAULT_SSH_CLIENT = "asyncssh"


async def open_ssh(endpoint: Endpoint, ssh_client: str = "") -> SSHRelay:
    """A started relay whose first connection worked; EngineUnreachable (naming what was tried) otherwise."""
    target = parse_ssh_url(endpoint.url, endpoint.source)
    client = endpoint.ssh_client or ssh_client or DEFAULT_SSH_CLIENT
    if client == "openssh":
        from tui.engine.ssh_openssh import OpenSSHDialer

        dialer = OpenSSHDialer(endpoint, target)
    else:
        from tui.engine.ssh_asyncssh import AsyncSSHDialer

        dialer = AsyncSSHDialer(endpoint, target)
    try:
        await dialer.open()
    except BaseException:
        await dialer.close()  # (the system ssh's master folder, a half-made connection)
        raise
    relay = SSHRelay(dialer)
    try:
        await relay.start()
    except BaseException:
        await relay.close()
        raise
    return relay
