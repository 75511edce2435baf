"""The CLI backend's parsers, on outputs recorded from real clients and samples of documented formats.

See tests/engine/cli_samples/README.md for which is which. Whatever a client prints, the parsers
degrade to "unknown" and never raise.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from tui.engine.cli.logs import _container_lines, _merge, _unstamped, since_arg
from tui.engine.cli.parse import (
    cli_time,
    documents,
    event_from_cli,
    labels_of,
    ports_of,
    size_of,
    stats_from_cli,
    summary_from_cli_inspect,
    summary_from_ps,
)
from tui.engine.types import EventKind, Health, LogStream, Port, State

SAMPLES = Path(__file__).parent / "cli_samples"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def listed(name: str) -> dict[str, object]:
    found = [summary_from_ps(raw, "e") for raw in documents(sample(name))]
    return {s.name: s for s in found if s is not None}


def test_podman_4_ps_names_list_epochs_and_port_objects():
    rows = listed("podman43_ps.json")
    running, exited = rows["cli-rec-a"], rows["cli-rec-b"]
    assert running.state is State.RUNNING and running.health is Health.STARTING
    assert running.id.startswith("4ea4353c") and len(running.id) == 64
    assert running.image == "localhost/bosun-test:latest"
    assert running.ports == (Port(8080, "tcp", "127.0.0.1", 42571),)
    assert dict(running.labels) == {"app": "web", "bosun.test.recipe": "2", "tier": "front"}
    assert running.created == datetime.fromtimestamp(1796179989, timezone.utc)
    assert running.started is not None and running.pid == 2973
    assert exited.state is State.EXITED and exited.exit_code == 3 and exited.ports == ()


def test_docker_ps_strings_for_names_labels_and_ports():
    rows = listed("docker28_ps.jsonl")
    running, exited = rows["cli-rec-a"], rows["cli-rec-b"]
    assert running.state is State.RUNNING and running.health is Health.UNHEALTHY  # "Up 5 minutes (unhealthy)"
    assert len(running.id) == 64  # --no-trunc
    assert running.ports == (Port(8080, "tcp", "127.0.0.1", 32768),)
    assert dict(running.labels) == {"app": "web", "bosun.test.recipe": "2", "tier": "front"}
    assert running.created == datetime(2026, 12, 2, 2, 53, 20, tzinfo=timezone.utc)
    assert exited.state is State.EXITED and exited.exit_code == 3


def test_docker_19_ps_without_state_reads_the_status_text():
    rows = listed("docker1903_ps.jsonl")
    web = rows["shop_web_1"]
    assert web.state is State.RUNNING and web.health is Health.HEALTHY
    assert web.compose_project == "shop" and web.compose_service == "web"
    assert Port(80, "tcp", "0.0.0.0", 8080) in web.ports and Port(443, "tcp") in web.ports
    assert web.created == datetime(2020, 3, 1, 9, 0, tzinfo=timezone.utc)
    assert rows["done"].state is State.EXITED and rows["done"].exit_code == 2
    assert rows["held"].state is State.PAUSED


def test_podman_3_camel_case_ports_with_a_range_and_null_labels():
    rows = listed("podman3_ps.json")
    assert rows["web"].ports == (Port(80, "tcp", None, 8080), Port(81, "tcp", None, 8081))
    assert dict(rows["web"].labels) == {}
    assert rows["tools_false_1"].compose_project == "tools" and rows["tools_false_1"].exit_code == 1


def test_nerdctl_ps_status_only():
    rows = listed("nerdctl_ps.jsonl")
    assert rows["nerd-sleep"].state is State.RUNNING
    assert rows["nerd-sleep"].ports == (Port(9000, "tcp", "127.0.0.1", 9000),)
    assert rows["nerd-sleep"].labels["app"] == "nerd"
    assert rows["nerd-done"].state is State.EXITED and rows["nerd-done"].exit_code == 0
    assert rows["nerd-new"].state is State.CREATED


@pytest.mark.parametrize("tool", ["podman43", "docker28"])
def test_inspect_documents_of_both_clients(tool):
    (running,) = documents(sample(f"{tool}_inspect_running.json"))
    (exited,) = documents(sample(f"{tool}_inspect_exited.json"))
    run = summary_from_cli_inspect(running, "e")
    done = summary_from_cli_inspect(exited, "e")
    assert run.name == "cli-rec-a" and run.state is State.RUNNING and run.detailed
    assert "bosun-test" in run.image and run.tty is False and run.pid
    assert run.labels["app"] == "web" and run.health in (Health.STARTING, Health.HEALTHY)
    assert [p.container_port for p in run.ports] == [8080] and run.ports[0].host_ip == "127.0.0.1"
    assert run.started and run.created and run.created <= run.started
    assert done.state is State.EXITED and done.exit_code == 3 and done.finished


def test_podman_before_4_3_said_healthcheck_for_health():
    (doc,) = documents(sample("podman43_inspect_running.json"))
    state = dict(doc["State"])
    state["Healthcheck"] = {"Status": "unhealthy", "Log": [{"Output": "db not ready\n"}]}
    del state["Health"]
    summary = summary_from_cli_inspect({**doc, "State": state}, "e")
    assert summary.health is Health.UNHEALTHY and summary.health_output == "db not ready\n"


def test_events_of_podman_docker_and_nerdctl():
    podman = [event_from_cli(raw, "e") for raw in documents(sample("podman43_events.jsonl"))]
    assert [e.kind for e in podman] == [EventKind.PAUSED, EventKind.UNPAUSED, EventKind.OTHER, EventKind.STARTED,
                                        EventKind.DIED, EventKind.OTHER]
    died = podman[4]
    assert died.exit_code == 3 and died.name == "cli-rec-b" and died.container_id.startswith("793c7683")
    assert died.time == datetime(2026, 12, 2, 2, 53, 27, 536496, tzinfo=timezone.utc)
    docker = [event_from_cli(raw, "e") for raw in documents(sample("docker28_events.jsonl"))]
    assert [e.kind for e in docker] == [EventKind.PAUSED, EventKind.UNPAUSED, EventKind.STARTED, EventKind.DIED]
    assert docker[3].exit_code == 3 and docker[3].name == "cli-rec-b"
    nerd = [event_from_cli(raw, "e") for raw in documents(sample("nerdctl_events.jsonl"))]
    assert [e.kind if e else None for e in nerd] == [EventKind.CREATED, EventKind.STARTED, EventKind.DIED, None]
    assert nerd[2].exit_code == 137 and nerd[2].container_id.startswith("0f1e2d3c")


def test_podman_leaves_a_zero_exit_code_out_of_a_died_event():
    event = event_from_cli({"ID": "abc", "Name": "n", "Status": "died", "Time": "2026-12-02T02:53:27Z",
                            "Type": "container"}, "e")
    assert event.kind is EventKind.DIED and event.exit_code == 0
    health = event_from_cli({"ID": "abc", "Status": "health_status", "HealthStatus": "unhealthy",
                             "Type": "container"}, "e")
    assert health.kind is EventKind.HEALTH and health.health is Health.UNHEALTHY
    assert event_from_cli({"ID": "img", "Status": "pull", "Type": "image"}, "e") is None


def test_stats_with_units_of_both_clients():
    podman = {raw["name"]: stats_from_cli(raw, 2) for raw in documents(sample("podman43_stats.json"))}
    run = podman["cli-rec-a"]
    assert run.cpu_percent == pytest.approx(0.15) and run.memory_used == 409_600
    assert run.memory_limit == 25_280_000_000 and run.net_rx == 656 and run.net_tx == 976 and run.pids == 2
    docker = {raw["Name"]: stats_from_cli(raw, 2) for raw in documents(sample("docker28_stats.jsonl"))}
    assert docker["cli-rec-a"].memory_used == 460 * 1024
    assert docker["cli-rec-a"].memory_limit == int(23.54 * 1024**3)
    assert docker["cli-rec-b"].memory_limit == 0 and docker["cli-rec-b"].memory_percent is None


@pytest.mark.parametrize("tool", ["podman43", "docker28"])
def test_logs_from_two_pipes_are_put_back_in_time_order(tool):
    out = sample(f"{tool}_logs_stdout.txt").splitlines(keepends=True)
    err = _container_lines(sample(f"{tool}_logs_stderr.txt").splitlines(keepends=True), bytearray())
    merged = _merge(out, err)
    texts = [(stream, line.split(b" ", 1)[1]) for stream, line, _ in merged]
    if tool == "podman43":
        assert texts == [(LogStream.STDOUT, b"out1\n"), (LogStream.STDERR, b"err1\n"), (LogStream.STDOUT, b"out2\n")]
    else:  # Docker stamped err1 a few microseconds before out1: the engine's order, kept
        assert texts == [(LogStream.STDERR, b"err1\n"), (LogStream.STDOUT, b"out1\n"), (LogStream.STDOUT, b"out2\n")]
    assert [line for _, line, _ in _unstamped(merged)] == [t for _, t in texts]


def test_the_clients_own_words_on_stderr_are_not_log_lines():
    chatter = bytearray()
    kept = _container_lines([b'time="2026-12-02T02:53:09Z" level=error msg="unable to get systemd connection"\n',
                             b"2026-12-02T02:53:09.9Z err\n", b"Error: no such container x\n"], chatter)
    assert kept == [b"2026-12-02T02:53:09.9Z err\n"]
    assert b"no such container" in chatter


def test_since_is_rfc3339_nanoseconds_in_utc():
    assert since_arg(datetime(2026, 1, 2, 3, 4, 5, 600, tzinfo=timezone.utc)) == "2026-01-02T03:04:05.000600000Z"
    assert since_arg(0) == "1970-01-01T00:00:00.000000000Z"


def test_small_readers():
    assert size_of("417.8kB") == 417_800 and size_of("1.5GiB") == 3 * 1024**3 // 2 and size_of("--") == 0
    assert size_of(12) == 12 and size_of("0B") == 0
    assert dict(labels_of("a=1,b=x=y,c=,d")) == {"a": "1", "b": "x=y", "c": "", "d": ""}
    assert ports_of("[::]:8080->80/tcp, 53/udp") == (Port(53, "udp"), Port(80, "tcp", "::", 8080))
    assert cli_time(1796179989_000_000_000) == datetime.fromtimestamp(1796179989, timezone.utc)
    assert cli_time("2026-12-02 02:53:20.5 +0100 CET") == datetime(2026, 12, 2, 1, 53, 20, 500000, tzinfo=timezone.utc)
    assert cli_time("3 hours ago") is None and cli_time(True) is None
    assert cli_time(253_402_300_800) is None and cli_time(float("inf")) is None  # past year 9999
    assert documents(b"not json\n{\"a\": 1}\n[{\"b\": 2}]\n") == [{"a": 1}, {"b": 2}]
    assert documents(b"") == [] and documents(b"null") == []


_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                     max_leaves=12)
_fields = st.fixed_dictionaries({}, optional={k: _json for k in (
    "Id", "ID", "Names", "Name", "Image", "State", "Status", "ExitCode", "Created", "CreatedAt", "StartedAt", "Ports",
    "Labels", "Pid", "Config", "NetworkSettings", "HostConfig", "Type", "Action", "Actor", "Time", "Topic", "Event",
    "ContainerExitCode", "HealthStatus", "Attributes", "mem_usage", "MemUsage", "NetIO", "cpu_percent", "pids")})


@given(_fields)
def test_no_shape_of_fields_crashes_a_parser(raw):
    summary_from_ps(raw, "e")
    summary_from_cli_inspect(raw, "e")
    event_from_cli(raw, "e")
    stats_from_cli(raw, 1)
    documents(json.dumps(raw))
