"""Stats through the client where the cgroup files cannot be read: a round of asks is one `stats` child, not one each.

No engine needed: the client is a stand-in that notes its command line and prints
Podman 4.3's recorded `stats --no-stream --format json`.
"""

from __future__ import annotations

import asyncio
import stat
from pathlib import Path

import pytest

from tui.engine.cli.engine import CliEngine
from tui.engine.errors import EngineError

SAMPLE = Path(__file__).parent / "cli_samples" / "podman43_stats.json"
A, B = "4ea4353c844f" + "0" * 52, "793c7683c338" + "1" * 52  # full ids; the client prints the short ones


@pytest.fixture
def client(tmp_path):
    log = tmp_path / "calls"
    log.write_text("")
    program = tmp_path / "podman"
    program.write_text(f'#!/bin/sh\necho "$*" >> {log}\ncat {SAMPLE}\n')
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    return CliEngine("podman-cli", str(program), local_stats=False), log


async def test_a_round_of_asks_is_one_stats_child_for_all(client):
    engine, log = client
    try:
        first = await asyncio.gather(*(engine.stats_once(cid) for cid in (A, B, A)))
        later = await engine.stats_once(B)  # the round's later asks: the same answer, no new child
    finally:
        await engine.close()
    assert log.read_text().splitlines() == ["stats --no-stream --format json"]
    assert first[0].cpu_percent == pytest.approx(0.15) and first[0].pids == 2
    assert first[1].pids == 0 and later.pids == 0


async def test_a_lone_ask_is_that_containers_command(client):
    engine, log = client
    try:
        sample = await engine.stats_once(A)
    finally:
        await engine.close()
    assert log.read_text().splitlines() == [f"stats --no-stream --format json {A}"]
    assert sample.memory_used > 0


async def test_a_container_the_client_did_not_print_is_an_error_for_it_alone(client):
    engine, _ = client
    try:
        results = await asyncio.gather(engine.stats_once(A), engine.stats_once("f" * 64), return_exceptions=True)
    finally:
        await engine.close()
    assert results[0].pids == 2
    assert isinstance(results[1], EngineError) and "ffffffffffff" in str(results[1])


async def test_a_failing_client_fails_every_ask_of_the_round(tmp_path):
    program = tmp_path / "podman"
    program.write_text("#!/bin/sh\necho 'Error: cannot connect to Podman' >&2\nexit 125\n")
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    engine = CliEngine("podman-cli", str(program), local_stats=False)
    try:
        results = await asyncio.gather(engine.stats_once(A), engine.stats_once(B), return_exceptions=True)
    finally:
        await engine.close()
    assert all(isinstance(r, EngineError) and "cannot connect" in str(r) for r in results)
