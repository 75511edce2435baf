"""The engines tests/run promises are really there.

These fail, never skip, when an engine or the test image is missing: a suite
that quietly ran without Docker or Podman would report success for nothing.
"""

import http.client
import os
import socket

import pytest

pytestmark = pytest.mark.engine


class UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP over a unix socket, the way the engines serve their API."""

    def __init__(self, path: str, timeout: float = 10.0) -> None:
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self.unix_path)
        self.sock = sock


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set; run the suite with: bash tests/run")
    return value


def _get(host: str, path: str) -> tuple[int, bytes]:
    if not host.startswith("unix://"):
        pytest.fail(f"expected a unix:// engine address, got {host!r}")
    conn = UnixHTTPConnection(host.removeprefix("unix://"))
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    except OSError as exc:
        pytest.fail(f"engine at {host} does not answer: {exc}")
    finally:
        conn.close()


@pytest.mark.parametrize("host_var", ["BOSUN_TEST_DOCKER_HOST", "BOSUN_TEST_PODMAN_HOST"])
def test_engine_answers_and_has_test_image(host_var: str) -> None:
    host = _env(host_var)
    image = _env("BOSUN_TEST_IMAGE")

    assert _get(host, "/_ping") == (200, b"OK")
    status, body = _get(host, f"/images/{image}/json")
    assert status == 200, f"{image} missing in the engine at {host}: {body[:200]!r}"
