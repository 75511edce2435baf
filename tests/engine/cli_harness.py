"""The contract harness for the CLI backend: test containers made with the client itself.

Nothing here talks to an API socket: the containers are made with `<client>
create`, and the engine under test is a `CliEngine` on the same client.
"""

from __future__ import annotations

import asyncio
import shutil

import pytest

from tests.engine.harness import IMAGE, RealHarness
from tui.engine.cli.dialect import client_argv
from tui.engine.cli.engine import CliEngine

CLI_KINDS = ("podman-cli", "docker-cli")


def _go_duration(ns: int) -> str:
    return f"{max(ns // 1_000_000, 1)}ms"


class CliHarness(RealHarness):
    def __init__(self, engine: CliEngine, kind: str) -> None:
        super().__init__(engine, engine.kind)
        self.kind = kind  # "podman-cli" / "docker-cli"; `cli` stays the flavour ("podman", "docker")
        self.argv = engine.cli_argv

    async def client(self, *args: str) -> str:
        process = await asyncio.create_subprocess_exec(*self.argv, *args, stdout=asyncio.subprocess.PIPE,
                                                       stderr=asyncio.subprocess.PIPE)
        out, err = await process.communicate()
        assert process.returncode == 0, f"{self.argv} {args[:3]} failed: {err.decode(errors='replace')}"
        return out.decode().strip()

    async def _create(self, what, script, *, labels=None, ports=(), tty=False, healthcheck=None, start=True) -> str:
        args = ["create", "--name", self.name(what)]
        for key, value in {**self.labels, **(labels or {})}.items():
            args += ["--label", f"{key}={value}"]
        for port in ports:
            args += ["-p", f"127.0.0.1::{port}"]
        if tty:
            args.append("-t")
        if healthcheck:
            args += ["--health-cmd", healthcheck["Test"][1], "--health-interval", _go_duration(healthcheck["Interval"]),
                     "--health-timeout", _go_duration(healthcheck["Timeout"]),
                     "--health-retries", str(healthcheck["Retries"])]
            if "StartPeriod" in healthcheck:
                args += ["--health-start-period", _go_duration(healthcheck["StartPeriod"])]
        out = await self.client(*args, IMAGE, "sh", "-c", script)
        container_id = out.splitlines()[-1]
        if start:
            await self.engine.start(container_id)
        return container_id


async def open_cli_engine(kind: str) -> CliEngine:
    program = client_argv(kind)[0]
    if shutil.which(program) is None:
        pytest.skip(f"`{program}` is not installed")
    engine = CliEngine(kind, name=f"test {kind}")
    await engine.ping()
    return engine
