"""A run that is over before the follower looks again is still read (fake engine).

The follower waits, after a stop, for the container to run again. A crash loop
starts and exits in milliseconds: when the follower looks, the container is
"exited" again, but with a new start time. That is a new run to read.
"""

from __future__ import annotations

import asyncio

from tests.waits import wait_until
from tui.engine import FakeEngine
from tui.logs.follower import LogFollower, NoteKind


async def test_a_run_that_ended_before_the_follower_looked_is_read():
    engine = FakeEngine()
    cid = engine.add_container("crash")
    engine.emit_log(cid, "run 1\n")
    engine.exit(cid, 3)
    lines: list[str] = []
    notes: list[NoteKind] = []
    follower = LogFollower(engine, cid, deliver=lambda b: lines.extend(c.data.decode() for c in b.chunks()),
                           note=lambda n: notes.append(n.kind))
    task = asyncio.create_task(follower.run())
    try:
        await wait_until(lambda: notes == [NoteKind.STOPPED], "the first stop")
        for run in (2, 3):
            await engine.start(cid)
            engine.emit_log(cid, f"run {run}\n")
            engine.exit(cid, 3)
            follower.wake()  # as the pane does on the container's events
            await wait_until(lambda: notes.count(NoteKind.STOPPED) == run, f"run {run}'s stop",
                             detail=lambda: (lines, notes))
        assert lines == ["run 1\n", "run 2\n", "run 3\n"], lines
        assert notes == [NoteKind.STOPPED, NoteKind.RESTARTED, NoteKind.STOPPED, NoteKind.RESTARTED,
                         NoteKind.STOPPED], notes
    finally:
        task.cancel()


async def test_a_container_on_its_way_out_is_said_removed_once():
    from tui.engine import State

    engine = FakeEngine()
    cid = engine.add_container("rm")
    engine.emit_log(cid, "FATAL: the reason it died\n")
    engine.exit(cid, 1)
    engine._get(cid).state = State.REMOVING  # `--rm`: Docker shows this between the exit and the removal
    notes: list[NoteKind] = []
    follower = LogFollower(engine, cid, deliver=lambda b: None, note=lambda n: notes.append(n.kind))
    task = asyncio.create_task(follower.run())
    try:
        await wait_until(lambda: follower._history_loaded, "the history")
        await engine.remove(cid, force=True)
        follower.wake()
        await wait_until(lambda: NoteKind.REMOVED in notes, "the removal")
        assert notes == [NoteKind.REMOVED], notes
    finally:
        task.cancel()


async def test_a_start_time_listed_in_whole_seconds_is_no_restart():
    """`podman ps` gives the start in epoch seconds, inspect in nanoseconds: the pane opened
    from the list marked "restarted at" on the first stop (seen on podman-cli)."""
    engine = FakeEngine()
    cid = engine.add_container("web")
    precise = (await engine.summary(cid)).started
    assert precise is not None
    if precise.microsecond == 0:  # the fake's clock landed on a whole second: the case needs a fraction
        await engine.restart(cid)
        precise = (await engine.summary(cid)).started
    engine.emit_log(cid, "hello\n")
    lines: list[str] = []
    notes: list[NoteKind] = []
    follower = LogFollower(engine, cid, deliver=lambda b: lines.extend(c.data.decode() for c in b.chunks()),
                           note=lambda n: notes.append(n.kind), started=precise.replace(microsecond=0))
    task = asyncio.create_task(follower.run())
    try:
        await wait_until(lambda: lines == ["hello\n"], "the line written before the stop", detail=lambda: lines)
        engine.exit(cid, 0)
        follower.wake()
        await wait_until(lambda: NoteKind.STOPPED in notes, "the stop", detail=lambda: notes)
        assert notes == [NoteKind.STOPPED], notes
        await engine.start(cid)
        follower.wake()
        await wait_until(lambda: NoteKind.RESTARTED in notes, "the real restart", detail=lambda: notes)
        assert notes == [NoteKind.STOPPED, NoteKind.RESTARTED], notes
    finally:
        task.cancel()


def test_same_start_tells_precision_from_a_new_start():
    from datetime import datetime, timezone

    from tui.logs.follower import same_start

    precise = datetime(2026, 12, 3, 11, 5, 43, 123456, tzinfo=timezone.utc)
    assert same_start(precise, precise.replace(microsecond=0))
    assert same_start(precise.replace(microsecond=0), precise)
    assert not same_start(precise, precise.replace(microsecond=999))
    assert not same_start(precise, precise.replace(second=44, microsecond=0))
    assert not same_start(precise, None) and same_start(None, None)
