"""Unit: the one mapping from a Docker-API failure to bosun's typed errors (engine and exec sessions share it)."""

from __future__ import annotations

import asyncio

import aiodocker
import aiohttp

from tui.engine.docker_errors import DockerErrors, short_reason
from tui.engine.endpoints import Endpoint
from tui.engine.errors import Conflict, EngineError, EngineTimeout, EngineUnreachable, NotFound
from tui.engine.raw_stream import HTTPStatusError

ERRORS = DockerErrors(Endpoint("unix:///nowhere/docker.sock", "--host"), lambda: "docker")


def test_statuses_become_typed_errors_named_for_the_engine():
    gone = ERRORS.error(aiodocker.DockerError(404, {"message": "No such container: x"}))
    assert isinstance(gone, NotFound) and gone.status == 404 and gone.engine == "docker"
    assert isinstance(ERRORS.error(HTTPStatusError(409, "is already in progress")), Conflict)
    # Podman says "state improper" with a 500.
    assert isinstance(ERRORS.error(HTTPStatusError(500, "container state improper")), Conflict)
    other = ERRORS.error(HTTPStatusError(500, "boom"))
    assert type(other) is EngineError and other.status == 500


def test_connection_failures_and_timeouts():
    assert isinstance(ERRORS.error(asyncio.TimeoutError()), EngineTimeout)
    unreachable = ERRORS.error(FileNotFoundError(2, "No such file or directory"))
    assert isinstance(unreachable, EngineUnreachable)
    assert unreachable.attempts[0].endpoint == "unix:///nowhere/docker.sock" and unreachable.attempts[0].source == "--host"
    already = NotFound("x", engine="docker")
    assert ERRORS.error(already) is already


def test_not_an_engine_says_so_with_a_hint():
    error = ERRORS.not_an_engine("GET /_ping answered HTTP 404")
    assert "not a container engine" in error.attempts[0].reason and "2375" in error.attempts[0].hint


def test_short_reason_hides_aiohttp_internals():
    assert short_reason(aiohttp.ServerDisconnectedError()) == "the engine closed the connection"
    assert short_reason(asyncio.IncompleteReadError(b"", 10)) == "the event stream was cut off"
    assert short_reason(OSError("first line\nConnectionKey(host=...)")) == "first line"
    assert short_reason(OSError()) == "OSError"


def test_errors_carry_the_engines_name_as_it_is_now():
    # The first ping renames an engine found to be Podman; errors made after say so.
    names = ["docker"]
    errors = DockerErrors(Endpoint("unix:///nowhere/docker.sock", "--host"), lambda: names[0])
    names[0] = "podman"
    assert errors.error(HTTPStatusError(404, "no such container")).engine == "podman"
