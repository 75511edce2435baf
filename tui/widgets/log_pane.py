"""`LogPane`: one container's log (or several, merged) followed live in a `LogView`.

The pane owns its `LogFollower`s (as workers, so they stop when the pane goes),
a one-line header saying what is shown and in what state (following, paused with
N new lines, skipping because the container writes faster than anyone can read,
stopped, removed), and an input line for search and filter. Keys (while the pane
has focus) are in `BINDINGS`; the dashboard tells it when containers change.

A merged view loads each container's history, orders it by timestamp, then
follows them all; each line carries its container's name in its own colour.
"""

from __future__ import annotations

import asyncio
import heapq
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input

from tui.engine import ContainerSummary, Engine, EngineError, LogStream
from tui.logs.follower import FollowerNote, LogFollower, NoteKind
from tui.untrusted import visible
from tui.widgets.log_view import LogView

TAIL_PRESETS: tuple[int | None, ...] = (100, 1000, 10_000, None)
SINCE_PRESETS: tuple[int | None, ...] = (None, 60, 900, 3600, 86400)  # seconds back; None: per tail
STREAM_CYCLE: tuple[frozenset[LogStream] | None, ...] = (None, frozenset({LogStream.STDOUT}),
                                                         frozenset({LogStream.STDERR}))
MAX_NAME_COLUMN = 20


@dataclass
class LogPaneSettings:
    max_lines: int = 50_000
    tail: int | None = 1000
    engine_name: str = ""
    engine_url: str = ""


def since_label(seconds: int | None) -> str:
    if seconds is None:
        return ""
    if seconds < 3600:
        return f"{seconds // 60} m"
    return f"{seconds // 3600} h"


def tail_label(tail: int | None) -> str:
    return "all lines" if tail is None else f"last {tail:,} lines".replace(",", " ")


def parse_query(text: str, case: bool) -> tuple[str, bool, bool, bool]:
    """Input text → (query, regex, case, invert): `!` first hides matches, `/…/` is a regex,
    and a query with capitals is case-sensitive (smart case) unless `case` already is."""
    invert = text.startswith("!")
    if invert:
        text = text[1:]
    regex = len(text) >= 2 and text.startswith("/") and text.endswith("/")
    if regex:
        text = text[1:-1]
    return text, regex, case or any(c.isupper() for c in text), invert


class PaneHeader(Widget):
    """The pane's one-line status; repaints without a layout pass (it changes at 30 Hz in a flood)."""

    DEFAULT_CSS = """
    PaneHeader { height: 1; background: $panel; color: $text; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._text = Text()

    def set_text(self, text: Text) -> None:
        if text != self._text:
            self._text = text
            self.refresh()

    def render(self) -> Text:
        return self._text


class LogPane(Vertical):
    """A log pane (see the module docstring)."""

    DEFAULT_CSS = """
    LogPane { height: 1fr; }
    LogPane > LogView { height: 1fr; }
    LogPane > #query { display: none; height: 1; border: none; padding: 0 1; }
    LogPane > #query.visible { display: block; }
    LogPane:focus-within > PaneHeader { background: $accent 40%; }
    """

    BINDINGS = [
        Binding("escape", "leave", "Back to list"),
        Binding("slash", "search", "Search"),
        Binding("n", "next_match", "Next match", show=False),
        Binding("N", "prev_match", "Previous match", show=False),
        Binding("backslash", "filter", "Filter"),
        Binding("I", "toggle_case", "Case", show=False),
        Binding("S", "cycle_streams", "stdout/stderr"),
        Binding("t", "toggle_timestamps", "Timestamps"),
        Binding("w", "toggle_wrap", "Wrap"),
        Binding("f,end", "follow", "Follow"),
        Binding("T", "cycle_tail", "Tail", show=False),
        Binding("M", "cycle_since", "Since", show=False),
        Binding("p", "toggle_pin", "Pin"),
        Binding("ctrl+s", "save", "Save"),
    ]

    class Leave(Message):
        """The user is done with the pane: the list takes the keys back."""

    def __init__(self, engine: Engine | None, settings: LogPaneSettings | None = None, *, pinned: bool = False,
                 merged: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.engine = engine
        self.settings = settings or LogPaneSettings()
        self.pinned = pinned
        self.merged = merged
        self.targets: list[ContainerSummary] = []
        self.followers: dict[str, LogFollower] = {}
        self.tail = self.settings.tail
        self.since: int | None = None
        self.case = False
        self.removed: set[str] = set()
        self.stopped: set[str] = set()
        self.engine_down = False
        self.error: str | None = None
        self._query_mode = "search"
        self._follow_state = (True, 0)
        self._skipped = 0
        self._search_state = ("", 0, 0)
        self._generation = 0

    def compose(self):
        yield PaneHeader()
        yield LogView(max_lines=self.settings.max_lines)
        yield Input(id="query")

    @property
    def view(self) -> LogView:
        return self.query_one(LogView)

    def on_mount(self) -> None:
        self._update_header()

    def focus_view(self) -> None:
        self.view.focus()

    # -- what the pane shows ----------------------------------------------------------------

    def attach_engine(self, engine: Engine, label: tuple[str, str]) -> None:
        self.engine = engine
        self.settings.engine_name, self.settings.engine_url = label
        if self.targets:
            self.show(self.targets, force=True)

    def show(self, targets: list[ContainerSummary], *, merged: bool | None = None, force: bool = False) -> None:
        """Follow `targets` from now on (a no-op if they are what is shown)."""
        merged = self.merged if merged is None else merged
        if not force and merged == self.merged and [t.id for t in targets] == [t.id for t in self.targets]:
            return
        self.merged = merged
        self.targets = list(targets)
        self._restart()

    def _restart(self) -> None:
        """(Re)load with the current tail/since and follow."""
        self.workers.cancel_group(self, "follow")
        self._generation += 1
        self.followers = {}
        self.removed.clear()
        self.stopped = {t.id for t in self.targets if not t.is_running}
        self.error = None
        self._skipped = 0
        view = self.view
        view.clear()
        view.following = True
        names = [visible(t.name) for t in self.targets] if self.merged else []
        view.show_containers(names, min(MAX_NAME_COLUMN, max(map(len, names))) if names else 0)
        self._update_header()
        if self.engine is None or not self.targets:
            return
        since = None if self.since is None else datetime.now(timezone.utc) - timedelta(seconds=self.since)
        tail = None if self.since is not None else self.tail
        for summary in self.targets:
            name = visible(summary.name)
            self.followers[summary.id] = LogFollower(
                self.engine, summary.id, tail=tail, since=since, tty=summary.tty, started=summary.started,
                deliver=self._deliverer(name), note=self._noter(summary.id, name, self._generation))
        self.run_worker(self._follow_all(self._generation), group="follow", exit_on_error=False)

    def _deliverer(self, name: str):
        view = self.view
        container = name if self.merged else None

        def deliver(batch) -> None:
            view.add_batch(batch, container)

        return deliver

    def _noter(self, container_id: str, name: str, generation: int):
        def note(item: FollowerNote) -> None:
            if generation != self._generation:
                return
            if item.kind is NoteKind.REMOVED:
                self.removed.add(container_id)
            elif item.kind is NoteKind.STOPPED:
                self.stopped.add(container_id)
            elif item.kind in (NoteKind.RESTARTED, NoteKind.RESUMED):
                self.stopped.discard(container_id)
            self.error = item.text if item.kind is NoteKind.ERROR else None
            text = f"{name}: {item.text}" if self.merged else item.text
            self.view.add_marker(text, item.time, name if self.merged else None)
            self._update_header()

        return note

    async def _follow_all(self, generation: int) -> None:
        followers = list(self.followers.values())
        if self.merged:
            # History first, in timestamp order across containers; then live lines as they come.
            names = {t.id: visible(t.name) for t in self.targets}

            async def history(follower: LogFollower):
                try:
                    return [(c.timestamp or _EPOCH, i, c, names[follower.container_id])
                            for i, c in enumerate(await follower.load_history())]
                except EngineError as exc:
                    self.view.add_marker(f"{names[follower.container_id]}: {exc}")
                    return []

            loaded = await asyncio.gather(*(history(f) for f in followers))
            if generation != self._generation:
                return
            for _, _, chunk, name in heapq.merge(*loaded, key=lambda item: (item[0], item[1])):
                self.view.add_chunks([chunk], name)
        await asyncio.gather(*(f.run() for f in followers))

    # -- what the dashboard tells us ----------------------------------------------------------

    def container_changed(self, summary: ContainerSummary) -> None:
        follower = self.followers.get(summary.id)
        if follower is not None:
            follower.wake()
            for i, target in enumerate(self.targets):
                if target.id == summary.id:
                    self.targets[i] = summary
            self._update_header()

    def container_gone(self, container_id: str) -> None:
        follower = self.followers.get(container_id)
        if follower is not None:
            follower.wake()

    def engine_status(self, connected: bool) -> None:
        self.engine_down = not connected
        if connected:
            for follower in self.followers.values():
                follower.wake()
        self._update_header()

    # -- the header ---------------------------------------------------------------------------

    def _update_header(self) -> None:
        header = self.query_one(PaneHeader)
        text = Text(no_wrap=True, overflow="ellipsis")
        if not self.targets:
            header.set_text(Text(" no container selected", style="dim"))
            return
        if self.merged:
            text.append(f" merged: {len(self.targets)} containers", "bold")
        else:
            text.append(f" {visible(self.targets[0].name)}", "bold")
        if self.pinned:
            text.append(" [pinned]" if not self.merged else "")
        streams = self.view.line_filter.streams
        tty = not self.merged and self.targets[0].tty
        if tty:
            text.append(" · TTY: one stream", "dim")
        elif streams is None:
            text.append(" · stdout+stderr", "dim")
        else:
            text.append(f" · {next(iter(streams)).value} only", "bold")
        text.append(f" · {'since ' + since_label(self.since) if self.since else tail_label(self.tail)}", "dim")
        if self.view.line_filter.query:
            f = self.view.line_filter
            text.append(f" · {'hiding' if f.invert else 'only'} {f.query!r}", "bold")
        query, matches, current = self._search_state
        if query:
            text.append(f" · search {current}/{matches}", "bold")
        following, pending = self._follow_state
        if following:
            text.append(" · following", "green")
        else:
            text.append(f" · paused, {pending} new lines (f: follow)" if pending else " · paused (f: follow)",
                        "bold yellow")
        if self._skipped:
            text.append(f" · skipped {self._skipped:,} lines (faster than shown)", "bold red")
        gone = [t for t in self.targets if t.id in self.removed]
        stopped = [t for t in self.targets if t.id in self.stopped and t.id not in self.removed]
        if gone:
            text.append(" · removed" if not self.merged else f" · {len(gone)} removed", "bold red")
        elif stopped:
            text.append(" · stopped" if not self.merged else f" · {len(stopped)} stopped", "yellow")
        if self.engine_down:
            text.append(" · engine unreachable", "bold red")
        elif self.error:
            text.append(f" · {self.error}", "red")
        header.set_text(text)

    @on(LogView.FollowChanged)
    def _follow_changed(self, event: LogView.FollowChanged) -> None:
        self._follow_state = (event.following, event.pending)
        self._update_header()

    @on(LogView.Stats)
    def _stats(self, event: LogView.Stats) -> None:
        if event.skipped != self._skipped:
            self._skipped = event.skipped
            self._update_header()

    @on(LogView.SearchChanged)
    def _search_changed(self, event: LogView.SearchChanged) -> None:
        self._search_state = (event.query, event.matches, event.current)
        self._update_header()

    # -- keys ----------------------------------------------------------------------------------

    def action_leave(self) -> None:
        box = self.query_one("#query", Input)
        if box.has_class("visible"):
            box.remove_class("visible")
            self.view.focus()
        elif self._search_state[0]:
            self.view.clear_search()
        else:
            self.post_message(self.Leave())

    def _open_query(self, mode: str) -> None:
        self._query_mode = mode
        box = self.query_one("#query", Input)
        if mode == "search":
            box.placeholder = "search: text, /regex/; Enter finds, n/N next/previous"
            box.value = self._search_state[0]
        else:
            box.placeholder = "filter: text shows only matching lines, !text hides them, /regex/"
            f = self.view.line_filter
            box.value = ("!" if f.invert else "") + (f"/{f.query}/" if f.regex else f.query)
        box.add_class("visible")
        box.focus()

    def action_search(self) -> None:
        self._open_query("search")

    def action_filter(self) -> None:
        self._open_query("filter")

    @on(Input.Submitted, "#query")
    def _query_done(self, event: Input.Submitted) -> None:
        event.stop()
        query, regex, case, invert = parse_query(event.value, self.case)
        view = self.view
        try:
            if self._query_mode == "search":
                if view.search(query, regex=regex, case=case):
                    view.next_match()
                elif query:
                    self.notify(Text(f"No line matches {query!r}"), timeout=3)
            else:
                view.set_filter(query, regex=regex, case=case, invert=invert, streams=view.line_filter.streams)
        except re.error as exc:
            self.notify(Text(f"Bad regular expression: {exc}"), severity="error", timeout=5)
            return
        event.input.remove_class("visible")
        view.focus()
        self._update_header()

    def action_next_match(self) -> None:
        self.view.next_match()

    def action_prev_match(self) -> None:
        self.view.prev_match()

    def action_toggle_case(self) -> None:
        self.case = not self.case
        self.notify("Case-sensitive search and filter" if self.case else "Search and filter ignore case (smart case)",
                    timeout=2)

    def action_cycle_streams(self) -> None:
        if not self.merged and self.targets and self.targets[0].tty:
            self.notify("A TTY container has one stream: the terminal merges stdout and stderr", timeout=4)
            return
        current = self.view.line_filter.streams
        index = STREAM_CYCLE.index(current) if current in STREAM_CYCLE else 0
        self.view.set_streams(STREAM_CYCLE[(index + 1) % len(STREAM_CYCLE)])
        self._update_header()

    def action_toggle_timestamps(self) -> None:
        self.view.action_toggle_timestamps()

    def action_toggle_wrap(self) -> None:
        self.view.action_toggle_wrap()

    def action_follow(self) -> None:
        self.view.follow()

    def action_cycle_tail(self) -> None:
        index = TAIL_PRESETS.index(self.tail) if self.tail in TAIL_PRESETS else 0
        self.tail = TAIL_PRESETS[(index + 1) % len(TAIL_PRESETS)]
        self.since = None
        self.notify(f"Loading the {tail_label(self.tail)}", timeout=2)
        self._restart()

    def action_cycle_since(self) -> None:
        index = SINCE_PRESETS.index(self.since) if self.since in SINCE_PRESETS else 0
        self.since = SINCE_PRESETS[(index + 1) % len(SINCE_PRESETS)]
        self.notify(f"Loading lines since {since_label(self.since)} ago" if self.since
                    else f"Loading the {tail_label(self.tail)}", timeout=2)
        self._restart()

    def action_toggle_pin(self) -> None:
        self.pinned = not self.pinned
        self._update_header()

    def action_save(self) -> None:
        from tui.screens.save_log import SaveLogScreen

        if not self.targets:
            return
        self.app.push_screen(SaveLogScreen(self))


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
