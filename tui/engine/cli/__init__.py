"""The CLI backend: an `Engine` that drives an engine's command-line client (`podman`, `docker`, `nerdctl`).

For users with no API socket (rootless Podman without `podman.socket`) and for
engines that only have a client speaking JSON. One concept per module:
`runner` (the child processes), `errors` (the client's words as typed errors),
`parse` (tolerant readers of its JSON), `logs`, `events`, `stats`, `exec`, and
`engine` (the `Engine` itself). No Textual here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.engine.cli.engine import CliEngine


def __getattr__(name: str) -> Any:
    if name == "CliEngine":
        from tui.engine.cli.engine import CliEngine

        return CliEngine
    raise AttributeError(name)


__all__ = ["CliEngine"]
