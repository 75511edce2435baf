"""What the dashboard's parts (log tabs, shell tabs, container actions, the feed, the book) may ask of the screen.

`LogTabs`, `ShellTabs`, `ContainerActions`, `EngineFeed` and `ContainerBook` are composed into
`DashboardScreen`; they see it only through these protocols, so none reaches into the screen's
private state nor calls another (tests/ui/test_dashboard_composed.py reads that from the code).
The screen passes itself (it has every member below).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Protocol

if TYPE_CHECKING:
    from textual.app import App
    from textual.widget import Widget

    from tui.dashboard.model import StatsHistory
    from tui.dashboard.stats_watch import StatsWatch
    from tui.dashboard.pane_area import PaneArea
    from tui.engine import ContainerSummary, Engine
    from tui.settings import Settings


class StatsFeed(Protocol):
    """The part of the engine feed the stats screen uses: the containers its stats round also samples."""

    watch: StatsWatch


class PaneHost(Protocol):
    engine: Engine | None
    engine_label: tuple[str, str]
    settings: Settings  # the dashboard's settings; a part reads its own section (logs, shells, …)
    engine_feed: StatsFeed  # its stats round serves the stats screen too

    @property
    def app(self) -> App: ...

    @property
    def focused(self) -> Widget | None: ...

    @property
    def panes(self) -> PaneArea | None:
        """The pane area, once mounted (after the first frame)."""

    @property
    def cursor_key(self) -> str | None:
        """The list's row under the cursor: a container id or a compose project's header key."""

    @property
    def cursor_summary(self) -> ContainerSummary | None: ...

    def summary(self, container_id: str) -> ContainerSummary | None: ...

    def selection(self) -> list[ContainerSummary]:
        """The selected containers, by name."""

    def project_under_cursor(self) -> list[ContainerSummary]:
        """The containers of the compose project whose header is under the cursor (else none)."""

    def busy_with(self, container_id: str) -> str | None:
        """What the row says while an action runs on the container (None: not busy)."""

    def mark_busy(self, container_id: str, label: str | None) -> None:
        """Set (or, with None, clear) the row's busy mark."""

    def defer(self, run: Callable[[], None]) -> None:
        """Run `run` once the engine is attached (the screen was drawn from a quick first list)."""

    def bindings_changed(self) -> None:
        """What the footer shows may have changed (a pane or tab opened or closed)."""

    def reveal_panes(self) -> None:
        """Show the pane area if the user hid it."""

    def mount_panes(self) -> Any:
        """Mount the pane area now if it is not yet (awaitable)."""

    def focus_list(self) -> None: ...

    def set_timer(self, delay: float, callback: Callable[[], Any]) -> Any: ...

    def run_worker(self, work: Any, **kwargs: Any) -> Any: ...

    def post_message(self, message: Any) -> bool: ...


class ActionHost(PaneHost, Protocol):
    """What the container actions also need: the selection and a compose project's members."""

    selected: set[str]

    def group_members(self) -> list[ContainerSummary]:
        """The containers listed under the compose project header at the cursor."""


class FeedHost(Protocol):
    """What the engine feed needs of the screen: what it lists, and where its answers go."""

    engine: Engine | None
    summaries: dict[str, ContainerSummary]
    stats: dict[str, StatsHistory]  # the history the stats round appends to
    listed: bool

    @property
    def app(self) -> App: ...

    @property
    def workers(self) -> Any:
        """The app's worker manager (one engine's feed of several is cancelled by its group)."""

    @property
    def is_current(self) -> bool: ...

    def visible_keys(self) -> list[str]:
        """The rows the list shows now (stats are read for those only)."""

    def show_banner(self) -> None: ...

    def run_worker(self, work: Any, **kwargs: Any) -> Any: ...

    def post_message(self, message: Any) -> bool: ...


class ContainerWatcher(Protocol):
    """A part that shows containers and must hear when one changes or goes (the log and shell tabs)."""

    def container_changed(self, summary: ContainerSummary) -> None: ...

    def container_gone(self, container_id: str) -> None: ...


class BookHost(Protocol):
    """What the container book keeps true, and who hears what changed. The book is the one place the
    engine's answers fan out to the other parts; they never call each other."""

    summaries: dict[str, ContainerSummary]
    stats: dict[str, StatsHistory]
    selected: set[str]
    busy: dict[str, str]
    listed: bool
    engine_feed: Any  # forgets a container's cached stats
    timeline: Any  # the timeline strip: `listed`, `summary_seen`
    logs: ContainerWatcher
    shells: ContainerWatcher

    def schedule_rows(self) -> None: ...
