"""The web server: textual-serve's page and websocket, behind the gate.

textual-serve (its `Server` and `AppService`) spawns one app process per
websocket and relays the web driver's packets; it has no notion of who is
asking. Here every request passes `_guard` first, the websocket also has to
come from this server's own page (Origin), sessions are capped and time out
when idle, and each one is written to the audit log.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shlex
import ssl
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from tui.serve.audit import Audit
from tui.serve.auth import COOKIE, Gate

log = logging.getLogger("bosun.serve")

HERE = Path(__file__).parent
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
}


@dataclass
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8780
    token: str = ""
    allow_actions: bool = False
    allow_shells: bool = False
    tls: ssl.SSLContext | None = None
    idle_timeout: float = 900.0
    max_sessions: int = 5
    max_failures: int = 10
    audit_path: Path | None = None
    bosun_args: list[str] = field(default_factory=list)  # passed to each session's bosun


def child_command(options: ServeOptions) -> str:
    """The shell command textual-serve runs for each session."""
    args = [sys.executable, "-m", "tui.serve.child", *options.bosun_args]
    if not options.allow_actions:
        args.append("--read-only")  # bosun's own read-only mode, enforced where every action is checked
    return " ".join(shlex.quote(a) for a in args)


class SessionService(AppService):
    """One session's bosun process, with the environment it should see and no more."""

    def __init__(self, *args: Any, session_id: str, options: ServeOptions, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session_id = session_id
        self.options = options

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        env = super()._build_environment(width, height)
        env.pop("BOSUN_SERVE_TOKEN", None)  # a session has no business with the door's key
        import tui

        # The bosun that serves is the bosun each session runs, wherever it was imported from.
        root = str(Path(tui.__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
        env["BOSUN_SERVE_SESSION"] = self.session_id
        env["BOSUN_SERVE_SHELLS"] = "1" if self.options.allow_shells and self.options.allow_actions else "0"
        if self.options.audit_path is not None:
            env["BOSUN_SERVE_AUDIT"] = str(self.options.audit_path)
        return env


class BosunServer(Server):
    def __init__(self, options: ServeOptions) -> None:
        super().__init__(child_command(options), host=options.host, port=options.port, title="bosun",
                         templates_path=HERE / "templates")
        self.options = options
        self.gate = Gate(options.token, max_failures=options.max_failures)
        self.audit = Audit(options.audit_path)
        self.sessions: dict[str, dict[str, Any]] = {}
        self.runner: web.AppRunner | None = None

    @property
    def scheme(self) -> str:
        return "https" if self.options.tls else "http"

    # ------------------------------------------------------------------ gate ---
    @web.middleware
    async def _guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
        address = request.remote or "?"
        token = request.query.get("token")
        from_url = token is not None
        auth = request.headers.get("Authorization", "")
        if token is None and auth.startswith("Bearer "):
            token = auth[len("Bearer "):]
        if token is not None and request.path == "/ws":
            # The websocket takes the session cookie only: it must come from the page.
            return self._refuse(request, 403, "the websocket takes a session from the page, not a token")
        verdict = self.gate.check(address, token=token, cookie=request.cookies.get(COOKIE))
        if not verdict.ok:
            return self._refuse(request, verdict.status, verdict.reason)
        if verdict.new_cookie is not None:
            self.audit.write("login", address=address, agent=request.headers.get("User-Agent", ""))
            # Trade the token for a cookie and take it out of the address bar (and history).
            query = {k: v for k, v in request.query.items() if k != "token"}
            target = request.rel_url.with_query(query) if request.method == "GET" and from_url else None
            response: web.StreamResponse
            if target is not None:
                response = web.HTTPSeeOther(str(target))
            else:
                response = await handler(request)
            response.set_cookie(COOKIE, verdict.new_cookie, httponly=True, samesite="Strict",
                                secure=self.options.tls is not None, path="/")
            response.headers.update(SECURITY_HEADERS)
            return response
        response = await handler(request)
        response.headers.update(SECURITY_HEADERS)
        return response

    def _refuse(self, request: web.Request, status: int, reason: str) -> web.Response:
        self.audit.write("refused", address=request.remote or "?", path=request.path, status=status, reason=reason)
        return web.Response(status=status, text=f"bosun serve: {reason}\n", headers=SECURITY_HEADERS)

    # ----------------------------------------------------------------- pages ---
    async def on_startup(self, app: web.Application) -> None:
        pass  # textual-serve prints its banner here; `bosun serve` prints the URL with the token itself

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._guard)
        return app

    async def handle_index(self, request: web.Request) -> Any:
        if len(self.sessions) >= self.options.max_sessions:
            return web.Response(status=503, text="bosun serve: too many sessions open; try again later\n")
        # URLs from the request, not the bind address: 0.0.0.0 is not where a browser goes.
        self.public_url = f"{self.scheme}://{request.host}"
        return await super().handle_index(request)

    def _same_origin(self, request: web.Request) -> bool:
        return request.headers.get("Origin", "") == f"{self.scheme}://{request.host}"

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        address = request.remote or "?"
        if not self._same_origin(request):
            # Cookies ride along on cross-site websockets: only this server's own page may open one.
            return self._refuse(request, 403, "websocket from another origin")
        if len(self.sessions) >= self.options.max_sessions:
            return self._refuse(request, 503, "too many sessions open")
        session_id = uuid.uuid4().hex[:12]
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        await websocket.prepare(request)
        service = SessionService(self.command, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                                 close=websocket.close, download_manager=self.download_manager,
                                 session_id=session_id, options=self.options)
        info = {"address": address, "since": time.time(), "last": time.monotonic(), "websocket": websocket,
                "service": service}
        self.sessions[session_id] = info
        self.audit.write("session-start", session=session_id, address=address,
                         agent=request.headers.get("User-Agent", ""),
                         mode=self.mode())
        reason = "closed by the browser"
        idle = asyncio.get_running_loop().create_task(self._idle_watch(info))
        try:
            await service.start(width, height)
            info["pid"] = service._process.pid if service._process else None
            # When the app ends (quit, crash), so does the page's session.
            ended = asyncio.ensure_future(service._task)  # type: ignore[arg-type]
            ended.add_done_callback(lambda _: asyncio.ensure_future(websocket.close()))
            await self._relay(websocket, service, info)
        except asyncio.CancelledError:
            reason = "server stopping"
        except Exception as error:  # one session failing must not take the server down
            log.exception(error)
            reason = f"error: {error}"
        finally:
            if info.get("idle"):
                reason = "idle timeout"
            idle.cancel()
            try:
                await service.stop()
            finally:
                self.sessions.pop(session_id, None)
                if not websocket.closed:
                    await websocket.close()
                self.audit.write("session-end", session=session_id, address=address, reason=reason)
        return websocket

    def mode(self) -> str:
        if not self.options.allow_actions:
            return "read-only"
        return "actions+shells" if self.options.allow_shells else "actions"

    async def _relay(self, websocket: web.WebSocketResponse, service: AppService, info: dict[str, Any]) -> None:
        # textual-serve's message loop, plus the activity clock for the idle timeout.
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
                kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            except (ValueError, IndexError, TypeError, KeyError):
                continue
            if kind == "stdin" and isinstance(data, str):
                info["last"] = time.monotonic()
                await service.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                info["last"] = time.monotonic()
                await service.set_terminal_size(to_int(str(data.get("width")), 80),
                                                to_int(str(data.get("height")), 24))
            elif kind == "ping":
                await websocket.send_json(["pong", data])  # the page's keep-alive: not activity
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()

    async def _idle_watch(self, info: dict[str, Any]) -> None:
        timeout = self.options.idle_timeout
        while True:
            left = info["last"] + timeout - time.monotonic()
            if left <= 0:
                info["idle"] = True
                await info["websocket"].close(message=b"idle timeout")
                return
            await asyncio.sleep(left)

    # ---------------------------------------------------------------- running ---
    async def start(self) -> list[str]:
        """Start listening; returns the URLs it listens on (with the real port when 0 was asked)."""
        app = await self._make_app()
        self.runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, self.options.host, self.options.port, ssl_context=self.options.tls)
        await site.start()
        urls = []
        for sock in site._server.sockets if site._server else []:  # type: ignore[union-attr]
            host, port = sock.getsockname()[:2]
            self.port = port
            shown = f"[{host}]" if ":" in host else host
            urls.append(f"{self.scheme}://{shown}:{port}/")
        return urls

    async def stop(self) -> None:
        for info in list(self.sessions.values()):
            await info["websocket"].close(message=b"server stopping")
        if self.runner is not None:
            await self.runner.cleanup()
