"""The pure parts of opening a shell: the dialog's fields and the CLI command line."""

from __future__ import annotations

import pytest

from tui.engine import FakeEngine
from tui.shell.cli_exec import CliMissing, cli_connector, exec_argv
from tui.shell.connect import format_command, format_env, parse_command, parse_env


class _Engine:
    def __init__(self, kind: str, url: str) -> None:
        self.kind, self.url = kind, url


def test_env_field_quotes_like_a_shell_and_round_trips():
    pairs = parse_env('A=1 B="two words" C= D=x=y')
    assert pairs == (("A", "1"), ("B", "two words"), ("C", ""), ("D", "x=y"))
    assert parse_env(format_env(pairs)) == pairs
    assert parse_env("  ") == ()


@pytest.mark.parametrize("bad", ["NOEQUALS", "=1", 'A="open'])
def test_env_field_errors_say_what_is_wrong(bad):
    with pytest.raises(ValueError, match="environment"):
        parse_env(bad)


def test_command_field():
    assert parse_command("bash -l") == ("bash", "-l")
    assert parse_command("") == ()
    with pytest.raises(ValueError, match="command"):
        parse_command("sh -c 'unbalanced")


@pytest.mark.parametrize("argv", [("sh", "-c", "echo $GREETING; pwd; id -un; sleep 1000"), ("bash", "-l"),
                                  ("printf", "%s\n", "two words", "it's"), ()])
def test_the_command_field_is_prefilled_with_what_was_typed_not_its_words_run_together(argv):
    """The dialog pre-fills the last command: `sh -c '…; …'` came back as `sh -c echo …; …`."""
    assert parse_command(format_command(argv)) == argv


def test_cli_command_line_for_docker_and_podman():
    docker = _Engine("docker", "unix:///var/run/docker.sock")
    assert exec_argv(docker, "abc", ["/bin/ash"], user="nobody", workdir="/srv", env={"A": "1", "B": "x y"}) == [
        "docker", "-H", "unix:///var/run/docker.sock", "exec", "-it", "-u", "nobody", "-w", "/srv",
        "-e", "A=1", "-e", "B=x y", "abc", "/bin/ash"]
    podman = _Engine("podman", "unix:///run/podman/podman.sock")
    assert exec_argv(podman, "abc", ["sh", "-c", "true"], interactive=False) == [
        "podman", "--url", "unix:///run/podman/podman.sock", "exec", "abc", "sh", "-c", "true"]


def test_cli_connector_errors_clearly(monkeypatch):
    connect = cli_connector(FakeEngine(), "abc", ["sh"])
    with pytest.raises(CliMissing, match="real engine"):
        connect(24, 80, lambda data: None, lambda code: None)
    monkeypatch.setenv("PATH", "/nonexistent")
    connect = cli_connector(_Engine("podman", "unix:///run/podman/podman.sock"), "abc", ["sh"])
    with pytest.raises(CliMissing, match="`podman` is not installed"):
        connect(24, 80, lambda data: None, lambda code: None)
