"""The CLI backend's first list, before the event loop and Textual load: one `ps`, standard library only.

The API path draws its first frame from a plain request to the socket (see
`tui.engine.quick`); with no socket, the client's own `ps` does the same job,
and the app shows that list until its engine is ready.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from typing import Mapping

from tui.engine.cli.dialect import DIALECTS, client_argv, engine_url, label_args, program_name
from tui.engine.cli.parse import documents, summary_from_ps
from tui.engine.types import ContainerSummary


@dataclass(frozen=True)
class CliTarget:
    """Where the first list came from, as the first frame and the early dashboard name it."""

    name: str
    url: str


def quick_cli_list(kind: str, cli: str, labels: Mapping[str, str] | None, *,
                   timeout: float) -> tuple[CliTarget, list[ContainerSummary]] | None:
    """(where, brief summaries), or None if the client is missing, fails, or takes longer than `timeout`."""
    argv = client_argv(kind, cli)
    try:
        done = subprocess.run([*argv, *DIALECTS[kind].ps, *label_args(labels)], capture_output=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError, ValueError):
        return None  # the app says what is wrong, with time to say it well
    if done.returncode != 0:
        return None
    name = program_name(argv)
    summaries = [s for s in (summary_from_ps(raw, name) for raw in documents(done.stdout)) if s is not None]
    return CliTarget(name, engine_url(argv)), summaries
