"""Engines of the tests' own, next to the shared ones: a TLS-only dockerd and a Podman service to hang.

`tests/run` starts the Docker and Podman that most tests share. Some faults
need an engine nobody else uses: one that speaks only TLS with certificates the
test generated, and one the test stops with SIGSTOP. Both are real daemons
started here and stopped afterwards. When one cannot start, the test fails under
CI (saying why, with the daemon's log) and is skipped elsewhere: never a silent pass.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.waits import wait_until_sync

START_SECONDS = 60.0
TLS_BRIDGE = "bosuntls0"  # dockerd needs a bridge of its own: docker0 belongs to the shared daemon


def unavailable(message: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(*argv: str, cwd: Path | None = None) -> None:
    subprocess.run(argv, cwd=cwd, check=True, capture_output=True, timeout=60)


def _stop(proc: subprocess.Popen, grace: float) -> None:
    """TERM, and KILL if it is still there after `grace` seconds."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def _tail(path: Path) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-25:])
    except OSError:
        return "(no log)"


# ------------------------------------------------------------------ certificates


def _make_ca(folder: Path, name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    _run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca-key.pem", "-out", "ca.pem",
         "-days", "2", "-subj", f"/CN={name}", cwd=folder)


def _sign(ca: Path, folder: Path, prefix: str, subject: str, extensions: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{prefix}.ext").write_text(extensions)
    _run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{prefix}key.pem", "-out",
         f"{prefix}.csr", "-subj", subject, cwd=folder)
    _run("openssl", "x509", "-req", "-in", f"{prefix}.csr", "-CA", str(ca / "ca.pem"), "-CAkey",
         str(ca / "ca-key.pem"), "-CAcreateserial", "-out", f"{prefix}cert.pem", "-days", "2", "-extfile",
         f"{prefix}.ext", cwd=folder)


@dataclass
class TLSDockerd:
    """A dockerd listening only on tcp://127.0.0.1:<port> with --tlsverify."""

    url: str
    certs: Path  # good/, wrong-ca/, no-client-cert/, garbage-ca/, garbage-cert/: DOCKER_CERT_PATH folders

    def cert_path(self, kind: str) -> str:
        return str(self.certs / kind)


def _make_cert_folders(root: Path) -> None:
    ca = root / "ca"
    _make_ca(ca, "bosun test CA")
    _sign(ca, root / "server", "server-", "/CN=localhost",
          "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")
    _sign(ca, root / "client", "", "/CN=bosun test client", "extendedKeyUsage=clientAuth\n")
    other = root / "other-ca"
    _make_ca(other, "some other CA")
    for kind, ca_file, with_client in (("good", ca / "ca.pem", True), ("wrong-ca", other / "ca.pem", True),
                                       ("no-client-cert", ca / "ca.pem", False)):
        folder = root / kind
        folder.mkdir()
        shutil.copy(ca_file, folder / "ca.pem")
        if with_client:
            shutil.copy(root / "client" / "cert.pem", folder / "cert.pem")
            shutil.copy(root / "client" / "key.pem", folder / "key.pem")
    garbage = root / "garbage-ca"
    garbage.mkdir()
    (garbage / "ca.pem").write_text("this is not a certificate\n")
    shutil.copy(root / "client" / "cert.pem", garbage / "cert.pem")
    shutil.copy(root / "client" / "key.pem", garbage / "key.pem")
    garbage_cert = root / "garbage-cert"
    garbage_cert.mkdir()
    shutil.copy(ca / "ca.pem", garbage_cert / "ca.pem")
    (garbage_cert / "cert.pem").write_text("-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n")
    (garbage_cert / "key.pem").write_text("nope\n")


def _tls_ping(url: str, certs: Path) -> bool:
    context = ssl.create_default_context(cafile=str(certs / "ca.pem"))
    context.load_cert_chain(str(certs / "cert.pem"), str(certs / "key.pem"))
    try:
        with urllib.request.urlopen("https://" + url[len("tcp://"):] + "/_ping", context=context, timeout=2) as r:
            return r.read() == b"OK"
    except OSError:
        return False


@pytest.fixture(scope="session")
def tls_dockerd():
    if os.geteuid() != 0 or not shutil.which("dockerd") or not shutil.which("openssl"):
        unavailable("a TLS dockerd needs root, dockerd and openssl (bash tests/run installs them)")
    root = Path(tempfile.mkdtemp(prefix="bosun-tls-"))
    _make_cert_folders(root / "certs")
    created_bridge = subprocess.run(["ip", "link", "show", TLS_BRIDGE], capture_output=True).returncode != 0
    if created_bridge:
        _run("ip", "link", "add", TLS_BRIDGE, "type", "bridge")
    port = free_port()
    url = f"tcp://127.0.0.1:{port}"
    server = root / "certs" / "server"
    log = root / "dockerd.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            ["dockerd", "--data-root", str(root / "data"), "--exec-root", str(root / "exec"),
             "--pidfile", str(root / "docker.pid"), "-H", url, "--tlsverify",
             "--tlscacert", str(root / "certs" / "ca" / "ca.pem"), "--tlscert", str(server / "server-cert.pem"),
             "--tlskey", str(server / "server-key.pem"), "--iptables=false", "--ip-masq=false",
             "--bridge", TLS_BRIDGE],
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        try:
            wait_until_sync(lambda: proc.poll() is not None or _tls_ping(url, root / "certs" / "good"),
                            f"the TLS dockerd to answer on {url}", timeout=START_SECONDS)
        except AssertionError:
            proc.poll()
        if proc.returncode is not None or not _tls_ping(url, root / "certs" / "good"):
            unavailable(f"the TLS dockerd did not start on {url}:\n{_tail(log)}")
        yield TLSDockerd(url, root / "certs")
    finally:
        _stop(proc, grace=30)
        if created_bridge:
            subprocess.run(["ip", "link", "del", TLS_BRIDGE], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


# ------------------------------------------------------------- a Podman to hang


@dataclass
class ScratchPodman:
    """`podman system service` on a socket of its own, which the test may SIGSTOP."""

    url: str
    proc: subprocess.Popen

    def hang(self) -> None:
        os.kill(self.proc.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.proc.pid, signal.SIGCONT)


def _unix_ping(path: str) -> bool:
    try:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(2)
            sock.connect(path)
            sock.sendall(b"GET /_ping HTTP/1.0\r\n\r\n")
            return b"OK" in sock.recv(4096)
    except OSError:
        return False


@pytest.fixture
def scratch_podman(tmp_path_factory):
    if not shutil.which("podman"):
        unavailable("podman is not installed (bash tests/run installs it)")
    folder = tmp_path_factory.mktemp("podman-svc")
    path = str(folder / "podman.sock")
    log = folder / "service.log"
    with log.open("w") as out:
        proc = subprocess.Popen(["podman", "system", "service", "--time=0", f"unix://{path}"],
                                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    engine = ScratchPodman(f"unix://{path}", proc)
    try:
        try:
            wait_until_sync(lambda: proc.poll() is not None or _unix_ping(path),
                            f"a scratch podman service on {path}", timeout=START_SECONDS)
        except AssertionError:
            pass
        if proc.poll() is not None or not _unix_ping(path):
            unavailable(f"podman system service did not start on {path}:\n{_tail(log)}")
        yield engine
    finally:
        if proc.poll() is None:
            engine.resume()  # a stopped process does not act on SIGTERM
        _stop(proc, grace=20)
