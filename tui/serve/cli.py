"""`bosun serve`: its options, the checks before listening, and the URL it prints."""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import os
import signal
import ssl
import sys
from pathlib import Path

TOKEN_ENV = "BOSUN_SERVE_TOKEN"
DEFAULT_BIND = "127.0.0.1:8780"


class ServeError(Exception):
    """A reason not to start serving, said to the user as is."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bosun serve",
        description="Serve the bosun dashboard to web browsers. Every request needs the access token "
                    "printed at start; sessions are read-only unless --allow-actions. Any other option "
                    "(--host, --context, --demo, --label, --theme, --config, ...) is passed to the bosun "
                    "each browser session runs.",
    )
    parser.add_argument("--bind", default=DEFAULT_BIND, metavar="HOST:PORT",
                        help=f"address to listen on (default {DEFAULT_BIND}; port 0 picks a free one)")
    parser.add_argument("--token-file", metavar="PATH",
                        help=f"read the access token from this file (else ${TOKEN_ENV}, else a random one)")
    parser.add_argument("--allow-actions", action="store_true",
                        help="let browser sessions start, stop, restart, kill, pause and remove containers")
    parser.add_argument("--allow-shells", action="store_true",
                        help="let browser sessions open shells in containers (needs --allow-actions)")
    parser.add_argument("--tls-cert", metavar="PEM", help="serve HTTPS with this certificate (chain)")
    parser.add_argument("--tls-key", metavar="PEM", help="the certificate's private key")
    parser.add_argument("--insecure", action="store_true",
                        help="allow plain HTTP on a non-loopback address (the token crosses the network in clear)")
    parser.add_argument("--idle-timeout", type=float, default=900.0, metavar="SECONDS",
                        help="end a session after this long without a key, click or resize (default 900)")
    parser.add_argument("--max-sessions", type=int, default=5, metavar="N",
                        help="browser sessions open at once (default 5)")
    parser.add_argument("--max-failures", type=int, default=10, metavar="N",
                        help="wrong tokens from one address before it is locked out for 10 minutes (default 10)")
    parser.add_argument("--audit-log", metavar="PATH",
                        help="append who connected, from where, when and what they ran (default: "
                             "$XDG_STATE_HOME/bosun/serve-audit.log)")
    return parser


def parse_bind(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit():
        raise ServeError(f"--bind wants HOST:PORT, got {text!r}")
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    return host or "127.0.0.1", int(port)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name: it may resolve anywhere


def read_token(path: str | None) -> tuple[str, str]:
    """The token and where it came from."""
    from tui.serve.auth import new_token

    if path:
        try:
            token = Path(path).read_text().strip()
        except OSError as exc:
            raise ServeError(f"cannot read --token-file: {exc}") from exc
        source = f"from {path}"
    elif os.environ.get(TOKEN_ENV):
        token, source = os.environ[TOKEN_ENV].strip(), f"from ${TOKEN_ENV}"
    else:
        return new_token(), "generated"
    if len(token) < 16:
        raise ServeError(f"the access token ({source}) is too short: use at least 16 characters")
    return token, source


def tls_context(cert: str | None, key: str | None) -> ssl.SSLContext | None:
    if not cert and not key:
        return None
    if not (cert and key):
        raise ServeError("TLS needs both --tls-cert and --tls-key")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(cert, key)
    except (OSError, ssl.SSLError) as exc:
        raise ServeError(f"cannot load the TLS certificate or key: {exc}") from exc
    return context


def default_audit_path() -> Path:
    base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    return base / "bosun" / "serve-audit.log"


def build_options(argv: list[str]):
    from tui.run import build_parser as bosun_parser
    from tui.serve.server import ServeOptions

    args, rest = build_parser().parse_known_args(argv)
    bosun_args = bosun_parser().parse_args(rest)  # refuse a bosun option that does not exist, here
    if bosun_args.exec_via_cli:
        raise ServeError("--exec-via-cli needs a local terminal; a browser session has none")
    if args.allow_shells and not args.allow_actions:
        raise ServeError("--allow-shells needs --allow-actions (a shell can change anything in a container)")
    if args.max_sessions < 1:
        raise ServeError("--max-sessions must be at least 1")
    host, port = parse_bind(args.bind)
    tls = tls_context(args.tls_cert, args.tls_key)
    warnings = []
    if not is_loopback(host) and tls is None:
        if not args.insecure:
            raise ServeError(f"refusing to serve plain HTTP on {host}, which is not a loopback address: "
                             "the token and everything on screen would cross the network unencrypted. "
                             "Give --tls-cert and --tls-key, or --insecure to do it anyway.")
        warnings.append(f"WARNING: serving plain HTTP on {host} (--insecure): anyone on the path can read "
                        "the token and take over the session.")
    token, source = read_token(args.token_file)
    audit = Path(args.audit_log) if args.audit_log else default_audit_path()
    audit.parent.mkdir(parents=True, exist_ok=True)
    options = ServeOptions(host=host, port=port, token=token, allow_actions=args.allow_actions,
                           allow_shells=args.allow_shells, tls=tls, idle_timeout=args.idle_timeout,
                           max_sessions=args.max_sessions, max_failures=args.max_failures,
                           audit_path=audit, bosun_args=rest)
    return options, source, warnings


async def _serve(options, source: str, warnings: list[str]) -> None:
    from tui.serve.server import BosunServer

    server = BosunServer(options)
    urls = await server.start()
    for warning in warnings:
        print(warning, file=sys.stderr, flush=True)
    shown = options.token if source == "generated" else "<token " + source + ">"
    print(f"bosun serve: {server.mode()} sessions, at most {options.max_sessions}, audit log {options.audit_path}",
          flush=True)
    for url in urls:
        print(f"bosun serve: open {url}?token={shown}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await server.stop()


def main(argv: list[str]) -> int:
    try:
        options, source, warnings = build_options(argv)
    except ServeError as exc:
        print(f"bosun serve: {exc}", file=sys.stderr)
        return 2
    try:
        asyncio.run(_serve(options, source, warnings))
    except OSError as exc:
        print(f"bosun serve: cannot listen on {options.host}:{options.port}: {exc}", file=sys.stderr)
        return 1
    return 0
