"""Who gets in: every way of reaching `bosun serve` without the token is refused, and nothing of the app is served.

These run the real `bosun serve` command and speak HTTP and websockets to it.
Each refusal test also makes the same request the right way, so a gate that
let everything through (or nothing) fails it.
"""

from __future__ import annotations

import aiohttp
import pytest

from tests.waits import wait_until

pytestmark = pytest.mark.timeout(90)

APP_MARKERS = ("<html", "textual", "xterm", "websocket", "bosun_session")
PATHS = ("/", "/static/js/textual.js", "/static/css/xterm.css", "/ws", "/download/abc", "/nowhere")


def assert_refused(status: int, body: str, headers, expected: int = 401) -> None:
    assert status == expected, (status, body)
    assert not any(marker in body.lower() for marker in APP_MARKERS), body
    assert "Set-Cookie" not in headers


async def get(session: aiohttp.ClientSession, url: str, **kwargs):
    async with session.get(url, allow_redirects=False, **kwargs) as response:
        return response.status, await response.text(), response.headers


async def login(served) -> aiohttp.ClientSession:
    """A client holding the session cookie the token was traded for."""
    session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    status, _, headers = await get(session, served.url)
    assert status == 303 and headers["Location"] == "/"
    cookie = headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    return session


async def test_without_the_token_nothing_is_served(serve):
    served = serve("--demo")
    async with aiohttp.ClientSession() as session:
        for path in PATHS:
            assert_refused(*await get(session, served.base + path))
    # The control: with the token the same paths serve the app.
    async with await login(served) as session:
        status, body, _ = await get(session, served.base + "/")
        assert status == 200 and "textual.js" in body and "/ws" in body
        status, body, _ = await get(session, served.base + "/static/js/textual.js")
        assert status == 200 and "xterm" in body.lower()
    assert not any(r["event"] == "session-start" for r in served.audit())


async def test_a_wrong_token_is_refused(serve):
    served = serve("--demo", "--max-failures", "100")
    wrong = (served.token[:-1] + ("A" if served.token[-1] != "A" else "B"),  # one character off
             served.token[:-1], served.token + "x", "", "x" * len(served.token))
    async with aiohttp.ClientSession() as session:
        for token in wrong:
            assert_refused(*await get(session, f"{served.base}/?token={token}"))
            assert_refused(*await get(session, served.base + "/", headers={"Authorization": f"Bearer {token}"}))
        assert_refused(*await get(session, served.base + "/", cookies={"bosun_session": served.token}))
        status, _, _ = await get(session, served.base + "/", headers={"Authorization": f"Bearer {served.token}"})
        assert status == 200
    refusals = [r for r in served.audit() if r["event"] == "refused"]
    assert len(refusals) == 2 * len(wrong) + 1 and all(r["address"] == "127.0.0.1" for r in refusals)


async def test_a_stale_token_or_session_is_refused(serve):
    first = serve("--demo")
    async with await login(first) as session:
        cookie = next(c.value for c in session.cookie_jar if c.key == "bosun_session")
    first.stop()
    second = serve("--demo")  # a restart: a new token, and no sessions from before
    assert second.token != first.token
    async with aiohttp.ClientSession() as session:
        assert_refused(*await get(session, f"{second.base}/?token={first.token}"))
        assert_refused(*await get(session, second.base + "/", cookies={"bosun_session": cookie}))
        assert_refused(*await get(session, second.base + "/static/js/textual.js", cookies={"bosun_session": cookie}))
    async with await login(second) as session:
        assert (await get(session, second.base + "/"))[0] == 200


async def test_a_websocket_opened_directly_is_refused(serve):
    served = serve("--demo")
    ws_url = served.base.replace("http", "ws", 1) + "/ws"
    origin = {"Origin": served.base}
    async with aiohttp.ClientSession() as session:
        for kwargs in ({}, {"headers": origin}):
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(ws_url, **kwargs)
            assert refused.value.status == 401
        # A token on the websocket itself, even the right one: no. Only the page's session opens one.
        for token in ("wrong", served.token):
            for kwargs in ({"params": {"token": token}}, {"headers": {**origin, "Authorization": f"Bearer {token}"}}):
                with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                    await session.ws_connect(ws_url, **{"headers": origin, **kwargs})
                assert refused.value.status == 403
    async with await login(served) as session:
        # A good session cookie, but from another site's page (cross-site websocket hijacking).
        for other in ({"Origin": "http://evil.example"}, {}):
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(ws_url, headers=other)
            assert refused.value.status == 403
        assert not any(r["event"] == "session-start" for r in served.audit())
        # The control: from the page's origin with its cookie, the app starts and draws.
        async with session.ws_connect(ws_url, headers=origin, params={"width": "100", "height": "30"}) as ws:
            message = await ws.receive(timeout=30)
            assert message.type == aiohttp.WSMsgType.BINARY
    await wait_until(lambda: any(r["event"] == "session-end" for r in served.audit()), "the session's end logged")


async def test_too_many_failed_tries_lock_the_address_out(serve):
    served = serve("--demo", "--max-failures", "3")
    async with aiohttp.ClientSession() as session:
        assert (await get(session, served.base + "/", headers={"Authorization": f"Bearer {served.token}"}))[0] == 200
        for _ in range(3):
            assert_refused(*await get(session, f"{served.base}/?token=wrong-{_}"))
        # Now even the right token is turned away from this address.
        assert_refused(*await get(session, served.url), expected=429)


async def test_sessions_are_capped(serve):
    served = serve("--demo", "--max-sessions", "1")
    ws_url = served.base.replace("http", "ws", 1) + "/ws"
    async with await login(served) as session:
        async with session.ws_connect(ws_url, headers={"Origin": served.base}) as ws:
            await ws.receive(timeout=30)
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(ws_url, headers={"Origin": served.base})
            assert refused.value.status == 503
            assert (await get(session, served.base + "/"))[0] == 503
        await wait_until(lambda: any(r["event"] == "session-end" for r in served.audit()), "the first session ended")
        async with session.ws_connect(ws_url, headers={"Origin": served.base}) as ws:
            assert (await ws.receive(timeout=30)).type == aiohttp.WSMsgType.BINARY


async def test_an_idle_session_times_out(serve):
    served = serve("--demo", "--idle-timeout", "1")
    ws_url = served.base.replace("http", "ws", 1) + "/ws"
    async with await login(served) as session:
        async with session.ws_connect(ws_url, headers={"Origin": served.base}) as ws:
            while (await ws.receive(timeout=30)).type not in (aiohttp.WSMsgType.CLOSE,
                                                                          aiohttp.WSMsgType.CLOSED):
                pass  # the app draws, then nobody types: the server ends it
    await wait_until(lambda: any(r.get("reason") == "idle timeout" for r in served.audit()),
                     "the idle timeout in the audit log", detail=served.audit)
