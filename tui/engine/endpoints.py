"""Find the engine endpoint(s) the way the docker CLI does.

Order: `--host`, then `DOCKER_HOST`, then a Docker context (`--context`,
`DOCKER_CONTEXT`, or `currentContext` in `~/.docker/config.json`, whose
endpoint lives in `~/.docker/contexts/meta/<sha256(name)>/meta.json`), then the
default sockets: Docker's, then Podman's rootless and rootful ones.
An explicit choice yields one candidate; the defaults yield several, tried in turn.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import socket
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Mapping
from urllib.parse import urlsplit

from tui.engine.errors import Attempt, ConfigError

if TYPE_CHECKING:  # ssl loads when a TLS endpoint needs it: the CLI's first frame goes without
    import ssl

DOCKER_SOCKET = "/var/run/docker.sock"
PODMAN_ROOTFUL_SOCKET = "/run/podman/podman.sock"

PERMISSION_HINT = (
    "add your user to the group that owns the socket (e.g. `sudo usermod -aG docker $USER`, then log in again), "
    "or use rootless Podman (`systemctl --user enable --now podman.socket`)"
)
NOT_SOCKET_HINT = "point --host / DOCKER_HOST at the engine's socket (e.g. unix:///var/run/docker.sock)"
MISSING_HINT = "is the engine running? start it (`sudo systemctl start docker` or `podman system service`)"


@dataclass(frozen=True)
class TLSFiles:
    ca: Path
    cert: Path
    key: Path
    verify: bool = True


@dataclass(frozen=True)
class Endpoint:
    """Where an engine listens, and which rule of the resolution chose it."""

    url: str
    source: str
    name: str = ""
    tls: TLSFiles | None = None
    ssh_client: str = ""  # for ssh://: "asyncssh" (bosun's own client), "openssh" (the system ssh); "" = default
    identity: str = ""  # for ssh://: a private key file to offer besides the agent's and ~/.ssh config's

    @property
    def scheme(self) -> str:
        return urlsplit(self.url).scheme

    @property
    def socket_path(self) -> str | None:
        return self.url[len("unix://") :] if self.url.startswith("unix://") else None

    @property
    def host(self) -> str:
        """The host name to show ports against ('localhost' for local sockets)."""
        if self.scheme in ("tcp", "ssh"):
            return urlsplit(self.url).hostname or "localhost"
        return "localhost"

    @property
    def client_url(self) -> str:
        """The URL for the HTTP client: `tcp://` with TLS files is spoken as `https://`.

        aiodocker switches to https only when it builds the SSL context itself;
        handed ours with a `tcp://` URL it speaks plain HTTP to a TLS port.
        """
        if self.tls is not None and self.scheme == "tcp":
            return "https://" + self.url[len("tcp://"):]
        return self.url

    @property
    def has_client_cert(self) -> bool:
        return self.tls is not None and self.tls.cert.is_file() and self.tls.key.is_file()

    def ssl_context(self) -> ssl.SSLContext | None:
        """The TLS context for a `tcp://` endpoint with TLS files; ConfigError naming a file that is wrong."""
        if self.tls is None:
            return None
        import ssl

        fix = "set DOCKER_CERT_PATH to the folder holding ca.pem, cert.pem, key.pem"
        if self.tls.verify and not self.tls.ca.is_file():
            raise ConfigError(f"TLS: CA certificate missing: {self.tls.ca} ({fix})")
        try:
            ctx = ssl.create_default_context(cafile=str(self.tls.ca) if self.tls.verify else None)
        except (ssl.SSLError, ValueError) as exc:
            raise ConfigError(f"TLS: {self.tls.ca} is not a PEM CA certificate ({_ssl_reason(exc)})") from None
        # Like the docker CLI: no client certificate files means none is offered;
        # an engine that requires one says so, and the error then names the files.
        if self.has_client_cert:
            try:
                ctx.load_cert_chain(str(self.tls.cert), str(self.tls.key))
            except (ssl.SSLError, ValueError) as exc:
                raise ConfigError(f"TLS: {self.tls.cert} and {self.tls.key} are not a PEM certificate and its key "
                                  f"({_ssl_reason(exc)})") from None
        if not self.tls.verify:
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
        return ctx


def _ssl_reason(exc: BaseException) -> str:
    return getattr(exc, "reason", None) or str(exc) or type(exc).__name__


def _normalise_url(raw: str, source: str, tls: bool = False) -> str:
    raw = raw.strip()
    if raw.startswith("/"):
        return "unix://" + raw
    try:
        parts = urlsplit(raw)
        port = parts.port if parts.scheme in ("tcp", "http", "https") else None
    except ValueError as exc:  # "Invalid IPv6 URL", a port that is not a number
        raise ConfigError(f"{source}: {raw!r} is not a valid address ({exc})") from None
    scheme = parts.scheme
    if scheme == "unix":
        if not raw[len("unix://"):]:
            raise ConfigError(f"{source}: {raw!r} names no socket (expected unix:///path/to/engine.sock)")
        return raw
    if scheme in ("tcp", "http", "https"):
        if not parts.hostname:
            raise ConfigError(f"{source}: {raw!r} names no host (expected tcp://HOST:PORT, e.g. tcp://127.0.0.1:2375)")
        rest = raw.split("://", 1)[1]
        if port is None:  # the docker CLI's defaults
            host_part, slash, path = rest.partition("/")
            rest = f"{host_part}:{2376 if tls else 2375}{slash}{path}"
        return "tcp://" + rest
    if scheme == "ssh":
        from tui.engine.ssh_target import parse_ssh_url

        parse_ssh_url(raw, source)  # refuses a malformed one now, naming where it came from
        return raw
    raise ConfigError(f"{source}: cannot use endpoint {raw!r}: expected unix://, tcp:// or ssh://")


def _tls_from_env(env: Mapping[str, str], home: Path) -> TLSFiles | None:
    if env.get("DOCKER_TLS_VERIFY", "") in ("", "0"):
        return None
    folder = Path(env.get("DOCKER_CERT_PATH") or home / ".docker")
    return TLSFiles(folder / "ca.pem", folder / "cert.pem", folder / "key.pem")


def current_context(home: Path, env: Mapping[str, str]) -> str | None:
    config_dir = docker_config_dir(home, env)
    try:
        data = json.loads((config_dir / "config.json").read_text())
    except (OSError, ValueError):
        return None
    name = data.get("currentContext")
    return name if isinstance(name, str) and name else None


def docker_config_dir(home: Path, env: Mapping[str, str]) -> Path:
    return Path(env.get("DOCKER_CONFIG") or home / ".docker")


def context_digest(name: str) -> str:
    """The folder name of a context in the store: the docker CLI's sha256 of its name."""
    return hashlib.sha256(name.encode()).hexdigest()


@dataclass(frozen=True)
class ContextMeta:
    """What one context's meta.json (and its TLS folder) says about the docker endpoint."""

    name: str
    host: str  # as written in the file, not yet checked
    tls: TLSFiles | None
    meta_path: Path


def read_context_meta(config_dir: Path, digest: str) -> ContextMeta:
    """One context of the store, by its folder; FileNotFoundError when absent, ValueError when unreadable.

    Shared by `--context NAME` (one context) and tui.engine.discovery (every context).
    """
    meta_path = config_dir / "contexts" / "meta" / digest / "meta.json"
    text = meta_path.read_text()  # FileNotFoundError: the caller says "not found" its own way
    try:
        meta = json.loads(text)
        docker = meta["Endpoints"]["docker"]
        url = docker["Host"]
        name = meta.get("Name", "")
        if not isinstance(url, str) or not isinstance(name, str):
            raise TypeError("Host and Name must be strings")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"{meta_path}: {type(exc).__name__}: {exc}") from None
    tls = None
    tls_dir = config_dir / "contexts" / "tls" / digest / "docker"
    if (tls_dir / "ca.pem").exists() or (tls_dir / "cert.pem").exists():
        tls = TLSFiles(tls_dir / "ca.pem", tls_dir / "cert.pem", tls_dir / "key.pem",
                       verify=not docker.get("SkipTLSVerify", False))
    return ContextMeta(name, url, tls, meta_path)


def context_endpoint(name: str, home: Path, env: Mapping[str, str], source: str) -> Endpoint:
    """The docker endpoint a named context points at."""
    config_dir = docker_config_dir(home, env)
    digest = context_digest(name)
    try:
        meta = read_context_meta(config_dir, digest)
    except FileNotFoundError:
        meta_path = config_dir / "contexts" / "meta" / digest / "meta.json"
        raise ConfigError(f"{source}: context {name!r} not found (no {meta_path}); `docker context ls` lists them") from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{source}: context {name!r} is unreadable ({exc})") from None
    return Endpoint(_normalise_url(meta.host, source, meta.tls is not None), source, name=name, tls=meta.tls)


def resolve_endpoints(
    host: str | None = None,
    context: str | None = None,
    env: Mapping[str, str] | None = None,
    home: Path | None = None,
    *,
    host_source: str = "--host",
) -> list[Endpoint]:
    """The endpoints to try, in order, for the given options and environment.

    `host_source` says where `host` came from (`--host`, `BOSUN_HOST`, the
    config file), so that an error about it blames the right place.
    """
    env = os.environ if env is None else env
    home = Path.home() if home is None else home
    if host:
        tls = _tls_from_env(env, home)
        return [Endpoint(_normalise_url(host, host_source, tls is not None), host_source, tls=tls)]
    if context:
        if context != "default":
            return [context_endpoint(context, home, env, "--context")]
    elif env.get("DOCKER_HOST"):
        tls = _tls_from_env(env, home)
        return [Endpoint(_normalise_url(env["DOCKER_HOST"], "DOCKER_HOST", tls is not None), "DOCKER_HOST", tls=tls)]
    elif env.get("DOCKER_CONTEXT"):
        if env["DOCKER_CONTEXT"] != "default":
            return [context_endpoint(env["DOCKER_CONTEXT"], home, env, "DOCKER_CONTEXT")]
    else:
        current = current_context(home, env)
        if current and current != "default":
            return [context_endpoint(current, home, env, "current context in config.json")]
    candidates = [Endpoint("unix://" + DOCKER_SOCKET, "default Docker socket", name="docker")]
    runtime_dir = env.get("XDG_RUNTIME_DIR")
    if runtime_dir:
        candidates.append(
            Endpoint(f"unix://{runtime_dir}/podman/podman.sock", "rootless Podman socket", name="podman")
        )
    candidates.append(Endpoint("unix://" + PODMAN_ROOTFUL_SOCKET, "rootful Podman socket", name="podman"))
    return candidates


def _not_a_socket(path: str) -> str:
    """What `path` is when it exists but is no socket ("a regular file", "a folder"), else ""."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return ""
    if stat.S_ISSOCK(mode):
        return ""
    return "a folder" if stat.S_ISDIR(mode) else "a regular file" if stat.S_ISREG(mode) else "not a socket"


def probe_socket(endpoint: Endpoint, timeout: float = 1.0) -> Attempt | None:
    """Try to open a unix socket endpoint; an `Attempt` saying why not, or None if it opens.

    Opening the socket ourselves (rather than letting the HTTP client fail)
    tells a missing socket from a permission problem from a dead engine.
    """
    path = endpoint.socket_path
    if path is None:
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(path)
    except FileNotFoundError:
        return Attempt(endpoint.url, endpoint.source, "no such socket", MISSING_HINT)
    except PermissionError:
        return Attempt(endpoint.url, endpoint.source, "permission denied", PERMISSION_HINT)
    except ConnectionRefusedError:
        kind = _not_a_socket(path)
        if kind:
            return Attempt(endpoint.url, endpoint.source, f"not a socket: {path} is {kind}", NOT_SOCKET_HINT)
        return Attempt(endpoint.url, endpoint.source, "connection refused (stale socket, engine not running)", MISSING_HINT)
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        hint = PERMISSION_HINT if exc.errno == errno.EACCES else MISSING_HINT
        return Attempt(endpoint.url, endpoint.source, reason, hint)
    finally:
        sock.close()
    return None
