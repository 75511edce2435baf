"""The fleet of engines: keys, routing, merged events, member states (on fake members)."""

from __future__ import annotations

import asyncio

import pytest

from tests.waits import wait_until
from tui.engine import ContainerEvent, EngineError, EventsLost, EventsResumed
from tui.engine import fleet as fleet_module
from tui.engine.fleet import Fleet, MemberState, ReadOnlyEngine, routed, split_key
from tui.testing.fleet_fakes import DownableFake, fake_opener, fake_spec


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    monkeypatch.setattr(fleet_module, "RETRY_DELAYS", (0.02, 0.05))


def two_fakes():
    a, b = DownableFake("a"), DownableFake("b")
    a.add_container("web")
    b.add_container("web")  # the same name (and on a real pair, maybe the same id) on another engine
    return a, b


async def started(fleet: Fleet, *names: str) -> Fleet:
    fleet.connect_all()
    await wait_until(lambda: all(fleet.members[n].connected for n in names), f"members {names} connected")
    return fleet


async def test_ids_are_keyed_by_member_and_calls_route_to_it():
    a, b = two_fakes()
    fleet = await started(Fleet([fake_spec("a"), fake_spec("b")], fake_opener({"a": a, "b": b})), "a", "b")
    listed = await fleet.list_containers()
    assert sorted(s.engine for s in listed) == ["a", "b"]
    for s in listed:
        member, real = split_key(s.id)
        assert member == s.engine and real == s.local_id == s.real_id
        assert s.short_id == real[:12]
    on_b = next(s for s in listed if s.engine == "b")
    await fleet.stop(on_b.id)
    assert b.calls == [("stop", on_b.local_id)] and a.calls == []
    assert (await fleet.summary(on_b.id)).id == on_b.id
    engine, real = routed(fleet, on_b.id)
    assert engine is b and real == on_b.local_id
    await fleet.close()


async def test_events_are_merged_and_keyed():
    a, b = two_fakes()
    fleet = await started(Fleet([fake_spec("a"), fake_spec("b")], fake_opener({"a": a, "b": b})), "a", "b")
    seen: list = []

    async def read():
        async for event in fleet.events():
            seen.append(event)

    task = asyncio.create_task(read())
    await wait_until(lambda: sum(isinstance(e, EventsResumed) for e in seen) == 2, "both members resumed")
    cid = b.add_container("late")
    await wait_until(lambda: any(isinstance(e, ContainerEvent) and e.container_id == f"b/{cid}" for e in seen),
                     "b's event, keyed")
    assert all(e.engine == "b" for e in seen if isinstance(e, ContainerEvent))
    task.cancel()
    await fleet.close()


async def test_a_member_that_never_answers_costs_the_others_nothing():
    a, _ = two_fakes()
    fleet = Fleet([fake_spec("a"), fake_spec("slow", host="fake://never")], fake_opener({"a": a}))
    await started(fleet, "a")
    assert fleet.members["slow"].state is MemberState.CONNECTING
    listed = await asyncio.wait_for(fleet.list_containers(), 1.0)
    assert [s.engine for s in listed] == ["a"]
    with pytest.raises(EngineError, match="connecting"):
        await fleet.summary("slow/abc")
    await fleet.close()


async def test_refused_member_is_unreachable_with_why_and_retries():
    opener = fake_opener({})
    fleet = Fleet([fake_spec("x", host="fake://refused")], opener)
    fleet.connect_all()
    member = fleet.members["x"]
    await wait_until(lambda: member.state is MemberState.UNREACHABLE, "x unreachable")
    assert "connection refused" in member.reason and member.next_try is not None
    await wait_until(lambda: opener.opened.count("refused") >= 3, "x tried again")
    await fleet.close()


async def test_auth_failure_is_not_retried():
    class AuthenticationFailed(EngineError):
        pass

    tries = []

    async def open_engine(spec):
        tries.append(spec.name)
        raise AuthenticationFailed("permission denied (publickey)", engine=spec.name)

    fleet = Fleet([fake_spec("prod")], open_engine)
    fleet.connect_all()
    member = fleet.members["prod"]
    await wait_until(lambda: member.state is MemberState.AUTH_FAILED, "prod auth failed")
    # Its connection task has ended: nothing will try again (no retry storm against the server).
    await wait_until(lambda: member._task is not None and member._task.done(), "prod's connection task to end")
    assert tries == ["prod"] and "publickey" in member.reason
    await fleet.close()


async def test_a_member_going_down_and_back_says_so_under_its_name():
    a, b = two_fakes()
    fleet = await started(Fleet([fake_spec("a"), fake_spec("b")], fake_opener({"a": a, "b": b})), "a", "b")
    seen: list = []

    async def read():
        async for event in fleet.view("b").events():
            seen.append(event)

    task = asyncio.create_task(read())
    await wait_until(lambda: seen, "the view's first event")
    b.go_down("engine stopped")
    await wait_until(lambda: fleet.members["b"].state is MemberState.RECONNECTING, "b reconnecting")
    assert any(isinstance(e, EventsLost) and e.engine == "b" and "engine stopped" in e.reason for e in seen)
    assert fleet.members["b"].since is not None and fleet.members["a"].connected
    b.come_back()
    await wait_until(lambda: fleet.members["b"].connected, "b back")
    assert isinstance(seen[-1], EventsResumed) and seen[-1].engine == "b"
    task.cancel()
    await fleet.close()


async def test_read_only_member_refuses_actions_others_do_not():
    a, b = two_fakes()
    fleet = await started(Fleet([fake_spec("a"), fake_spec("b", read_only=True)],
                                fake_opener({"a": a, "b": b})), "a", "b")
    listed = {s.engine: s for s in await fleet.list_containers()}
    with pytest.raises(ReadOnlyEngine, match="b"):
        await fleet.stop(listed["b"].id)
    with pytest.raises(ReadOnlyEngine):
        await fleet.exec(listed["b"].id, ["sh"])
    await fleet.stop(listed["a"].id)
    assert b.calls == [] and a.calls == [("stop", listed["a"].local_id)]
    await fleet.close()


async def test_member_label_scope():
    a = DownableFake("a")
    a.add_container("mine", labels={"team": "x"})
    a.add_container("theirs", labels={"team": "y"})
    fleet = await started(Fleet([fake_spec("a", labels={"team": "x"})], fake_opener({"a": a})), "a")
    assert [s.name for s in await fleet.list_containers()] == ["mine"]
    await fleet.close()


async def test_add_and_remove_members():
    a, b = two_fakes()
    fleet = await started(Fleet([fake_spec("a")], fake_opener({"a": a, "b": b})), "a")
    fleet.add(fake_spec("b"))
    await wait_until(lambda: fleet.members["b"].connected, "b connected after add")
    assert sorted(s.engine for s in await fleet.list_containers()) == ["a", "b"]
    await fleet.remove_member("b")
    assert [s.engine for s in await fleet.list_containers()] == ["a"]
    assert [s.name for s in fleet.known] == ["a", "b"]  # still offered by the picker
    await fleet.close()


def test_member_names_may_not_hold_the_separator():
    with pytest.raises(ValueError, match="may not contain"):
        Fleet([fake_spec("a/b")], fake_opener({}))


async def test_a_log_asked_for_while_the_member_connects_goes_ahead_once_it_is_up():
    a = DownableFake("a")
    cid = a.add_container("web")
    a.emit_log(cid, "first line\n")
    gate = asyncio.Event()

    async def open_engine(spec):
        await gate.wait()
        return a

    fleet = Fleet([fake_spec("a")], open_engine)
    fleet.connect_all()
    got = []

    async def read():
        async for chunk in fleet.logs(f"a/{cid}"):
            got.append(chunk.data)

    task = asyncio.create_task(read())
    for _ in range(5):
        await asyncio.sleep(0)
    assert fleet.members["a"].state is MemberState.CONNECTING and not task.done()
    gate.set()
    await wait_until(lambda: got == [b"first line\n"], "the log once a is up")
    await task
    with pytest.raises(EngineError):  # stats do not wait: a stats round must not hang on a connecting engine
        await Fleet([fake_spec("b")], open_engine).stats_once("b/x")
    await fleet.close()


async def test_routed_gives_the_members_engine_and_id_and_refuses_read_only():
    a, b = two_fakes()
    fleet = await started(Fleet([fake_spec("a"), fake_spec("b", read_only=True)], fake_opener({"a": a, "b": b})),
                          "a", "b")
    on = {s.engine: s for s in await fleet.list_containers()}
    assert routed(fleet, on["a"].id) == (a, on["a"].local_id)
    with pytest.raises(ReadOnlyEngine):
        routed(fleet, on["b"].id)
    assert routed(a, "xyz") == (a, "xyz")
    await fleet.close()
