"""The one way bosun shows a toast: plain text, never markup, never a control sequence.

Textual's `notify` takes a `str` and reads it as markup unless told otherwise;
a `rich.Text` makes its Toast crash when drawn. Engine errors, file names,
search queries and container names all end up in toasts, so every call goes
through `notify` here (a test checks that nothing calls Textual's directly).
"""

from __future__ import annotations

from typing import Literal, Protocol

from tui.untrusted import visible

Severity = Literal["information", "warning", "error"]


class _Notifier(Protocol):
    def notify(self, message: str, *, title: str = "", severity: Severity = "information",
               timeout: float | None = None, markup: bool = True) -> None: ...


def notify(target: _Notifier, message: object, *, title: object = "", severity: Severity = "information",
           timeout: float | None = None) -> None:
    """Show `message` (any object; shown as its `str`) in a toast, literally."""
    target.notify(visible(str(message), keep_newlines=True), title=visible(str(title)), severity=severity,
                  timeout=timeout, markup=False)
