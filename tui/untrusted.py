"""Show text written by a container without letting it act on the terminal or on Rich.

Labels, env values, health-check output and inspect values are free text chosen by
whoever controls the container. Written as-is, escape sequences in them would reach
the user's real terminal (OSC 52 sets the clipboard, CSI 6n injects a reply into
stdin, ESC c resets the terminal, DCS passes through tmux), in 7-bit and 8-bit (C1)
forms; and `[...]` in them would be read as Rich markup. `visible` turns every such
character into a harmless visible stand-in, and `safe_text` wraps the result in a
`rich.text.Text`, which Rich never parses as markup.
"""

from __future__ import annotations

import re

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Rich loads with the first Text made: the CLI's first frame needs only `visible`
    from rich.style import Style
    from rich.text import Text

__all__ = ["ELLIPSIS", "one_line", "safe_text", "visible"]

ELLIPSIS = "…"

# Invisible characters that reorder or hide text (bidi embeddings, overrides and
# isolates, direction marks, zero-width space, BOM, interlinear annotations) and
# the Unicode line/paragraph separators, which `str.splitlines` breaks on.
# Joiners (U+200C, U+200D) stay: emoji sequences and several scripts need them.
_FORMAT = "\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb"
# Lone surrogates can come out of JSON ("\ud800") and cannot be encoded for the terminal.
_SURROGATES = "\ud800-\udfff"
_UNSAFE = re.compile(f"[\x00-\x08\x0a-\x1f\x7f-\x9f{_FORMAT}{_SURROGATES}]")
_UNSAFE_KEEP_NEWLINES = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_FORMAT}{_SURROGATES}]")


def _stand_in(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # Unicode Control Pictures: ESC → ␛
    if code == 0x7F:
        return "\u2421"  # ␡
    if code < 0xA0:
        return f"<{code:02X}>"  # C1: 8-bit CSI is <9B>
    return f"<U+{code:04X}>"


def visible(s: str, *, keep_newlines: bool = False) -> str:
    """`s` with every control or invisible format character replaced by a visible stand-in.

    C0 controls become Control Pictures (ESC → ␛, LF → ␊), DEL becomes ␡, C1 controls
    become `<9B>`, bidi overrides and other invisible format characters `<U+202E>`.
    Tabs stay, and newlines stay when `keep_newlines` is true. Other text, wide
    characters and emoji included, is unchanged.
    """
    pattern = _UNSAFE_KEEP_NEWLINES if keep_newlines else _UNSAFE
    if pattern.search(s) is None:
        return s
    return pattern.sub(_stand_in, s)


def safe_text(
    s: str | None,
    style: str | Style = "",
    *,
    max_len: int | None = None,
    keep_newlines: bool = False,
) -> Text:
    """A Rich `Text` showing untrusted `s` literally (never markup, never a control sequence).

    With `max_len`, text wider than that many cells is cut and ends with an ellipsis.
    """
    if s is None:
        s = ""
    elif not isinstance(s, str):
        s = str(s)
    from rich.text import Text

    text = Text(visible(s, keep_newlines=keep_newlines), style=style)
    if max_len is not None and text.cell_len > max_len:
        text.truncate(max(max_len, 1), overflow="ellipsis")
    return text


def one_line(s: str, max_len: int = 160) -> str:
    """The first line of `s`, made visible, cut to `max_len` characters: for banners and titles."""
    first = s.strip().splitlines()[0] if s.strip() else ""
    first = visible(first)
    return first if len(first) <= max_len else first[: max_len - 1] + ELLIPSIS
