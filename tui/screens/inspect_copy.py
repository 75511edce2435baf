"""What `y` copies on the inspect screen: the value under the cursor, or the JSON view's selection.

Copied text is what the screen shows (`tui.untrusted.visible`: control characters as
stand-ins), so a hostile value pasted into a shell cannot run a second line. A value
still masked is not copied: the mask is useless on the clipboard, and the secret
should only leave the screen once the user revealed it (`v`).
"""

from __future__ import annotations

import json
import re
from typing import Any

from tui.secrets_mask import mask_document
from tui.untrusted import visible

# `"key": value,` or `value,` on one line of the pretty-printed JSON.
_JSON_LINE = re.compile(r'^\s*(?:"(?:[^"\\]|\\.)*"\s*:\s*)?(?P<value>.*?),?\s*$')


def entry_copy_text(key: str | int, value: Any, secret: bool, reveal: bool, maskable: bool,
                    shown: str) -> tuple[str | None, str]:
    """(text to copy or None, toast) for a tree entry; `shown` is its value as the tree shows it."""
    name = key if isinstance(key, str) else f"[{key}]"
    name = visible(str(name))
    if maskable and not reveal:
        return None, f"{name} is hidden as a secret: v reveals it, then y copies it"
    if isinstance(value, (dict, list)):
        document = value if reveal else mask_document(value, secret)
        text = visible(json.dumps(document, indent=2, ensure_ascii=False, default=str), keep_newlines=True)
        return text, f"Copied {name} as JSON ({text.count(chr(10)) + 1} lines)"
    return shown, f"Copied the value of {name}"


def json_line_value(line: str) -> str:
    """The value on one line of the JSON view: a string unquoted, anything else as written."""
    match = _JSON_LINE.match(line)
    text = match.group("value") if match else line.strip()
    if text in ("{", "[", "}", "]", "{}", "[]", ""):
        return line.strip().rstrip(",")
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return visible(value) if isinstance(value, str) else text


def selection_message(text: str) -> str:
    lines = text.count("\n") + 1
    if lines > 1:
        return f"Copied {lines} lines"
    return f"Copied {len(text)} character{'s' if len(text) != 1 else ''}"
