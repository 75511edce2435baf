"""Shown instead of the dashboard when no engine answers: what was tried, why, how to go on."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from tui.widgets.footer import LeanFooter
from tui.engine import EngineError, EngineUnreachable
from tui.engine.cli.fallback import offers_cli
from tui.engine.errors import ClientMissing
from tui.keys.registry import QUIT
from tui.untrusted import visible


def explain(error: EngineError, known: tuple = (), client: str | None = None) -> Text:
    """What went wrong, and how to go on; `known`: the engines discovery found (EngineSpec), named as ways out;
    `client`: a command-line client bosun can use instead (no socket needed)."""
    text = Text()
    if isinstance(error, EngineUnreachable):
        text.append("bosun found no container engine it could talk to.\n\n", "bold")
        text.append("Tried, in order:\n")
        for attempt in error.attempts:
            text.append(f"  • {attempt.endpoint}", "bold")
            text.append(f"  ({attempt.source})\n", "dim")
            text.append(f"      {attempt.reason}\n", "red")
            if attempt.hint:
                text.append(f"      fix: {attempt.hint}\n", "dim")
    else:
        text.append("bosun cannot use the configured engine.\n\n", "bold")
        text.append(str(error) + "\n", "red")
    # The ways on first: the list of other engines can be long, and a short terminal cuts the end.
    text.append("\nTo go on:\n", "bold")
    if client:
        text.append(f"  • press p to use the `{client}` command instead (no API socket needed; "
                    "bosun --engine podman-cli)\n")
    text.append("  • start Docker or Podman, then press r to retry\n")
    text.append("  • name an engine: bosun --host unix:///path/to/docker.sock, or --context NAME\n")
    text.append("  • or look around with the built-in demo engine: bosun --demo\n")
    tried = {a.endpoint for a in getattr(error, "attempts", ())}
    others = [s for s in known if s.host not in tried]
    if others:
        text.append("\nOther engines bosun found (Docker contexts, Podman connections, [[engines]]):\n", "bold")
        for spec in others:
            # Names and addresses come from files anyone may have written: shown, never interpreted.
            text.append(f"  • {visible(spec.name)}", "bold")
            text.append(f"  {visible(spec.host)}")
            text.append(f"  ({visible(spec.source)})\n", "dim")
            text.append(f"      bosun --context {visible(spec.name)}\n")
        if len(others) > 1:
            text.append("  • all of them at once: bosun --all-contexts\n")
    return text


class NoEngineScreen(Screen):
    BINDINGS = [Binding("r", "retry", "Retry"), Binding("p", "use_cli", "Use podman CLI"), Binding("q", QUIT, "Quit")]
    DEFAULT_CSS = """
    NoEngineScreen VerticalScroll { padding: 1 2; }
    NoEngineScreen #no-engine-title { color: $error; margin-bottom: 1; }
    """

    def __init__(self, error: EngineError) -> None:
        super().__init__()
        self.error = error
        # The client's CLI backend is on offer unless it is what just failed.
        failed_cli = getattr(error, "engine", None) and isinstance(error, ClientMissing)
        self.client = None if failed_cli else offers_cli()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "use_cli":
            return self.client is not None
        return True

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text("No engine reachable", "bold"), id="no-engine-title")
            yield Static(explain(self.error, getattr(self.app.run_options, "known_specs", ()), self.client),
                         id="no-engine-detail")
        yield LeanFooter()

    def action_retry(self) -> None:
        self.app.connect_engine()

    def action_use_cli(self) -> None:
        self.app.use_cli_engine("podman-cli")

    def action_quit(self) -> None:
        # Leaving without an engine is a failure for scripts and shells (`bosun && ...`).
        self.app.exit(return_code=1, message=f"bosun: {self.error}")
