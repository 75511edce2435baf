"""Running bosun in a terminal: options, settings, the first frame, then the app.

Kept light on imports so the first screen comes up fast: Textual and the
engine layer load only once we know we will run the app. `tui.cli` (the
command) hands every command line but `bosun serve ...` to `main` here; a
served browser session (`tui.serve.child`) comes here too, with its own app.
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
        prog="bosun", description="A terminal dashboard for Docker and Podman containers.",
        epilog="bosun serve --help: serve the dashboard to web browsers (token, read-only by default).",
    )
    parser.add_argument("-H", "--host", action="append", default=[],
                        help="engine endpoint, e.g. unix:///var/run/docker.sock or tcp://host:2376 "
                             "(repeat for several engines in one view)")
    parser.add_argument("-c", "--context", action="append", default=[],
                        help="Docker context (see `docker context ls`), Podman connection or [[engines]] name "
                             "to use (repeatable)")
    parser.add_argument("--all-contexts", action="store_true",
                        help="show every engine found: Docker contexts, Podman connections, [[engines]]")
    parser.add_argument("--engines", metavar="NAME,...", help="show these engines (names from --list-engines)")
    parser.add_argument("--list-engines", action="store_true",
                        help="print the engines bosun finds (name, host, where from) and exit")
    parser.add_argument("--engine", choices=("auto", "api", "podman-cli", "docker-cli"),
                        help="talk to the engine through its API socket, or through its command-line client "
                             "(podman-cli, docker-cli; no socket needed); default auto: the API, else podman")
    parser.add_argument("--demo", action="store_true", help="run on a built-in demo engine (no Docker needed)")
    parser.add_argument("--read-only", action="store_true", default=None, help="disable every action that changes anything")
    parser.add_argument("--label", action="append", type=_label, default=[], metavar="KEY=VALUE",
                        help="only show containers carrying this label (repeatable)")
    parser.add_argument("--exec-via-cli", action="store_true", default=None,
                        help="open shells with `docker exec -it` / `podman exec -it` in a local terminal")
    parser.add_argument("--log-layout", choices=("auto", "beside", "below"),
                        help="where the log and shell panes go (default: auto, beside on wide screens)")
    parser.add_argument("--no-mouse", dest="mouse", action="store_false", default=None,
                        help="leave the mouse to the terminal (its own selection and copy work); keys only")
    parser.add_argument("--theme", help="theme name (bosun-dark, bosun-light, or any Textual theme)")
    parser.add_argument("--config", help="config file (default: $XDG_CONFIG_HOME/bosun/config.toml)")
    parser.add_argument("--version", action="version", version=f"bosun {__version__}")
    return parser


def main(argv: list[str] | None = None, app_class: type | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    from pathlib import Path

    from tui.settings import SettingsError, load_settings

    from tui.engine.errors import ConfigError
    from tui.run_engines import Plan, list_engines_text, plan_engines, wants_several
    from tui.settings import config_path

    try:
        loaded = load_settings(Path(args.config) if args.config else None, must_exist=bool(args.config))
        settings = _apply_flags(loaded.settings, args)
        plan = (Plan(settings) if args.demo and not args.list_engines else
                plan_engines(args, settings, config_file=str(Path(args.config) if args.config else config_path())))
    except (SettingsError, ConfigError) as exc:
        print(f"bosun: {exc}", file=sys.stderr)
        return 2
    if args.list_engines:
        import shutil

        width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
        sys.stdout.write(list_engines_text(plan, width))
        return 0
    for note in loaded.notes:
        print(f"bosun: {note}", file=sys.stderr)
    notes = list(loaded.notes)
    if wants_several(args) or plan.specs:  # skipped contexts and renames matter when several were asked for
        notes += plan.notes
    settings = plan.settings

    # The first frame is the single engine's: with several, the fleet shows each as it answers.
    frame, first_list = (None, None) if plan.specs else _first_frame(args, settings)
    try:
        return _run_app(args, settings, notes, first_list, app_class, plan)
    except BaseException:
        if frame is not None:
            frame.abandon()  # a failure before Textual took the terminal: leave the frame's screen
            frame = None
        raise
    finally:
        if frame is not None:
            frame.restore()


def _first_frame(args, settings):
    """Draw the list before Textual loads (see tui.first_frame): (frame or None, (endpoint, summaries) or None)."""
    import os

    if args.demo or os.environ.get("TERM", "dumb") == "dumb" or not (sys.stdin.isatty() and sys.stdout.isatty()):
        return None, None
    from tui.first_frame import FirstFrame, compose_frame, compose_waiting_frame, theme_colours

    fd = sys.stdout.fileno()
    colours = theme_colours(settings.theme)
    shown: FirstFrame | None = None

    def say_waiting(url: str) -> None:
        # A hung engine: say what bosun waits for now, not once Textual has loaded.
        nonlocal shown
        size = os.get_terminal_size(fd)
        shown = FirstFrame.show(fd, compose_waiting_frame(url, (size.columns, size.lines), colours=colours))

    if settings.engine.kind.endswith("-cli"):  # no socket: the client's own `ps`
        from tui.engine.cli.quick import quick_cli_list

        found = quick_cli_list(settings.engine.kind, settings.engine.cli, settings.list.labels, timeout=1.0)
        if found is None:
            return None, None
        first, summaries = found
        name = first.name
    else:
        listed = _api_first_list(settings, say_waiting)
        if listed is None:
            return shown, None  # Textual's connecting screen paints over the waiting frame
        first, name, summaries = listed
    size = os.get_terminal_size(fd)
    text = compose_frame(summaries, (name, first.url), (size.columns, size.lines),
                         show_stopped=settings.list.show_stopped, stats=settings.stats.enabled,
                         read_only=settings.read_only, colours=colours)
    if shown is not None:
        shown.redraw(text)
        return shown, (first, summaries)
    return FirstFrame.show(fd, text), (first, summaries)


def _api_first_list(settings, say_waiting):
    """(endpoint, engine name, summaries) from the first local socket that answers, else None.

    `say_waiting(url)` is called when that socket accepted the connection and is slow to answer.
    """
    from tui.engine.endpoints import probe_socket, resolve_endpoints
    from tui.engine.errors import EngineError
    from tui.engine.quick import quick_list_now

    try:
        endpoints = resolve_endpoints(settings.engine.host or None, settings.engine.context or None,
                                      host_source="--host")
        first = next((e for e in endpoints if e.socket_path and probe_socket(e, timeout=0.3) is None), None)
        if first is None:
            return None
        kind, summaries = quick_list_now(first, settings.list.labels, timeout=0.5,
                                         on_slow=lambda: say_waiting(first.url))
    except EngineError:
        return None  # the app says what is wrong, with time to say it well
    return first, summaries[0].engine if summaries else (first.name or kind), summaries


def _run_app(args, settings, notes: list[str], first_list, app_class: type | None, plan=None) -> int:
    import os
    from pathlib import Path

    from tui.app import BosunApp, RunOptions
    from tui.settings import config_path
    from tui.settings.load import env_var, legacy_env_var

    if plan is not None and plan.host_source:
        host_source = plan.host_source
    elif args.host:
        host_source = "--host"
    elif variable := next((v for v in (env_var("engine.host"), legacy_env_var("host")) if os.environ.get(v)), None):
        host_source = variable
    else:
        host_source = f"host in {Path(args.config) if args.config else config_path()}"
    app = (app_class or BosunApp)(settings, RunOptions(
        host_source=host_source, demo=args.demo, notes=notes, first_list=first_list,
        engine_specs=plan.specs if plan is not None else (), known_specs=plan.known if plan is not None else ()))
    # With the mouse off Textual sends no mouse-tracking sequence: the terminal keeps its selection.
    app.run(mouse=settings.mouse)
    return app.return_code or 0


def _apply_flags(settings, args: argparse.Namespace):
    """The settings with the command-line flags applied (they win over the file and the environment)."""
    return settings.replace(
        theme=args.theme or settings.theme,
        read_only=settings.read_only if args.read_only is None else True,
        mouse=settings.mouse if args.mouse is None else args.mouse,
        # One --host / --context is the single-engine path; several are tui.run_engines' to plan.
        engine={"host": args.host[0] if len(args.host) == 1 else settings.engine.host,
                "context": args.context[0] if len(args.context) == 1 and not args.host else settings.engine.context,
                "kind": args.engine or settings.engine.kind},
        list={"labels": {**settings.list.labels, **dict(args.label)}},
        panes={"layout": args.log_layout or settings.panes.layout},
        shells={"via_cli": settings.shells.via_cli if args.exec_via_cli is None else True},
    )
