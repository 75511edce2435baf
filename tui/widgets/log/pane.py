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
from datetime import datetime, timedelta, timezone

from rich.text import Text
from textual import on
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input

from tui.engine import ContainerSummary, Engine, EngineError, LogStream, State
from tui.widgets.key_bindings import scope_bindings
from tui.keys.registry import Scope
from tui.logs.export import SaveRequest
from tui.logs.follower import FollowerNote, LogFollower, NoteKind
from tui.settings import LogSettings
from tui.untrusted import visible
from tui.widgets.log.view import LogView
from tui.notice import notify
from tui.widgets.typeahead import focus_now

TAIL_PRESETS: tuple[int | None, ...] = (100, 1000, 10_000, None)
SINCE_PRESETS: tuple[int | None, ...] = (None, 60, 900, 3600, 86400)  # seconds back; None: per tail
STREAM_CYCLE: tuple[frozenset[LogStream] | None, ...] = (None, frozenset({LogStream.STDOUT}),
                                                         frozenset({LogStream.STDERR}))
MAX_NAME_COLUMN = 20


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

    BINDINGS = scope_bindings(Scope.LOG)

    class Leave(Message):
        """The user is done with the pane: the list takes the keys back."""

    class Unpinned(Message):
        """The user unpinned the pane: it follows the list's cursor again, from now."""

    class SaveRequested(Message):
        """The user asked to save the log: the screen opens the dialog with `request`."""

        def __init__(self, pane: LogPane, request: SaveRequest) -> None:
            super().__init__()
            self.pane = pane
            self.request = request

        @property
        def control(self) -> LogPane:
            return self.pane

    def __init__(self, engine: Engine | None, settings: LogSettings | None = None, *,
                 engine_label: tuple[str, str] = ("", ""), pinned: bool = False,
                 merged: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.engine = engine
        self.settings = settings or LogSettings()
        self.engine_label = engine_label  # (name, url), for the header of a saved log
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
        yield LogView(max_lines=self.settings.lines)
        yield Input(id="query")

    @property
    def view(self) -> LogView:
        return self.query_one(LogView)

    def on_mount(self) -> None:
        self._update_header()

    def focus_view(self) -> None:
        focus_now(self.view)

    # -- what the pane shows ----------------------------------------------------------------

    def attach_engine(self, engine: Engine, label: tuple[str, str]) -> None:
        self.engine = engine
        self.engine_label = label
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
        self.stopped = {t.id for t in self.targets if not t.is_running and t.state is not State.PAUSED}
        self.error = None
        self._skipped = 0
        view = self.view
        view.clear()
        view.following = True
        labels = self._labels()
        names = list(labels.values()) if self.merged else []
        view.show_containers(names, min(MAX_NAME_COLUMN, max(map(len, names))) if names else 0)
        self._update_header()
        if self.engine is None or not self.targets:
            return
        since = None if self.since is None else datetime.now(timezone.utc) - timedelta(seconds=self.since)
        tail = None if self.since is not None else self.tail
        for summary in self.targets:
            name = labels[summary.id]
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

    def _labels(self) -> dict[str, str]:
        """Container id → the name its lines carry; with several engines, `engine/name` where names repeat."""
        names = {t.id: visible(t.name) for t in self.targets}
        if len(set(names.values())) < len(names) and any(t.local_id for t in self.targets):
            names = {t.id: f"{visible(t.engine)}/{visible(t.name)}" for t in self.targets}
        return names

    async def _follow_all(self, generation: int) -> None:
        followers = list(self.followers.values())
        if self.merged:
            # History first, in timestamp order across containers; then live lines as they come.
            names = self._labels()

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
            if summary.is_running or summary.state is State.PAUSED:
                self.stopped.discard(summary.id)  # paused is not stopped; unpaused is running
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
            name = visible(self.targets[0].name)
            text.append(f" {name if len(name) <= 40 else name[:39] + '…'}", "bold")
        if self.pinned:
            text.append(" [pinned]" if not self.merged else "")
        # The container's own state first: the end of a long header is cut on a narrow pane.
        gone = [t for t in self.targets if t.id in self.removed]
        stopped = [t for t in self.targets if t.id in self.stopped and t.id not in self.removed]
        paused = [t for t in self.targets if t.state is State.PAUSED and t.id not in self.removed]
        if gone:
            text.append(" · removed" if not self.merged else f" · {len(gone)} removed", "bold red")
        elif stopped:
            text.append(" · stopped" if not self.merged else f" · {len(stopped)} stopped", "yellow")
        if paused and not gone:
            text.append(" · container paused" if not self.merged else f" · {len(paused)} containers paused", "blue")
        # What the user is doing (search, filter), then what changes (following or paused),
        # before what was chosen once (streams, history): a narrow pane cuts the end.
        query, matches, current = self._search_state
        if query:
            text.append(f" · search {current}/{matches}", "bold")
        if self.view.line_filter.query:
            f = self.view.line_filter
            text.append(f" · {'hiding' if f.invert else 'only'} {visible(repr(f.query))}", "bold")
        following, pending = self._follow_state
        if following:
            text.append(" · following", "green")
        else:
            text.append(f" · paused, {pending} new lines (f: follow)" if pending else " · paused (f: follow)",
                        "bold yellow")
        if self._skipped:
            text.append(f" · skipped {self._skipped:,} lines (faster than shown)", "bold red")
        if self.engine_down:
            text.append(" · engine unreachable", "bold red")
        elif self.error:
            text.append(f" · {visible(self.error)}", "red")
        streams = self.view.line_filter.streams
        tty = not self.merged and self.targets[0].tty
        if tty:
            text.append(" · TTY: one stream", "dim")
        elif streams is None:
            text.append(" · stdout+stderr", "dim")
        else:
            text.append(f" · {next(iter(streams)).value} only", "bold")
        text.append(f" · {'since ' + since_label(self.since) if self.since else tail_label(self.tail)}", "dim")
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
            focus_now(self.view)
        elif self.view.has_selection:
            self.view.clear_selection()
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
        focus_now(box)

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
                    notify(self, f"No line matches {query!r}", timeout=3)
            else:
                view.set_filter(query, regex=regex, case=case, invert=invert, streams=view.line_filter.streams)
        except re.error as exc:
            notify(self, f"Bad regular expression: {exc}", severity="error", timeout=5)
            return
        event.input.remove_class("visible")
        focus_now(view)
        self._update_header()

    def action_next_match(self) -> None:
        self.view.next_match()

    def action_prev_match(self) -> None:
        self.view.prev_match()

    def action_toggle_case(self) -> None:
        self.case = not self.case
        notify(self, "Case-sensitive search and filter" if self.case else "Search and filter ignore case (smart case)",
                    timeout=2)

    def action_cycle_streams(self) -> None:
        if not self.merged and self.targets and self.targets[0].tty:
            notify(self, "A TTY container has one stream: the terminal merges stdout and stderr", timeout=4)
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
        notify(self, f"Loading the {tail_label(self.tail)}", timeout=2)
        self._restart()

    def action_cycle_since(self) -> None:
        index = SINCE_PRESETS.index(self.since) if self.since in SINCE_PRESETS else 0
        self.since = SINCE_PRESETS[(index + 1) % len(SINCE_PRESETS)]
        notify(self, f"Loading lines since {since_label(self.since)} ago" if self.since
                    else f"Loading the {tail_label(self.tail)}", timeout=2)
        self._restart()

    def action_toggle_pin(self) -> None:
        self.pinned = not self.pinned
        self._update_header()
        if not self.pinned:
            self.post_message(self.Unpinned())

    def action_copy(self) -> None:
        """Copy the mouse selection, or else the current match or the bottom line, to the clipboard."""
        view = self.view
        lines, what = view.lines_to_copy()
        if not lines:
            notify(self, "Nothing to copy: no line is shown", timeout=3)
            return
        text = "\n".join(lines)
        # OSC 52 through Textual: the terminal's clipboard, over SSH too.
        self.app.copy_to_clipboard(text)
        if what != "selection":
            message = f"Copied {what}"
        elif len(lines) > 1:
            message = f"Copied {len(lines)} lines"
        else:
            message = f"Copied {len(text)} character{'s' if len(text) != 1 else ''}"
        view.clear_selection()
        notify(self, message, timeout=3)

    def action_save(self) -> None:
        if not self.targets:
            notify(self, "Nothing to save: the pane shows no container", timeout=3)
            return
        self.post_message(self.SaveRequested(self, self.save_request()))

    def save_request(self) -> SaveRequest:
        """What the save dialog needs of this pane."""
        targets = self.targets
        single = targets[0] if len(targets) == 1 else None
        return SaveRequest(
            name=single.name if single is not None else "merged",
            containers=tuple(f"{t.name} ({t.short_id})" for t in targets),
            # Several engines in view (the ids name them): the file names the containers' own engines.
            engine_label=(", ".join(sorted({t.engine for t in targets})) if any(t.local_id for t in targets)
                          else " ".join(self.engine_label).strip()),
            buffer=self.view.buffer, merged=self.merged, engine=self.engine,
            container_id=targets[0].id if not self.merged else "", tty=targets[0].tty)


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
