"""The runner's children die with bosun, through `setpriv --pdeathsig` and through the `preexec_fn` fallback.

No engine needed: the client is a stand-in that sleeps, as a silent `podman logs -f`
would (it never learns of bosun's end by a broken pipe).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import stat
import sys
import textwrap
from pathlib import Path

import pytest

from tests.waits import wait_until
from tui.engine.cli import runner
from tui.engine.cli.runner import CliRunner, pid_alive

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")


@pytest.mark.parametrize("wrapper", ["setpriv", "preexec_fn"])
async def test_a_child_dies_when_bosun_is_killed_hard(tmp_path, wrapper):
    client = tmp_path / "client"
    client.write_text("#!/bin/sh\nexec sleep 1000\n")
    client.chmod(client.stat().st_mode | stat.S_IEXEC)
    script = tmp_path / "bosun.py"
    script.write_text(textwrap.dedent(f"""
        import asyncio
        from tui.engine.cli import runner

        async def main():
            if {wrapper == "preexec_fn"!r}:
                runner._DEATH_WRAPPER[:] = [[]]  # as on a machine without setpriv
            cli = runner.CliRunner([{str(client)!r}], lambda: "client")
            process = await cli.spawn(["logs", "--follow"])
            print(process.pid, bool(runner._DEATH_WRAPPER[0]), flush=True)
            await process.wait()

        asyncio.run(main())
    """))
    root = str(Path(__file__).resolve().parents[2])
    process = await asyncio.create_subprocess_exec(sys.executable, str(script), stdout=asyncio.subprocess.PIPE,
                                                   cwd=root, env={**os.environ, "PYTHONPATH": root})
    try:
        pid, wrapped = (await asyncio.wait_for(process.stdout.readline(), 20)).split()
        pid = int(pid)
        assert pid_alive(pid)
        # Where setpriv is installed it is the one used (a machine without it tests the fallback twice).
        assert wrapped == (b"True" if wrapper == "setpriv" and shutil.which("setpriv") else b"False")
    finally:
        process.kill()
        await process.wait()
    await wait_until(lambda: not pid_alive(pid), "the orphaned client to be gone", timeout=10)


async def test_the_wrapper_runs_the_client_by_its_path_and_keeps_its_words(tmp_path):
    client = tmp_path / "client"
    client.write_text("#!/bin/sh\necho \"said $*\"; echo 'Error: no such container' >&2; exit 125\n")
    client.chmod(client.stat().st_mode | stat.S_IEXEC)
    cli = CliRunner([str(client)], lambda: "client")
    try:
        done = await cli.call(["inspect", "x"], check=False)
    finally:
        await cli.close()
    assert (done.status, done.stdout, done.stderr) == (125, b"said inspect x\n", b"Error: no such container\n")
    assert done.argv == [str(client), "inspect", "x"]  # messages name the client, not the wrapper


async def test_a_client_that_is_not_there_is_missing_with_or_without_the_wrapper():
    from tui.engine.errors import ClientMissing

    await runner._death_wrapper()
    with pytest.raises(ClientMissing):
        await CliRunner(["bosun-no-such-client"], lambda: "x").call(["ps"])
