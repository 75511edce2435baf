"""Container logs: untrusted output made safe (`sanitize`) and kept in bounded memory (`buffer`).

Nothing here imports Textual: the `LogView` widget (`tui.widgets.log.view`) is the
only piece that draws. This package turns bytes into Rich `Text` and stores lines,
and holds the plain parts the view is built from: the queue that takes frames in
(`ingest`), where each line sits in the view's rows (`rows`) and the search over the
lines (`search`); `follower` streams a container's log, `export` writes one to a file.
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
