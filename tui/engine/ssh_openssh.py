"""The docker CLI's way over SSH: the system `ssh` running `docker system dial-stdio` on the remote.

For what only OpenSSH does (Kerberos, ControlMaster, unusual ProxyCommands).
Each stream is one `ssh` process, as with the docker CLI. ssh runs in a
session of its own with BatchMode on, so it can never prompt on bosun's
terminal; what it prints on stderr is kept and turned into a reason and a fix
when a connection fails.
"""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import shutil
import signal
import tempfile

from tui.engine.endpoints import Endpoint
from tui.engine.errors import Attempt, EngineUnreachable
from tui.engine.ssh_target import SSHTarget, openssh_argv

_PING = b"GET /_ping HTTP/1.0\r\nHost: localhost\r\n\r\n"
_FIRST_SECONDS = 45.0  # ssh's own ConnectTimeout is 30 s
#: Seconds the shared master connection outlives its last stream (and bosun, if bosun is killed).
CONTROL_PERSIST = 60


def stderr_problem(endpoint: Endpoint, target: SSHTarget, stderr: str, code: int | None) -> tuple[Attempt, bool]:
    """(what went wrong, whether retrying cannot help) from what `ssh … docker system dial-stdio` printed."""
    def attempt(reason: str, hint: str = "") -> Attempt:
        return Attempt(endpoint.url, f"{endpoint.source}, system ssh", reason, hint)

    text = stderr.replace("\r", "")
    last = next((line.strip() for line in reversed(text.splitlines()) if line.strip()), "")
    fingerprint = re.search(r"SHA256:[A-Za-z0-9+/=]+", text)
    label = target.label
    if "REMOTE HOST IDENTIFICATION HAS CHANGED" in text or "Host key verification failed" in text \
            or "host key is known" in text:
        changed = "HAS CHANGED" in text
        seen = f" (it presents {fingerprint.group(0)})" if fingerprint else ""
        what = "has CHANGED" if changed else "is unknown (not in known_hosts)"
        fix = (f"if you know the host changed, check the new key with its admin, then `ssh-keygen -R HOST` and "
               f"`{target.ssh_command}` once to accept it" if changed else
               f"check its fingerprint with the host's admin, then `{target.ssh_command}` once and answer yes "
               f"(or `ssh-keyscan HOST >> ~/.ssh/known_hosts`)")
        return attempt(f"the host key of {label} {what}{seen}; bosun never accepts one silently", fix), True
    if "Permission denied (" in text or "Too many authentication failures" in text:
        return attempt(f"authentication failed at {label}: {last}",
                       f"check which key the host expects (`{target.ssh_command} -v`), add it to the agent (`ssh-add KEY`) "
                       "or name it with IdentityFile in ~/.ssh/config"), True
    if "Could not resolve hostname" in text:
        return attempt(last, "check the name, or add a Host entry to ~/.ssh/config"), False
    if "Connection refused" in text:
        return attempt(f"connection refused: {last}", f"is sshd running there, on that port? try `{target.ssh_command}`"), False
    if "Network is unreachable" in text or "No route to host" in text or "timed out" in text:
        return attempt(last, "check the network path to the host (VPN, routes, firewall)"), False
    if code == 127 or re.search(r"docker: (command )?not found|docker: No such file", text):
        return attempt(f"`docker` is not installed on {label} (the system ssh transport runs "
                       "`docker system dial-stdio` there)",
                       'install the docker CLI on the remote, or drop `ssh_client = "openssh"`: bosun\'s own SSH '
                       "client needs nothing but sshd there"), True
    if "permission denied" in text.lower():
        return attempt(f"permission denied on the remote engine socket: {last}",
                       "add the SSH user to the group owning the socket there (`sudo usermod -aG docker USER`)"), True
    if "Cannot connect" in text or "no such file" in text.lower() or "connection refused" in text.lower():
        return attempt(f"no engine at the remote socket: {last}",
                       "is the engine running there (`systemctl status docker`)? or put the socket's path in the "
                       "address: ssh://host/path/to/engine.sock"), False
    return attempt(f"ssh exited with status {code}: {last or 'no message'}",
                   f"try `{shlex.join(openssh_argv(target))}` in a terminal"), False


class OpenSSHDialer:
    def __init__(self, endpoint: Endpoint, target: SSHTarget) -> None:
        self.endpoint = endpoint
        self.target = target
        self.host = target.host  # the HostName an ssh_config alias stands for (from `ssh -G`)
        self.problem: Attempt | None = None
        self._final = False
        self._procs: set[asyncio.subprocess.Process] = set()
        # Each stream is an ssh process; through a master connection of our own they share one
        # login instead of meeting sshd's MaxStartups (unless the user's config runs its own master).
        self._control_dir: str | None = None
        self.argv = openssh_argv(target, identity=endpoint.identity)

    async def _share_one_connection(self) -> None:
        try:
            probe = await asyncio.create_subprocess_exec(
                *openssh_argv(self.target, options=["-G"], remote=False), stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL)
            out, _ = await asyncio.wait_for(probe.communicate(), 10)
        except (OSError, asyncio.TimeoutError):
            return
        settings = dict(line.split(" ", 1) for line in out.decode(errors="replace").splitlines() if " " in line)
        self.host = settings.get("hostname", self.host)
        if settings.get("controlmaster", "false") != "false":
            return  # the user's own ControlMaster setup carries the streams
        self._control_dir = tempfile.mkdtemp(prefix="bosun-ssh-cm-")
        self.argv = openssh_argv(self.target, identity=self.endpoint.identity, options=self._control_options())

    def _control_options(self) -> list[str]:
        assert self._control_dir is not None
        return ["-o", "ControlMaster=auto", "-o", f"ControlPath={self._control_dir}/master",
                "-o", f"ControlPersist={CONTROL_PERSIST}"]

    async def _spawn(self) -> asyncio.subprocess.Process:
        try:
            proc = await asyncio.create_subprocess_exec(
                *self.argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE, start_new_session=True, limit=1 << 18)
        except FileNotFoundError:
            self.problem = Attempt(self.endpoint.url, f"{self.endpoint.source}, system ssh",
                                   f"no `{self.argv[0]}` command on this machine",
                                   "install the OpenSSH client, or drop `ssh_client = \"openssh\"`")
            self._final = True
            raise OSError(self.problem.reason) from None
        self._procs.add(proc)
        return proc

    async def dial(self):
        if self._final and self.problem is not None:
            raise OSError(self.problem.reason)
        proc = await self._spawn()
        asyncio.ensure_future(self._reap(proc))
        return proc.stdout, proc.stdin

    async def _reap(self, proc: asyncio.subprocess.Process) -> None:
        stderr = await proc.stderr.read() if proc.stderr else b""
        code = await proc.wait()
        self._procs.discard(proc)
        if code not in (0, None) and code != -signal.SIGTERM:
            self.problem, self._final = stderr_problem(self.endpoint, self.target, stderr.decode(errors="replace"),
                                                       code)
        elif code == 0:
            self.problem = None

    async def open(self) -> None:
        """One round trip (`GET /_ping`) through a first ssh; EngineUnreachable with ssh's own word if it fails."""
        await self._share_one_connection()
        proc = await self._spawn()
        try:
            proc.stdin.write(_PING)
            await proc.stdin.drain()
            answer = await asyncio.wait_for(proc.stdout.read(64), _FIRST_SECONDS)
        except (OSError, asyncio.TimeoutError):
            answer = b""
        if answer.startswith(b"HTTP/"):
            proc.stdin.close()
            asyncio.ensure_future(self._reap(proc))
            return
        _kill(proc)
        stderr = await proc.stderr.read()
        code = await proc.wait()
        self._procs.discard(proc)
        attempt, _ = stderr_problem(self.endpoint, self.target, stderr.decode(errors="replace"), code)
        raise EngineUnreachable([attempt])

    async def close(self) -> None:
        if self._control_dir is not None:
            try:
                stop = await asyncio.create_subprocess_exec(
                    *openssh_argv(self.target, options=[*self._control_options(), "-O", "exit"], remote=False),
                    stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
                    stderr=asyncio.subprocess.DEVNULL)
                await asyncio.wait_for(stop.wait(), 5)
            except (OSError, asyncio.TimeoutError):
                pass
            shutil.rmtree(self._control_dir, ignore_errors=True)
            self._control_dir = None
        procs = list(self._procs)
        for proc in procs:
            _kill(proc)
        for proc in procs:
            try:
                await asyncio.wait_for(proc.wait(), 5)
            except asyncio.TimeoutError:
                pass


def _kill(proc: asyncio.subprocess.Process) -> None:
    if proc.returncode is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)  # its own session: only that ssh and what it started
        except (ProcessLookupError, PermissionError):
            pass
