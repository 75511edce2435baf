"""Fixtures for engine tests: the scratch engines some fault tests need of their own."""

from tests.engine.scratch_engines import scratch_podman, tls_dockerd  # noqa: F401  (fixtures)
