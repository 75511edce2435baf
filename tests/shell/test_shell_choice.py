"""Which shell opens: configured, else probed (bash > ash > sh), else /bin/sh."""

from __future__ import annotations

import pytest

from tui.engine import FakeEngine
from tui.shell.shell_choice import (
    PROBE_COMMAND,
    choose_shell,
    configured_argv,
    parse_probe_output,
    pick_shell,
    probe_shell,
)


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        ("/bin/bash\n", "/bin/bash"),
        ("/usr/bin/bash\n", "/usr/bin/bash"),
        ("/bin/ash\n", "/bin/ash"),
        ("/bin/sh\n", "/bin/sh"),
        ("sh\n", "sh"),  # a builtin: command -v prints just the name
        ("\n\n/bin/ash\r\n", "/bin/ash"),
        ("alias bash='bash -x'\n/bin/sh\n", "/bin/sh"),
        ("/tmp/evil\n", None),
        ("/bin/zsh\n", None),
        ("", None),
        ("sh: command: not found\n", None),
    ],
)
def test_parse_probe_output(output, expected):
    assert parse_probe_output(output) == expected


def test_configured_shell_wins():
    assert choose_shell("zsh", "/bin/bash\n") == ["zsh"]
    assert choose_shell("/bin/bash -l", None) == ["/bin/bash", "-l"]
    assert choose_shell(["fish", "--login"], "/bin/bash") == ["fish", "--login"]


def test_probe_result_then_fallback():
    assert choose_shell(None, "/bin/bash\n") == ["/bin/bash"]
    assert choose_shell(None, "/bin/ash\n") == ["/bin/ash"]
    assert choose_shell(None, "") == ["/bin/sh"]
    assert choose_shell(None, None) == ["/bin/sh"]
    assert choose_shell("", "/bin/ash") == ["/bin/ash"]  # an empty setting means "not configured"
    assert configured_argv(None) is None


def test_probe_command_prefers_bash_then_ash():
    assert PROBE_COMMAND[:2] == ("sh", "-c")
    script = PROBE_COMMAND[2]
    assert script.index("bash") < script.index("ash") < script.rindex("sh")


async def test_probe_on_an_engine_that_cannot_answer_falls_back():
    engine = FakeEngine()
    cid = engine.add_container("web")
    # The fake shell does not know `command`: the probe finds nothing.
    assert await probe_shell(engine, cid) is None
    assert await pick_shell(engine, cid) == ["/bin/sh"]
    assert await pick_shell(engine, cid, "bash") == ["bash"]
