"""Container logs: untrusted output made safe (`sanitize`) and kept in bounded memory (`buffer`).

Nothing here imports Textual: the `LogView` widget (`tui.widgets.log_view`) is the
only piece that draws; this package only turns bytes into Rich `Text` and stores lines.
"""

from tui.logs.buffer import LineFilter, LogBuffer, LogLine
from tui.logs.sanitize import MAX_CELLS, sanitize_chunk, sanitize_line, split_lines

__all__ = [
    "MAX_CELLS",
    "LineFilter",
    "LogBuffer",
    "LogLine",
    "sanitize_chunk",
    "sanitize_line",
    "split_lines",
]
