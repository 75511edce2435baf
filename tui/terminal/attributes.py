"""Styled cells and SGR (Select Graphic Rendition) handling.

``Cell`` is what the screen stores per column. Its first nine fields are
exactly ``pyte.screens.Char``'s, so pyte's own methods (which build cells with
``_replace``) keep working on it and tests can compare against stock pyte; it
adds ``dim`` and ``conceal``, which pyte drops.

Colours are stored the way pyte stores them: ``"default"``, one of the 16
ANSI names (pyte's spelling: ``"brown"`` is yellow, ``"brightbrown"`` bright
yellow) or six hex digits. Unlike pyte, 256-colour indexes 0-15 come back as
names so that the widget's theme decides what they look like.
"""

from __future__ import annotations

from typing import NamedTuple

from pyte.graphics import FG_BG_256


class Cell(NamedTuple):
    """One character cell: the character and how to draw it."""

    data: str
    fg: str = "default"
    bg: str = "default"
    bold: bool = False
    italics: bool = False
    underscore: bool = False
    strikethrough: bool = False
    reverse: bool = False
    blink: bool = False
    dim: bool = False
    conceal: bool = False


#: The eight base colours in pyte's spelling, index = ANSI colour number.
ANSI_NAMES: tuple[str, ...] = (
    "black", "red", "green", "brown", "blue", "magenta", "cyan", "white",
)
#: All 16 names, index = 256-colour palette index (8-15 are the bright ones).
ANSI16_NAMES: tuple[str, ...] = ANSI_NAMES + tuple("bright" + n for n in ANSI_NAMES)

_FG_NAMED = {30 + i: name for i, name in enumerate(ANSI_NAMES)}
_FG_NAMED.update({90 + i: "bright" + name for i, name in enumerate(ANSI_NAMES)})
_BG_NAMED = {40 + i: name for i, name in enumerate(ANSI_NAMES)}
_BG_NAMED.update({100 + i: "bright" + name for i, name in enumerate(ANSI_NAMES)})

# Single-parameter attribute switches: SGR code -> (field, value).
_FLAGS: dict[int, tuple[tuple[str, bool], ...]] = {
    1: (("bold", True),),
    2: (("dim", True),),
    3: (("italics", True),),
    4: (("underscore", True),),
    5: (("blink", True),),
    6: (("blink", True),),  # rapid blink: same look as blink
    7: (("reverse", True),),
    8: (("conceal", True),),
    9: (("strikethrough", True),),
    21: (("underscore", True),),  # double underline: drawn as underline
    22: (("bold", False), ("dim", False)),  # "normal intensity" clears both
    23: (("italics", False),),
    24: (("underscore", False),),
    25: (("blink", False),),
    27: (("reverse", False),),
    28: (("conceal", False),),
    29: (("strikethrough", False),),
}


def colour_for_index(index: int) -> str | None:
    """Colour string for a 256-colour palette index (``None`` if out of range)."""
    if 0 <= index < 16:
        return ANSI16_NAMES[index]
    if 16 <= index < 256:
        return FG_BG_256[index]
    return None


def apply_sgr(attrs: Cell, params: tuple[int, ...], default: Cell) -> Cell:
    """Return ``attrs`` changed by the SGR parameters ``params``.

    ``default`` is what SGR 0 resets to (the screen's blank cell; reverse
    under DECSCNM). Extended colours take the semicolon form (colon forms are
    normalised by :func:`normalise_sgr_params` first). An unknown code is
    ignored and the rest still apply, as in xterm.
    """
    if not params or params == (0,):
        return default
    changes: dict[str, object] = {}
    i, count = 0, len(params)
    while i < count:
        code = params[i]
        i += 1
        if code == 0:
            changes = dict(default._asdict())
            del changes["data"]
        elif code in _FLAGS:
            changes.update(_FLAGS[code])
        elif code in _FG_NAMED:
            changes["fg"] = _FG_NAMED[code]
        elif code in _BG_NAMED:
            changes["bg"] = _BG_NAMED[code]
        elif code == 39:
            changes["fg"] = "default"
        elif code == 49:
            changes["bg"] = "default"
        elif code in (38, 48, 58):
            # Extended colour: 5;n (palette) or 2;r;g;b (truecolour). 58 is
            # the underline colour, which we parse only to skip it.
            colour: str | None = None
            kind = params[i] if i < count else None
            if kind == 5:
                if i + 1 >= count:
                    break  # truncated: pyte stops here too
                colour = colour_for_index(params[i + 1])
                i += 2
            elif kind == 2:
                if i + 3 >= count:
                    break
                r, g, b = params[i + 1 : i + 4]
                if max(r, g, b) <= 255:
                    colour = f"{r:02x}{g:02x}{b:02x}"
                i += 4
            else:
                i += 1  # unknown colour space: skip just its selector
            if colour is not None and code != 58:
                changes["fg" if code == 38 else "bg"] = colour
        # Anything else (fonts, frames, 59 ...) is deliberately ignored.
    if not changes:
        return attrs
    return attrs._replace(**changes)


def normalise_sgr_params(body: str) -> tuple[int, ...]:
    """Turn an SGR parameter string, colon sub-parameters included, into ints.

    ``"38:2::255:0:0;1"`` (ITU form with an empty colour-space id) and
    ``"38:2:255:0:0;1"`` both become ``(38, 2, 255, 0, 0, 1)``; ``"4:3"``
    (curly underline) becomes ``(4,)`` and ``"4:0"`` becomes ``(24,)``.
    Raises ``ValueError`` on non-numeric input.
    """
    out: list[int] = []
    for group in body.split(";"):
        if ":" not in group:
            out.append(min(int(group or 0), 9999))
            continue
        sub = group.split(":")
        head = int(sub[0] or 0)
        if head in (38, 48, 58):
            kind = int(sub[1] or 0) if len(sub) > 1 else 0
            if kind == 2:
                rgb = sub[2:]
                if len(rgb) >= 4:  # colour-space id present (maybe empty)
                    rgb = rgb[1:4]
                if len(rgb) == 3:
                    out.extend((head, 2, *(int(v or 0) for v in rgb)))
            elif kind == 5 and len(sub) > 2:
                out.extend((head, 5, int(sub[2] or 0)))
        elif head == 4:
            style = int(sub[1] or 0) if len(sub) > 1 else 1
            out.append(24 if style == 0 else 4)
        else:
            out.append(head)
    return tuple(out)
