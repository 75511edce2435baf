"""TLS against a real dockerd of the test's own, and endpoints that are not engines.

Every failure must name its real cause: the CA that does not trust the engine,
the client certificate that is missing, the file that is not PEM, the port that
speaks TLS, the web server that is not an engine, the address that does not parse.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.engine.scratch_engines import free_port
from tests.ui.conftest import screen_text
from tests.waits import wait_until
from tui.engine import EngineError, EngineUnreachable
from tui.engine.connector import connect
from tui.engine.endpoints import resolve_endpoints
from tui.engine.errors import ConfigError

pytestmark = pytest.mark.engine


def tls_env(tls_dockerd, kind: str) -> dict[str, str]:
    return {"DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": tls_dockerd.cert_path(kind), "HOME": "/nonexistent"}


async def reason_for(host: str, env: dict[str, str]) -> str:
    with pytest.raises(EngineError) as info:
        engine = await connect(host, env=env)
        await engine.close()
    error = info.value
    if isinstance(error, EngineUnreachable):
        assert len(error.attempts) == 1
        return f"{error.attempts[0].reason} | fix: {error.attempts[0].hint}"
    return str(error)


async def test_good_certificates_reach_the_tls_engine(tls_dockerd):
    engine = await connect(tls_dockerd.url, env=tls_env(tls_dockerd, "good"))
    try:
        assert engine.kind == "docker"
        assert await engine.list_containers() == []  # its own, empty data root
    finally:
        await engine.close()


async def test_a_wrong_ca_is_named(tls_dockerd):
    reason = await reason_for(tls_dockerd.url, tls_env(tls_dockerd, "wrong-ca"))
    ca = tls_dockerd.cert_path("wrong-ca") + "/ca.pem"
    assert f"TLS: the engine's certificate is not trusted by the CA in {ca}" in reason, reason
    assert "unable to get local issuer certificate" in reason and "DOCKER_CERT_PATH" in reason


async def test_a_missing_client_certificate_is_named(tls_dockerd):
    reason = await reason_for(tls_dockerd.url, tls_env(tls_dockerd, "no-client-cert"))
    cert = tls_dockerd.cert_path("no-client-cert") + "/cert.pem"
    assert f"requires a client certificate; there is none at {cert}" in reason, reason


@pytest.mark.parametrize("kind,named", [("garbage-ca", "ca.pem is not a PEM CA certificate"),
                                        ("garbage-cert", "cert.pem and")])
async def test_files_that_are_not_pem_are_named(tls_dockerd, kind, named):
    reason = await reason_for(tls_dockerd.url, tls_env(tls_dockerd, kind))
    assert tls_dockerd.cert_path(kind) in reason and named in reason, reason


async def test_plain_http_to_the_tls_port_says_it_speaks_tls(tls_dockerd):
    reason = await reason_for(tls_dockerd.url, {"HOME": "/nonexistent"})
    assert "this port speaks TLS" in reason and "DOCKER_TLS_VERIFY=1" in reason, reason


async def test_a_refused_port_is_not_blamed_on_tls():
    port = free_port()
    reason = await reason_for(f"tcp://127.0.0.1:{port}", {"HOME": "/nonexistent"})
    assert f"connection refused: nothing listens at tcp://127.0.0.1:{port}" in reason, reason
    assert "TLS" not in reason and "ssl:default" not in reason


async def test_a_host_name_that_does_not_resolve_is_named():
    reason = await reason_for("tcp://no-such-host.invalid:2375", {"HOME": "/nonexistent"})
    assert reason.startswith("cannot resolve the host name (") and "check the host name" in reason, reason


async def test_an_unroutable_host_says_there_is_no_route(unroutable_host):
    reason = await reason_for(unroutable_host, {"HOME": "/nonexistent"})
    assert reason.startswith(f"{unroutable_host}: no route to host | fix: is the host reachable?"), reason


class _WebPage(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the http.server API)
        body = b"<html><body>not an engine</body></html>"
        self.send_response(200 if self.path == "/" else 404)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def web_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _WebPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"tcp://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


async def test_a_web_server_is_not_an_engine(web_server):
    reason = await reason_for(web_server, {"HOME": "/nonexistent"})
    assert "answers HTTP but is not a container engine (GET /_ping answered HTTP 404)" in reason, reason


@pytest.mark.parametrize("host,said", [
    ("tcp://[::1", "is not a valid address (Invalid IPv6 URL)"),
    ("tcp://", "names no host"),
    ("tcp://127.0.0.1:http", "is not a valid address"),
    ("unix://", "names no socket"),
    ("garbage", "cannot use endpoint 'garbage'"),
])
def test_addresses_that_do_not_parse_say_so_and_blame_their_source(host, said):
    with pytest.raises(ConfigError) as info:
        resolve_endpoints(host, env={}, host_source="BOSUN_HOST")
    assert str(info.value).startswith("BOSUN_HOST: ") and said in str(info.value), str(info.value)


def test_a_tcp_host_without_a_port_gets_the_docker_cli_default():
    assert resolve_endpoints("tcp://127.0.0.1", env={})[0].url == "tcp://127.0.0.1:2375"
    tls = {"DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": "/certs"}
    assert resolve_endpoints("tcp://127.0.0.1", env=tls)[0].url == "tcp://127.0.0.1:2376"
    assert resolve_endpoints("tcp://127.0.0.1", env=tls)[0].client_url == "https://127.0.0.1:2376"


@pytest.mark.parametrize("which", ["ipv6", "web", "garbage-pem"])
async def test_bad_endpoints_show_the_no_engine_screen(which, web_server, tls_dockerd, monkeypatch):
    from tests.settings_shorthand import flat_settings
    from tui.app import BosunApp, RunOptions

    if which == "garbage-pem":
        monkeypatch.setenv("DOCKER_TLS_VERIFY", "1")
        monkeypatch.setenv("DOCKER_CERT_PATH", tls_dockerd.cert_path("garbage-ca"))
    host = {"ipv6": "tcp://[::1", "web": web_server, "garbage-pem": tls_dockerd.url}[which]
    app = BosunApp(flat_settings(host=host), RunOptions(persist_theme=False))
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_until(lambda: type(app.screen).__name__ == "NoEngineScreen", "the no-engine screen",
                         pilot=pilot, timeout=20, detail=lambda: screen_text(app))
        await pilot.pause()
        text = screen_text(app)
        assert "No engine reachable" in text and "Something went wrong" not in text, text
        expected = {"ipv6": "Invalid IPv6 URL", "web": "not a container engine",
                    "garbage-pem": "is not a PEM CA certificate"}[which]
        assert expected in text, text
