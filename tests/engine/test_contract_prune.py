"""Contract: disk usage and prune with a preview, the same on Docker, Podman and the fake (issue 14).

Every plan here is scoped to the session's label, so the tests list and remove only what they made
(the engines are shared; bosun-test:latest must survive). What each prune removed is compared with its
preview: nothing that was not listed goes, and what was listed and is still unused does.
"""

from __future__ import annotations

import pytest

from tests.engine.prune_stuff import Stuff
from tui.engine import State
from tui.engine.prune import PruneKind

# The API backends and the fake: the CLI backend does not prune (it says so).
pytestmark = [pytest.mark.engine,
              pytest.mark.parametrize("engine_harness", ["docker", "podman", "fake"], indirect=True)]

EVERY = frozenset(PruneKind)


@pytest.fixture
async def stuff(engine_harness):
    made = Stuff(engine_harness)
    try:
        yield made
    finally:
        await made.cleanup()


async def test_the_preview_lists_exactly_the_unused_things_with_the_engines_sizes(stuff):
    h, e = stuff.h, stuff.h.engine
    exited = await h.exited("gone", 3)
    created = await h.created("never")
    running = await h.idle("up")
    dangling = await stuff.image("app")
    tagged = await stuff.image("app")  # takes the tag: the first is dangling now
    spare_volume = await stuff.volume("spare")
    used_volume = await stuff.volume("used")
    spare_network = await stuff.network("spare")
    used_network = await stuff.network("used")
    await stuff.user("user", volume=used_volume, network=used_network)

    plan = await e.prune_plan(EVERY, labels=h.labels)
    listed = {(i.kind, i.id) for i in plan.items}
    assert {i.id for i in plan.of(PruneKind.CONTAINERS)} == {exited, created}
    assert running not in {i.id for i in plan.items}
    assert [i.id.split(":")[-1] for i in plan.of(PruneKind.IMAGES)] == [dangling]
    assert plan.of(PruneKind.IMAGES)[0].name == "<none>" and plan.of(PruneKind.IMAGES)[0].refs == ()
    assert tagged not in {i.id.split(":")[-1] for i in plan.items}
    assert [i.id for i in plan.of(PruneKind.VOLUMES)] == [spare_volume]
    assert [i.id for i in plan.of(PruneKind.NETWORKS)] == [spare_network]
    assert not plan.of(PruneKind.BUILD_CACHE)  # it has no labels: left out, and the plan says why
    assert any("Build cache" in n or "build cache" in n for n in plan.notes)
    image_size = plan.of(PruneKind.IMAGES)[0].size
    assert image_size is not None and image_size > 0
    assert plan.size() == sum(i.size or 0 for i in plan.items)
    assert len(listed) == len(plan.items)


async def test_prune_removes_what_was_listed_and_nothing_that_came_after(stuff):
    h, e = stuff.h, stuff.h.engine
    exited = await h.exited("old", 1)
    dangling = await stuff.image("svc")
    kept_image = await stuff.image("svc")
    volume = await stuff.volume("old")
    network = await stuff.network("old")
    plan = await e.prune_plan(EVERY, labels=h.labels)
    assert {i.kind for i in plan.items} == {PruneKind.CONTAINERS, PruneKind.IMAGES, PruneKind.VOLUMES,
                                            PruneKind.NETWORKS}

    # After the preview: a new stopped container, a new dangling image, a new unused volume and network.
    later = await h.exited("later", 2)
    later_dangling = kept_image
    await stuff.image("svc")  # kept_image is dangling now too, but was not listed
    later_volume = await stuff.volume("later")
    later_network = await stuff.network("later")

    report = await e.prune(plan)
    assert {i.id for i in report.removed} == {i.id for i in plan.items}, report.kept
    assert not report.kept and not report.gone
    assert report.freed == plan.size()
    assert not await stuff.exists("image", dangling)
    assert not await stuff.exists("volume", volume) and not await stuff.exists("network", network)
    ids = {s.id for s in await e.list_containers(detailed=False, labels=h.labels)}
    assert exited not in ids and later in ids
    assert await stuff.exists("image", later_dangling)
    assert await stuff.exists("volume", later_volume) and await stuff.exists("network", later_network)


async def test_what_became_used_or_tagged_after_the_preview_is_kept_and_said_so(stuff):
    h, e = stuff.h, stuff.h.engine
    stopped = await h.idle("back")
    await e.stop(stopped, grace=5)
    dangling = await stuff.image("web")
    await stuff.image("web")
    plan = await e.prune_plan(frozenset({PruneKind.CONTAINERS, PruneKind.IMAGES}), labels=h.labels)
    assert {i.id.split(":")[-1] for i in plan.items} == {stopped, dangling}

    await e.start(stopped)  # running again: the engine refuses to remove it
    await stuff.tag(dangling, "rescued")  # tagged again: no longer what was listed
    report = await e.prune(plan)
    assert not report.removed
    kept = {item.id.split(":")[-1]: why for item, why in report.kept}
    assert set(kept) == {stopped, dangling}
    assert "tagged since the preview" in kept[dangling]
    assert "running" in kept[stopped].lower() or "stop" in kept[stopped].lower()  # the engine's own words
    assert (await e.summary(stopped)).state is State.RUNNING
    assert await stuff.exists("image", dangling)
    assert report.freed == 0


async def test_all_unused_images_are_removed_by_their_listed_tags(stuff):
    h, e = stuff.h, stuff.h.engine
    image = await stuff.image("tool")
    plan = await e.prune_plan(frozenset({PruneKind.IMAGES}), all_images=True, labels=h.labels)
    (item,) = plan.items
    assert item.id.split(":")[-1] == image and item.refs and stuff.ref("tool").split(":")[0] in item.refs[0]
    report = await e.prune(plan)
    assert [i.id for i in report.removed] == [item.id] and report.freed == item.size
    assert not await stuff.exists("image", image)


async def test_disk_usage_has_a_row_per_kind_like_docker_system_df(stuff):
    h, e = stuff.h, stuff.h.engine
    await stuff.image("df")
    await stuff.volume("df")
    await h.exited("df", 0)
    usage = await e.disk_usage()
    rows = {r.kind: r for r in usage.rows}
    assert {"Images", "Containers", "Local volumes"} <= set(rows)
    assert rows["Images"].total >= 1 and rows["Images"].size > 0
    assert rows["Containers"].total >= 1 and rows["Containers"].active <= rows["Containers"].total
    assert rows["Local volumes"].total >= 1
    for row in usage.rows:
        assert 0 <= row.reclaimable <= max(row.size, 0) or row.size == 0
    if h.kind == "podman":
        assert "Build cache" not in rows and any("build cache" in n for n in usage.notes)
    else:
        assert "Build cache" in rows


async def test_an_image_removed_by_someone_else_after_the_preview_is_gone_not_an_error(stuff):
    h, e = stuff.h, stuff.h.engine
    dangling = await stuff.image("twice")
    await stuff.image("twice")
    plan = await e.prune_plan(frozenset({PruneKind.IMAGES}), labels=h.labels)
    assert [i.id.split(":")[-1] for i in plan.items] == [dangling]
    first = await e.prune(plan)
    assert len(first.removed) == 1
    again = await e.prune(plan)  # what the first prune took is gone now
    assert not again.removed and not again.kept and [i.id for i in again.gone] == [plan.items[0].id]


async def test_a_builds_cache_is_listed_with_the_engines_sizes_and_pruned_to_the_engines_figure(stuff):
    """Docker (BuildKit) and the fake keep a build cache; Podman's API shows none, even after a build."""
    h, e = stuff.h, stuff.h.engine
    mine = await stuff.build("cached")
    plan = await e.prune_plan(frozenset({PruneKind.BUILD_CACHE}))  # unscoped: the cache carries no labels
    if h.kind == "podman":
        assert not mine and not plan.items  # a real build, and still no record the API shows
        assert plan.notes == ("Podman keeps no build cache the API shows",)
        assert "Build cache" not in {r.kind for r in (await e.disk_usage()).rows}
        return
    assert mine, "the build left no build cache records"
    listed = {i.id: i for i in plan.of(PruneKind.BUILD_CACHE)}
    assert mine <= set(listed), (mine, plan)
    ours = plan.only(mine)
    if h.kind == "docker":  # the sizes are /system/df's, record by record
        sizes = {b["ID"]: b["Size"] for b in await stuff._cache_records()}
        assert {i.id: i.size for i in ours.items} == {i: sizes[i] for i in mine}
    assert ours.size() > 0
    # A record BuildKit keeps while another rests on it: the plan lists the ones resting first, so all go.
    report = await e.prune(ours)
    assert {i.id for i in report.removed} == mine, report.kept
    assert not report.kept and not report.gone
    assert report.reclaimed == report.freed == ours.size()  # what the engine said it reclaimed
    assert not await stuff.cache_left(mine)
