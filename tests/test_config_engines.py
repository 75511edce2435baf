"""`[[engines]]` in bosun's config: loaded, checked entry by entry (errors name engines[N] and the line),
kept by the writer, documented by the reference."""

from __future__ import annotations

import re
import tomllib

import pytest

from tui.engine import spec
from tui.settings import ConfigFileError, Settings, SettingsError, load_settings, save_setting
from tui.settings.engines import ENGINE_KEYS, KINDS, SSH_CLIENTS, EngineEntry
from tui.settings.reference import engines_reference

GOOD = """\
theme = "harbor"  # mine

[[engines]]
name = "laptop"
host = "/run/user/1000/podman/podman.sock"

[[engines]]
name = "prod"
host = "ssh://deploy@prod.example"
read_only = true
ssh_client = "openssh"
identity = "~/.ssh/prod"
default = true

[engines.labels]
"com.docker.compose.project" = "shop"
"""


def load(tmp_path, text):
    path = tmp_path / "config.toml"
    path.write_text(text)
    return load_settings(path, env={}).settings


def test_engines_load_checked_and_in_order(tmp_path):
    engines = load(tmp_path, GOOD).engines
    assert engines == (
        EngineEntry("laptop", "unix:///run/user/1000/podman/podman.sock"),
        EngineEntry("prod", "ssh://deploy@prod.example", labels={"com.docker.compose.project": "shop"},
                    read_only=True, ssh_client="openssh", identity="~/.ssh/prod", default=True),
    )


def test_no_engines_is_an_empty_tuple(tmp_path):
    assert load(tmp_path, 'theme = "harbor"\n').engines == ()
    assert Settings().engines == ()


@pytest.mark.parametrize("entry,offset,message", [
    ('name = "a"\nhost = "tcp://h:1"\nhots = "x"', 3, "engines[2].hots: unknown key (did you mean 'host'?)"),
    ('name = "a"', 0, "engines[2].host: missing (every [[engines]] needs name and host)"),
    ('host = "tcp://h:1"', 0, "engines[2].name: missing"),
    ('name = "a"\nhost = "tcp://h:1"\nread_only = "yes"', 3, "engines[2].read_only: expected true or false, "
     "got string 'yes'"),
    ('name = "a"\nhost = 5', 2, "engines[2].host: expected a string, got integer 5"),
    ('name = "a"\nhost = "ftp://h"', 2, "engines[2].host: cannot use endpoint 'ftp://h': expected unix://, tcp:// or ssh://"),
    ('name = "a"\nhost = "ssh://"', 2, "engines[2].host: 'ssh://' names no host"),
    ('name = "first"\nhost = "tcp://h:1"', 1, "engines[2].name: 'first' is already the name of engines[1]"),
    ('name = "a b"\nhost = "tcp://h:1"', 1, "engines[2].name: 'a b': no spaces or commas"),
    ('name = ""\nhost = "tcp://h:1"', 1, "engines[2].name: expected an engine name"),
    ('name = "a"\nhost = "tcp://h:1"\nkind = "lxc"', 3, "engines[2].kind: expected one of api, podman-cli, docker-cli"),
    ('name = "a"\nhost = "tcp://h:1"\nssh_client = "putty"', 3, "engines[2].ssh_client: expected asyncssh or openssh"),
    ('name = "a"\nhost = "tcp://h:1"\nlabels = { a = 1 }', 3, "engines[2].labels: labels.a: expected a string"),
    ('name = "a"\nhost = "tcp://h:1"\ndefault = true', 3, "engines[2].default: engines[1] is the default already"),
])
def test_a_bad_entry_names_itself_its_key_and_its_line(tmp_path, entry, offset, message):
    """`offset`: the line of the blamed key in the second entry (0: its `[[engines]]` header)."""
    first = 'name = "first"\nhost = "tcp://h:1"\n' + ("default = true\n" if "default" in entry else "")
    text = f"[[engines]]\n{first}[[engines]]\n{entry}\n"
    line = 2 + first.count("\n") + offset
    with pytest.raises(ConfigFileError) as info:
        load(tmp_path, text)
    assert message in str(info.value), str(info.value)
    assert info.value.line == line, (str(info.value), text)


def test_engines_must_be_tables(tmp_path):
    with pytest.raises(ConfigFileError, match=r"engines: expected \[\[engines\]\] tables, got string"):
        load(tmp_path, 'engines = "prod"\n')
    with pytest.raises(ConfigFileError, match=r"engines\[1\]: expected a table"):
        load(tmp_path, 'engines = ["prod"]\n')


def test_settings_built_in_code_are_checked_too():
    with pytest.raises(SettingsError, match=r"engines\[1\]\.host"):
        Settings(engines=({"name": "a", "host": "ftp://x"},))
    assert Settings(engines=({"name": "a", "host": "/x.sock"},)).engines[0].host == "unix:///x.sock"


def test_saving_a_setting_keeps_the_engines(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(GOOD)
    save_setting("theme", "nord", path)
    assert "# mine" in path.read_text()  # the line edit: everything else as it was
    assert len(load_settings(path, env={}).settings.engines) == 2
    save_setting("list.labels", {"tier": "web"}, path)  # a table: the whole file is written again
    text = path.read_text()
    assert text.count("[[engines]]") == 2, text
    again = load_settings(path, env={}).settings
    assert again.theme == "nord" and again.list.labels == {"tier": "web"}
    assert [e.name for e in again.engines] == ["laptop", "prod"]
    assert again.engines[1].labels == {"com.docker.compose.project": "shop"}


def test_kinds_and_ssh_clients_agree_with_the_engine_spec():
    assert KINDS == spec.KINDS and SSH_CLIENTS == spec.SSH_CLIENTS


def test_the_reference_documents_every_key_and_its_example_loads(tmp_path):
    text = engines_reference()
    for key in ENGINE_KEYS:
        assert f"| `{key}`" in text
    example = re.search(r"```toml\n(.*?)```", text, re.S)[1]
    tomllib.loads(example)
    assert [e.name for e in load(tmp_path, example).engines] == ["laptop", "prod"]
