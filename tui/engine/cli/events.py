"""The event stream: `events --format json` as a long-running child, restarted when it dies.

`cli_event_history` reads what the engine still holds (`events --since --until`), a command that ends.

The same contract as the API backend's stream: `EventsLost` once when the
child ends (with the client's own words when it said any), `EventsResumed`
when a new child is running, so the dashboard re-lists what it may have missed.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from datetime import datetime, timezone
from typing import AsyncIterator, Callable, Sequence

from tui.engine.cli.errors import client_words
from tui.engine.cli.parse import event_from_cli
from tui.engine.cli.runner import CliRunner
from tui.engine.errors import EngineError, EngineUnreachable
from tui.engine.types import ContainerEvent, EngineEvent, EventsLost, EventsResumed

RESTART_DELAYS = (0.25, 0.5, 1.0, 2.0, 5.0)
# A child that has not failed within this long is taken as running (it prints nothing until an event).
SETTLE_SECONDS = 0.3
# One event is one line; labels can make it long, but not this long.
LINE_LIMIT = 4 << 20


async def cli_events(runner: CliRunner, args: Sequence[str], name: Callable[[], str]) -> AsyncIterator[EngineEvent]:
    """Container events, forever; see the module's doc."""
    lost_at: float | None = None
    attempt = 0
    while True:
        reason = "the events client ended"
        process = stderr = None
        try:
            process = await runner.spawn(args, limit=LINE_LIMIT)
            stderr = asyncio.ensure_future(process.stderr.read(8192))
            if lost_at is not None:
                try:
                    await asyncio.wait_for(asyncio.shield(process.wait()), SETTLE_SECONDS)
                except asyncio.TimeoutError:
                    pass
                if process.returncode is None:
                    yield EventsResumed(name(), time.monotonic() - lost_at)
                    lost_at = None
                    attempt = 0
            if process.returncode is None:
                while line := await process.stdout.readline():
                    line = line.strip()
                    if not line:
                        continue
                    try:
                        raw = json.loads(line)
                    except ValueError:
                        continue
                    if isinstance(raw, dict):
                        event = event_from_cli(raw, name())
                        if event is not None:
                            yield event
            status = await process.wait()
            try:
                said = client_words(await asyncio.wait_for(stderr, 1.0))
            except asyncio.TimeoutError:
                said = ""
            reason = said or f"the events client ({runner.program}) exited with status {status}"
        except EngineUnreachable as exc:
            reason = exc.attempts[0].reason if exc.attempts else exc.message
        except EngineError as exc:
            reason = exc.message
        except (OSError, asyncio.TimeoutError) as exc:
            reason = str(exc) or type(exc).__name__
        except ValueError:  # a line longer than LINE_LIMIT: the stream cannot be read on from there
            reason = f"an event longer than {LINE_LIMIT >> 20} MB"
        finally:
            if stderr is not None and not stderr.done():
                stderr.cancel()
            if process is not None:
                await runner.finish(process)
        if lost_at is None:
            lost_at = time.monotonic()
            yield EventsLost(name(), reason)
        await asyncio.sleep(RESTART_DELAYS[min(attempt, len(RESTART_DELAYS) - 1)])
        attempt += 1


# A replay keeps the newest this many events (Podman's event log on disk can hold far more).
HISTORY_LIMIT = 20_000
HISTORY_SECONDS = 30.0


def _stamp(moment: datetime) -> str:
    # RFC 3339 in UTC, for Podman's --since.
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


async def cli_event_history(runner: CliRunner, args: Sequence[str], name: Callable[[], str], since: datetime,
                            until: datetime, *, podman: bool) -> list[ContainerEvent]:
    """The container events between `since` and `until` the engine still holds, oldest first.

    Podman 4's `--until` prints nothing at all: `--stream=false` ends the read there, and the end is cut here."""
    # The docker client reads an RFC 3339 time with a fraction of a second wrongly (it left out the first
    # half minute): Unix seconds for it; Podman takes RFC 3339.
    if podman:
        window = ["--since", _stamp(since), "--stream=false"]
    else:
        window = ["--since", f"{since.timestamp():.6f}", "--until", f"{until.timestamp() + 1:.6f}"]
    done = await runner.call([*args, *window], timeout=HISTORY_SECONDS)
    held: deque[ContainerEvent] = deque(maxlen=HISTORY_LIMIT)
    for line in done.stdout.splitlines():
        try:
            raw = json.loads(line)
        except ValueError:
            continue
        event = event_from_cli(raw, name()) if isinstance(raw, dict) else None
        if event is not None and since <= event.time <= until:
            held.append(event)
    return list(held)
