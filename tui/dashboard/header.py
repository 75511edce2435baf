"""The dashboard's title line, badges and banner, as text (the screen puts them in its Statics)."""

from __future__ import annotations

from rich.text import Text

from tui.engine import ContainerSummary
from tui.untrusted import one_line


def title_text(engine_label: tuple[str, str], summaries: list[ContainerSummary] | None) -> Text:
    """`bosun  <engine>  <url>`, and once listed (`summaries` not None) how many run."""
    name, url = engine_label
    title = Text.assemble(("bosun", "bold"), "  ", (name, "bold"), (f"  {url}", "dim"))
    if summaries is not None:
        running = sum(s.is_running for s in summaries)
        title.append(f"   {running} running / {len(summaries)}", "dim")
    return title


def badges_text(labels: dict[str, str], *, read_only: bool, show_stopped: bool) -> Text:
    badges = Text()
    if labels:
        scope = ",".join(f"{k}={v}" if v else k for k, v in labels.items())
        badges.append(f" scope: {scope} ", "reverse")
        badges.append(" ")
    if read_only:
        badges.append(" READ-ONLY ", "bold reverse")
    if not show_stopped:
        badges.append(" stopped hidden ", "dim reverse")
    return badges


def banner_text(*, connected: bool, lost_reason: str, not_answering: str) -> str:
    """What is wrong with the engine now (empty: nothing), one line, still untrusted."""
    if not connected:
        return f"Lost the engine's event stream ({one_line(lost_reason)}); reconnecting…"
    if not_answering:
        return f"The engine is not answering: {one_line(not_answering)}; bosun keeps trying"
    return ""
