"""`top` answers as Docker and Podman give them, read into one table."""

from __future__ import annotations

from tui.engine.processes import container_pid, elapsed_text, parse_top


def test_docker_with_our_columns():
    raw = {"Titles": ["PID", "USER", "%CPU", "RSS", "ELAPSED", "COMMAND"],
           "Processes": [["5526", "root", "1.7", "1516", "01:02", "sh -c sleep 1000 & wait"],
                         ["5568", "www-data", "0.0", "1380", "1-02:03:04", "sleep 1000"]]}
    table = parse_top(raw, host_pids=True)
    assert table.host_pids
    first, second = table.processes
    assert (first.pid, first.user, first.cpu, first.memory, first.command) == (
        5526, "root", 1.7, 1516 * 1024, "sh -c sleep 1000 & wait")
    assert second.elapsed == "1-02:03:04"


def test_docker_default_titles_when_our_columns_are_refused():
    raw = {"Titles": ["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"],
           "Processes": [["root", "5526", "5489", "1", "02:57", "?", "00:00:00", "sh -c sleep 1000"]]}
    (p,) = parse_top(raw, host_pids=True).processes
    assert (p.pid, p.user, p.cpu, p.memory, p.command) == (5526, "root", 1.0, None, "sh -c sleep 1000")


def test_podman_with_our_columns_and_go_durations():
    raw = {"Titles": ["PID", "USER", "%CPU", "RSS", "ELAPSED", "COMMAND"],
           "Processes": [["1", "root", "0.000", "1516", "23.522649185s", "sh -c sleep 1000 & wait"],
                         ["6", "root", "0.000", "1376", "26h3m4.1s", "sleep 1000"]]}
    table = parse_top(raw, host_pids=False)
    assert [p.elapsed for p in table.processes] == ["00:23", "1-02:03:04"]
    assert not table.host_pids


def test_podman_default_one_string_rows():
    raw = {"Titles": ["PID   USER     COMMAND"],
           "Processes": [["1 root     sh -c sleep 1000 & sleep 2000 & wait"], ["6 root     sleep 1000"]]}
    first, second = parse_top(raw, host_pids=False).processes
    assert (first.pid, first.user, first.command) == (1, "root", "sh -c sleep 1000 & sleep 2000 & wait")
    assert first.cpu is None and first.memory is None
    assert (second.pid, second.command) == (6, "sleep 1000")


def test_rows_without_a_pid_are_dropped_and_empty_answers_are_empty():
    assert parse_top({"Titles": ["PID", "CMD"], "Processes": [["x", "a"], ["3"]]}, host_pids=True).processes[0].pid == 3
    assert parse_top({}, host_pids=True).processes == ()


def test_elapsed_text():
    assert elapsed_text("500ms") == "00:00"
    assert elapsed_text("1m2.5s") == "01:02"
    assert elapsed_text("02:03") == "02:03"


def test_container_pid_only_for_a_process_of_that_container(tmp_path):
    proc = tmp_path / "proc"
    (proc / "42").mkdir(parents=True)
    (proc / "42" / "cgroup").write_text("0::/system.slice/docker-abc123.scope\n")
    (proc / "42" / "status").write_text("Name:\tsleep\nNSpid:\t42\t7\n")
    assert container_pid(42, "abc123", str(proc)) == 7
    assert container_pid(42, "other", str(proc)) is None
    assert container_pid(43, "abc123", str(proc)) is None
