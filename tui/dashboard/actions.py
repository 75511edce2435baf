"""Container actions: when each applies, and running it on many containers.

The registry (`tui.keys.registry`) declares them (name, key, label, busy
mark, mutating); this module adds what they do. Every key, palette entry and
menu item goes through `run_action`, the one place actions flow back to the engine.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Awaitable, Callable

from tui.dashboard.order import waves
from tui.dashboard.messages import ActionFinished, ContainerGone, ContainerUpdated
from tui.engine import ContainerSummary, Engine, EngineError, State
from tui.keys.registry import BY_ID, KILL, PAUSE, REMOVE, RESTART, START, STOP
from tui.notice import notify

if TYPE_CHECKING:
    from tui.dashboard.host import ActionHost


#: What a row says while its container waits for the ones it depends on (or that depend on it).
WAITING = "waiting…"


def _running(s: ContainerSummary) -> bool:
    return s.state in (State.RUNNING, State.RESTARTING)


#: When each container action applies (the registry declares the actions: label, key, busy mark).
APPLIES: dict[str, Callable[[ContainerSummary], bool]] = {
    START: lambda s: s.state in (State.CREATED, State.EXITED, State.DEAD),
    STOP: lambda s: _running(s) or s.state is State.PAUSED,
    RESTART: lambda s: s.state is not State.REMOVING,
    PAUSE: lambda s: s.state in (State.RUNNING, State.PAUSED),
    KILL: lambda s: _running(s) or s.state is State.PAUSED,
    REMOVE: lambda s: s.state is not State.REMOVING,
}


def why_not_for(action: str, label: str, chosen: list[ContainerSummary], busy: dict[str, str]) -> str:
    """Why `action` applies to none of `chosen` (the selection, or the container under the cursor)."""
    from tui.untrusted import visible

    if len(chosen) > 1:
        return f"{label}: none of the {len(chosen)} selected containers can take it now"
    s = chosen[0]
    name = visible(s.name)
    if s.id in busy:
        return f"{label}: {name} is busy ({busy[s.id]})"
    if s.state is State.REMOVING:
        return f"{label}: {name} is being removed"
    if action == START and s.state in (State.RUNNING, State.RESTARTING):
        return f"{label}: {name} is already running"
    if action == START and s.state is State.PAUSED:
        return f"{label}: {name} is paused (p unpauses it)"
    if action in (STOP, KILL, PAUSE):
        return f"{label}: {name} is not running ({s.state.value})"
    return f"{label}: not for {name} ({s.state.value})"


async def run_action(
    engine: Engine,
    action: str,
    targets: list[ContainerSummary],
    *,
    grace: float = 10,
    force: bool = False,
    volumes: bool = False,
) -> dict[str, EngineError]:
    """Run `action` on every target at once; returns the engine's error for each that failed."""

    def call(s: ContainerSummary) -> Awaitable[object]:
        if action == START:
            return engine.start(s.id)
        if action == STOP:
            return engine.stop(s.id, grace=grace)
        if action == RESTART:
            return engine.restart(s.id, grace=grace)
        if action == PAUSE:
            return engine.unpause(s.id) if s.state is State.PAUSED else engine.pause(s.id)
        if action == KILL:
            return engine.kill(s.id)
        if action == REMOVE:
            return engine.remove(s.id, force=force, volumes=volumes)
        raise ValueError(f"unknown action {action!r}")

    results = await asyncio.gather(*(call(s) for s in targets), return_exceptions=True)
    errors: dict[str, EngineError] = {}
    for summary, result in zip(targets, results):
        if isinstance(result, EngineError):
            errors[summary.id] = result
        elif isinstance(result, BaseException):
            errors[summary.id] = EngineError(f"{type(result).__name__}: {result}", engine=engine.name)
    return errors


class ContainerActions:
    """Runs the container actions of the dashboard on its targets (composed into the screen)."""

    def __init__(self, host: ActionHost) -> None:
        self.host = host

    def chosen(self) -> list[ContainerSummary]:
        """What an action is for: the selection, else the container under the cursor, else a project's."""
        host = self.host
        if host.selected:
            return [s for k in host.selected if (s := host.summary(k)) is not None]
        if host.cursor_summary:
            return [host.cursor_summary]
        return host.group_members()  # a compose project's header: all its containers

    def copy_ids(self, no_cursor: str) -> None:
        """Copy the id of the container under the cursor, or the selected containers' ids."""
        host = self.host
        chosen = host.selection() if host.selected else [host.cursor_summary] if host.cursor_summary else []
        if not chosen:
            notify(host, no_cursor, timeout=3)
            return
        host.app.copy_to_clipboard(" ".join(s.real_id for s in chosen))
        what = f"the id of {chosen[0].name}" if len(chosen) == 1 else f"the ids of {len(chosen)} containers"
        notify(host, f"Copied {what}", timeout=3)

    def targets(self, action: str) -> list[ContainerSummary]:
        """The chosen containers the action applies to now (not busy)."""
        applies = APPLIES[action]
        return [s for s in self.chosen() if applies(s) and self.host.busy_with(s.id) is None]

    def why_not(self, action: str, label: str, no_cursor: str) -> str | None:
        """Why `action` applies to nothing now, or None."""
        if self.targets(action):
            return None
        host = self.host
        chosen = ([s for k in host.selected if (s := host.summary(k)) is not None] if host.selected
                  else [host.cursor_summary] if host.cursor_summary else [])
        busy = {s.id: b for s in chosen if (b := host.busy_with(s.id)) is not None}
        return why_not_for(action, label, chosen, busy) if chosen else no_cursor

    def on_project_header(self) -> bool:
        """Is the action for a compose project's header (nothing selected, no container under the cursor)?"""
        host = self.host
        return not host.selected and host.cursor_summary is None and bool(host.group_members())

    def run(self, action: str, these: list[ContainerSummary] | None = None, **options) -> None:
        """Run `action` on its targets now (`these`: a list chosen otherwise, e.g. every exited container)."""
        confirmed = options.pop("confirmed", False)
        if these is not None:
            applies = APPLIES[action]
            targets = [s for s in these if applies(s) and self.host.busy_with(s.id) is None]
        else:
            targets = self.targets(action)
        if not targets:
            return
        if these is None and self.on_project_header() and not confirmed:
            self.confirm_project(action, targets, options)
            return
        if self.host.engine is None:
            # Drawn from the quick first list, still connecting: a key pressed
            # now runs as soon as the engine is attached, rather than being lost.
            self.host.defer(lambda: self.run(action, these, confirmed=True, **options))
            return
        # A later wave (a compose project's dependents) waits for the one before it: its rows say so.
        for number, wave in enumerate(waves(action, targets)):
            for summary in wave:
                self.host.mark_busy(summary.id, BY_ID[action].busy if number == 0 else WAITING)
        self.host.run_worker(self._run(action, targets, options), group="actions", exit_on_error=False)

    def confirm_project(self, action: str, targets: list[ContainerSummary], options: dict) -> None:
        """One key acts on a whole project: ask once, naming its containers in the order they will go."""
        from tui.screens.confirm_project import ConfirmProjectScreen

        project = targets[0].compose_project or ""

        def decided(yes: bool | None) -> None:
            if yes:
                self.run(action, confirmed=True, **options)

        self.host.app.push_screen(ConfirmProjectScreen(BY_ID[action].label, project, waves(action, targets)), decided)

    def remove(self) -> None:
        """Remove the targets, after asking (and whether to remove volumes too)."""
        from tui.screens.confirm import ConfirmRemoveScreen, RemoveChoice

        targets = self.targets(REMOVE)
        if not targets:
            return

        def decided(choice: RemoveChoice | None) -> None:
            if choice is not None:  # the one question a project's remove asks
                self.run(REMOVE, force=choice.force, volumes=choice.volumes, confirmed=True)

        self.host.app.push_screen(ConfirmRemoveScreen(targets), decided)

    def remove_these(self, targets: list[ContainerSummary]) -> None:
        """Remove `targets` (every exited container, say), after listing each of them."""
        from tui.screens.confirm import ConfirmRemoveScreen, RemoveChoice

        if not targets:
            notify(self.host, "No exited container to remove", timeout=3)
            return

        def decided(choice: RemoveChoice | None) -> None:
            if choice is not None:
                self.run(REMOVE, targets, force=choice.force, volumes=choice.volumes)

        self.host.app.push_screen(ConfirmRemoveScreen(targets, list_all=True), decided)

    def inspect(self, summary: ContainerSummary) -> None:
        """Read the container's inspect document and show it."""
        self.host.run_worker(self._inspect(summary), group="inspect", exclusive=True, exit_on_error=False)

    async def _inspect(self, summary: ContainerSummary) -> None:
        from tui.screens.inspect import InspectScreen

        try:
            document = await self.host.engine.inspect(summary.id)
        except EngineError as exc:
            notify(self.host, str(exc), title=f"Inspect {summary.name} failed", severity="error")
            return
        await self.host.app.push_screen(InspectScreen(document, title=summary.name))

    async def _run(self, action: str, targets: list[ContainerSummary], options: dict) -> None:
        # Wave by wave (a compose project's dependency order), each wave's rows
        # finished as it ends: that is the per-container progress.
        pending = waves(action, targets)
        try:
            while pending:
                for summary in pending[0]:
                    self.host.mark_busy(summary.id, BY_ID[action].busy)
                await self._run_wave(action, pending[0], options)
                pending.pop(0)
        finally:
            for wave in pending:  # cancelled: no row stays "stopping…"
                self.host.post_message(ActionFinished(action, [t.id for t in wave], {}))

    async def _run_wave(self, action: str, targets: list[ContainerSummary], options: dict) -> None:
        engine, post = self.host.engine, self.host.post_message
        errors: dict[str, EngineError] = {}
        try:
            errors = await run_action(engine, action, targets, grace=self.host.settings.engine.stop_grace, **options)
            # Read the result back now rather than wait for the event, so the row
            # is true even if the event stream is down.
            for summary in targets:
                if summary.id in errors:
                    continue
                asked_at = time.monotonic()
                try:
                    post(ContainerUpdated(await engine.summary(summary.id), asked_at))
                except EngineError:
                    post(ContainerGone(summary.id, asked_at))
        finally:
            # After the read-back: the row goes from "stopping…" straight to the result.
            post(ActionFinished(action, [t.id for t in targets], errors))
