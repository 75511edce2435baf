"""Scratch OpenSSH servers for the ssh:// fault tests: a config of their own, stopped and restarted at will.

They use the keys tests/sshd.sh generated (BOSUN_TEST_SSH_DIR) and listen on a
free port of 127.0.0.1. Each has its own ssh_config (Host alias
`bosun-scratch`) and known_hosts, so a test can make the host key unknown or
changed, offer the wrong user key, or refuse streamlocal forwarding, without
touching the shared server.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ssh_test_env
from tests.waits import wait_until_sync

ALIAS = "bosun-scratch"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


class ScratchSSHD:
    def __init__(self, folder: Path, *, options: dict[str, str] | None = None) -> None:
        self.keys = Path(ssh_test_env()["BOSUN_TEST_SSH_DIR"])
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.options = options or {}
        self.proc: subprocess.Popen | None = None
        self.log = folder / "sshd.log"
        self.config = folder / "ssh_config"
        self.known_hosts = folder / "known_hosts"
        self.identity = self.keys / "user_ed25519"
        self.trust_host_key()
        self.write_client_config()

    @property
    def url(self) -> str:
        return f"ssh://{ALIAS}"

    def host_fingerprint(self) -> str:
        out = subprocess.run(["ssh-keygen", "-lf", str(self.keys / "host_ed25519.pub")], capture_output=True,
                             text=True, check=True).stdout
        return out.split()[1]  # "256 SHA256:... comment (ED25519)"

    def trust_host_key(self, key_file: str = "host_ed25519.pub") -> None:
        """known_hosts holds `key_file` as this server's key (another key: the host key "changed")."""
        key = " ".join((self.keys / key_file).read_text().split()[:2])
        self.known_hosts.write_text(f"[127.0.0.1]:{self.port} {key}\n")

    def forget_host_key(self) -> None:
        self.known_hosts.write_text("")

    def write_client_config(self) -> None:
        self.config.write_text(
            f"Host {ALIAS}\n    HostName 127.0.0.1\n    Port {self.port}\n    User root\n"
            f"    IdentityFile {self.identity}\n    IdentitiesOnly yes\n"
            f"    UserKnownHostsFile {self.known_hosts}\n    GlobalKnownHostsFile /dev/null\n"
            "    StrictHostKeyChecking yes\n")

    def use_identity(self, key_file: str) -> None:
        self.identity = self.keys / key_file
        self.write_client_config()

    def start(self) -> None:
        config = self.folder / "sshd_config"
        lines = {
            "Port": str(self.port), "ListenAddress": "127.0.0.1", "HostKey": str(self.keys / "host_ed25519"),
            "PidFile": str(self.folder / "sshd.pid"), "AuthorizedKeysFile": str(self.keys / "authorized_keys"),
            "PermitRootLogin": "prohibit-password", "PasswordAuthentication": "no",
            "KbdInteractiveAuthentication": "no", "UsePAM": "no", "StrictModes": "no", "LogLevel": "VERBOSE",
            "AllowStreamLocalForwarding": "yes", "MaxSessions": "64", **self.options,
        }
        config.write_text("".join(f"{k} {v}\n" for k, v in lines.items()))
        os.makedirs("/run/sshd", exist_ok=True)
        # -D: stays in the foreground, so this Popen is the listener and its children the connections.
        self.proc = subprocess.Popen(["/usr/sbin/sshd", "-D", "-f", str(config), "-E", str(self.log)])
        wait_until_sync(self._answers, f"the scratch sshd on 127.0.0.1:{self.port} to answer", timeout=15)

    def _answers(self) -> bool:
        if self.proc is not None and self.proc.poll() is not None:
            pytest.fail(f"the scratch sshd exited: {self.log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                return sock.recv(4).startswith(b"SSH-")
        except OSError:
            return False

    def stop(self) -> None:
        """Stop the server and every connection it serves (as a crash or a reboot of the host would)."""
        if self.proc is None:
            return
        victims = [self.proc.pid]
        index = 0
        while index < len(victims):  # the listener, its per-connection children, theirs
            victims.extend(_children(victims[index]))
            index += 1
        for pid in reversed(victims):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait(timeout=10)
        self.proc = None
        wait_until_sync(lambda: not any(Path(f"/proc/{pid}").exists() and _is_sshd(pid) for pid in victims[1:]),
                        "the scratch sshd's processes to go", timeout=10)

    def logins_tried(self) -> int:
        """How many key logins the server has judged (one key is offered per login: IdentitiesOnly)."""
        try:
            text = self.log.read_text()
        except OSError:
            return 0
        return text.count("Failed publickey for ") + text.count("Accepted publickey for ")


def _is_sshd(pid: int) -> bool:
    try:
        return b"sshd" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


#: A login with a shell and no group that owns an engine socket (created once, kept: a system account).
UNPRIVILEGED = "bosun-ssh-denied"


def unprivileged_user() -> str:
    """`UNPRIVILEGED`, made if missing (the test machine runs the suite as root, as tests/run says)."""
    import pwd

    try:
        pwd.getpwnam(UNPRIVILEGED)
    except KeyError:
        if os.geteuid() != 0:
            pytest.fail(f"user {UNPRIVILEGED} is missing and only root can add it: run the suite as root")
        subprocess.run(["useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell",
                        "/bin/sh", UNPRIVILEGED], check=True, capture_output=True, timeout=30)
    # No password, but not locked ("!"): sshd without PAM refuses a locked account even a key login.
    subprocess.run(["usermod", "-p", "*", UNPRIVILEGED], check=True, capture_output=True, timeout=30)
    return UNPRIVILEGED
