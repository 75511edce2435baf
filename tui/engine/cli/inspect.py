"""Inspect through the client, batched: the `summary` calls made at the same moment share one `inspect`.

An event storm, or a reconcile that finds ten containers changed, asks for many
summaries at once; through an API each is a cheap request, through a client
each would be a process start (tens of milliseconds of CPU). Calls made in the
same turn of the event loop are gathered and answered by one `inspect id…`.
"""

from __future__ import annotations

import asyncio
from typing import Any

from tui.engine.cli.errors import command_error
from tui.engine.cli.parse import documents
from tui.engine.cli.runner import CliRunner
from tui.engine.errors import EngineError, NotFound

# Ids per `inspect` command line, far below any argv limit.
CHUNK = 200


def _matches(doc: dict[str, Any], wanted: str) -> bool:
    """Is `doc` the container asked for by id, id prefix or name?"""
    doc_id = str(doc.get("Id") or "")
    return doc_id == wanted or (len(wanted) >= 12 and doc_id.startswith(wanted)) or \
        str(doc.get("Name") or "").lstrip("/") == wanted


async def inspect_many(runner: CliRunner, ids: list[str], engine: str) -> tuple[list[dict[str, Any]], EngineError | None]:
    """The documents of the containers that exist, and the error for the rest (None if all were found)."""
    found: list[dict[str, Any]] = []
    missing: EngineError | None = None
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        done = await runner.call(["inspect", "--type", "container", *chunk], check=False)
        docs = documents(done.stdout)
        if done.status != 0:
            error = command_error(done.argv, done.status, done.stderr, engine=engine)
            if not isinstance(error, NotFound) and not docs:
                raise error
            missing = error
        found.extend(docs)
    return found, missing


class BatchedInspect:
    """`get(id)` answers with that container's document; calls of one loop turn share one command."""

    def __init__(self, runner: CliRunner, engine) -> None:
        self.runner = runner
        self._engine = engine  # called for the name, which a ping may change
        self._pending: dict[str, list[asyncio.Future]] = {}

    async def get(self, container_id: str) -> dict[str, Any]:
        future = asyncio.get_running_loop().create_future()
        if not self._pending:
            asyncio.get_running_loop().call_soon(lambda: asyncio.ensure_future(self._flush()))
        self._pending.setdefault(container_id, []).append(future)
        return await future

    async def _flush(self) -> None:
        pending, self._pending = self._pending, {}
        try:
            docs, missing = await inspect_many(self.runner, list(pending), self._engine())
        except BaseException as exc:  # every caller gets the failure, then it goes on up
            for futures in pending.values():
                for future in futures:
                    if not future.done():
                        future.set_exception(exc if isinstance(exc, Exception) else EngineError(str(exc)))
            if not isinstance(exc, Exception):
                raise
            return
        for wanted, futures in pending.items():
            doc = next((d for d in docs if _matches(d, wanted)), None)
            for future in futures:
                if future.done():
                    continue
                if doc is not None:
                    future.set_result(doc)
                elif missing is not None and len(pending) == 1:
                    future.set_exception(missing)  # the client's own words, about this one
                else:
                    words = missing.message if missing is not None else "the client did not say"
                    future.set_exception(NotFound(f"no such container: {wanted} ({words})", engine=self._engine(),
                                                  exit_status=missing.exit_status if missing else None))
