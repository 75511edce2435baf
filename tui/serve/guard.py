"""A served session's engine: every change it makes is written to the audit log,
and shells are refused unless the operator allowed them.

Read-only mode is bosun's own (`--read-only`, checked where every action is);
this wrapper is the second line for what that mode cannot say on its own:
actions on but shells off (`--allow-actions` without `--allow-shells`).
"""

from __future__ import annotations

from typing import Any

from tui.engine import EngineError
from tui.serve.audit import Audit

CHANGES = ("start", "stop", "restart", "kill", "pause", "unpause", "remove", "signal_process", "put_archive")
SHELLS_OFF = "Shells are off in this browser session (the server runs without --allow-shells)"


class GuardedEngine:
    def __init__(self, engine: Any, audit: Audit, session: str, *, shells: bool) -> None:
        self._engine = engine
        self._audit = audit
        self._session = session
        self._shells = shells

    def __getattr__(self, name: str) -> Any:
        target = getattr(self._engine, name)
        if name in CHANGES:
            return self._audited(name, target)
        return target

    def _audited(self, name: str, call: Any) -> Any:
        async def run(container_id: str, *args: Any, **kwargs: Any) -> Any:
            try:
                result = await call(container_id, *args, **kwargs)
            except Exception as exc:
                self._audit.write("action", session=self._session, action=name, container=container_id,
                                  result=f"failed: {exc}")
                raise
            self._audit.write("action", session=self._session, action=name, container=container_id, result="ok")
            return result

        return run

    async def exec(self, container_id: str, cmd: Any, **kwargs: Any) -> Any:
        if not self._shells:
            self._audit.write("action", session=self._session, action="exec", container=container_id,
                              command=list(cmd), result="refused: shells are off")
            raise EngineError(SHELLS_OFF, status=403)
        session = await self._engine.exec(container_id, cmd, **kwargs)
        self._audit.write("action", session=self._session, action="exec", container=container_id,
                          command=list(cmd), result="ok")
        return session
