"""Who may talk to the server: the access token, session cookies, failed tries.

The token is only ever traded for a session cookie (HttpOnly, SameSite=Strict)
at the door, so it leaves the address bar at once and the page's own requests
(scripts, the websocket) carry the cookie. Every comparison is constant-time.
Cookies live in this process only: a restart (a new token) makes every old
token and cookie stale.
"""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass, field
from typing import Callable

COOKIE = "bosun_session"


@dataclass
class Verdict:
    ok: bool
    status: int = 200  # 401: no or wrong credentials; 429: too many failed tries
    reason: str = ""
    new_cookie: str | None = None  # set when a good token was traded for a session


@dataclass
class Gate:
    token: str
    max_failures: int = 10  # wrong tokens or cookies from one address...
    failure_window: float = 600.0  # ...within this many seconds lock that address out
    cookie_ttl: float = 12 * 3600.0  # a login lasts this long at most
    clock: Callable[[], float] = time.monotonic
    _cookies: dict[str, float] = field(default_factory=dict)  # cookie -> when issued
    _failures: dict[str, list[float]] = field(default_factory=dict)  # address -> times

    def locked_out(self, address: str) -> bool:
        now = self.clock()
        recent = [t for t in self._failures.get(address, []) if now - t < self.failure_window]
        self._failures[address] = recent
        return len(recent) >= self.max_failures

    def _fail(self, address: str, reason: str) -> Verdict:
        self._failures.setdefault(address, []).append(self.clock())
        return Verdict(False, 401, reason)

    def _known_cookie(self, value: str) -> bool:
        now = self.clock()
        for cookie, issued in list(self._cookies.items()):
            if now - issued >= self.cookie_ttl:
                del self._cookies[cookie]
        # Compare against every live cookie so the time taken says nothing about which matched.
        found = False
        for cookie in self._cookies:
            found |= hmac.compare_digest(cookie.encode(), value.encode())
        return found

    def check(self, address: str, *, token: str | None, cookie: str | None) -> Verdict:
        """May a request from `address` carrying this token (query or header) and cookie go on?"""
        if self.locked_out(address):
            return Verdict(False, 429, "too many failed tries from this address; try again later")
        if token is not None:
            if hmac.compare_digest(token.encode(), self.token.encode()):
                fresh = secrets.token_urlsafe(32)
                self._cookies[fresh] = self.clock()
                return Verdict(True, new_cookie=fresh)
            return self._fail(address, "wrong or stale access token")
        if cookie is not None:
            if self._known_cookie(cookie):
                return Verdict(True)
            return self._fail(address, "unknown or expired session; open the URL with the token again")
        return Verdict(False, 401, "access token required")


def new_token() -> str:
    return secrets.token_urlsafe(24)
