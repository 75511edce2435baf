"""What an `ssh://[user@]host[:port][/path/to/socket]` address names, and the commands to reach it.

Pure: parsing and argv building only. An address may come from a context file
or a config someone else wrote, so nothing in it is ever handed to a shell
unquoted, and a host that looks like an option is refused (`ssh -oProxyCommand=…`).
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass
from typing import Sequence
from urllib.parse import unquote, urlsplit

from tui.engine.errors import ConfigError

DOCKER_REMOTE_SOCKET = "/var/run/docker.sock"
PODMAN_ROOTFUL_REMOTE_SOCKET = "/run/podman/podman.sock"
#: Like the docker CLI (`ssh -o ConnectTimeout=30`): a host that never answers is given up on.
CONNECT_TIMEOUT = 30
#: Another ssh_config instead of ~/.ssh/config, for both transports (the system ssh reads the
#: passwd entry's home, not $HOME, so a test cannot point it elsewhere any other way).
SSH_CONFIG_ENV = "BOSUN_SSH_CONFIG"


@dataclass(frozen=True)
class SSHTarget:
    host: str
    user: str | None = None
    port: int | None = None
    path: str | None = None  # the engine socket on the remote; None: find it

    @property
    def label(self) -> str:
        """`user@host:port` as written (for messages)."""
        user = f"{self.user}@" if self.user else ""
        port = f":{self.port}" if self.port else ""
        return f"{user}{self.host}{port}"

    @property
    def ssh_command(self) -> str:
        """The `ssh` command line a user would type to reach it (for hints)."""
        words = ["ssh"] + (["-p", str(self.port)] if self.port else [])
        words.append(f"{self.user}@{self.host}" if self.user else self.host)
        return shlex.join(words)


def parse_ssh_url(raw: str, source: str) -> SSHTarget:
    """The parts of an ssh:// address; ConfigError saying what is wrong with it."""
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise ConfigError(f"{source}: {raw!r} is not a valid address ({exc})") from None
    if parts.scheme != "ssh":
        raise ConfigError(f"{source}: {raw!r} is not an ssh:// address")
    host = parts.hostname
    if not host:
        raise ConfigError(f"{source}: {raw!r} names no host (expected ssh://[user@]host[:port][/path/to/socket])")
    if parts.password is not None:
        raise ConfigError(f"{source}: {raw!r} carries a password; use a key or the SSH agent instead")
    if parts.query or parts.fragment:
        raise ConfigError(f"{source}: {raw!r}: an ssh:// address takes no ?query or #fragment")
    user = unquote(parts.username) if parts.username else None
    for what, value in (("host", host), ("user", user)):
        if value and (value.startswith("-") or any(c.isspace() or ord(c) < 32 for c in value)):
            raise ConfigError(f"{source}: {raw!r}: the {what} {value!r} is not a valid name")
    path = unquote(parts.path) if parts.path not in ("", "/") else None
    # urlsplit lower-cases the host name; an ssh_config alias is matched as written.
    netloc_host = parts.netloc.rpartition("@")[2]
    if not netloc_host.startswith("["):
        netloc_host = netloc_host.rsplit(":", 1)[0] if port is not None else netloc_host
        host = netloc_host
    return SSHTarget(host=host, user=user, port=port, path=path)


def config_files() -> list[str]:
    """The ssh_config files both transports read: $BOSUN_SSH_CONFIG, else ~/.ssh/config if it exists."""
    named = os.environ.get(SSH_CONFIG_ENV, "")
    if named:
        return [named]
    default = os.path.expanduser("~/.ssh/config")
    return [default] if os.path.exists(default) else []


def openssh_argv(target: SSHTarget, *, identity: str = "", ssh: str = "ssh", options: Sequence[str] = (),
                 remote: bool = True) -> list[str]:
    """The system ssh running `docker system dial-stdio` on the remote, as the docker CLI runs it.

    BatchMode: bosun owns the terminal, so ssh must never prompt on it (for a
    password or to accept a host key); an unknown host key is then refused.
    `options` go before the host (`-o ControlPath=...`); `remote=False` leaves the command off (`ssh -G`, `-O exit`).
    """
    argv = [ssh, *options]
    for path in config_files()[:1] if os.environ.get(SSH_CONFIG_ENV) else []:
        argv += ["-F", path]
    if target.user:
        argv += ["-l", target.user]
    if target.port:
        argv += ["-p", str(target.port)]
    if identity:
        argv += ["-i", identity]
    argv += ["-o", f"ConnectTimeout={CONNECT_TIMEOUT}", "-o", "BatchMode=yes", "-T", "--", target.host]
    if not remote:
        return argv
    command = ["docker"]
    if target.path:
        command.append(f"--host=unix://{target.path}")
    command += ["system", "dial-stdio"]
    # ssh joins the words after the host into one command line for the remote shell.
    argv.append(" ".join(shlex.quote(word) for word in command))
    return argv


def remote_socket_candidates(uid: int | None) -> list[tuple[str, str]]:
    """(path, what it is) to try on a remote without a socket path, in the docker CLI's and podman's order."""
    candidates = [(DOCKER_REMOTE_SOCKET, "Docker's socket")]
    if uid not in (None, 0):
        candidates.append((f"/run/user/{uid}/podman/podman.sock", "the user's rootless Podman socket"))
    candidates.append((PODMAN_ROOTFUL_REMOTE_SOCKET, "rootful Podman socket"))
    return candidates
