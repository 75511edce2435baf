"""Turn untrusted container output (bytes) into safe, styled Rich `Text` lines.

Whoever controls a container writes its log. Passed through, escape sequences in it
would act on the user's terminal: OSC 52 sets the clipboard, OSC 0 the window title,
CSI 6n makes the terminal type a reply into stdin, cursor moves spoof the UI, DCS
passes through tmux, `ESC c` resets the terminal; each has a 7-bit (`ESC [`) and an
8-bit C1 (U+009B) form. So this module keeps exactly one kind of sequence, SGR
(`ESC [ … m`, colours and attributes), and turns it into Rich `Style`s; everything
else is dropped and shown as a dim `␛`, and lone control characters become visible
stand-ins (Control Pictures, `<9B>`). The result is built from spans, never parsed as
markup, so `[bold]` stays literal.

Lines are what a terminal would show: `\\r\\n` ends a line like `\\n`, and after a lone
`\\r` only the text written after it is kept (a progress bar's final state). A huge
line is cut to `MAX_CELLS` cells with a marker (`… [+990 KB]`); only a bounded prefix
of it is ever decoded, so a 1 MB line costs about as much as a 80 KB one.
"""

from __future__ import annotations

import codecs
import re
from typing import Iterable

from rich.cells import cell_len
from rich.color import Color
from rich.style import Style
from rich.text import Span, Text

from tui.untrusted import visible

__all__ = [
    "MAX_CELLS",
    "PLACEHOLDER",
    "PLACEHOLDER_STYLE",
    "TRUNCATED_STYLE",
    "SGRState",
    "human_size",
    "sanitize_chunk",
    "sanitize_line",
    "split_lines",
]

MAX_CELLS = 10_000
# At most this many raw bytes per shown cell are decoded: escape sequences take
# bytes but no cells, and this keeps a megabyte line from costing a megabyte of work.
_BYTES_PER_CELL = 8

PLACEHOLDER = "\u241b"  # ␛ : a sequence was here and was dropped
PLACEHOLDER_STYLE = Style(dim=True)
STAND_IN_STYLE = Style(dim=True)
TRUNCATED_STYLE = Style(dim=True, italic=True)

# Invisible characters that reorder or hide text (same set as tui.untrusted).
_FORMAT = "\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_FORMAT}]")

# One alternative per kind of thing that is not plain text. Strings (OSC, DCS, SOS,
# PM, APC) end at BEL or ST (ESC \ or U+009C), or at the end of the line.
_TOKEN = re.compile(
    "(?P<csi>(?:\x1b\\[|\x9b)(?P<params>[0-?]*)(?P<inter>[ -/]*)(?P<final>[@-~])?)"
    "|(?P<string>(?:\x1b[\\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\\\|\x9c)?)"
    "|(?P<esc>\x1b[ -/]*[0-~]?)"
    "|(?P<tab>\t+)"
    f"|(?P<ctl>[\x00-\x08\x0a-\x1f\x7f-\x9f{_FORMAT}])"
)
_SGR_PARAMS = re.compile(r"[0-9;:]*\Z")
_SGR_BYTES = re.compile(rb"\x1b\[([0-9;:]*)m")
# CSI final bytes dropped without a placeholder: erase-in-line and cursor-to-column
# come with nearly every progress bar and say nothing worth showing.
_QUIET_FINALS = frozenset("KG")


_ASCII_RUNS = re.compile(r"[\x00-\x7f]+")


def text_cells(plain: str) -> int:
    """Cells a sanitised line takes (it holds no controls, so each ASCII character is one cell).

    Rich measures a long string character by character unless every character is in
    its short list of narrow ones, which a `…` or `␛` is not; for a 10 000-cell line
    that took a millisecond. Only the runs outside ASCII are measured here.
    """
    if plain.isascii():
        return len(plain)
    if len(plain) < 512 or "\u200d" in plain or "\ufe0f" in plain:  # joiners: measure in context
        return cell_len(plain)
    wide = _ASCII_RUNS.sub("", plain)
    return len(plain) - len(wide) + cell_len(wide)


def human_size(n: int) -> str:
    """`990 KB`, `1.5 MB`, `12 B`: a byte count for the truncation marker."""
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{round(n / 1024)} KB"
    return f"{n / (1024 * 1024):.1f} MB"


def _int(s: str, default: int = 0) -> int:
    if not s:
        return default
    # Python refuses to parse very long digit strings; any such number is out of range anyway.
    return int(s) if len(s) < 8 else 99_999_999


_ANSI = [Color.from_ansi(n) for n in range(256)]
_NO_STYLE = (False, False, False, False, False, False, False, None, None)
# Field positions in a rendition tuple.
_BOLD, _DIM, _ITALIC, _UNDERLINE, _REVERSE, _STRIKE, _OVERLINE, _FG, _BG = range(9)
_FLAGS = {1: (_BOLD, True), 2: (_DIM, True), 3: (_ITALIC, True), 4: (_UNDERLINE, True), 21: (_UNDERLINE, True),
          7: (_REVERSE, True), 9: (_STRIKE, True), 23: (_ITALIC, False), 24: (_UNDERLINE, False),
          27: (_REVERSE, False), 29: (_STRIKE, False), 53: (_OVERLINE, True), 55: (_OVERLINE, False),
          39: (_FG, None), 49: (_BG, None)}


class SGRState:
    """The graphic rendition a terminal would be in: updated by SGR parameters, read as a Style.

    The rendition is a tuple (bold, dim, italic, underline, reverse, strike, overline,
    fg, bg); transitions and styles are cached, since logs repeat the same few sequences.
    """

    __slots__ = ("key",)

    _styles: dict[tuple, Style | None] = {_NO_STYLE: None}
    _transitions: dict[tuple[tuple, str], tuple] = {}

    def __init__(self) -> None:
        self.key: tuple = _NO_STYLE

    def reset(self) -> None:
        self.key = _NO_STYLE

    def copy(self) -> SGRState:
        other = SGRState()
        other.key = self.key
        return other

    @property
    def style(self) -> Style | None:
        """The current Style, or None when nothing is set."""
        key = self.key
        try:
            return self._styles[key]
        except KeyError:
            pass
        if len(self._styles) > 4096:  # hostile input can make many colours
            self._styles.clear()
            self._styles[_NO_STYLE] = None
        bold, dim, italic, underline, reverse, strike, overline, fg, bg = key
        style = Style(bold=bold or None, dim=dim or None, italic=italic or None, underline=underline or None,
                      reverse=reverse or None, strike=strike or None, overline=overline or None,
                      color=fg, bgcolor=bg)
        self._styles[key] = style
        return style

    def apply(self, params: str) -> None:
        """Apply the parameters of one SGR sequence (`1;38;5;196`, `38:2::255:0:0`, ``)."""
        cache_key = (self.key, params)
        new = self._transitions.get(cache_key)
        if new is None:
            if len(self._transitions) > 8192:
                self._transitions.clear()
            new = self._transitions[cache_key] = _apply(self.key, params)
        self.key = new


def _colour(kind: str, args: list[str]) -> Color | None:
    """A colour from `5;n` or `2;r;g;b` (the args after 38/48)."""
    if kind == "5" and args:
        n = _int(args[0])
        return _ANSI[n] if n <= 255 else None
    if kind == "2" and len(args) >= 3:
        r, g, b = (min(_int(a), 255) for a in args[:3])
        return Color.from_rgb(r, g, b)
    return None


def _apply(key: tuple, params: str) -> tuple:
    state = list(key)
    fields = params.split(";") if params else ["0"]
    i, n = 0, len(fields)
    while i < n:
        field = fields[i]
        i += 1
        if ":" in field:  # ISO 8613-6 sub-parameters: 38:5:n, 38:2:[cs]:r:g:b, 4:3
            sub = field.split(":")
            code = _int(sub[0])
            if code in (38, 48) and len(sub) >= 2:
                args = sub[2:]
                if sub[1] == "2" and len(args) >= 4:
                    args = args[1:]  # the colour-space id
                _set_colour(state, code, _colour(sub[1], args))
            elif code == 4:
                state[_UNDERLINE] = len(sub) < 2 or sub[1] not in ("", "0")
            elif code != 58:
                _simple(state, code)
            continue
        code = _int(field)
        if code in (38, 48, 58):
            kind = fields[i] if i < n else ""
            if kind == "5":
                colour, i = _colour("5", fields[i + 1:i + 2]), i + 2
            elif kind == "2":
                colour, i = _colour("2", fields[i + 1:i + 4]), i + 4
            else:
                colour = None
            if code != 58:  # underline colour: not drawn
                _set_colour(state, code, colour)
            continue
        _simple(state, code)
    return tuple(state)


def _set_colour(state: list, code: int, colour: Color | None) -> None:
    if colour is not None:
        state[_FG if code == 38 else _BG] = colour


def _simple(state: list, code: int) -> None:
    flag = _FLAGS.get(code)
    if flag is not None:
        state[flag[0]] = flag[1]
    elif code == 0:
        state[:] = _NO_STYLE
    elif code == 22:
        state[_BOLD] = state[_DIM] = False
    elif 30 <= code <= 37:
        state[_FG] = _ANSI[code - 30]
    elif 40 <= code <= 47:
        state[_BG] = _ANSI[code - 40]
    elif 90 <= code <= 97:
        state[_FG] = _ANSI[code - 90 + 8]
    elif 100 <= code <= 107:
        state[_BG] = _ANSI[code - 100 + 8]
    # 5/6 blink and 8 conceal are ignored on purpose: blinking log text helps nobody,
    # and conceal would let a container hide what it wrote.


def split_lines(data: bytes) -> list[bytes]:
    """The lines of one chunk: split on `\\n`; a final newline does not start an empty line."""
    if not data:
        return []
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    return lines


def _after_last_cr(raw: bytes, state: SGRState) -> bytes:
    """What a terminal shows of a line with carriage returns: the text after the last one.

    SGR sequences before that CR still set the style of what follows, so they are
    applied to `state` (from the last full reset on, and at most the last 256).
    """
    raw = raw.rstrip(b"\r")  # `\r\n` and a trailing `\r` end the line, they do not blank it
    cut = raw.rfind(b"\r")
    if cut < 0:
        return raw
    before = raw[:cut]
    if b"\x1b[" in before:
        found = _SGR_BYTES.findall(before)
        start = 0
        for k in range(len(found) - 1, -1, -1):
            if found[k] in (b"", b"0"):
                start = k
                break
        for params in found[max(start, len(found) - 256):]:
            state.apply(params.decode("ascii"))
    return raw[cut + 1:]


def sanitize_line(data: bytes | str, *, max_cells: int = MAX_CELLS, state: SGRState | None = None,
                  placeholders: bool = True, hidden: int = 0) -> Text:
    """One line of untrusted output as a safe `Text` (no newline in `data`).

    `state` carries the SGR rendition in and out (lines of one chunk share it).
    With `placeholders` false, dropped sequences leave no `␛`. `hidden` counts bytes
    of the line after `data` that were never kept (a line too long to hold): the line
    is then cut, and its one marker counts them.
    """
    if state is None:
        state = SGRState()
    raw_len = hidden + (len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "replace")))
    if isinstance(data, str):
        data = data.encode("utf-8", "replace")
    data = _after_last_cr(data, state)
    budget = max_cells * _BYTES_PER_CELL
    cut_by_budget = len(data) > budget or hidden > 0
    if cut_by_budget:
        # The incremental decoder holds back a multi-byte character cut in half.
        s = codecs.getincrementaldecoder("utf-8")("replace").decode(data[:budget], final=False)
    else:
        s = data.decode("utf-8", "replace")
    shown_raw = raw_len - hidden - len(data)  # bytes before the last CR count as shown (overwritten)

    if _UNSAFE.search(s) is None:  # the common case: plain printable text
        style = state.style
        if len(s) > max_cells:
            s, truncated = s[:max_cells + 1], True
        else:
            truncated = cut_by_budget
        # A span, not Text.style: Text.render drops the base style of a Text without spans.
        text = Text(s, end="", no_wrap=True, spans=[Span(0, len(s), style)] if style else None)
        return _finish(text, max_cells, truncated, raw_len, shown_raw, s)

    parts: list[str] = []
    spans: list[Span] = []
    length = 0  # characters in parts
    cells = 0  # cells in parts (only tracked when tabs need it)
    track_cells = "\t" in s
    truncated = cut_by_budget
    end_pos = len(s)
    style = state.style
    run_start = 0  # where the current run of `style` began

    def add(chunk: str, chunk_style: Style | None) -> None:
        # Consecutive text in one style makes one span; stand-ins get their own
        # (or extend the previous one when they follow it directly).
        nonlocal length, cells, run_start
        if chunk_style is not style:
            if style is not None and length > run_start:
                spans.append(Span(run_start, length, style))
            if chunk_style is not None:
                if spans and spans[-1].end == length and spans[-1].style is chunk_style:
                    spans[-1] = Span(spans[-1].start, length + len(chunk), chunk_style)
                else:
                    spans.append(Span(length, length + len(chunk), chunk_style))
            run_start = length + len(chunk)
        parts.append(chunk)
        length += len(chunk)
        if track_cells:
            cells += cell_len(chunk)

    pos = 0
    placeholder_end = -1  # where the last ␛ ended
    for match in _TOKEN.finditer(s):
        start = match.start()
        if start > pos:
            add(s[pos:start], style)
        pos = match.end()
        kind = match.lastgroup
        if kind == "csi":
            params, final = match.group("params"), match.group("final")
            if final == "m" and not match.group("inter") and _SGR_PARAMS.match(params):
                state.apply(params)
                new_style = state.style
                if new_style is not style:
                    if style is not None and length > run_start:
                        spans.append(Span(run_start, length, style))
                    style, run_start = new_style, length
            elif placeholders and final not in _QUIET_FINALS and placeholder_end != length:
                add(PLACEHOLDER, PLACEHOLDER_STYLE)
                placeholder_end = length
        elif kind == "tab":
            width = 8 - cells % 8 + 8 * (len(match.group()) - 1)
            add(" " * width, style)
        elif kind == "ctl":
            add(visible(match.group()), STAND_IN_STYLE)
        elif placeholders and placeholder_end != length:  # string or other ESC sequence
            add(PLACEHOLDER, PLACEHOLDER_STYLE)  # one ␛ stands for a run of dropped sequences
            placeholder_end = length
        if length > max_cells:
            truncated, end_pos = True, pos
            break
    else:
        if pos < len(s):
            add(s[pos:], style)
    if style is not None and length > run_start:
        spans.append(Span(run_start, length, style))
    text = Text("".join(parts), end="", no_wrap=True, spans=spans)
    return _finish(text, max_cells, truncated, raw_len, shown_raw, s[:end_pos])


def _finish(text: Text, max_cells: int, truncated: bool, raw_len: int, shown_raw: int, shown: str) -> Text:
    if len(text) > max_cells or (len(text) > max_cells // 2 and text_cells(text.plain) > max_cells):
        text.truncate(max_cells)
        truncated = True
    if truncated:
        shown_bytes = shown_raw + len(shown.encode("utf-8", "replace"))
        hidden = max(raw_len - shown_bytes, 0)
        text.append(f" \u2026 [+{human_size(hidden)}]", TRUNCATED_STYLE)
    return text


def sanitize_chunk(data: bytes, *, max_cells: int = MAX_CELLS, state: SGRState | None = None,
                   placeholders: bool = True) -> list[tuple[Text, int]]:
    """Every line of one chunk as `(text, raw byte length)`; the SGR state runs on from line to line."""
    if state is None:
        state = SGRState()
    return [(sanitize_line(line, max_cells=max_cells, state=state, placeholders=placeholders), len(line))
            for line in split_lines(data)]


def sanitize_lines(lines: Iterable[bytes], **kwargs) -> list[Text]:
    """`sanitize_line` over several lines sharing one SGR state."""
    state = kwargs.pop("state", None) or SGRState()
    return [sanitize_line(line, state=state, **kwargs) for line in lines]
