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
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit

from tui.engine.errors import Attempt, ConfigError

DOCKER_SOCKET = "/var/run/docker.sock"
PODMAN_ROOTFUL_SOCKET = "/run/podman/podman.sock"

PERMISSION_HINT = (
    "add your user to the group that owns the socket (e.g. `sudo usermod -aG docker $USER`, then log in again), "
    "or use rootless Podman (`systemctl --user enable --now podman.socket`)"
)
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

    @property
    def scheme(self) -> str:
        return urlsplit(self.url).scheme

    @property
    def socket_path(self) -> str | None:
        return self.url[len("unix://") :] if self.url.startswith("unix://") else None

    @property
    def host(self) -> str:
        """The host name to show ports against ('localhost' for local sockets)."""
        if self.scheme == "tcp":
            return urlsplit(self.url).hostname or "localhost"
        return "localhost"

    def ssl_context(self) -> ssl.SSLContext | None:
        if self.tls is None:
            return None
        for path in (self.tls.ca, self.tls.cert, self.tls.key):
            if not path.is_file():
                raise ConfigError(f"TLS file missing: {path} (set DOCKER_CERT_PATH to the folder holding ca.pem, cert.pem, key.pem)")
        ctx = ssl.create_default_context(cafile=str(self.tls.ca))
        ctx.load_cert_chain(str(self.tls.cert), str(self.tls.key))
        if not self.tls.verify:
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
        return ctx


def _normalise_url(raw: str, source: str) -> str:
    raw = raw.strip()
    if raw.startswith("/"):
        return "unix://" + raw
    scheme = urlsplit(raw).scheme
    if scheme in ("unix", "tcp"):
        return raw
    if scheme in ("http", "https"):
        return "tcp://" + raw.split("://", 1)[1]
    if scheme == "ssh":
        raise ConfigError(f"{source}: ssh:// endpoints are not supported yet ({raw})")
    raise ConfigError(f"{source}: cannot use endpoint {raw!r}: expected unix:// or tcp://")


def _tls_from_env(env: Mapping[str, str], home: Path) -> TLSFiles | None:
    if env.get("DOCKER_TLS_VERIFY", "") in ("", "0"):
        return None
    folder = Path(env.get("DOCKER_CERT_PATH") or home / ".docker")
    return TLSFiles(folder / "ca.pem", folder / "cert.pem", folder / "key.pem")


def _current_context(home: Path, env: Mapping[str, str]) -> str | None:
    config_dir = Path(env.get("DOCKER_CONFIG") or home / ".docker")
    try:
        data = json.loads((config_dir / "config.json").read_text())
    except (OSError, ValueError):
        return None
    name = data.get("currentContext")
    return name if isinstance(name, str) and name else None


def context_endpoint(name: str, home: Path, env: Mapping[str, str], source: str) -> Endpoint:
    """The docker endpoint a named context points at."""
    config_dir = Path(env.get("DOCKER_CONFIG") or home / ".docker")
    digest = hashlib.sha256(name.encode()).hexdigest()
    meta_path = config_dir / "contexts" / "meta" / digest / "meta.json"
    try:
        meta = json.loads(meta_path.read_text())
        docker = meta["Endpoints"]["docker"]
        url = docker["Host"]
    except FileNotFoundError:
        raise ConfigError(f"{source}: context {name!r} not found (no {meta_path}); `docker context ls` lists them") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{source}: context {name!r} is unreadable ({meta_path}: {exc})") from None
    tls = None
    tls_dir = config_dir / "contexts" / "tls" / digest / "docker"
    if (tls_dir / "ca.pem").exists() or (tls_dir / "cert.pem").exists():
        tls = TLSFiles(tls_dir / "ca.pem", tls_dir / "cert.pem", tls_dir / "key.pem", verify=not docker.get("SkipTLSVerify", False))
    return Endpoint(_normalise_url(url, source), source, name=name, tls=tls)


def resolve_endpoints(
    host: str | None = None,
    context: str | None = None,
    env: Mapping[str, str] | None = None,
    home: Path | None = None,
) -> list[Endpoint]:
    """The endpoints to try, in order, for the given options and environment."""
    env = os.environ if env is None else env
    home = Path.home() if home is None else home
    if host:
        return [Endpoint(_normalise_url(host, "--host"), "--host", tls=_tls_from_env(env, home))]
    if context:
        if context != "default":
            return [context_endpoint(context, home, env, "--context")]
    elif env.get("DOCKER_HOST"):
        return [Endpoint(_normalise_url(env["DOCKER_HOST"], "DOCKER_HOST"), "DOCKER_HOST", tls=_tls_from_env(env, home))]
    elif env.get("DOCKER_CONTEXT"):
        if env["DOCKER_CONTEXT"] != "default":
            return [context_endpoint(env["DOCKER_CONTEXT"], home, env, "DOCKER_CONTEXT")]
    else:
        current = _current_context(home, env)
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
        return Attempt(endpoint.url, endpoint.source, "connection refused (stale socket, engine not running)", MISSING_HINT)
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        hint = PERMISSION_HINT if exc.errno == errno.EACCES else MISSING_HINT
        return Attempt(endpoint.url, endpoint.source, reason, hint)
    finally:
        sock.close()
    return None
