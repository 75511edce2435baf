"""The fleet's one routing table and its all-members answers (on fake members): processes, files, images,
volumes, networks, disk usage and prune reach the right engine with its own ids; read-only members refuse."""

from __future__ import annotations

import asyncio

import pytest

from tests.waits import wait_until
from tui.engine import EngineError, EventsResumed, State
from tui.engine import fleet as fleet_module
from tui.engine.fleet import Fleet, ReadOnlyEngine
from tui.engine.fleet_routing import ROUTES, split_key
from tui.engine.prune import PruneKind
from tui.engine.resources import ResourceEvent
from tui.testing.fleet_fakes import DownableFake, fake_opener, fake_spec

MB = 1 << 20


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    monkeypatch.setattr(fleet_module, "RETRY_DELAYS", (0.02, 0.05))


async def fleet_of(*specs, engines) -> Fleet:
    fleet = Fleet(specs, fake_opener(engines))
    fleet.connect_all()
    live = [s.name for s in specs if s.host.removeprefix("fake://") in engines]
    await wait_until(lambda: all(fleet.members[n].connected for n in live), f"members {live} connected")
    return fleet


def pair():
    a, b = DownableFake("a"), DownableFake("b")
    ids = {"a": a.add_container("web", "nginx:1"), "b": b.add_container("web", "nginx:1")}
    return a, b, ids


def test_every_engine_method_that_names_a_container_or_a_resource_is_routed():
    from tui.engine.base import Engine

    naming = {name for name, value in vars(Engine).items() if callable(value) and not name.startswith("_")
              and name not in ("list_containers", "events", "event_history", "close", "forget", "disk_usage", "prune_plan", "prune",
                               "list_images", "list_volumes", "list_networks")}
    assert naming <= set(ROUTES), f"not routed: {sorted(naming - set(ROUTES))}"
    assert split_key("dock/docker.io/library/busybox:latest") == ("dock", "docker.io/library/busybox:latest")


async def test_processes_and_files_go_to_the_containers_own_engine():
    a, b, ids = pair()
    fleet = await fleet_of(fake_spec("a"), fake_spec("b"), engines={"a": a, "b": b})
    table = await fleet.top(f"b/{ids['b']}")
    assert table.processes and ("top", ids["b"]) not in a.calls
    tree = await fleet.list_dir(f"b/{ids['b']}", "/etc")
    assert tree.list("/etc")
    preview = await fleet.read_file(f"a/{ids['a']}", "/etc/hostname")
    assert preview.data
    chunks = fleet.get_archive(f"b/{ids['b']}", "/etc")
    assert await chunks.__anext__()
    await chunks.aclose()
    await fleet.signal_process(f"a/{ids['a']}", 7, "SIGTERM", host_pid=False)
    await fleet.close()


async def test_read_only_member_refuses_what_changes_inside_and_allows_what_reads():
    a, b, ids = pair()
    b.resources.add_image("tool:1")
    fleet = await fleet_of(fake_spec("a"), fake_spec("b", read_only=True), engines={"a": a, "b": b})
    await fleet.top(f"b/{ids['b']}")
    with pytest.raises(ReadOnlyEngine, match="signal process.*turned off on b"):
        await fleet.signal_process(f"b/{ids['b']}", 7, "SIGTERM", host_pid=False)
    image = next(i for i in await fleet.list_images() if i.engine == "b")
    with pytest.raises(ReadOnlyEngine, match="on b"):
        await fleet.remove_image(image.id)
    await fleet.close()


async def test_resource_lists_are_every_members_keyed_with_the_real_id_kept():
    a, b, ids = pair()
    img_a = a.resources.add_image("tool:1", size=3 * MB)
    img_b = b.resources.add_image("tool:1", size=3 * MB)
    a.resources.add_volume("data")
    b.resources.add_volume("data")
    net_b = b.resources.add_network("front")
    b.resources.attach(net_b, ids["b"])
    fleet = await fleet_of(fake_spec("a"), fake_spec("b"), engines={"a": a, "b": b})
    images = {i.id: i for i in await fleet.list_images()}
    assert {f"a/{img_a}", f"b/{img_b}"} <= set(images)
    assert images[f"b/{img_b}"].real_id == img_b and images[f"b/{img_b}"].engine == "b"
    assert images[f"b/{img_b}"].short_id == img_b.removeprefix("sha256:")[:12]
    volumes = {v.name: v for v in await fleet.list_volumes()}
    assert {"a/data", "b/data"} <= set(volumes) and volumes["a/data"].real_name == "data"
    front = next(n for n in await fleet.list_networks() if n.engine == "b" and n.real_id == net_b)
    assert front.attachments[0].container.id == f"b/{ids['b']}"  # as the container list names it

    await fleet.remove_volume("b/data")
    assert "data" in {v.name for v in await a.list_volumes()} and "data" not in {v.name for v in await b.list_volumes()}
    await fleet.tag_image(f"a/{img_a}", "tool", "2")
    assert "tool:2" in next(i for i in await a.list_images() if i.id == img_a).tags
    assert (await fleet.inspect_image(f"b/{img_b}"))
    await fleet.disconnect_network(front.id, f"b/{ids['b']}")
    with pytest.raises(EngineError, match="one call reaches one engine"):
        await fleet.connect_network(front.id, f"a/{ids['a']}")
    await fleet.close()


async def test_a_member_down_is_left_out_of_the_lists_and_the_others_answer():
    a, _, _ = pair()
    a.resources.add_image("only-a:1")
    fleet = await fleet_of(fake_spec("a"), fake_spec("gone", host="fake://refused"), engines={"a": a})
    assert {i.engine for i in await asyncio.wait_for(fleet.list_images(), 2)} == {"a"}
    usage = await fleet.disk_usage()
    assert {row.engine for row in usage.rows} == {"a"}
    assert any(note.startswith("gone:") for note in usage.notes)
    await fleet.close()


async def test_prune_plans_on_each_writable_engine_and_reports_per_engine():
    a, b, c = DownableFake("a"), DownableFake("b"), DownableFake("c")
    old = {}
    for name, fake in (("a", a), ("b", b), ("c", c)):
        old[name] = fake.add_container("old-job", "alpine:3", state=State.EXITED, exit_code=0)
        fake.storage.container_sizes[old[name]] = 3 * MB
        fake.storage.add_image(size=40 * MB)
    fleet = await fleet_of(fake_spec("a"), fake_spec("b"), fake_spec("c", read_only=True),
                           engines={"a": a, "b": b, "c": c})
    plan = await fleet.prune_plan(frozenset({PruneKind.CONTAINERS, PruneKind.IMAGES}))
    assert plan.engines() == ["a", "b"]
    assert "c: read-only, left out" in plan.notes
    assert {i.id for i in plan.items if i.kind is PruneKind.CONTAINERS} == {f"a/{old['a']}", f"b/{old['b']}"}
    report = await fleet.prune(plan)
    assert len(report.removed) == 4 and not report.kept
    assert report.freed_on("a") == report.freed_on("b") == 43 * MB and report.freed == 86 * MB
    assert {i.id for i in report.removed} == {i.id for i in plan.items}  # keyed, as the plan was
    assert old["c"] in c.container_ids() and old["a"] not in a.container_ids()
    await fleet.close()


async def test_resource_events_pass_through_keyed():
    a, _, _ = pair()
    fleet = await fleet_of(fake_spec("a"), engines={"a": a})
    seen: list = []

    async def read():
        async for event in fleet.events():
            seen.append(event)

    task = asyncio.create_task(read())
    await wait_until(lambda: any(isinstance(e, EventsResumed) for e in seen), "the member resumed")
    image = a.resources.add_image("fresh:1")
    await wait_until(lambda: any(isinstance(e, ResourceEvent) and e.id == f"a/{image}" for e in seen),
                     "the image event, keyed", detail=lambda: repr(seen[-3:]))
    task.cancel()
    await fleet.close()
