"""`bosun serve`'s locks before it listens: loopback unless TLS (or forced), tokens, option clashes."""

from __future__ import annotations

import ssl
import subprocess
import sys

import aiohttp
import pytest

from tui.testing.browser import ROOT
from tui.serve.server import ServeOptions, SessionService, child_command

pytestmark = pytest.mark.timeout(90)


def run_serve(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`bosun serve` that is expected to refuse to start (a timeout here means it started)."""
    import os

    return subprocess.run([sys.executable, "-m", "tui", "serve", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=30, env={**os.environ, **(env or {})})


@pytest.mark.parametrize("bind", ["0.0.0.0:0", "[::]:0", "192.0.2.1:0", "example.com:0"])
def test_a_non_loopback_address_without_tls_is_refused(bind):
    done = run_serve("--demo", "--bind", bind)
    assert done.returncode == 2
    assert "refusing to serve plain HTTP" in done.stderr and "--tls-cert" in done.stderr
    assert "open http" not in done.stdout


def test_forcing_plain_http_on_the_network_warns_loudly(serve):
    served = serve("--demo", "--insecure", bind="0.0.0.0:0")
    assert "WARNING: serving plain HTTP on 0.0.0.0 (--insecure)" in "".join(served.err)


@pytest.fixture
def certificate(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


async def test_tls_serves_https_on_any_address(serve, certificate):
    cert, key = certificate
    served = serve("--demo", "--tls-cert", str(cert), "--tls-key", str(key), bind="0.0.0.0:0")
    assert served.url.startswith("https://") and "WARNING" not in "".join(served.err)
    port = served.base.rsplit(":", 1)[1]
    trust = ssl.create_default_context(cafile=str(cert))
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        async with session.get(f"https://127.0.0.1:{port}/?token={served.token}", ssl=trust,
                               allow_redirects=False) as response:
            assert response.status == 303
            assert "Secure" in response.headers["Set-Cookie"]  # the cookie never goes over plain HTTP
        async with session.get(f"https://127.0.0.1:{port}/", ssl=trust) as response:
            assert response.status == 200 and "wss://127.0.0.1" in await response.text()
        with pytest.raises(aiohttp.ClientError):  # no plain HTTP on the TLS port
            async with session.get(f"http://127.0.0.1:{port}/?token={served.token}") as response:
                await response.read()


def test_half_a_tls_pair_is_refused(certificate):
    done = run_serve("--demo", "--tls-cert", str(certificate[0]))
    assert done.returncode == 2 and "both --tls-cert and --tls-key" in done.stderr


def test_shells_need_actions_and_no_local_terminal():
    done = run_serve("--demo", "--allow-shells")
    assert done.returncode == 2 and "--allow-shells needs --allow-actions" in done.stderr
    done = run_serve("--demo", "--exec-via-cli")
    assert done.returncode == 2 and "local terminal" in done.stderr
    done = run_serve("--demo", "--no-such-option")
    assert done.returncode == 2 and "--no-such-option" in done.stderr


async def test_the_token_from_a_file_or_the_environment(serve, tmp_path):
    secret = "a-token-chosen-by-the-operator-0123"
    file = tmp_path / "token"
    file.write_text(secret + "\n")
    for served in (serve("--demo", "--token-file", str(file)), serve("--demo", env={"BOSUN_SERVE_TOKEN": secret})):
        assert secret not in served.output()  # a token it did not make, it does not print
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{served.base}/?token={secret}", allow_redirects=False) as response:
                assert response.status == 303
            async with session.get(f"{served.base}/?token=not-{secret}", allow_redirects=False) as response:
                assert response.status == 401
    done = run_serve("--demo", env={"BOSUN_SERVE_TOKEN": "short"})
    assert done.returncode == 2 and "too short" in done.stderr


def test_a_session_runs_read_only_bosun_and_never_sees_the_token(monkeypatch):
    monkeypatch.setenv("BOSUN_SERVE_TOKEN", "x" * 32)
    options = ServeOptions(bosun_args=["--demo"])
    assert child_command(options).endswith("-m tui.serve.child --demo --read-only")
    assert "--read-only" not in child_command(ServeOptions(allow_actions=True))
    service = SessionService("true", write_bytes=None, write_str=None, close=None, download_manager=None,
                             session_id="s1", options=options)
    env = service._build_environment()
    assert "BOSUN_SERVE_TOKEN" not in env and env["BOSUN_SERVE_SHELLS"] == "0"
    assert env["TEXTUAL_DRIVER"] == "textual.drivers.web_driver:WebDriver"
    shells = SessionService("true", write_bytes=None, write_str=None, close=None, download_manager=None,
                            session_id="s2", options=ServeOptions(allow_actions=True, allow_shells=True))
    assert shells._build_environment()["BOSUN_SERVE_SHELLS"] == "1"


def test_with_no_bind_it_listens_on_loopback_only():
    from tui.serve.cli import build_parser, is_loopback, parse_bind

    host, port = parse_bind(build_parser().parse_args([]).bind)
    assert (host, port) == ("127.0.0.1", 8780) and is_loopback(host)


def test_every_credential_is_compared_in_constant_time(monkeypatch):
    """The token and every live cookie go through hmac.compare_digest (never ==, whose time says how much matched)."""
    import hmac

    from tui.serve import auth

    compared: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a, b):
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(auth.hmac, "compare_digest", spy)
    gate = auth.Gate("the-token")
    assert not gate.check("10.0.0.1", token="the-tokem", cookie=None).ok
    assert compared == [(b"the-tokem", b"the-token")]
    cookie = gate.check("10.0.0.1", token="the-token", cookie=None).new_cookie
    other = gate.check("10.0.0.1", token="the-token", cookie=None).new_cookie
    compared.clear()
    assert gate.check("10.0.0.1", token=None, cookie=cookie).ok
    assert sorted(live for live, _ in compared) == sorted([cookie.encode(), other.encode()]), "every live cookie"
    assert {given for _, given in compared} == {cookie.encode()}
