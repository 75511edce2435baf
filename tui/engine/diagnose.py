"""Why a connection to an engine failed, in words that name the real cause.

aiodocker folds every connection failure into one "Cannot connect to Docker
Engine via ... ssl:default [...]" message, whose "ssl:default" appears even for
plain TCP and used to earn a TLS hint for a refused port. The cause chain still
holds the real exception (refused, DNS, TLS, timeout); this module reads it.
"""

from __future__ import annotations

import errno
import os
import socket
import ssl
from dataclasses import dataclass

TLS_HINT = "check DOCKER_TLS_VERIFY / DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem) match the engine"
REFUSED_HINT = ("is the engine listening on that address and port? (e.g. `dockerd -H tcp://127.0.0.1:2375`, "
                "or check the port in --host / DOCKER_HOST)")
DNS_HINT = "check the host name in --host / DOCKER_HOST (or use an IP address)"
TIMEOUT_HINT = "is the host reachable? a firewall may drop the connection"


@dataclass(frozen=True)
class Diagnosis:
    reason: str
    hint: str = ""


def _chain(exc: BaseException):
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


# What the engine's TLS alert means about our client certificate.
_CLIENT_CERT_ALERTS = {
    "TLSV13_ALERT_CERTIFICATE_REQUIRED": "the engine requires a client certificate and none was offered",
    "SSLV3_ALERT_BAD_CERTIFICATE": "the engine refused the client certificate",
    "TLSV1_ALERT_UNKNOWN_CA": "the engine does not trust the CA that signed the client certificate",
    "SSLV3_ALERT_CERTIFICATE_UNKNOWN": "the engine refused the client certificate",
    "TLSV1_ALERT_DECRYPT_ERROR": "the client certificate does not match its key",
}


@dataclass(frozen=True)
class TLSFileNames:
    """The TLS files in use, to name in messages (None: not used)."""

    ca: str | None = None
    cert: str | None = None  # None: no client certificate was offered
    wanted_cert: str | None = None  # where one was looked for


def diagnose(exc: BaseException, where: str, tls: TLSFileNames | None = None) -> Diagnosis | None:
    """The cause of a failed connection to `where` (host:port or URL), or None if not a connection failure."""
    tls = tls or TLSFileNames()
    for cause in _chain(exc):
        if isinstance(cause, ssl.SSLCertVerificationError):
            trusted = f" by the CA in {tls.ca}" if tls.ca else ""
            # aiohttp's wrapper comes first in the chain; ssl's own error carries the reason.
            detail = next((c.verify_message for c in _chain(cause) if getattr(c, "verify_message", None)),
                          None) or getattr(cause, "reason", None) or cause
            return Diagnosis(f"TLS: the engine's certificate is not trusted{trusted} ({detail})", TLS_HINT)
        if isinstance(cause, ssl.SSLError):
            said = _CLIENT_CERT_ALERTS.get(cause.reason or "")
            if said and tls.cert is None and tls.wanted_cert:
                return Diagnosis(f"TLS: the engine requires a client certificate; there is none at {tls.wanted_cert}",
                                 TLS_HINT)
            if said:
                return Diagnosis(f"TLS: {said}" + (f" ({tls.cert})" if tls.cert else ""), TLS_HINT)
            return Diagnosis(f"TLS handshake failed ({cause.reason or cause})", TLS_HINT)
        if isinstance(cause, ConnectionRefusedError):
            return Diagnosis(f"connection refused: nothing listens at {where}", REFUSED_HINT)
        if isinstance(cause, socket.gaierror):
            return Diagnosis(f"cannot resolve the host name ({cause.strerror or cause})", DNS_HINT)
        if isinstance(cause, ConnectionResetError):
            return Diagnosis(f"the connection to {where} was reset: it may speak TLS (or not be an engine)",
                             TLS_HINT)
        if isinstance(cause, (TimeoutError, socket.timeout)):
            return Diagnosis(f"no answer from {where} in time", TIMEOUT_HINT)
        if isinstance(cause, OSError) and cause.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            # asyncio's strerror is "Connect call failed (address)": the errno says why.
            return Diagnosis(f"{where}: {os.strerror(cause.errno).lower()}", TIMEOUT_HINT)
    return None
