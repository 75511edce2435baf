"""Container-written text never reaches the terminal as control sequences, nor Rich as markup."""

from __future__ import annotations

import unicodedata
from io import StringIO

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from tui.untrusted import ELLIPSIS, safe_text, visible

HOSTILE = {
    "osc52 clipboard": "\x1b]52;c;aGkgdGhlcmU=\x07",
    "osc title": "\x1b]0;pwned\x07",
    "osc title st": "\x1b]2;pwned\x1b\\",
    "csi cursor moves": "\x1b[2J\x1b[H\x1b[10;20Hfake prompt$ ",
    "csi device status": "\x1b[6n",
    "reset": "\x1bc",
    "dcs tmux": "\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\",
    "8-bit csi": "\x9b31mred\x9b0m",
    "8-bit osc": "\x9d0;title\x9c",
    "nel": "line\x85next",
    "bidi override": "invoice\u202egnp.exe",
    "bidi isolate": "\u2067abc\u2069",
    "markup": "[bold]markup[/]",
    "markup link": "[link=https://evil.example]click[/link]",
    "del and bell": "a\x7fb\x07c",
    "line separator": "a\u2028b",
    "lone surrogate": "a\ud800b",
}


def _is_control(ch: str) -> bool:
    code = ord(ch)
    return code < 0x20 or 0x7F <= code <= 0x9F


def _render(text: Text) -> str:
    out = StringIO()
    Console(file=out, force_terminal=True, color_system=None, width=200).print(text)
    return out.getvalue()


@pytest.mark.parametrize("hostile", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_is_made_visible(hostile):
    shown = visible(hostile)
    assert not [ch for ch in shown if _is_control(ch) and ch != "\t"]
    assert not [ch for ch in shown if unicodedata.category(ch) in ("Cf", "Cs", "Zl", "Zp")]


@pytest.mark.parametrize("hostile", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_renders_without_escape_bytes(hostile):
    rendered = _render(safe_text(hostile))
    assert "\x1b" not in rendered
    assert not [ch for ch in rendered if _is_control(ch) and ch not in "\n"]
    assert "\u202e" not in rendered


def test_markup_is_shown_literally():
    assert _render(safe_text("[bold]markup[/]")).strip() == "[bold]markup[/]"
    text = safe_text("[bold]x[/]", "italic")
    assert text.plain == "[bold]x[/]"
    assert not [span for span in text.spans]  # the brackets made no styles


def test_stand_ins():
    assert visible("\x1b") == "␛"
    assert visible("\x07") == "␇"
    assert visible("\x00") == "␀"
    assert visible("\x7f") == "␡"
    assert visible("\x9b") == "<9B>"
    assert visible("\u202e") == "<U+202E>"
    assert visible("a\nb") == "a␊b"
    assert visible("a\r\nb") == "a␍␊b"
    assert visible("a\nb", keep_newlines=True) == "a\nb"
    assert visible("a\r\nb", keep_newlines=True) == "a␍\nb"


def test_ordinary_text_is_unchanged():
    for s in ["", "plain", "tab\tstop", "宽字符", "emoji 👍🏽 👨‍👩‍👧", "Ünïcödé ß", "ﬁ ligature", "a=b;c"]:
        assert visible(s) == s
    assert safe_text("abc", "bold").style == "bold"


def test_truncation_is_cell_aware():
    assert safe_text("abcdef", max_len=4).plain == "abc" + ELLIPSIS
    assert safe_text("abc", max_len=4).plain == "abc"
    wide = safe_text("宽" * 10, max_len=7)
    assert wide.cell_len <= 7 and wide.plain.endswith(ELLIPSIS)


def test_non_strings_are_tolerated():
    assert safe_text(None).plain == ""
    assert safe_text(42).plain == "42"  # type: ignore[arg-type]


DANGEROUS_FORMAT = "\u061c\u200b\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
# Any character, weighted towards the dangerous ranges: C0, DEL and C1, format characters, surrogates.
ANY_CHAR = st.one_of(
    st.characters(codec=None, exclude_categories=()),
    st.integers(0, 0x9F).map(chr),
    st.sampled_from(DANGEROUS_FORMAT),
    st.integers(0xD800, 0xDFFF).map(chr),
)


@given(st.text(alphabet=ANY_CHAR))
def test_visible_leaves_no_control_characters(s):
    shown = visible(s)
    assert not [ch for ch in shown if _is_control(ch) and ch != "\t"]
    assert not [ch for ch in shown if 0xD800 <= ord(ch) <= 0xDFFF]
    assert not set(shown) & set(DANGEROUS_FORMAT)


@given(st.text())
def test_visible_keeps_newlines_only_when_asked(s):
    kept = visible(s, keep_newlines=True)
    assert not [ch for ch in kept if _is_control(ch) and ch not in "\t\n"]
    assert kept.count("\n") == s.count("\n")
    assert visible(s) == visible(s.replace("\n", "\u240a"))


@given(st.text())
def test_visible_is_idempotent(s):
    once = visible(s)
    assert visible(once) == once
