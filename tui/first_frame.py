"""The first screen, drawn before Textual is imported.

Importing Textual and building the app take most of a second on a busy
machine, while a local engine lists its containers in milliseconds. So the
CLI lists them over the socket with the standard library (`quick_list_now`)
and draws this frame in the terminal's alternate screen: the title, the list
laid out by the same column rules as the real table, and the footer. That is
what Textual's own first frame shows too (the panes come after it), so the
handover changes colours and little else: Textual enters the alternate screen
again (a no-op there) and paints every cell without clearing first, and no
blank frame comes between.

While Textual loads, echo and line editing are off, so keys typed meanwhile
wait in the terminal's input queue and reach the app. Textual restores the
terminal to the mode it found (this one) when it exits; `FirstFrame.restore`
then puts back the user's own.

Names come from containers (untrusted): only their visible form is written.
This module imports nothing of Textual or Rich, by design.
"""

from __future__ import annotations

import os
import termios
import tomllib
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Mapping

from tui.engine.types import ContainerSummary
from tui.keys.registry import ACTIONS, BY_ID, COMMAND_PALETTE, FOOTER_PINNED, Scope, key_label
from tui.dashboard.model import Column, ContainerRow, GroupRow, build_rows, describe_state, uptime
from tui.untrusted import visible
from tui.dashboard.table_layout import PADDING, SERVICE, SPEC_BY_KEY, SPECS, fit_columns, keep_room

SCROLLBAR = 2  # the list keeps its scrollbar's room (ContainerTable._room)

_STATE_SGR = {"running": "32", "healthy": "1;32", "starting": "33", "unhealthy": "1;31", "paused": "34",
              "restarting": "35", "exited": "2", "failed": "31"}


@dataclass(frozen=True)
class Colours:
    """The theme's two base colours, as `#rrggbb` (None: the terminal's own)."""

    background: str | None = None
    foreground: str | None = None

    def sgr(self) -> str:
        parts = []
        for code, value in ((48, self.background), (38, self.foreground)):
            if value and len(value) == 7 and value.startswith("#"):
                try:
                    r, g, b = (int(value[i:i + 2], 16) for i in (1, 3, 5))
                except ValueError:
                    continue
                parts.append(f"{code};2;{r};{g};{b}")
        return f"\x1b[0;{';'.join(parts)}m" if parts else "\x1b[0m"


def _theme_dirs() -> list[Path]:
    from tui.settings.locations import user_theme_dir

    # The bundled files by path: importing the `tui.themes` package would import Textual.
    return [user_theme_dir(os.environ), Path(__file__).resolve().parent / "themes"]


def theme_colours(name: str) -> Colours:
    """Background and foreground of theme `name` when it is a theme file (a user's or bundled);
    Textual's built-in themes keep the terminal's colours for this one frame."""
    for folder in _theme_dirs():
        try:
            data = tomllib.loads((folder / f"{name}.toml").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        if data.get("name", name) == name:
            return Colours(str(data.get("background") or "") or None, str(data.get("foreground") or "") or None)
    return Colours()


def cells(text: str) -> int:
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def cut(text: str, width: int) -> str:
    """`text` in exactly `width` cells: padded, or cut with an ellipsis."""
    if cells(text) <= width:
        return text + " " * (width - cells(text))
    out, used = [], 0
    for char in text:
        size = cells(char)
        if used + size > width - 1:
            break
        out.append(char)
        used += size
    return "".join(out) + "…" + " " * (width - 1 - used)


def _row_cells(row, now: datetime) -> dict[str, tuple[str, str]]:
    """Column key → (text, SGR codes), as ContainerTable fills its cells (no figures yet)."""
    if isinstance(row, GroupRow):
        arrow = "▸" if row.collapsed else "▾"
        return {Column.NAME: (f"{arrow} {visible(row.project)}", "1"),
                Column.STATE: (f"{row.running}/{row.count} running", "2")}
    s = row.summary
    dim = "2" if not s.is_running and s.state.value != "paused" else ""
    words, kind = describe_state(s, now)
    indent = "  " if s.compose_project else ""
    return {"mark": (" ", ""), Column.NAME: (indent + visible(s.name), dim), Column.IMAGE: (visible(s.image), dim),
            Column.STATE: (words, _STATE_SGR.get(kind, "")), Column.UPTIME: (visible(uptime(s, now)), "2"),
            Column.PORTS: ("", ""), Column.CPU: ("", ""), Column.MEMORY: ("", ""),
            SERVICE: (visible(s.compose_service or ""), "2")}


def list_lines(summaries: list[ContainerSummary], width: int, *, show_stopped: bool = True, stats: bool = True,
               now: datetime | None = None) -> list[list[tuple[str, str]]]:
    """The list's header and rows, each a list of (text, SGR) runs `width` cells wide in all."""
    now = now or datetime.now(timezone.utc)
    rows = build_rows(summaries, show_stopped=show_stopped)
    filled = [_row_cells(row, now) for row in rows]
    specs = SPECS if stats else [s for s in SPECS if s.key not in (Column.CPU, Column.MEMORY)]
    natural = dict.fromkeys(SPEC_BY_KEY, 0)
    for row in filled:
        for key, (text, _) in row.items():
            natural[key] = max(natural[key], cells(text))
    keep_room(natural, running=any(isinstance(r, ContainerRow) and r.summary.is_running for r in rows), stats=stats)
    widths = fit_columns(specs, natural, max(width - SCROLLBAR, 0))
    pad = " " * (PADDING // 2)

    def line(values: Mapping[str, tuple[str, str]], header: bool = False) -> list[tuple[str, str]]:
        runs = []
        for key, size in widths.items():
            text, sgr = values.get(key, ("", ""))
            runs.append((pad + cut(text, size) + pad, "1" if header else sgr))
        used = sum(size + PADDING for size in widths.values())
        runs.append((" " * max(width - used, 0), ""))
        return runs

    header = line({key: (SPEC_BY_KEY[key].label, "") for key in widths}, header=True)
    return [header, *(line(row) for row in filled)]


def footer_line(width: int, read_only: bool = False) -> list[tuple[str, str]]:
    """The list's keys as the footer shows them, help/quit/palette at the right edge."""
    def item(action) -> list[tuple[str, str]]:
        word = "palette" if action.id == COMMAND_PALETTE else action.label
        return [(f" {key_label(action.key_list[:1])} ", "1;33"), (f"{word} ", "")]

    right = [run for name in FOOTER_PINNED for run in item(BY_ID[name])]
    room = width - sum(cells(t) for t, _ in right)
    left: list[tuple[str, str]] = []
    for action in ACTIONS:
        if action.scope is not Scope.LIST or not action.footer or (read_only and action.mutates):
            continue
        runs = item(action)
        size = sum(cells(t) for t, _ in runs)
        if size > room:
            break
        left += runs
        room -= size
    return [*left, (" " * max(room, 0), ""), *right]


def compose_frame(summaries: list[ContainerSummary], engine: tuple[str, str], size: tuple[int, int], *,
                  show_stopped: bool = True, stats: bool = True, read_only: bool = False,
                  colours: Colours = Colours()) -> str:
    """The whole first frame, as bytes for the terminal (every row written, cursor hidden)."""
    width, height = size
    base = colours.sgr()
    running = sum(s.is_running for s in summaries)
    name, url = engine
    title = [(" ", ""), ("bosun", "1"), ("  ", ""), (visible(name), "1"), (f"  {visible(url)}", "2"),
             (f"   {running} running / {len(summaries)}", "2")]
    body = list_lines(summaries, width, show_stopped=show_stopped, stats=stats)[: max(height - 2, 0)]
    rows = [title, *body]
    rows += [[]] * (height - 1 - len(rows))
    rows.append(footer_line(width, read_only))
    return _paint(rows[:height], width, base)


def compose_waiting_frame(url: str, size: tuple[int, int], *, colours: Colours = Colours()) -> str:
    """The frame for an engine that accepted the connection and has not answered: what bosun waits for.

    Textual's ConnectingScreen says the same once it has loaded.
    """
    width, height = size
    base = colours.sgr()
    rows: list[list[tuple[str, str]]] = [
        [(" ", ""), ("bosun", "1")], [], [("  ", ""), ("Connecting…", "1")], [],
        [("  Waiting for an answer from:", "")], [("    • ", ""), (visible(url), "1")], [],
        [("  The engine accepted the connection and has not answered yet.", "2")]]
    rows = rows[: max(height - 1, 0)]
    rows += [[]] * (height - 1 - len(rows))
    rows.append([(" q ", "1;33"), ("Quit ", "")])  # the one key the connecting screen has
    return _paint(rows[:height], width, base)


def _paint(rows: list[list[tuple[str, str]]], width: int, base: str) -> str:
    out = ["\x1b[?1049h\x1b[?25l", base, "\x1b[H"]
    for y, runs in enumerate(rows):
        out.append(f"\x1b[{y + 1};1H")
        out.append(_runs(runs, width, base))
    return "".join(out)


def _runs(runs: Iterable[tuple[str, str]], width: int, base: str) -> str:
    out, used = [], 0
    for text, sgr in runs:
        room = width - used
        if room <= 0:
            break
        if cells(text) > room:
            text = cut(text, room)
        out.append(f"{base}\x1b[{sgr}m{text}" if sgr else f"{base}{text}")
        used += cells(text)
    out.append(base + " " * max(width - used, 0))
    return "".join(out)


class FirstFrame:
    """The frame on the terminal `fd`, and the terminal mode to put back at the very end."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._saved = termios.tcgetattr(fd)

    @classmethod
    def show(cls, fd: int, frame: str) -> FirstFrame | None:
        """Draw `frame` with echo and line editing off; None when `fd` is not a terminal."""
        if not os.isatty(fd):
            return None
        try:
            shown = cls(fd)
            quiet = termios.tcgetattr(fd)
            quiet[3] &= ~(termios.ECHO | termios.ICANON)
            termios.tcsetattr(fd, termios.TCSANOW, quiet)
            os.write(fd, frame.encode("utf-8"))
        except (OSError, termios.error):
            return None
        return shown

    def redraw(self, frame: str) -> None:
        """Draw `frame` over the one shown (the terminal mode to put back stays the user's)."""
        try:
            os.write(self.fd, frame.encode("utf-8"))
        except OSError:
            pass

    def abandon(self) -> None:
        """Leave the alternate screen (the app never started) and put the terminal back."""
        try:
            os.write(self.fd, b"\x1b[0m\x1b[?25h\x1b[?1049l")
        except OSError:
            pass
        self.restore()

    def restore(self) -> None:
        try:
            termios.tcsetattr(self.fd, termios.TCSANOW, self._saved)
        except termios.error:
            pass
