"""Summaries asked for at the same moment share one `inspect` child (an event storm costs one process, not one each)."""

from __future__ import annotations

import asyncio
import shutil
import stat

import pytest

from tests.engine.cli_harness import CliHarness
from tui.engine import NotFound, State
from tui.engine.cli.engine import CliEngine

pytestmark = [pytest.mark.engine, pytest.mark.skipif(shutil.which("podman") is None, reason="needs podman")]


@pytest.fixture
async def counted(tmp_path):
    """A CliHarness whose client writes each of its command lines to a file."""
    log = tmp_path / "calls"
    wrapper = tmp_path / "podman-counted"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> {log}\nexec podman "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    engine = CliEngine("podman-cli", str(wrapper))
    await engine.ping()
    harness = CliHarness(engine, "podman-cli")
    harness.argv = ["podman"]  # the harness's own containers are not counted
    try:
        yield harness, log
    finally:
        await harness.cleanup()
        await engine.close()


async def test_concurrent_summaries_are_one_inspect(counted):
    h, log = counted
    ids = [await h.idle(f"batch{i}") for i in range(4)]
    log.write_text("")
    results = await asyncio.gather(*(h.engine.summary(cid) for cid in ids), h.engine.summary("bosun-no-such-ctr"),
                                   return_exceptions=True)
    assert [r.id for r in results[:4]] == ids and all(r.state is State.RUNNING for r in results[:4])
    assert isinstance(results[4], NotFound) and "bosun-no-such-ctr" in str(results[4])
    calls = [line for line in log.read_text().splitlines() if line.startswith("inspect")]
    assert len(calls) == 1 and all(cid in calls[0] for cid in ids), calls
    # Alone, a missing container keeps the client's own words.
    with pytest.raises(NotFound) as info:
        await h.engine.summary("bosun-no-such-ctr")
    assert "no such container" in info.value.message and info.value.exit_status
