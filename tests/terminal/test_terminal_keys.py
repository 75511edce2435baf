"""Key, paste, mouse and focus encoding: exact bytes per the xterm table."""

from __future__ import annotations

import pytest

from tui.terminal.keys import (
    MOUSE_LEFT,
    MOUSE_NONE,
    MOUSE_RIGHT,
    MOUSE_WHEEL_DOWN,
    MOUSE_WHEEL_UP,
    encode_focus,
    encode_key,
    encode_mouse,
    encode_paste,
    mouse_event_wanted,
)

CURSOR_FINALS = {"up": "A", "down": "B", "right": "C", "left": "D", "home": "H", "end": "F"}
TILDE_NUMBERS = {
    "insert": 2, "delete": 3, "pageup": 5, "pagedown": 6,
    "f5": 15, "f6": 17, "f7": 18, "f8": 19, "f9": 20, "f10": 21, "f11": 23, "f12": 24,
}
SS3_FINALS = {"f1": "P", "f2": "Q", "f3": "R", "f4": "S"}
# Textual modifier spellings -> xterm parameter m = 1 + shift + 2*alt + 4*ctrl.
MODIFIERS = {
    "shift": 2, "alt": 3, "alt+shift": 4, "ctrl": 5,
    "ctrl+shift": 6, "alt+ctrl": 7, "alt+ctrl+shift": 8,
}


@pytest.mark.parametrize("key,final", CURSOR_FINALS.items())
def test_cursor_keys_plain_and_app_mode(key: str, final: str) -> None:
    assert encode_key(key) == f"\x1b[{final}".encode()
    assert encode_key(key, app_cursor=True) == f"\x1bO{final}".encode()


@pytest.mark.parametrize("key,final", CURSOR_FINALS.items())
@pytest.mark.parametrize("mods,m", MODIFIERS.items())
def test_cursor_keys_modified(key: str, final: str, mods: str, m: int) -> None:
    expected = f"\x1b[1;{m}{final}".encode()
    assert encode_key(f"{mods}+{key}") == expected
    # Modified keys ignore application cursor mode, as in xterm.
    assert encode_key(f"{mods}+{key}", app_cursor=True) == expected


def test_modifier_order_does_not_matter() -> None:
    assert encode_key("shift+ctrl+up") == encode_key("ctrl+shift+up") == b"\x1b[1;6A"
    assert encode_key("meta+up") == b"\x1b[1;3A"


@pytest.mark.parametrize("key,number", TILDE_NUMBERS.items())
def test_tilde_keys(key: str, number: int) -> None:
    assert encode_key(key) == f"\x1b[{number}~".encode()
    assert encode_key(key, app_cursor=True) == f"\x1b[{number}~".encode()
    for mods, m in MODIFIERS.items():
        assert encode_key(f"{mods}+{key}") == f"\x1b[{number};{m}~".encode()


@pytest.mark.parametrize("key,final", SS3_FINALS.items())
def test_f1_to_f4(key: str, final: str) -> None:
    assert encode_key(key) == f"\x1bO{final}".encode()
    for mods, m in MODIFIERS.items():
        assert encode_key(f"{mods}+{key}") == f"\x1b[1;{m}{final}".encode()


def test_f13_and_up_are_shifted_function_keys() -> None:
    assert encode_key("f13") == b"\x1b[1;2P"
    assert encode_key("f17") == b"\x1b[15;2~"
    assert encode_key("f24") == b"\x1b[24;2~"


@pytest.mark.parametrize(
    "key,expected",
    [
        ("enter", b"\r"),
        ("tab", b"\t"),
        ("shift+tab", b"\x1b[Z"),
        ("escape", b"\x1b"),
        ("backspace", b"\x7f"),
        ("ctrl+backspace", b"\x08"),
        ("alt+backspace", b"\x1b\x7f"),
        ("alt+enter", b"\x1b\r"),
    ],
)
def test_simple_keys(key: str, expected: bytes) -> None:
    assert encode_key(key) == expected


@pytest.mark.parametrize("letter", "abcdefghijklmnopqrstuvwxyz")
def test_ctrl_letters(letter: str) -> None:
    expected = bytes([ord(letter) & 0x1F])
    assert encode_key(f"ctrl+{letter}") == expected
    assert encode_key(f"ctrl+shift+{letter}") == expected
    assert encode_key(f"alt+ctrl+{letter}") == b"\x1b" + expected


@pytest.mark.parametrize(
    "key,expected",
    [
        ("ctrl+space", b"\x00"),
        ("ctrl+@", b"\x00"),
        ("ctrl+at", b"\x00"),
        ("ctrl+left_square_bracket", b"\x1b"),
        ("ctrl+backslash", b"\x1c"),
        ("ctrl+right_square_bracket", b"\x1d"),
        ("ctrl+circumflex_accent", b"\x1e"),
        ("ctrl+underscore", b"\x1f"),
    ],
)
def test_ctrl_symbols(key: str, expected: bytes) -> None:
    assert encode_key(key) == expected


def test_printable_and_alt() -> None:
    assert encode_key("a", "a") == b"a"
    assert encode_key("A", "A") == b"A"
    assert encode_key("exclamation_mark", "!") == b"!"
    assert encode_key("space", " ") == b" "
    assert encode_key("eacute", "é") == "é".encode()
    assert encode_key("alt+x", "x") == b"\x1bx"
    assert encode_key("alt+x") == b"\x1bx"
    assert encode_key("alt+shift+a", "A") == b"\x1bA"


def test_unencodable_keys_give_none() -> None:
    assert encode_key("super+a", "a") is None
    assert encode_key("ctrl+f13x") is None
    assert encode_key("<scroll-up>") is None


def test_paste_without_brackets() -> None:
    assert encode_paste("ls\n", bracketed=False) == b"ls\r"
    assert encode_paste("a\r\nb", bracketed=False) == b"a\rb"


def test_paste_with_brackets_strips_end_marker() -> None:
    assert encode_paste("echo hi", bracketed=True) == b"\x1b[200~echo hi\x1b[201~"
    evil = "x\x1b[201~rm -rf ~\n"
    assert encode_paste(evil, bracketed=True) == b"\x1b[200~xrm -rf ~\r\x1b[201~"
    # Removing one marker must not leave a new one behind.
    nested = "\x1b[20\x1b[201~1~"
    assert encode_paste(nested, bracketed=True) == b"\x1b[200~\x1b[201~"


def test_mouse_sgr() -> None:
    assert encode_mouse(MOUSE_LEFT, 0, 0) == b"\x1b[<0;1;1M"
    assert encode_mouse(MOUSE_LEFT, 4, 9, pressed=False) == b"\x1b[<0;5;10m"
    assert encode_mouse(MOUSE_RIGHT, 300, 100) == b"\x1b[<2;301;101M"
    assert encode_mouse(MOUSE_WHEEL_UP, 1, 2) == b"\x1b[<64;2;3M"
    assert encode_mouse(MOUSE_WHEEL_DOWN, 1, 2) == b"\x1b[<65;2;3M"
    assert encode_mouse(MOUSE_LEFT, 1, 1, motion=True) == b"\x1b[<32;2;2M"
    assert encode_mouse(MOUSE_NONE, 1, 1, motion=True) == b"\x1b[<35;2;2M"
    assert encode_mouse(MOUSE_LEFT, 0, 0, shift=True, alt=True, ctrl=True) == b"\x1b[<28;1;1M"


def test_mouse_legacy_x10() -> None:
    assert encode_mouse(MOUSE_LEFT, 0, 0, sgr=False) == b"\x1b[M\x20\x21\x21"
    assert encode_mouse(MOUSE_RIGHT, 10, 5, pressed=False, sgr=False) == b"\x1b[M\x23\x2b\x26"
    assert encode_mouse(MOUSE_WHEEL_UP, 2, 3, sgr=False) == b"\x1b[M\x60\x23\x24"
    assert encode_mouse(MOUSE_WHEEL_DOWN, 2, 3, ctrl=True, sgr=False) == b"\x1b[M\x71\x23\x24"
    assert encode_mouse(MOUSE_LEFT, 222, 0, sgr=False) == b"\x1b[M\x20\xff\x21"
    assert encode_mouse(MOUSE_LEFT, 223, 0, sgr=False) is None


def test_mouse_event_wanted() -> None:
    assert not mouse_event_wanted(None, "press")
    assert mouse_event_wanted(9, "press") and not mouse_event_wanted(9, "release")
    assert mouse_event_wanted(1000, "wheel") and not mouse_event_wanted(1000, "motion", True)
    assert mouse_event_wanted(1002, "motion", True) and not mouse_event_wanted(1002, "motion")
    assert mouse_event_wanted(1003, "motion")


def test_focus() -> None:
    assert encode_focus(True) == b"\x1b[I"
    assert encode_focus(False) == b"\x1b[O"
