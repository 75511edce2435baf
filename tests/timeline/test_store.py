"""The timeline store: what an event means, bounds, replay and live together, restart loops."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import MappingProxyType

from tui.engine.types import ContainerEvent, ContainerSummary, EventKind, Health, State
from tui.timeline import TimelineStore, What

T0 = datetime(2026, 1, 1, 12, 0, 0, tzinfo=timezone.utc)


def event(kind: EventKind, at: float, cid: str = "c1", *, action: str | None = None, code: int | None = None,
          health: Health | None = None, **attributes: str) -> ContainerEvent:
    return ContainerEvent(kind=kind, action=action or kind.value, container_id=cid, engine="docker",
                          time=T0 + timedelta(seconds=at), name=attributes.pop("name", "web"), exit_code=code,
                          health=health, attributes=MappingProxyType(attributes))


def test_a_death_says_its_exit_code_and_how_long_the_run_lasted():
    store = TimelineStore()
    store.add(event(EventKind.CREATED, 0))
    store.add(event(EventKind.STARTED, 1))
    died = store.add(event(EventKind.DIED, 3.5, code=3))
    assert died.what is What.DIED and died.exit_code == 3 and died.ran_for == 2.5
    assert died.words() == "died (exit 3) after 2.5s"
    assert [e.what for e in store.entries("c1")] == [What.DIED, What.STARTED, What.CREATED]  # newest first


def test_a_death_with_no_start_seen_takes_the_start_time_the_list_gave():
    store = TimelineStore()
    store.note(ContainerSummary("c1", "web", "img", State.RUNNING, "docker", started=T0, detailed=True))
    died = store.add(event(EventKind.DIED, 60, code=0))
    assert died.ran_for == 60


def test_events_the_timeline_has_no_words_for_are_left_out_and_exec_is_kept():
    store = TimelineStore()
    assert store.add(event(EventKind.OTHER, 0, action="attach")) is None
    assert store.add(event(EventKind.OTHER, 0, action="cleanup")) is None
    ran = store.add(event(EventKind.OTHER, 1, action="exec_start: sh -c ls"))
    assert ran.what is What.EXEC and ran.detail == "sh -c ls"
    killed = store.add(event(EventKind.KILLED, 2, signal="15"))
    assert killed.detail == "signal 15"
    renamed = store.add(event(EventKind.RENAMED, 3, name="api", oldName="/web"))
    assert renamed.name == "api" and renamed.detail == "was web"


def test_the_same_event_from_the_replay_and_the_live_stream_is_kept_once_in_time_order():
    store = TimelineStore()
    live = [event(EventKind.STARTED, 10), event(EventKind.DIED, 12, code=1)]
    for e in live:
        store.add(e)
    added = store.add_history([event(EventKind.CREATED, 5), event(EventKind.STARTED, 10)])
    assert added == 1
    assert [e.what for e in store.entries("c1")] == [What.DIED, What.STARTED, What.CREATED]
    assert store.entries("c1")[-1].replayed


def test_memory_is_bounded_per_container_overall_and_in_containers():
    store = TimelineStore(per_container=10, overall=25, containers=3)
    for i in range(100):
        store.add(event(EventKind.STARTED, i, cid=f"c{i // 20}"))  # 20 each for c0..c4
    assert len(store.entries()) == 25
    kept = [k for k in (f"c{i}" for i in range(5)) if store.entries(k)]
    assert kept == ["c2", "c3", "c4"] and all(len(store.entries(k)) == 10 for k in kept)
    assert len(store._seen) <= 4 * 25


def test_health_flips_get_the_check_output_from_the_inspect_that_follows():
    store = TimelineStore()
    store.add(event(EventKind.HEALTH, 1, action="health_status: unhealthy", health=Health.UNHEALTHY))
    summary = ContainerSummary("c1", "web", "img", State.RUNNING, "docker", health=Health.UNHEALTHY,
                               health_output="cat: can't open '/tmp/ok'\n", detailed=True)
    assert store.note(summary)
    assert store.entries("c1")[0].detail == "cat: can't open '/tmp/ok'"
    assert not store.note(summary)  # filled once


def test_a_death_the_oom_killer_caused_says_so_when_the_engine_sent_no_oom_event():
    store = TimelineStore()
    store.add(event(EventKind.STARTED, 0))
    store.add(event(EventKind.DIED, 1, code=137))
    store.note(ContainerSummary("c1", "web", "img", State.EXITED, "docker", exit_code=137, oom_killed=True,
                                detailed=True))
    latest = store.entries("c1")[0]
    assert latest.what is What.OOM and latest.words() == "OOM-killed (exit 137) after 1.0s"


def test_docker_s_oom_event_is_kept_and_the_death_after_it_stays_a_death():
    store = TimelineStore()
    store.add(event(EventKind.OOM, 1))
    store.add(event(EventKind.DIED, 1.01, code=137))
    store.note(ContainerSummary("c1", "web", "img", State.EXITED, "docker", exit_code=137, oom_killed=True,
                                detailed=True))
    assert [e.what for e in store.entries("c1")] == [What.DIED, What.OOM]


def test_restarts_count_starts_after_a_death_within_the_window_and_flag_a_loop():
    store = TimelineStore()
    store.add(event(EventKind.STARTED, 0))
    for i in range(5):  # a restart policy: die, start, die, start...
        store.add(event(EventKind.DIED, 10 * i + 5, code=1))
        # Podman also says `restart` before the start; one restart either way.
        store.add(event(EventKind.RESTARTED, 10 * i + 6))
        store.add(event(EventKind.STARTED, 10 * i + 7))
    now = T0 + timedelta(seconds=50)
    assert store.restarts("c1", now, timedelta(minutes=5)) == 5
    assert store.restarts("c1", now, timedelta(seconds=20)) == 2
    assert store.looping(now, 3, timedelta(minutes=5)) == {"c1": 5}
    assert store.looping(now, 5, timedelta(minutes=5)) == {}
    assert store.looping(now + timedelta(minutes=10), 3, timedelta(minutes=5)) == {}


def test_a_stop_and_start_by_hand_is_a_restart_but_a_first_start_is_not():
    store = TimelineStore()
    store.add(event(EventKind.CREATED, 0))
    store.add(event(EventKind.STARTED, 1))
    assert store.restarts("c1", T0 + timedelta(seconds=2), timedelta(minutes=5)) == 0


def test_the_strip_gives_the_last_deaths_within_the_hour_oldest_first():
    store = TimelineStore()
    for i, code in enumerate((1, 2, 3, 4)):
        store.add(event(EventKind.STARTED, i * 10))
        store.add(event(EventKind.DIED, i * 10 + 1, code=code))
    deaths = store.last_deaths("c1", T0 + timedelta(seconds=40), timedelta(hours=1))
    assert [d.exit_code for d in deaths] == [2, 3, 4]
    assert store.last_deaths("c1", T0 + timedelta(hours=2), timedelta(hours=1)) == []


def test_filter_text_matches_name_words_and_detail():
    store = TimelineStore()
    store.add(event(EventKind.DIED, 1, code=3))
    store.add(event(EventKind.OTHER, 2, action="exec_start: top", cid="c2", name="db"))
    assert [e.key for e in store.entries(text="exit 3")] == ["c1"]
    assert [e.key for e in store.entries(text="DB top")] == ["c2"]


def test_a_sigkill_nobody_sent_through_the_engine_says_the_oom_killer_is_likely():
    store = TimelineStore()
    store.add(event(EventKind.STARTED, 0))
    assert "OOM killer" in store.add(event(EventKind.DIED, 1, code=137)).detail
    store.add(event(EventKind.STARTED, 2))
    store.add(event(EventKind.KILLED, 3, signal="9"))
    assert store.add(event(EventKind.DIED, 3.1, code=137)).detail == ""


def test_podman_s_health_events_say_starting_after_each_check_and_the_inspect_tells_the_flip():
    store = TimelineStore()
    for at in (1, 2, 3):
        assert store.add(event(EventKind.HEALTH, at, action="health_status", health=Health.STARTING)) is None
    running = dict(id="c1", name="web", image="img", state=State.RUNNING, engine="podman", detailed=True)
    assert store.note(ContainerSummary(**running, health=Health.HEALTHY, health_output=""))
    assert not store.note(ContainerSummary(**running, health=Health.HEALTHY))  # the same again: nothing new
    assert store.note(ContainerSummary(**running, health=Health.UNHEALTHY, health_output="no /tmp/ok"))
    assert [(e.what, e.detail) for e in store.entries("c1")] == [(What.UNHEALTHY, "no /tmp/ok"), (What.HEALTHY, "")]


def test_docker_s_health_event_and_the_inspect_after_it_make_one_entry():
    store = TimelineStore()
    store.add(event(EventKind.HEALTH, 1, action="health_status: unhealthy", health=Health.UNHEALTHY))
    store.note(ContainerSummary("c1", "web", "img", State.RUNNING, "docker", health=Health.UNHEALTHY,
                                health_output="boom", detailed=True))
    assert store.add(event(EventKind.HEALTH, 2, action="health_status: unhealthy", health=Health.UNHEALTHY)) is None
    assert [(e.what, e.detail) for e in store.entries("c1")] == [(What.UNHEALTHY, "boom")]
    store.add(event(EventKind.STARTED, 3))  # a new run: the same health is news again
    assert store.add(event(EventKind.HEALTH, 4, action="health_status: unhealthy", health=Health.UNHEALTHY))


def test_a_healthy_container_s_first_inspect_with_no_check_event_is_no_health_news():
    store = TimelineStore()
    store.add(event(EventKind.PAUSED, 1))
    assert not store.note(ContainerSummary("c1", "web", "img", State.PAUSED, "docker", health=Health.HEALTHY,
                                           detailed=True))
    assert [e.what for e in store.entries("c1")] == [What.PAUSED]


def test_many_busy_containers_share_the_budget_of_entries_instead_of_thrashing():
    store = TimelineStore(per_container=200, overall=100, containers=2000, held=2000)
    for i in range(50):
        for c in range(200):
            store.add(event(EventKind.STARTED if i % 2 else EventKind.DIED, i * 200 + c, cid=f"c{c}", code=1))
    held = [len(store.entries(f"c{c}")) for c in range(200)]
    assert sum(held) <= 2000 and min(held) >= 9, held  # each keeps its last ten or so
    assert store._held == sum(held)
