"""Disk usage, like `docker system df`: images, containers, volumes and build cache, from the engine's figures."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.dashboard.model import human_bytes
from tui.engine import Engine, EngineError
from tui.engine.prune import DiskUsage
from tui.keys.registry import CLOSE
from tui.untrusted import visible


def usage_table(usage: DiskUsage) -> Text:
    """`docker system df`'s table as text (a Text's height is its lines: it lays out at once)."""
    out = Text()
    # Several engines in view: each engine's rows, named, one engine after the other.
    width = max((len(visible(row.engine)) for row in usage.rows if row.engine), default=0)
    engine = f"{'ENGINE':<{max(width, 6) + 2}}" if width else ""
    out.append(f"{engine}{'TYPE':<15}{'TOTAL':>7}{'ACTIVE':>8}{'SIZE':>9}{'RECLAIMABLE':>19}\n", "bold")
    for row in usage.rows:
        share = f" ({row.reclaimable * 100 // row.size}%)" if row.size else ""
        if width:
            out.append(f"{visible(row.engine):<{max(width, 6) + 2}}", "bold")
        out.append(f"{row.kind:<15}{row.total:>7}{row.active:>8}{human_bytes(row.size):>9}"
                   f"{human_bytes(row.reclaimable) + share:>19}\n")
    out.rstrip()
    return out


class DiskUsageScreen(ModalScreen[None]):
    CSS_PATH = "prune.tcss"
    BINDINGS = [
        Binding("escape,q,U", CLOSE, "Close"),
        Binding("r", "refresh_usage", "Refresh"),
    ]

    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self.engine = engine
        self.usage: DiskUsage | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            members = getattr(self.engine, "members", None)  # several engines in view: name them
            name = ", ".join(members) if members else self.engine.name
            yield Static(Text.assemble(("Disk usage", "bold"), f" · {visible(name)}"), id="question")
            yield Static(Text("Asking the engine…", "dim"), id="usage")
            yield Static(Text("", "dim"), id="notes")
            yield Static(Text("r refresh · X prunes (from the dashboard) · escape close", "dim"))

    def on_mount(self) -> None:
        # After the first frame: an answer drawn before it kept the one-line height of "Asking…".
        self.call_after_refresh(self.action_refresh_usage)

    def action_close(self) -> None:
        self.dismiss(None)

    @work(exclusive=True, exit_on_error=False)
    async def action_refresh_usage(self) -> None:
        box = self.query_one("#usage", Static)
        try:
            self.usage = await self.engine.disk_usage()
        except EngineError as exc:
            box.update(Text(f"The engine said: {visible(str(exc))}", "red"))
            return
        box.update(usage_table(self.usage))
        self.query_one("#notes", Static).update(Text("\n".join(visible(n) for n in self.usage.notes), "dim"))

