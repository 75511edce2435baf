"""Unit: raw engine documents become domain types."""

from __future__ import annotations

from tui.engine.parse import event_from_raw, stats_from_raw, summary_from_list
from tui.engine.types import EventKind, Health, Port, State


def test_list_entry_gives_exit_code_health_and_ports():
    raw = {
        "Id": "abc", "Names": ["/web"], "Image": "nginx", "State": "exited", "Status": "Exited (137) 3 minutes ago",
        "Created": 1700000000, "Labels": {"com.docker.compose.project": "shop"},
        "Ports": [{"PrivatePort": 80, "PublicPort": 8080, "Type": "tcp", "IP": "0.0.0.0"},
                  {"PrivatePort": 80, "PublicPort": 8080, "Type": "tcp", "IP": "::"},
                  {"PrivatePort": 443, "Type": "tcp"}],
    }
    s = summary_from_list(raw, "docker")
    assert (s.name, s.state, s.exit_code, s.compose_project) == ("web", State.EXITED, 137, "shop")
    assert s.ports == (Port(80, "tcp", "0.0.0.0", 8080), Port(443, "tcp"))
    assert s.ports[0].url() == "http://localhost:8080" and s.ports[1].url() is None
    running = summary_from_list({**raw, "State": "running", "Status": "Up 2 hours (health: starting)"}, "docker")
    assert running.health is Health.STARTING and running.exit_code is None


def test_podman_states_fold_onto_dockers():
    assert State.parse("configured") is State.CREATED
    assert State.parse("stopped") is State.EXITED
    assert State.parse("Running") is State.RUNNING


def test_events_docker_and_podman_forms():
    docker = {"Type": "container", "Action": "health_status: unhealthy", "Actor": {"ID": "c1", "Attributes": {"name": "db"}},
              "timeNano": 1700000000000000000}
    event = event_from_raw(docker, "docker")
    assert event.kind is EventKind.HEALTH and event.health is Health.UNHEALTHY and event.name == "db"
    died = event_from_raw({"Type": "container", "Action": "die", "Actor": {"ID": "c1", "Attributes": {"exitCode": "3"}}}, "d")
    assert died.kind is EventKind.DIED and died.exit_code == 3
    podman = event_from_raw({"Type": "container", "Action": "remove", "Actor": {"ID": "c1", "Attributes": {}}}, "podman")
    assert podman.kind is EventKind.DESTROYED
    assert event_from_raw({"Type": "image", "Action": "pull", "Actor": {"ID": "i"}}, "d") is None
    assert event_from_raw({"Type": "container", "Action": "exec_start: sh", "Actor": {"ID": "c"}}, "d").kind is EventKind.OTHER


def _raw(total, system, pre_total=0, pre_system=0, cpus=4):
    return {
        "read": "2026-11-23T20:00:00.5Z",
        "cpu_stats": {"cpu_usage": {"total_usage": total}, "system_cpu_usage": system, "online_cpus": cpus},
        "precpu_stats": {"cpu_usage": {"total_usage": pre_total}, "system_cpu_usage": pre_system},
        "memory_stats": {"usage": 100 << 20, "limit": 1 << 30, "stats": {"total_inactive_file": 20 << 20}},
        "networks": {"eth0": {"rx_bytes": 10, "tx_bytes": 20}, "eth1": {"rx_bytes": 1, "tx_bytes": 2}},
        "blkio_stats": {"io_service_bytes_recursive": [{"op": "Read", "value": 7}, {"op": "write", "value": 9}]},
        "pids_stats": {"current": 5},
    }


def test_stats_cpu_is_per_core_like_docker_stats():
    # 2 s of CPU time over 4 s of machine time on 4 CPUs: two cores busy = 200 %.
    sample = stats_from_raw(_raw(3_000_000_000, 8_000_000_000, 1_000_000_000, 4_000_000_000))
    assert sample.cpu_percent == 200.0 and sample.cpu_percent_of_machine == 50.0
    assert sample.memory_used == 80 << 20 and sample.memory_limit == 1 << 30
    assert (sample.net_rx, sample.net_tx, sample.block_read, sample.block_write, sample.pids) == (11, 22, 7, 9, 5)


def test_stats_without_precpu_use_the_previous_sample():
    first = _raw(1_000_000_000, 4_000_000_000)
    assert stats_from_raw(first).cpu_percent is None
    second = stats_from_raw(_raw(2_000_000_000, 8_000_000_000), previous=first)
    assert second.cpu_percent == 100.0
