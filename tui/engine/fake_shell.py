"""A tiny shell for the fake engine's exec sessions.

It understands just enough (`echo`, `stty size`, `pwd`, `cd`, `exit N`,
`printf`, `true`/`false`) for UI tests and the demo to drive a believable
session without a real engine. Interactive sessions echo what is typed, like a
TTY in cooked mode.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field


@dataclass
class FakeShellState:
    rows: int = 24
    cols: int = 80
    cwd: str = "/"
    user: str = "root"
    env: dict[str, str] = field(default_factory=dict)
    exit_code: int | None = None
    last_status: int = 0


def run_line(line: str, state: FakeShellState) -> str:
    """Run one command line; returns its output (newlines as the TTY would show them)."""
    out: list[str] = []
    for command in line.split(";"):
        try:
            words = shlex.split(command)
        except ValueError:
            out.append("sh: syntax error\n")
            state.last_status = 2
            continue
        if not words:
            continue
        name, args = words[0], words[1:]
        status = 0
        if name == "echo":
            out.append(" ".join(args) + "\n")
        elif name == "printf":
            out.append((args[0] if args else "").replace("\\n", "\n"))
        elif name == "stty" and args == ["size"]:
            out.append(f"{state.rows} {state.cols}\n")
        elif name == "pwd":
            out.append(state.cwd + "\n")
        elif name == "cd":
            state.cwd = args[0] if args else "/root"
        elif name == "id" and args == ["-un"]:
            out.append(state.user + "\n")
        elif name == "true":
            pass
        elif name == "false":
            status = 1
        elif name == "exit":
            state.exit_code = int(args[0]) if args else state.last_status
            break
        else:
            out.append(f"sh: {name}: not found\n")
            status = 127
        state.last_status = status
    return "".join(out)


def prompt(state: FakeShellState) -> str:
    return f"{state.cwd} # "
