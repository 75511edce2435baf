"""bosun's own SSH client (asyncssh): ONE connection per engine, a `direct-streamlocal` channel per stream.

The channels go straight to the remote engine socket, so nothing but sshd is
needed on the remote, Podman's socket is reached as well as Docker's, and many
streams at once (events, logs, stats, exec) never meet sshd's MaxSessions or
MaxStartups. Host keys are checked against known_hosts and never accepted
silently; an authentication failure is final (no retry loop hammering the
server); a dropped connection is dialled again with backoff on the next stream.
"""

from __future__ import annotations

import asyncio
import errno
import shlex
import socket
import time
from typing import Any

from tui.engine.endpoints import Endpoint
from tui.engine.errors import Attempt, EngineUnreachable
from tui.engine.ssh_target import CONNECT_TIMEOUT, SSHTarget, config_files, remote_socket_candidates

#: Between two connection attempts after a failure (the engine's own retries come more often).
RECONNECT_DELAYS = (0.5, 1.0, 2.0, 5.0, 10.0)
#: A server gone without a word (cable, suspended VM) is noticed after about 3 × 15 s.
KEEPALIVE_SECONDS = 15
REFUSED = "the SSH server refuses to forward unix sockets"
OPENSSH_HINT = ('or set `ssh_client = "openssh"` under [engine] in the config: the system ssh then runs '
                '`docker system dial-stdio` on the remote')


class SSHFailure(Exception):
    def __init__(self, attempt: Attempt, *, final: bool = False) -> None:
        super().__init__(attempt.reason)
        self.attempt = attempt
        self.final = final  # retrying cannot help (a key, a host key): say so once and stop


class AsyncSSHDialer:
    def __init__(self, endpoint: Endpoint, target: SSHTarget) -> None:
        self.endpoint = endpoint
        self.target = target
        self.remote_path = target.path
        self.host = target.host  # the HostName an ssh_config alias stands for, once connected
        self.problem: Attempt | None = None
        self._final = False
        self._conn: Any = None
        self._lock = asyncio.Lock()
        self._failures = 0
        self._next_try = 0.0
        self._closed = False

    # -- what the relay calls ----------------------------------------------------------------

    async def dial(self):
        import asyncssh

        for _ in range(2):  # a connection found dead on use is replaced at once, once
            conn = await self._connection()
            try:
                reader, writer = await conn.open_unix_connection(self.remote_path)
            except (asyncssh.Error, OSError) as exc:
                if conn.is_closed() or not isinstance(exc, asyncssh.ChannelOpenError):
                    # The connection died under us (asyncssh says "open failed" then too).
                    self._drop(conn)
                    self.problem = self._attempt(f"the SSH connection to {self.target.label} was lost",
                                                 "bosun connects again on its own")
                    continue
                self.problem = await self._channel_problem(conn, self.remote_path, exc)
                raise OSError(self.problem.reason) from exc
            self.problem = None
            return reader, writer
        raise OSError(self.problem.reason if self.problem else "the SSH connection was lost")

    async def close(self) -> None:
        self._closed = True
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # -- the first connection: check everything and say what is wrong -------------------------

    async def open(self) -> None:
        """Connect and find the remote engine socket; EngineUnreachable naming every path tried."""
        try:
            conn = await self._connect()
        except SSHFailure as failure:
            raise EngineUnreachable([failure.attempt]) from None
        self._conn = conn
        if self.remote_path is not None:
            return
        import asyncssh

        attempts = []
        candidates = remote_socket_candidates(None)[:1]  # Docker's first: the remote's uid costs a round trip
        tried_uid = False
        while candidates:
            path, what = candidates.pop(0)
            try:
                _, writer = await conn.open_unix_connection(path)
            except asyncssh.ChannelOpenError as exc:
                problem = await self._channel_problem(conn, path, exc)
                attempts.append(Attempt(self._url(path), f"{self.endpoint.source}, {what}", problem.reason,
                                        problem.hint))
                if exc.code == asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED or problem.reason.startswith(REFUSED):
                    break  # every path would be refused alike
                if not tried_uid:
                    tried_uid = True
                    candidates = [c for c in remote_socket_candidates(await self._remote_uid(conn)) if c[0] != path]
                continue
            writer.close()
            self.remote_path = path
            return
        conn.close()
        self._conn = None
        raise EngineUnreachable(attempts)

    # -- plumbing ------------------------------------------------------------------------------

    def _url(self, path: str) -> str:
        return f"ssh://{self.target.label}{path}"

    def _attempt(self, reason: str, hint: str = "") -> Attempt:
        return Attempt(self.endpoint.url, self.endpoint.source, reason, hint)

    def _drop(self, conn) -> None:
        if self._conn is conn:
            self._conn = None
        conn.close()

    async def _connection(self):
        async with self._lock:
            if self._conn is not None and self._conn.is_closed():
                self._conn = None
            if self._conn is not None:
                return self._conn
            if self._closed:
                raise OSError("closed")
            if self._final or time.monotonic() < self._next_try:
                raise OSError(self.problem.reason if self.problem else "waiting to reconnect")
            try:
                conn = await self._connect()
            except SSHFailure as failure:
                self.problem = failure.attempt
                self._final = failure.final
                self._next_try = time.monotonic() + RECONNECT_DELAYS[min(self._failures, len(RECONNECT_DELAYS) - 1)]
                self._failures += 1
                raise OSError(failure.attempt.reason) from None
            self._failures = 0
            self._conn = conn
            return conn

    def _lost(self, conn, exc: BaseException | None) -> None:
        """asyncssh's word that a connection ended: say why at once, for the streams it carried."""
        if self._conn is conn:
            self._conn = None
        if not self._closed:
            why = f" ({exc})" if exc and str(exc) not in ("", "Connection lost") else ""
            self.problem = self._attempt(f"the SSH connection to {self.target.label} was lost{why}",
                                         "bosun connects again on its own, with backoff")

    def _options(self):
        """(the options as the config resolves them, to read; the arguments for `asyncssh.connect`)."""
        import asyncssh

        # Handed to connect() as arguments, not as an options object: asyncssh reads a
        # ProxyJump host's config from `config=`, and options plus config would offer each key twice.
        args: dict[str, Any] = dict(
            config=config_files(), port=self.target.port or (), username=self.target.user or (),
            connect_timeout=CONNECT_TIMEOUT, keepalive_interval=KEEPALIVE_SECONDS, keepalive_count_max=3,
        )
        options = asyncssh.SSHClientConnectionOptions(host=self.target.host, **args)
        identity = self.endpoint.identity
        if identity:
            try:
                extra = asyncssh.load_keypairs([identity])
            except (OSError, asyncssh.KeyImportError) as exc:
                raise SSHFailure(self._attempt(f"cannot read the SSH key {identity}: {exc}",
                                               "check the identity file named for this engine"), final=True) from None
            args["client_keys"] = extra + list(options.client_keys or asyncssh.load_default_keypairs())
        return options, args

    async def _connect(self):
        import asyncssh

        options, args = self._options()
        host, port = options.host, options.port
        self.host = host
        where = f"{host}:{port}" if host != self.target.host else f"{host} port {port}"
        dialer = self

        class Client(asyncssh.SSHClient):
            def connection_made(self, conn) -> None:
                self.conn = conn

            def connection_lost(self, exc) -> None:
                dialer._lost(self.conn, exc)

        try:
            return await asyncssh.connect(self.target.host, client_factory=Client, **args)
        except asyncssh.HostKeyNotVerifiable:
            raise SSHFailure(await self._host_key_problem(options), final=True) from None
        except asyncssh.PermissionDenied:
            user = options.username
            raise SSHFailure(self._attempt(
                f"authentication failed: {user}@{host} refused every key offered (agent, IdentityFile, "
                f"{self.endpoint.identity or 'default keys'})",
                f"check which key the host expects (`{self.target.ssh_command} -v`), add it to the agent "
                "(`ssh-add KEY`) or name it with IdentityFile in ~/.ssh/config"), final=True) from None
        except ConnectionRefusedError:
            raise SSHFailure(self._attempt(f"connection refused by {where}",
                                           "is sshd running there, on that port? try `"
                                           f"{self.target.ssh_command}`")) from None
        except socket.gaierror as exc:
            raise SSHFailure(self._attempt(f"the host name {host!r} does not resolve ({exc.strerror})",
                                           "check the name, or add a Host entry to ~/.ssh/config")) from None
        except (asyncio.TimeoutError, TimeoutError):
            raise SSHFailure(self._attempt(f"{where} did not answer within {CONNECT_TIMEOUT} s",
                                           "check the host is up and reachable (firewall, VPN)")) from None
        except OSError as exc:
            reason = "network unreachable" if exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH) else (
                exc.strerror or str(exc))
            raise SSHFailure(self._attempt(f"cannot reach {where}: {reason}",
                                           "check the network path to the host (VPN, routes)")) from None
        except asyncssh.Error as exc:
            raise SSHFailure(self._attempt(f"SSH to {where} failed: {exc.reason}")) from None

    async def _host_key_problem(self, options) -> Attempt:
        """The host key is unknown or has changed: which, its fingerprint, and how to accept it after checking."""
        import asyncssh

        host, port = options.host, options.port
        files = [f for f in (options.known_hosts if isinstance(options.known_hosts, list) else []) if f != "/dev/null"]
        known_file = files[0] if files else "~/.ssh/known_hosts"
        fingerprint = "unknown fingerprint"
        try:
            key = await asyncssh.get_server_host_key(host, port, tunnel=options.tunnel or (),
                                                     proxy_command=options.proxy_command or ())
            if key is not None:
                fingerprint = f"{key.get_algorithm()} {key.get_fingerprint()}"
        except (asyncssh.Error, OSError):
            pass
        known = []
        try:
            keys = asyncssh.read_known_hosts(files) if files else None
            if keys is not None:
                known = keys.match(host, "", port if port != 22 else None)[0]
        except (OSError, ValueError, asyncssh.KeyImportError):
            pass
        name = f"[{host}]:{port}" if port != 22 else host
        scan = f"`ssh-keyscan -p {port} {shlex.quote(host)} >> {known_file}`"
        if known:
            return self._attempt(
                f"the host key of {name} has CHANGED: it now presents {fingerprint}, which {known_file} "
                "does not hold; this may be an attack, or the host was reinstalled",
                f"if you know the host changed, check the new fingerprint with its admin, then "
                f"`ssh-keygen -R '{name}' -f {known_file}` and {scan}")
        return self._attempt(
            f"the host key of {name} is unknown ({fingerprint}, not in {known_file}); bosun never accepts one silently",
            f"check the fingerprint with the host's admin, then accept it: {scan}, or `{self.target.ssh_command}` "
            "once and answer yes")

    async def _remote_uid(self, conn) -> int | None:
        import asyncssh

        try:
            result = await asyncio.wait_for(conn.run("id -u", check=False), 10)
            return int(str(result.stdout).strip())
        except (asyncssh.Error, OSError, ValueError, asyncio.TimeoutError):
            return None

    async def _channel_problem(self, conn, path: str, exc) -> Attempt:
        """Why the remote socket would not open: refused forwarding, missing, denied, or dead."""
        import asyncssh

        refused = self._attempt(
            f"{REFUSED} (AllowStreamLocalForwarding no in its sshd_config)",
            f"allow it there, {OPENSSH_HINT}")
        if exc.code == asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED:
            return refused
        # OpenSSH answers "open failed" for a missing socket, a forbidden one and a refused
        # forwarding alike: ask the remote what is there, and whether its engine answers.
        q = shlex.quote(path)
        check = (f"if [ ! -e {q} ]; then echo missing; elif [ ! -S {q} ]; then echo notsocket; "
                 f"elif [ ! -w {q} ]; then echo denied; "
                 f"elif docker --host=unix://{q} version >/dev/null 2>&1 || "
                 f"curl -s --max-time 5 --unix-socket {q} http://d/_ping 2>/dev/null | grep -q OK; "
                 f"then echo alive; else echo dead; fi")
        verdict = await self._ask(conn, check)
        if "alive" in verdict:
            return refused  # the engine answers from a shell there: only the forwarding can be refused
        user = conn.get_extra_info("username") or self.target.user or "the SSH user"
        if verdict == "missing":
            return self._attempt(f"no engine socket at {path} on the remote",
                                 "is the engine running there (`systemctl status docker`; rootless Podman: "
                                 "`systemctl --user enable --now podman.socket`)? or put the socket's path in the "
                                 "address: ssh://host/path/to/engine.sock")
        if verdict == "notsocket":
            return self._attempt(f"{path} on the remote is not a socket",
                                 "put the engine socket's path in the address: ssh://host/path/to/engine.sock")
        if verdict == "denied":
            return self._attempt(f"permission denied on {path} on the remote for {user}",
                                 f"add {user} to the group owning the socket there (`sudo usermod -aG docker "
                                 f"{user}`), or use that user's rootless Podman socket")
        return self._attempt(
            f"the SSH server would not open {path}: its engine is not running, or the server refuses to forward "
            "unix sockets (AllowStreamLocalForwarding no)",
            f"check the engine there (`systemctl status docker`, `podman.socket`), {OPENSSH_HINT}")

    async def _ask(self, conn, command: str) -> str:
        import asyncssh

        try:
            result = await asyncio.wait_for(conn.run(command, check=False), 10)
            return str(result.stdout).strip()
        except (asyncssh.Error, OSError, asyncio.TimeoutError):
            return ""
