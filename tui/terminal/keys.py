"""Input events -> the bytes a program in a terminal expects (xterm conventions).

* ``encode_key(key, character, app_cursor=...)`` takes a Textual key name
  (``events.Key.key``: ``"up"``, ``"ctrl+up"``, ``"shift+tab"``, ``"f5"``,
  ``"ctrl+a"``, ``"alt+x"``, ...) and the event's character.
* ``encode_paste(text, bracketed)`` wraps a paste for ``?2004``.
* ``encode_mouse(...)`` builds SGR (``?1006``) or legacy X10 mouse reports;
  ``mouse_event_wanted`` says which events a tracking mode asks for.
* ``encode_focus(focused)`` for ``?1004``.

Modified special keys use xterm's parameter m = 1 + shift + 2*alt + 4*ctrl:
``CSI 1;m A`` for arrows/Home/End/F1-F4, ``CSI n;m ~`` for the tilde keys.
Nothing here knows about Textual objects; only its key naming.
"""

from __future__ import annotations

from typing import Optional

CSI = "\x1b["
SS3 = "\x1bO"

# Cursor keys: plain CSI x, SS3 x in application cursor mode, CSI 1;m x modified.
_CURSOR_KEYS = {"up": "A", "down": "B", "right": "C", "left": "D", "home": "H", "end": "F"}
# F1-F4: SS3 x plain, CSI 1;m x modified.
_SS3_FUNCTION_KEYS = {"f1": "P", "f2": "Q", "f3": "R", "f4": "S"}
# "Tilde" keys: CSI n ~ plain, CSI n;m ~ modified.
_TILDE_KEYS = {
    "insert": 2, "delete": 3, "pageup": 5, "pagedown": 6,
    "f5": 15, "f6": 17, "f7": 18, "f8": 19, "f9": 20, "f10": 21, "f11": 23, "f12": 24,
}
# ctrl + punctuation -> C0 control (Textual spells some of these out).
_CTRL_SYMBOLS = {
    "@": 0x00, "at": 0x00, "space": 0x00, "2": 0x00,
    "[": 0x1B, "left_square_bracket": 0x1B, "left_square_brace": 0x1B, "3": 0x1B,
    "\\": 0x1C, "backslash": 0x1C, "4": 0x1C,
    "]": 0x1D, "right_square_bracket": 0x1D, "5": 0x1D,
    "^": 0x1E, "circumflex_accent": 0x1E, "6": 0x1E,
    "_": 0x1F, "underscore": 0x1F, "7": 0x1F, "slash": 0x1F, "minus": 0x1F,
    "8": 0x7F,
}
# Textual names for printable keys that have no character attached.
_NAMED_CHARACTERS = {"space": " ", "minus": "-", "plus": "+", "slash": "/", "backslash": "\\"}


def _split_key(key: str) -> tuple[str, set[str]]:
    *modifiers, name = key.split("+")
    if not name and modifiers:  # a literal "+" key ("ctrl++"), defensively
        name = "+"
        modifiers = modifiers[:-1]
    return name, set(modifiers)


def encode_key(key: str, character: Optional[str] = None, *, app_cursor: bool = False) -> Optional[bytes]:
    """Bytes for a key press, or ``None`` if the key has no terminal encoding.

    :param key: Textual key name (``events.Key.key``); modifiers may come in
        any order (``"ctrl+shift+up"``, ``"alt+ctrl+up"``).
    :param character: ``events.Key.character`` (used for printable keys).
    :param app_cursor: DECCKM is set (``screen.app_cursor``).
    """
    name, modifiers = _split_key(key)
    shift = "shift" in modifiers
    alt = "alt" in modifiers or "meta" in modifiers
    ctrl = "ctrl" in modifiers
    if modifiers - {"shift", "alt", "meta", "ctrl"}:
        return None  # super/hyper chords do not reach a terminal program
    m = 1 + shift + 2 * alt + 4 * ctrl

    if name in _CURSOR_KEYS:
        final = _CURSOR_KEYS[name]
        if m > 1:
            return f"{CSI}1;{m}{final}".encode()
        return f"{SS3 if app_cursor else CSI}{final}".encode()
    if name.startswith("f") and name[1:].isdigit() and 13 <= int(name[1:]) <= 24:
        # xterm's F13-F24 are shifted F1-F12; Textual reports them by number.
        name, m = f"f{int(name[1:]) - 12}", m + (0 if shift else 1)
    if name in _SS3_FUNCTION_KEYS:
        final = _SS3_FUNCTION_KEYS[name]
        return (f"{CSI}1;{m}{final}" if m > 1 else f"{SS3}{final}").encode()
    if name in _TILDE_KEYS:
        number = _TILDE_KEYS[name]
        return (f"{CSI}{number};{m}~" if m > 1 else f"{CSI}{number}~").encode()

    prefix = b"\x1b" if alt else b""
    if name in ("enter", "return"):
        return prefix + b"\r"
    if name == "tab":
        return b"\x1b[Z" if shift else prefix + b"\t"
    if name == "escape":
        return prefix + b"\x1b"
    if name == "backspace":
        # ctrl+backspace sends ^H, which shells bind to "delete word" in
        # some setups; plain backspace is DEL as in xterm's default.
        return prefix + (b"\x08" if ctrl else b"\x7f")

    if ctrl:
        if len(name) == 1 and name.isascii() and name.isalpha():
            return prefix + bytes([ord(name.lower()) & 0x1F])
        if name in _CTRL_SYMBOLS:
            return prefix + bytes([_CTRL_SYMBOLS[name]])
        return None  # ctrl+<something with no control code>

    text = character if character and character.isprintable() else None
    if text is None:
        if len(name) == 1:
            text = name.upper() if shift else name
        else:
            text = _NAMED_CHARACTERS.get(name)
    if text is None:
        return None
    return prefix + text.encode()


#: Bracketed paste markers (``?2004``).
PASTE_START = b"\x1b[200~"
PASTE_END = b"\x1b[201~"


def encode_paste(text: str, bracketed: bool) -> bytes:
    """Bytes for pasted text.

    Line breaks become CR, as a typed Enter would be. With bracketed paste the
    text is wrapped in ``ESC[200~`` ... ``ESC[201~`` and any end marker inside
    is removed, so pasted text cannot end the paste early and inject keys.
    """
    data = text.replace("\r\n", "\r").replace("\n", "\r").encode()
    if not bracketed:
        return data
    while PASTE_END in data:  # removal can create a new marker: repeat
        data = data.replace(PASTE_END, b"")
    return PASTE_START + data + PASTE_END


# Mouse button codes (xterm). Motion adds 32; shift 4, alt/meta 8, ctrl 16.
MOUSE_LEFT = 0
MOUSE_MIDDLE = 1
MOUSE_RIGHT = 2
MOUSE_NONE = 3  # motion with no button held; also the legacy "release" code
MOUSE_WHEEL_UP = 64
MOUSE_WHEEL_DOWN = 65


def encode_mouse(
    button: int,
    x: int,
    y: int,
    *,
    pressed: bool = True,
    motion: bool = False,
    shift: bool = False,
    alt: bool = False,
    ctrl: bool = False,
    sgr: bool = True,
) -> Optional[bytes]:
    """A mouse report. ``x``/``y`` are 0-based cell coordinates.

    SGR form (``?1006``): ``CSI < b ; x ; y M`` for press/motion, ``m`` for
    release (which keeps the button number). Legacy X10 form: ``CSI M`` and
    three bytes ``32 + b``, ``33 + x``, ``33 + y``; a release is button 3.
    Legacy reports cannot carry coordinates past 222: ``None`` then.
    Wheel events are "presses" of buttons 64/65.
    """
    code = button + 4 * shift + 8 * alt + 16 * ctrl + (32 if motion else 0)
    if sgr:
        return f"\x1b[<{code};{x + 1};{y + 1}{'M' if pressed else 'm'}".encode()
    if not pressed:
        code = MOUSE_NONE + 4 * shift + 8 * alt + 16 * ctrl + (32 if motion else 0)
    if x < 0 or y < 0 or x + 33 > 255 or y + 33 > 255:
        return None
    return b"\x1b[M" + bytes((32 + code, 33 + x, 33 + y))


def mouse_event_wanted(tracking: Optional[int], kind: str, button_held: bool = False) -> bool:
    """Whether tracking mode ``tracking`` (``screen.mouse_tracking``) reports an event.

    ``kind`` is ``"press"``, ``"release"``, ``"wheel"`` or ``"motion"``.
    9 (X10) reports presses only; 1000 presses, releases and wheel; 1002
    adds motion while a button is held; 1003 all motion.
    """
    if tracking is None:
        return False
    if kind == "press":
        return True
    if tracking == 9:
        return False
    if kind in ("release", "wheel"):
        return True
    if kind == "motion":
        return tracking == 1003 or (tracking == 1002 and button_held)
    return False


def encode_focus(focused: bool) -> bytes:
    """Focus report for ``?1004``: ``CSI I`` on focus, ``CSI O`` on blur."""
    return b"\x1b[I" if focused else b"\x1b[O"
