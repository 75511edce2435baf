"""The `bosun` command line: options, settings, then the app.

Kept light on imports so the first screen comes up fast: Textual and the
engine layer load only once we know we will run the app.
"""

from __future__ import annotations

import argparse
import sys

from tui import __version__


def _label(text: str) -> tuple[str, str]:
    key, _, value = text.partition("=")
    if not key:
        raise argparse.ArgumentTypeError(f"expected key=value, got {text!r}")
    return key, value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bosun", description="A terminal dashboard for Docker and Podman containers."
    )
    parser.add_argument("-H", "--host", help="engine endpoint, e.g. unix:///var/run/docker.sock or tcp://host:2376")
    parser.add_argument("-c", "--context", help="Docker context to use (see `docker context ls`)")
    parser.add_argument("--demo", action="store_true", help="run on a built-in demo engine (no Docker needed)")
    parser.add_argument("--read-only", action="store_true", default=None, help="disable every action that changes anything")
    parser.add_argument("--label", action="append", type=_label, default=[], metavar="KEY=VALUE",
                        help="only show containers carrying this label (repeatable)")
    parser.add_argument("--exec-via-cli", action="store_true", default=None,
                        help="open shells with `docker exec -it` / `podman exec -it` in a local terminal")
    parser.add_argument("--log-layout", choices=("auto", "beside", "below"),
                        help="where the log and shell panes go (default: auto, beside on wide screens)")
    parser.add_argument("--theme", help="theme name (bosun-dark, bosun-light, or any Textual theme)")
    parser.add_argument("--config", help="config file (default: $XDG_CONFIG_HOME/bosun/config.toml)")
    parser.add_argument("--version", action="version", version=f"bosun {__version__}")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from pathlib import Path

    from tui.config import SettingsError, load_config

    try:
        config = load_config(Path(args.config) if args.config else None)
    except SettingsError as exc:
        print(f"bosun: {exc}", file=sys.stderr)
        return 2

    from tui.app import AppSettings, BosunApp
    from tui.screens.dashboard import DashboardOptions

    labels = dict(config.labels)
    labels.update(dict(args.label))
    options = DashboardOptions(
        read_only=config.read_only if args.read_only is None else True,
        stop_grace=config.stop_grace,
        show_stopped=config.show_stopped,
        stats=config.stats,
        stats_interval=config.stats_interval,
        reconcile_interval=config.reconcile_interval,
        labels=labels,
        keys=dict(config.keys),
        log_lines=config.log_lines,
        log_tail=config.log_tail or None,
        log_layout=args.log_layout or config.log_layout,
        log_pane=config.log_pane,
        shell=config.shell,
        exec_via_cli=config.exec_via_cli if args.exec_via_cli is None else True,
    )
    settings = AppSettings(
        host=args.host or config.host or None,
        context=args.context or config.context or None,
        demo=args.demo,
        theme=args.theme or config.theme,
        options=options,
    )
    BosunApp(settings).run()
    return 0
