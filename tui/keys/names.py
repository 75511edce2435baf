"""Which key names Textual knows: a name it does not know is accepted by it and never fires.

Plain data and the standard library: the CLI checks the user's `[keys]` before
anything of Textual is imported.
"""

from __future__ import annotations

import unicodedata

_MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
# Textual's names for keys that are not a printable character (textual.keys.Keys).
_NAMED_KEYS = frozenset(
    {"escape", "enter", "tab", "space", "backspace", "delete", "insert", "home", "end", "pageup", "pagedown",
     "up", "down", "left", "right", "backtab"} | {f"f{n}" for n in range(1, 25)})


def is_key_name(key: str) -> bool:
    """Whether Textual knows `key` ("x", "X", "ctrl+x", "space", "f5", "question_mark", "slash").

    A name Textual does not know would be accepted by it and simply never fire.
    """
    *modifiers, base = key.split("+")
    if not base or any(m not in _MODIFIERS for m in modifiers) or len(set(modifiers)) != len(modifiers):
        return False
    if len(base) == 1:
        return base.isprintable() and not base.isspace() and base not in ",="
    if base in _NAMED_KEYS:
        return True
    # Punctuation goes by its Unicode name: question_mark, full_stop, equals_sign...
    unicode_name = {"slash": "solidus", "backslash": "reverse solidus", "at": "commercial at",
                    "minus": "hyphen-minus", "plus": "plus sign", "underscore": "low line"}.get(base)
    try:
        char = unicodedata.lookup(unicode_name or base.replace("_", " "))
    except KeyError:
        return False
    return len(char) == 1 and not char.isalnum() and char.isprintable()
