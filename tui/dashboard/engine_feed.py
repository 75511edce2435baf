"""The dashboard's loops on the engine: the first lists, the event stream, the re-list, the stats poll.

The stats poll serves the list (the running containers it shows, unless
`stats.enabled` is off) and the stats screen (`watch`, its containers).

`EngineFeed` is composed into `DashboardScreen`. It runs `LiveFeed` (which
turns the engine's answers into messages) in the screen's workers, so leaving
the screen cancels them; the screen handles the messages.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from tui.dashboard.live import LiveFeed
from tui.dashboard.messages import StatsArrived
from tui.dashboard.stats_watch import StatsWatch
from tui.engine import Engine, EngineError, EngineTimeout
from tui.engine.fleet import Fleet
from tui.notice import notify

if TYPE_CHECKING:
    from tui.dashboard.host import FeedHost

_STATS_CONCURRENCY = 8


class EngineFeed:
    """Keeps the list fed from one engine, or from each engine of a fleet on its own (see the module docstring)."""

    def __init__(self, host: FeedHost, labels: dict[str, str], history_hours: float = 0.0, *,
                 list_stats: bool = True) -> None:
        self.host = host
        self.labels = labels
        self.history_hours = history_hours
        self.list_stats = list_stats
        self.watch = StatsWatch(host.stats, self.collect_stats)
        self.live: LiveFeed | None = None
        self.not_answering = ""  # why the last re-list timed out, while it does
        self._reconciling = False
        # Several engines in view: one feed per engine, so a slow, dead or storming engine delays no other.
        self.fleet: Fleet | None = None
        self.members: dict[str, LiveFeed] = {}
        self._member_reconciling: set[str] = set()

    def attach(self, engine: Engine) -> None:
        """Follow `engine`: list (briefly first, unless the screen already shows a list), then its events."""
        if isinstance(engine, Fleet):
            self.fleet = engine
            for name in engine.members:
                self.follow_member(name)
            return
        self.live = LiveFeed(engine, self.host.post_message, labels=self.labels, history_hours=self.history_hours)
        self.host.run_worker(self._start(self.live), group="feed", exclusive=True, exit_on_error=False)

    def follow_member(self, name: str) -> None:
        """Follow one engine of the fleet: it lists when it comes up (and again after each break)."""
        live = LiveFeed(self.fleet.view(name), self.host.post_message, labels=self.labels, scope=name,
                        history_hours=self.history_hours)
        self.members[name] = live
        self.host.run_worker(self._follow(live), group=f"feed:{name}", exclusive=True, exit_on_error=False)

    def drop_member(self, name: str) -> None:
        if self.members.pop(name, None) is not None:
            self.host.workers.cancel_group(self.host, f"feed:{name}")

    async def _start(self, live: LiveFeed) -> None:
        try:
            if not self.host.listed:
                await live.list_all(detailed=False)  # draw something quickly...
            await live.list_all(detailed=True)  # ...then fill in health and times
        except EngineError as exc:
            notify(self.host, str(exc), title="Cannot list containers", severity="error", timeout=10)
        self.host.run_worker(self._follow(live), group="events", exclusive=True, exit_on_error=False)
        self.host.run_worker(self._history(live), group="history", exclusive=True, exit_on_error=False)

    async def _history(self, live: LiveFeed) -> None:
        try:
            await live.read_history()
        except EngineError:
            pass  # the timeline starts from now: what the engine held is not worth an error

    async def _follow(self, live: LiveFeed) -> None:
        await asyncio.gather(live.follow_events(), live.refresh_dirty())

    def forget(self, gone) -> None:
        """The containers in `gone` went: the engine's stats caches would otherwise keep every one that ever ran."""
        for container_id in gone:
            if self.host.engine is not None:
                self.host.engine.forget(container_id)

    def reconcile_tick(self) -> None:
        # Never overlap, never cancel: a re-list that is still waiting on a slow
        # engine must be let to time out, or the screen never learns it hangs.
        for name, live in self.members.items():
            member = self.fleet.members.get(name) if self.fleet else None
            if member is not None and member.connected and name not in self._member_reconciling:
                self._member_reconciling.add(name)
                self.host.run_worker(self._reconcile_member(name, live), group=f"reconcile:{name}",
                                     exit_on_error=False)
        if self.live is not None and not self._reconciling:
            self._reconciling = True
            self.host.run_worker(self._reconcile(self.live), group="reconcile", exit_on_error=False)

    async def _reconcile(self, live: LiveFeed) -> None:
        try:
            await live.reconcile(dict(self.host.summaries))
        except EngineTimeout as exc:
            # A hung engine keeps its connections open and says nothing: the
            # event stream cannot tell, a call that times out can.
            self.not_answering = str(exc)
        except EngineError:
            pass  # the event stream reports the outage
        else:
            self.not_answering = ""
        finally:
            self._reconciling = False
        self.host.show_banner()

    async def _reconcile_member(self, name: str, live: LiveFeed) -> None:
        try:
            await live.reconcile({k: s for k, s in self.host.summaries.items() if s.engine == name})
        except EngineError:
            pass  # its event stream (or the fleet's probe) reports the outage
        finally:
            self._member_reconciling.discard(name)

    def collect_stats(self) -> None:
        """One stats sample of every running container the list shows, and of those the stats screen graphs."""
        wanted = set(self.watch.keys)
        if self.list_stats and self._list_in_view():
            wanted.update(self.host.visible_keys())
        summaries = self.host.summaries
        wanted = {k for k in wanted if k in summaries and summaries[k].is_running}
        if wanted and self.host.engine is not None:
            self.host.run_worker(self._stats(self.host.engine, wanted), group="stats", exclusive=True,
                                 exit_on_error=False)

    def _list_in_view(self) -> bool:
        # Textual's is_current holds for the screen right under the top one even when that one is
        # opaque (inspect, processes, stats): only a see-through dialog on top leaves the list in view.
        stack = self.host.app.screen_stack
        top = stack[-1] if stack else None
        return top is self.host or (top is not None and self.host.is_current and top.styles.background.a < 1)

    async def _stats(self, engine: Engine, wanted: set[str]) -> None:
        gate = asyncio.Semaphore(_STATS_CONCURRENCY)
        samples = {}

        async def one(container_id: str) -> None:
            async with gate:
                try:
                    samples[container_id] = await engine.stats_once(container_id)
                except EngineError:
                    pass

        await asyncio.gather(*(one(k) for k in wanted))
        if samples:
            self.host.post_message(StatsArrived(samples))
