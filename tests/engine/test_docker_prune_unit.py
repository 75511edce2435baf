"""Docker pruning in shapes the engines here do not answer in: build cache records as API 1.42 lists
them (`Parents`), a record in use again at prune time, and `/system/df` in each engine's shape. The
build cache of a real BuildKit build is in test_contract_prune.py."""

from __future__ import annotations

import json
from contextlib import asynccontextmanager

from tui.engine.docker_prune import DockerHousekeeping, usage_from_df
from tui.engine.prune import PruneItem, PruneKind, PrunePlan


class StubApi:
    """Answers like Docker 20.10 with two build cache records, one in use."""

    kind = "docker"

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict]] = []
        self.cache = [
            {"ID": "aaaa1111", "Type": "regular", "Description": "mount / from exec", "Size": 5000, "InUse": False,
             "Shared": False, "LastUsedAt": "2026-12-01T10:00:00Z"},
            {"ID": "bbbb2222", "Type": "regular", "Description": "in use", "Size": 7000, "InUse": True,
             "Shared": False, "LastUsedAt": "2026-12-01T11:00:00Z"},
        ]

    async def _json(self, path, *, params=None):
        self.requests.append(("GET", path, dict(params or {})))
        if path == "system/df":
            return {"LayersSize": 0, "Images": [], "Containers": [], "Volumes": [], "BuildCache": self.cache}
        return []

    async def _call(self, path, method="POST", *, params=None, timeout=None, body=None):
        self.requests.append((method, path, dict(params or {})))
        return 204

    @asynccontextmanager
    async def _request(self, path, method="GET", *, params=None, timeout=None, body=None):
        self.requests.append((method, path, dict(params or {})))
        wanted = json.loads(params["filters"])["id"][0]
        deleted = [c["ID"] for c in self.cache if f"^{c['ID']}$" == wanted and not c["InUse"]]

        class Answer:
            async def json(self, content_type=None):
                return {"CachesDeleted": deleted, "SpaceReclaimed": 5000 if deleted else 0}

        yield Answer()


async def test_build_cache_preview_lists_records_not_in_use():
    api = StubApi()
    plan = await DockerHousekeeping(api).plan(frozenset({PruneKind.BUILD_CACHE}))
    assert [i.id for i in plan.items] == ["aaaa1111"] and plan.items[0].size == 5000


async def test_build_cache_is_pruned_one_record_at_a_time_by_an_anchored_id():
    api = StubApi()
    plan = PrunePlan((PruneItem(PruneKind.BUILD_CACHE, "aaaa1111", "aaaa1111", 5000),
                      PruneItem(PruneKind.BUILD_CACHE, "bbbb2222", "bbbb2222", 7000)),
                     frozenset({PruneKind.BUILD_CACHE}))
    report = await DockerHousekeeping(api).prune(plan)
    prunes = [(m, p, q) for m, p, q in api.requests if p == "build/prune"]
    assert [json.loads(q["filters"]) for _, _, q in prunes] == [{"id": ["^aaaa1111$"]}, {"id": ["^bbbb2222$"]}]
    assert all(q["all"] == "1" for _, _, q in prunes)
    assert [i.id for i in report.removed] == ["aaaa1111"]
    assert [i.id for i, _ in report.kept] == ["bbbb2222"]  # in use again: the engine did not remove it
    assert report.reclaimed == 5000 and report.freed == 5000  # the engine's figure


async def test_build_cache_records_come_before_those_they_rest_on_either_api_shape():
    api = StubApi()
    api.cache = [
        {"ID": "base", "Parent": "", "Size": 0, "Shared": True, "LastUsedAt": "2026-12-01T10:00:00Z"},
        {"ID": "step1", "Parent": "base", "Size": 10, "LastUsedAt": "2026-12-01T10:00:01Z"},
        {"ID": "step2", "Parents": ["step1"], "Size": 20, "LastUsedAt": "2026-12-01T10:00:02Z"},
        {"ID": "loose", "Size": 30, "LastUsedAt": "2026-12-01T09:00:00Z"},
    ]
    plan = await DockerHousekeeping(api).plan(frozenset({PruneKind.BUILD_CACHE}))
    assert [i.id for i in plan.items] == ["step2", "step1", "loose", "base"]
    assert plan.items[-1].detail.startswith("shared with an image")


async def test_build_cache_is_left_out_on_podman_and_when_scoped_by_label():
    api = StubApi()
    assert not (await DockerHousekeeping(api).plan(frozenset({PruneKind.BUILD_CACHE}), labels={"a": "b"})).items
    api.kind = "podman"
    plan = await DockerHousekeeping(api).plan(frozenset({PruneKind.BUILD_CACHE}))
    assert not plan.items and "Podman" in plan.notes[0]


def test_df_in_dockers_shape_and_in_podmans():
    docker = {
        "LayersSize": 3000,
        "Images": [{"Id": "sha256:a", "Size": 2000, "SharedSize": 500, "Containers": 1},
                   {"Id": "sha256:b", "Size": 1500, "SharedSize": 500, "Containers": 0}],
        "Containers": [{"Id": "c1", "State": "running", "SizeRw": 10}, {"Id": "c2", "State": "exited"}],
        "Volumes": [{"Name": "v1", "UsageData": {"RefCount": 1, "Size": 100}},
                    {"Name": "v2", "UsageData": {"RefCount": 0, "Size": -1}}],
        "BuildCache": None,
    }
    rows = {r.kind: r for r in usage_from_df(docker, podman=False).rows}
    assert (rows["Images"].total, rows["Images"].active, rows["Images"].size, rows["Images"].reclaimable) == \
        (2, 1, 3000, 1500)  # 3000 minus what the used image holds of its own (2000 - 500)
    assert (rows["Containers"].size, rows["Containers"].reclaimable) == (10, 0)  # Docker omits SizeRw 0
    assert (rows["Local volumes"].active, rows["Local volumes"].size) == (1, 100)  # -1: not measured
    assert rows["Build cache"].total == 0
    podman = {**docker, "LayersSize": 0, "BuildCache": []}
    usage = usage_from_df(podman, podman=True)
    rows = {r.kind: r for r in usage.rows}
    assert rows["Images"].size == 3500 and "Build cache" not in rows and usage.notes
