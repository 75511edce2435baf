"""A resource view: the images, volumes or networks of the engine, live, with their actions.

One screen per view, over the dashboard (`tui.views.switch` moves between
them). It lists once, then follows the engine's event stream itself while it
is open: an event of its kind (a pull, a tag, a volume created, a container
connected) or a container coming or going makes one re-list, however many
arrive together, and a slow re-list (the list's reconcile interval) corrects
what no event says. Filter, sort, select and inspect work as on
the container list; the actions are the registry's (mutating ones off in
read-only mode) and say the engine's own words when it refuses.
"""

from __future__ import annotations

from functools import partial
from typing import AsyncIterator, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static

from tui.dashboard.availability import read_only_among
from tui.engine import ContainerEvent, Engine, EngineError, EventKind, EventsLost, EventsResumed
from tui.engine.resources import ResourceEvent
from tui.keys.registry import BY_ID, COPY_RESOURCE_ID, HELP, INSPECT_RESOURCE, QUIT, REMOVE_RESOURCE, Scope, resolve
from tui.notice import notify
from tui.settings import Settings
from tui.untrusted import visible
from tui.views.dialogs import FORCE, ConfirmResourceRemove
from tui.views.model import Item, ViewFilter, ViewSpec, visible_items, with_engine_column
from tui.views.table import ResourceTable
from tui.widgets.footer import LeanFooter
from tui.widgets.key_bindings import fallback_bindings, scope_bindings
from tui.widgets.typeahead import focus_now

NO_CURSOR = "Nothing under the cursor"
#: Container events that change who uses what (an image's users, a volume's, a network's addresses).
_CONTAINER_KINDS = frozenset({EventKind.CREATED, EventKind.DESTROYED, EventKind.STARTED, EventKind.DIED})
_RELIST_AFTER = 0.1  # seconds: a burst of events (a compose up) is one re-list
#: Actions that need an item under the cursor (or a selection).
_ON_ITEMS = frozenset({REMOVE_RESOURCE, INSPECT_RESOURCE, COPY_RESOURCE_ID})
VIEW_ORDER = ("containers", "images", "volumes", "networks")


class ResourceScreen(Screen):
    CSS_PATH = "views.tcss"
    # A key whose action cannot run now (no item, read-only) reaches its hidden stand-in, which says why.
    BINDINGS = [*scope_bindings(Scope.VIEWS, "app"), *scope_bindings(Scope.RESOURCES),
                *fallback_bindings(Scope.RESOURCES), *(b for b in scope_bindings(Scope.SCREEN) if b.id in (HELP, QUIT))]
    SPEC: ClassVar[ViewSpec]
    VIEW: ClassVar[str]
    #: The view's own scope (images, networks), if it has keys of its own.
    OWN_SCOPE: ClassVar[Scope | None] = None

    def __init__(self, engine: Engine, settings: Settings | None = None, *,
                 engine_label: tuple[str, str] | None = None) -> None:
        super().__init__()
        self.engine = engine
        # Several engines in view: every engine's items on one list, the engine named per row.
        self.several = bool(getattr(engine, "members", None))
        if self.several:
            self.SPEC = with_engine_column(type(self).SPEC)
        self.settings = settings or Settings()
        self.engine_label = engine_label or (engine.name, engine.url)
        self.items: dict[str, Item] = {}
        self.selected: set[str] = set()
        self.busy: dict[str, str] = {}
        self.filter = ViewFilter()
        self.sort = type(self).SPEC.columns[0].key
        self.reverse = False
        self.listed = False
        self.connected = True
        self._relist_pending = False
        self._binding_state: tuple | None = None
        self._reconcile: Timer | None = None

    # -- layout and drawing ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="titlebar"):
            yield Static(id="title")
            yield Static(id="views")
        yield Input(placeholder=f"filter {self.SPEC.noun}s: name, id, container, key=value label, is:unused",
                    id="view-filter")
        yield ResourceTable(self.SPEC, id="resources")
        yield LeanFooter()

    @property
    def table(self) -> ResourceTable:
        return self.query_one(ResourceTable)

    def on_mount(self) -> None:
        focus_now(self.table)
        self._update_title()

    def on_screen_resume(self) -> None:
        # Shown (first time, back from another view, or a dialog closed): follow the engine again and
        # re-list, since nothing was followed meanwhile; the rows it had show until the list answers.
        self.run_worker(self._follow, group="view-events", exclusive=True, exit_on_error=False)
        self.relist()
        # The slow re-list the container list has too: it corrects what no event says (Podman 4 sends
        # none when a network is created or removed).
        if self._reconcile is None:
            self._reconcile = self.set_interval(self.settings.engine.reconcile_interval, self._reconcile_now)
        self._reconcile.resume()

    def on_screen_suspend(self) -> None:
        # Hidden: nobody sees it, so it costs nothing (no event stream, no re-lists).
        self.workers.cancel_group(self, "view-events")
        if self._reconcile is not None:
            self._reconcile.pause()

    def _update_title(self) -> None:
        name, url = self.engine_label
        title = Text.assemble(("bosun", "bold"), "  ", (name, "bold"), (f"  {url}", "dim"), "   ",
                              (self.SPEC.title, "bold"))
        if not self.listed:
            title.append("  listing…", "dim")
        else:
            shown = len(self.table.keys)
            title.append(f"  {len(self.items)}" + (f" ({shown} shown)" if shown != len(self.items) else ""), "dim")
        if self.settings.read_only:
            title.append("   READ-ONLY", "bold reverse")
        if not self.connected:
            title.append("   events lost: re-listing when they are back", "bold red")
        self.query_one("#title", Static).update(title)
        tabs = Text()
        for number, view in enumerate(VIEW_ORDER, 1):
            tabs.append(f" {number} {view} ", "reverse bold" if view == self.VIEW else "dim")
        self.query_one("#views", Static).update(tabs)

    def draw(self) -> None:
        shown = visible_items(self.SPEC, self.items, self.filter, self.sort, self.reverse)
        self.table.show(shown, selected=frozenset(self.selected), busy=self.busy)
        self._update_title()
        self._refresh_bindings_if_changed()

    def _refresh_bindings_if_changed(self) -> None:
        state = tuple(self.check_action(a.id, ()) for a in BY_ID.values()
                      if a.scope in (Scope.RESOURCES, self.OWN_SCOPE))
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    @on(ResourceTable.CursorMoved)
    def _cursor_moved(self) -> None:
        self._refresh_bindings_if_changed()

    # -- listing and following ------------------------------------------------------------------

    async def fetch(self, reconcile: bool) -> AsyncIterator[list[Item]]:
        """The view's items: once, or a quick first answer and then a fuller one. `reconcile`: the slow
        re-list, which corrects what is there and may leave out what is costly to ask (volume sizes)."""
        raise NotImplementedError
        yield []

    def relist(self, *, reconcile: bool = False) -> None:
        # A callable, not a coroutine: a list cancelled before it starts (exclusive) leaves nothing unawaited.
        self.run_worker(partial(self._list, reconcile), group="view-list", exclusive=True, exit_on_error=False)

    def _reconcile_now(self) -> None:
        # Never in place of a list under way: that one is fuller (an event's, or the view just shown).
        if not any(w.group == "view-list" and w.node is self and w.is_running for w in self.workers):
            self.relist(reconcile=True)

    async def _list(self, reconcile: bool = False) -> None:
        try:
            async for items in self.fetch(reconcile):
                fresh = {item.key: item for item in items}
                if self.listed and fresh == self.items:
                    continue  # nothing changed (most re-lists): no table rebuilt, no frame drawn
                self.items = fresh
                self.selected &= set(self.items)
                self.listed = True
                self.draw()
        except EngineError as exc:
            notify(self, str(exc), title=f"Cannot list {self.SPEC.noun}s", severity="error", timeout=10)

    def touched_by(self, event: object) -> bool:
        if isinstance(event, ResourceEvent):
            return event.kind is self.SPEC.kind
        return isinstance(event, ContainerEvent) and event.kind in _CONTAINER_KINDS

    async def _follow(self) -> None:
        async for event in self.engine.events():
            if isinstance(event, EventsLost):
                self.connected = False
                self._update_title()
            elif isinstance(event, EventsResumed):
                self.connected = True
                self._schedule_relist()
            elif self.touched_by(event):
                self._schedule_relist()

    def _schedule_relist(self) -> None:
        if not self._relist_pending:
            self._relist_pending = True
            self.set_timer(_RELIST_AFTER, self._relist_now)

    def _relist_now(self) -> None:
        self._relist_pending = False
        self.relist()

    # -- targets and what may run ----------------------------------------------------------------

    @property
    def cursor_item(self) -> Item | None:
        key = self.table.cursor_key
        return self.items.get(key) if key else None

    def targets(self) -> list[Item]:
        """The selection, else the item under the cursor."""
        chosen = [self.items[k] for k in self.table.keys if k in self.selected]
        if chosen:
            return chosen
        item = self.cursor_item
        return [item] if item is not None else []

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        spec = BY_ID.get(action)
        if spec is None:
            return True
        if spec.mutates and self.settings.read_only:
            return False  # hidden: read-only mode changes nothing
        return None if self.why_not(action) else True

    def why_not(self, action: str) -> str | None:
        spec = BY_ID.get(action)
        if spec is None:
            return None
        if spec.mutates and self.settings.read_only:
            return f"Read-only: {spec.label.lower()} is turned off"
        if action in _ON_ITEMS and not self.targets():
            return NO_CURSOR
        if spec.mutates and (engines := read_only_among(self.engine, (t.engine for t in self.targets()))):
            return f"Read-only: {spec.label.lower()} is turned off on {', '.join(visible(e) for e in engines)}"
        return None

    def _may(self, action: str) -> bool:
        reason = self.why_not(action)
        if reason:
            notify(self, reason, timeout=4)
        return reason is None

    def action_explain(self, action: str) -> None:
        reason = self.why_not(action)
        if reason:
            notify(self, reason, timeout=4)

    def item_name(self, item: Item) -> str:
        return visible(getattr(item, "name", item.key))

    # -- the actions every view has ------------------------------------------------------------------

    def remove_dialog(self, targets: list[Item]) -> ConfirmResourceRemove:
        return ConfirmResourceRemove(self.SPEC.noun, [self.item_name(t) for t in targets])

    async def remove_one(self, item: Item, force: bool) -> None:
        raise NotImplementedError

    def action_remove_resource(self) -> None:
        if self._may(REMOVE_RESOURCE):
            targets = self.targets()
            self.app.push_screen(self.remove_dialog(targets),
                                 lambda choice: choice and self.run_worker(
                                     self._remove(targets, choice == FORCE), group="view-action",
                                     exit_on_error=False))

    async def _remove(self, targets: list[Item], force: bool) -> None:
        for item in targets:
            self.busy[item.key] = "removing…"
        self.draw()
        done = []
        for item in targets:
            try:
                await self.remove_one(item, force)
                done.append(self.item_name(item))
            except EngineError as exc:
                notify(self, str(exc), title=f"Remove {self.item_name(item)} failed", severity="error", timeout=10)
            finally:
                self.busy.pop(item.key, None)
        if done:
            noun = self.SPEC.noun
            notify(self, f"Removed {noun} {done[0]}" if len(done) == 1 else f"Removed {len(done)} {noun}s", timeout=4)
        self.selected -= {t.key for t in targets}
        self.draw()
        self.relist()  # now, not when the event comes: the event stream may be down

    async def inspect_one(self, item: Item) -> dict:
        raise NotImplementedError

    def action_inspect_resource(self) -> None:
        item = self.cursor_item
        if item is not None and self._may(INSPECT_RESOURCE):
            self.run_worker(self._inspect(item), group="view-inspect", exclusive=True, exit_on_error=False)

    async def _inspect(self, item: Item) -> None:
        from tui.screens.inspect import InspectScreen

        try:
            document = await self.inspect_one(item)
        except EngineError as exc:
            notify(self, str(exc), title=f"Inspect {self.item_name(item)} failed", severity="error")
            return
        await self.app.push_screen(InspectScreen(document, title=f"{self.SPEC.noun} {self.item_name(item)}"))

    def action_select_resource(self) -> None:
        key = self.table.cursor_key
        if key is not None:
            self.selected ^= {key}
            self.draw()

    def action_copy_resource_id(self) -> None:
        if not self._may(COPY_RESOURCE_ID):
            return
        ids = [self.SPEC.copy_id(item) for item in self.targets()]
        self.app.copy_to_clipboard("\n".join(ids))
        notify(self, f"Copied {visible(ids[0])}" if len(ids) == 1 else f"Copied {len(ids)} ids", timeout=3)

    def action_filter_resources(self) -> None:
        box = self.query_one("#view-filter", Input)
        box.add_class("visible")
        focus_now(box)

    @on(Input.Changed, "#view-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter = ViewFilter(event.value)
        self.draw()

    @on(Input.Submitted, "#view-filter")
    def _filter_done(self) -> None:
        focus_now(self.table)

    def action_clear_resource_filter(self) -> None:
        box = self.query_one("#view-filter", Input)
        box.value = ""
        box.remove_class("visible")
        self.filter = ViewFilter()
        focus_now(self.table)
        self.draw()

    def action_sort_resources(self) -> None:
        keys = self.SPEC.sortable
        self.sort = keys[(keys.index(self.sort) + 1) % len(keys)] if self.sort in keys else keys[0]
        label = next(c.spec.label for c in self.SPEC.columns if c.key == self.sort)
        notify(self, f"Sorted by {label}", timeout=2)
        self.draw()

    def action_reverse_resources(self) -> None:
        self.reverse = not self.reverse
        self.draw()

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(resolve(self.settings.keys), read_only=self.settings.read_only))

    async def action_quit(self) -> None:
        await self.app.action_quit()  # with shells open, the dashboard asks first

    @on(ResourceTable.HeaderClicked)
    def _header_clicked(self, event: ResourceTable.HeaderClicked) -> None:
        key = event.column
        if key in self.SPEC.sortable:
            self.reverse = (not self.reverse) if key == self.sort else False
            self.sort = key
            self.draw()

