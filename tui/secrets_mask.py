"""Decide which values in an inspect document look secret, and mask them.

Pure functions, no UI: the inspect screen asks them what to hide until the user
reveals secrets. The rule errs towards hiding: a name that merely contains one of
`SECRET_WORDS` is secret (so `KEYCLOAK_URL` is hidden too); a wrong mask costs a
key press, a missed one leaks a password onto a shared screen.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["MASK", "SECRET_WORDS", "looks_secret", "mask_document", "mask_string", "mask_value"]

MASK = "••••••"

SECRET_WORDS = ("PASSWORD", "PASSWD", "PASS", "TOKEN", "SECRET", "KEY", "CREDENTIAL", "AUTH", "PRIVATE")

# "AUTHOR" contains "AUTH" but names a person (org.opencontainers.image.authors).
_NOT_SECRET = re.compile("AUTHOR")

# A whole string of the form NAME=value (an environment entry, a `--name=value` argument).
_ASSIGNMENT = re.compile(r"(-{0,2}[A-Za-z_][A-Za-z0-9_.\-]*)=(.*)", re.DOTALL)
# NAME= inside a longer string (a command line, a query string); the value ends at whitespace, &, ; or a quote.
_INLINE_NAME = re.compile(r"(?<![A-Za-z0-9_.])([A-Za-z_][A-Za-z0-9_.\-]*)=")
_VALUE_END = re.compile(r"[\s&;\"']")
# The password of a URL: scheme://user:password@host.
_URL_PASSWORD = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*://[^:/@\s]*:)([^@/\s]+)(@)")


def looks_secret(name: str) -> bool:
    """True if a key or variable name suggests its value is a secret (`DB_PASSWORD`, `api_key`)."""
    upper = _NOT_SECRET.sub("", name.upper())
    return any(word in upper for word in SECRET_WORDS)


def mask_string(s: str) -> str:
    """`s` with the secrets it carries masked: `NAME=value` where NAME looks secret, URL passwords."""
    whole = _ASSIGNMENT.fullmatch(s)
    if whole and looks_secret(whole.group(1)):
        return f"{whole.group(1)}={MASK}" if whole.group(2) else s
    return _URL_PASSWORD.sub(lambda m: f"{m.group(1)}{MASK}{m.group(3)}", _mask_inline(s))


def _mask_inline(s: str) -> str:
    # Scanned by hand rather than with re.sub: in `OPTS=--password=x` the secret sits
    # inside the value of a harmless name, and a substitution would skip past it.
    parts: list[str] = []
    done = 0
    for match in _INLINE_NAME.finditer(s):
        if match.start() < done or not looks_secret(match.group(1)):
            continue
        end = _VALUE_END.search(s, match.end())
        stop = end.start() if end else len(s)
        if stop > match.end():
            parts += [s[done : match.end()], MASK]
            done = stop
    parts.append(s[done:])
    return "".join(parts)


def mask_value(value: Any, secret: bool) -> Any:
    """A scalar as shown while secrets are hidden.

    `secret` says the value sits under a secret-looking key: then any string or number
    is masked (empty strings stay empty: that there is no password is no secret).
    Booleans and null are never secret. Other strings go through `mask_string`.
    """
    if isinstance(value, bool) or value is None:
        return value
    if secret:
        if isinstance(value, str) and not value:
            return value
        return MASK if isinstance(value, (str, int, float)) else value
    if isinstance(value, str):
        return mask_string(value)
    return value


def mask_document(document: Any, secret: bool = False) -> Any:
    """A copy of a JSON-like document with every secret masked (the original is untouched).

    A value is secret if any key on its path looks secret, so a whole `{"auth": {...}}`
    section is hidden.
    """
    if isinstance(document, dict):
        return {key: mask_document(value, secret or looks_secret(str(key))) for key, value in document.items()}
    if isinstance(document, list):
        return [mask_document(item, secret) for item in document]
    return mask_value(document, secret)
