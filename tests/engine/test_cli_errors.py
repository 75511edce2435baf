"""The CLI backend's errors keep the client's words: exit status and stderr, in a typed error."""

from __future__ import annotations

import stat

import pytest

from tui.engine.cli.engine import CliEngine
from tui.engine.cli.errors import client_words, command_error
from tui.engine.errors import (
    ClientMissing,
    ClientTooOld,
    Conflict,
    EngineError,
    EngineUnreachable,
    NotFound,
    PermissionDenied,
)

# What the real clients said here (Podman 4.3.1, Docker 28 client on a 20.10 engine).
SAID = [
    (125, 'Error: no container with name or ID "nosuch-cli" found: no such container', NotFound),
    (1, "Error response from daemon: No such container: nosuch-cli", NotFound),
    (125, "Error: inspecting object: no such container nosuch-cli", NotFound),
    (125, "Error: can only kill running containers. 793c7683 is in state exited: container state improper", Conflict),
    (1, "Error response from daemon: Cannot kill container: cli-rec-b: Container 0632 is not running", Conflict),
    (2, "Error: cannot remove container 4ea4 as it is running - running or paused containers cannot be removed "
        "without force: container state improper", Conflict),
    (1, "Error response from daemon: You cannot remove a running container 2ef8. Stop the container before "
        "attempting removal or force remove", Conflict),
    (125, "Error: unknown flag: --format", ClientTooOld),
    (1, "permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock",
     PermissionDenied),
    (1, "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
     EngineUnreachable),
    (125, "Error: something else entirely", EngineError),
]


@pytest.mark.parametrize("status,stderr,kind", SAID)
def test_each_failure_is_typed_and_keeps_status_and_words(status, stderr, kind):
    noise = 'time="2026-12-02T02:53:09Z" level=error msg="unable to get systemd connection"\n'
    error = command_error(["podman", "kill", "x"], status, (noise + stderr + "\n").encode(), engine="podman")
    assert type(error) is kind
    assert error.exit_status == status and error.engine == "podman"
    words = stderr.removeprefix("Error: ").removeprefix("Error response from daemon: ")
    assert words in str(error) and "systemd" not in str(error)
    assert f"(exit status {status})" in str(error) or isinstance(error, EngineUnreachable)


def test_words_without_anything_on_stderr_name_the_command():
    error = command_error(["podman", "start", "x"], 7, b"", engine="podman")
    assert "podman start x" in error.message and error.exit_status == 7
    assert client_words(b"only\n  \n") == "only"


def _script(tmp_path, body: str) -> str:
    path = tmp_path / "fakeclient"
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


async def test_a_missing_client_is_an_unreachable_engine_that_says_so():
    engine = CliEngine("podman-cli", "bosun-no-such-client-binary")
    with pytest.raises(ClientMissing) as info:
        await engine.ping()
    assert "bosun-no-such-client-binary" in str(info.value) and "not installed" in str(info.value)
    assert info.value.attempts[0].hint
    await engine.close()


async def test_a_client_without_json_output_is_too_old(tmp_path):
    engine = CliEngine("docker-cli", _script(tmp_path, 'echo "Docker version 1.13"\n'))
    with pytest.raises(ClientTooOld) as info:
        await engine.ping()
    assert "in JSON" in info.value.message and "too old" in info.value.message
    await engine.close()
    engine = CliEngine("docker-cli", _script(tmp_path, 'echo "unknown flag: --format" >&2; exit 125\n'))
    with pytest.raises(ClientTooOld) as info:
        await engine.ping()
    assert info.value.exit_status == 125 and "unknown flag: --format" in info.value.message
    await engine.close()


async def test_a_list_that_is_not_json_is_too_old_not_empty(tmp_path):
    engine = CliEngine("docker-cli", _script(tmp_path, 'echo "CONTAINER ID   IMAGE"; echo "abc   busybox"\n'))
    with pytest.raises(ClientTooOld):
        await engine.list_containers()
    await engine.close()


async def test_an_action_that_fails_carries_the_clients_words(tmp_path):
    script = _script(tmp_path, 'case "$1" in inspect) echo \'[{"Id": "abc", "Name": "x", "State": {"Status": '
                               '"exited"}, "Config": {}}]\';; *) echo "Error: boom: $*" >&2; exit 3;; esac\n')
    engine = CliEngine("podman-cli", script)
    with pytest.raises(EngineError) as info:
        await engine.start("abc")
    assert info.value.message == "boom: start abc" and info.value.exit_status == 3
    await engine.close()


async def test_a_long_history_from_two_pipes_comes_back_in_time_order(tmp_path):
    """The client writes both streams in time order, on two pipes read at their own pace: bosun merges them.

    The stamps drop trailing zeros of their fraction, and a whole second has none, as Go's RFC3339Nano does.
    """
    script = _script(tmp_path, """[ "$1" = logs ] || exit 1
awk 'BEGIN { for (i = 0; i < 30000; i++) {
  f = sprintf("%03d", (i % 100) * 10); sub(/0+$/, "", f);
  s = sprintf("2026-01-01T00:%02d:%02d%sZ", int(i / 6000), int(i / 100) % 60, f == "" ? "" : "." f);
  if (i % 3 == 0) print s " err " i > "/dev/stderr"; else print s " out " i } }'
""")
    engine = CliEngine("podman-cli", script)
    frames = [f async for batch in engine.log_batches("c", tail=None) for f in batch.frames]
    await engine.close()
    numbers = [int(payload.split()[-1]) for _, payload, _ in frames]
    assert numbers == list(range(30000))
    assert all((stream.value == "stderr") == (n % 3 == 0) for (stream, _, _), n in zip(frames, numbers))
    assert not frames[0][1].startswith(b"2026")  # no timestamps asked for: cut off
