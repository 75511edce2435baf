"""``TerminalStream``: bytes from the program -> calls on a ``TerminalScreen``.

This replaces ``pyte.ByteStream`` on the input side. pyte's parser is a
generator that takes one character per ``send`` for every escape sequence
and draws text through a namedtuple ``_replace`` per character; both are
where its ~1 MB/s goes. Here:

* bytes are decoded with an incremental UTF-8 decoder (split characters
  across reads are kept);
* one ``re.split`` tokenises a whole chunk into text runs and complete
  control tokens (C0 controls, CSI, OSC, DCS/SOS/PM/APC strings, other
  ESC sequences) at C speed;
* each distinct control token is compiled once into ``(handler, args)`` and
  cached, so a repeated ``ESC[0m`` or ``ESC[01;34m`` costs one dict lookup;
* text runs go to ``TerminalScreen.draw``, whose bulk path writes a run of
  single-width characters with one C-level ``dict.update``;
* an incomplete sequence at the end of a read is kept as a tail and
  completed by the next read; DCS/SOS/PM/APC strings (sixel, tmux
  passthrough, ...) are dropped rather than drawn, and a string too long to
  buffer switches to discarding until its terminator;
* colon-form SGR is normalised; ``CSI ? r`` and other unknown or malformed
  sequences are dropped; a handler that raises is counted and skipped,
  parsing carries on.

Feeding is bounded: ``push()`` queues bytes (thread-safe, e.g. from a pty
reader thread) and ``process_pending(budget)`` handles at most ``budget``
bytes and reports whether more remain, so a UI loop can yield between
slices and ``yes`` or ``cat big`` never freezes it.
"""

from __future__ import annotations

import codecs
import inspect
import re
import threading
from collections import deque
from functools import partial
from typing import Any, Callable, Optional

from pyte import charsets as cs

from .attributes import normalise_sgr_params
from .screen import TerminalScreen

#: Default ``process_pending`` slice: big enough to amortise overhead, small
#: enough (a few ms) to keep the UI responsive.
DEFAULT_BUDGET = 64 * 1024

# Controls that may sit inside a CSI without ending it (a character class body).
_IN_CSI = r"\x00-\x17\x19\x1c-\x1f\x7f"
# A complete control token. Alternatives are tried in order at each position.
_TOKEN = re.compile(
    "("
    # CSI. C0 controls but CAN/SUB/ESC (which abort it), and DEL, may appear
    # inside: they are executed and the sequence goes on, as in xterm.
    # Possessive, so a long run of them costs linear time even unterminated.
    rf"\x1b\[[\x30-\x3f{_IN_CSI}]*+[\x20-\x2f{_IN_CSI}]*+[\x40-\x7e]"
    # OSC, terminated by BEL or ST.
    r"|\x1b\][^\x07\x1b]*+(?:\x07|\x1b\\)"
    # DCS / SOS / PM / APC, terminated by ST; ESC not followed by \ may occur inside.
    r"|\x1b[P^_X](?:[^\x1b]++|\x1b(?!\\))*+\x1b\\"
    # Other ESC sequences: intermediates + final, but not the introducers above.
    r"|\x1b[\x20-\x2f]*[\x30-\x4f\x51-\x57\x59\x5a\x5c\x60-\x7e]"
    # A single C0 control (not ESC), DEL, or C1 control (ignored, see below).
    r"|[\x00-\x1a\x1c-\x1f\x7f-\x9f]"
    ")"
)
# What may still become a token if more input arrives (matched from an ESC to the end).
_INCOMPLETE = re.compile(
    rf"\x1b(?:\[[\x30-\x3f{_IN_CSI}]*+[\x20-\x2f{_IN_CSI}]*+|\][^\x07\x1b]*|[P^_X][^\x1b]*|[\x20-\x2f]*)"
)
# The would-be body after a stray ESC inside text (an aborted sequence): dropped.
_ABORTED = re.compile(r"\[[\x30-\x3f]*[\x20-\x2f]*|\][^\x07]*|[P^_X].*|[\x20-\x2f]*", re.S)
_EMBEDDED = re.compile(f"[{_IN_CSI}]")
# What may follow an incomplete CSI and leave it incomplete: (parameters) intermediates.
_CSI_REST = re.compile(rf"([\x30-\x3f{_IN_CSI}]*+)[\x20-\x2f{_IN_CSI}]*+")
_CSI_INTERMEDIATES = re.compile(rf"[\x20-\x2f{_IN_CSI}]*+")
_ESC_INTERMEDIATES = re.compile(r"[\x20-\x2f]*")
_INTERMEDIATE = re.compile(r"[\x20-\x2f]")
# A tail shorter than this is simply rescanned with the next read.
_SHORT_TAIL = 256
_STRING_STARTS = ("\x1bP", "\x1b^", "\x1b_", "\x1bX")

#: A tail longer than this is not buffered: strings switch to discard mode.
MAX_TAIL = 64 * 1024
_ACTION_CACHE_LIMIT = 4096

Action = tuple[Callable[..., Any], tuple[Any, ...]]


class TerminalStream:
    """Parses program output and drives a ``TerminalScreen``.

    :param screen: the screen to draw on.
    """

    def __init__(self, screen: TerminalScreen) -> None:
        self.screen = screen
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._tail = ""  # an incomplete sequence waiting for the next read
        self._tail_in_intermediates = False  # the tail is a CSI past its parameters
        self._discard: Optional[str] = None  # inside an over-long "csi" or "string"
        self._pending: deque[bytes] = deque()
        self._pending_size = 0
        self._lock = threading.Lock()
        self._base_actions = self._control_actions()
        self._actions: dict[str, Optional[Action]] = dict(self._base_actions)

    # ------------------------------------------------------------ public API

    def feed(self, data: bytes) -> None:
        """Parse all of ``data`` now (callers in a UI loop prefer ``push`` +
        ``process_pending``)."""
        if data:
            self._feed_text(self._decoder.decode(data))

    def feed_text(self, text: str) -> None:
        """Parse already-decoded text."""
        if text:
            self._feed_text(text)

    def push(self, data: bytes) -> None:
        """Queue bytes for ``process_pending``. Safe to call from any thread."""
        if data:
            with self._lock:
                self._pending.append(data)
                self._pending_size += len(data)

    @property
    def pending_bytes(self) -> int:
        """Bytes queued by ``push`` and not processed yet."""
        return self._pending_size

    def process_pending(self, budget: int = DEFAULT_BUDGET) -> bool:
        """Parse up to ``budget`` queued bytes; return ``True`` if more remain."""
        with self._lock:
            taken: list[bytes] = []
            size = 0
            while self._pending and size < budget:
                chunk = self._pending.popleft()
                room = budget - size
                if len(chunk) > room:
                    # Splitting anywhere is safe: the decoder and the tail
                    # buffer join split characters and sequences.
                    self._pending.appendleft(chunk[room:])
                    chunk = chunk[:room]
                taken.append(chunk)
                size += len(chunk)
            self._pending_size -= size
            more = bool(self._pending)
        if taken:
            self.feed(b"".join(taken))
        return more

    # ------------------------------------------------------------- internals

    def _feed_text(self, text: str) -> None:
        if self._tail:
            tail, self._tail = self._tail, ""
            if len(tail) > _SHORT_TAIL and "\x1b" not in text and self._still_open(tail, text):
                # A long sequence arriving in small reads: only the new text is
                # scanned, so it costs linear time, not a rescan of the tail per read.
                self._hold(tail + text)
                return
            text = tail + text
        if self._discard is not None:
            text = self._skip(text)
            if not text:
                return
        # Hold back an incomplete sequence at the end for the next read.
        last_esc = text.rfind("\x1b")
        if last_esc != -1 and _INCOMPLETE.fullmatch(text, last_esc):
            tail = text[last_esc:]
            text = text[:last_esc]
            self._tail_in_intermediates = tail.startswith("\x1b[") and _INTERMEDIATE.search(tail) is not None
            self._hold(tail)
        if text:
            self._run(text)

    def _hold(self, tail: str) -> None:
        """Keep an incomplete sequence for the next read, or discard one too long to keep."""
        if len(tail) <= MAX_TAIL:
            self._tail = tail
        elif tail.startswith("\x1b["):
            self._discard = "csi"  # an absurd CSI: dropped up to its final byte
        elif tail.startswith(_STRING_STARTS) or tail.startswith("\x1b]"):
            self._discard = "string"  # dropped up to its ST/BEL
        # else: ESC and a flood of intermediates; dropped.

    def _still_open(self, tail: str, text: str) -> bool:
        """Whether ``tail`` (an incomplete sequence) plus ``text`` (no ESC in it) is still incomplete."""
        kind = tail[1]
        if kind == "[":
            if self._tail_in_intermediates:
                return _CSI_INTERMEDIATES.fullmatch(text) is not None
            found = _CSI_REST.fullmatch(text)
            if found is not None and found.end(1) < len(text):
                self._tail_in_intermediates = True
            return found is not None
        if kind == "]":
            return "\x07" not in text
        if kind in "P^_X":
            return True
        return _ESC_INTERMEDIATES.fullmatch(text) is not None

    def _skip(self, text: str) -> str:
        """In discard mode: drop text up to the end of the over-long sequence."""
        if self._discard == "csi":
            found = _CSI_REST.match(text)
            end = found.end()  # type: ignore[union-attr]  (it matches the empty string)
            if end == len(text):
                return ""  # still inside
            self._discard = None
            return text[end + 1:] if "\x40" <= text[end] <= "\x7e" else text[end:]
        ends = [i for i in (text.find("\x1b\\"), text.find("\x07")) if i != -1]
        if not ends:
            if text.endswith("\x1b"):
                self._tail = "\x1b"  # may be the first half of ST
            return ""
        self._discard = None
        end = min(ends)
        return text[end + (2 if text.startswith("\x1b\\", end) else 1):]

    def _run(self, text: str) -> None:
        parts = _TOKEN.split(text)
        screen = self.screen
        draw = screen.draw
        actions = self._actions
        # parts alternates text, token, text, ..., text.
        texts = parts[0::2]
        tokens = parts[1::2]
        tokens.append("")
        for run, token in zip(texts, tokens):
            if run:
                try:
                    if "\x1b" in run:
                        self._draw_with_stray_escapes(run)
                    else:
                        draw(run)
                except Exception:
                    screen.errors += 1
            if not token:
                continue
            try:
                action = actions.get(token, False)
                if action is False:
                    action = self._compile(token)
                if action is not None:
                    action[0](*action[1])
            except Exception:
                # A handler (or compiling the sequence) raised: one bad
                # sequence is skipped, it must never stop the stream.
                screen.errors += 1

    def _draw_with_stray_escapes(self, run: str) -> None:
        """Text containing an ESC that began no complete sequence (an aborted
        or malformed one): drop the would-be sequence, draw the rest."""
        pieces = run.split("\x1b")
        if pieces[0]:
            self.screen.draw(pieces[0])
        for piece in pieces[1:]:
            rest = piece[_ABORTED.match(piece).end():]  # type: ignore[union-attr]
            if rest:
                self.screen.draw(rest)

    # ------------------------------------------------------------- compiling

    def _control_actions(self) -> dict[str, Optional[Action]]:
        screen = self.screen
        table: dict[str, Optional[Action]] = {
            "\x07": (screen.bell, ()),
            "\x08": (screen.backspace, ()),
            "\x09": (screen.tab, ()),
            "\x0a": (screen.linefeed, ()),
            "\x0b": (screen.linefeed, ()),
            "\x0c": (screen.linefeed, ()),
            "\x0d": (screen.carriage_return, ()),
            "\x0e": (screen.shift_out, ()),
            "\x0f": (screen.shift_in, ()),
            # ESC sequences that are not CSI.
            "\x1b7": (screen.save_cursor, ()),
            "\x1b8": (screen.restore_cursor, ()),
            "\x1bD": (screen.index, ()),
            "\x1bE": (screen.next_line, ()),
            "\x1bM": (screen.reverse_index, ()),
            "\x1bH": (screen.set_tab_stop, ()),
            "\x1bc": (screen.reset, ()),
            "\x1b#8": (screen.alignment_display, ()),
            "\x1b=": (screen.set_keypad_mode, (True,)),
            "\x1b>": (screen.set_keypad_mode, (False,)),
        }
        # Charset designation (G0 "(" and G1 ")"): honoured even in UTF-8, as
        # xterm does, because ncurses draws boxes with ESC ( 0.
        for code in cs.MAPS:
            table[f"\x1b({code}"] = (screen.define_charset, (code, "("))
            table[f"\x1b){code}"] = (screen.define_charset, (code, ")"))
        # Every other C0 control, DEL and the C1 range are ignored (pyte
        # would draw some of them and then stop drawing the rest of the run).
        for code in list(range(0x20)) + list(range(0x7F, 0xA0)):
            table.setdefault(chr(code), None)
        return table

    def _compile(self, token: str) -> Optional[Action]:
        """Turn a control token into ``(handler, args)``; cache if repeatable."""
        kind = token[1]
        if kind == "[":
            action = self._compile_csi(token)
        elif kind == "]":
            self._osc(token)
            return None  # titles vary: not worth caching
        elif kind in "P^_X":
            return None  # DCS/SOS/PM/APC: stripped
        else:
            action = None  # unknown ESC sequence (ST alone, ESC %G, ...): ignored
        if len(self._actions) > _ACTION_CACHE_LIMIT:
            self._actions = dict(self._base_actions)
        self._actions[token] = action
        return action

    def _compile_csi(self, token: str) -> Optional[Action]:
        body, final = token[2:-1], token[-1]
        if _EMBEDDED.search(body):
            # Controls inside the sequence run where they stand, then the
            # sequence without them (xterm). Each runs in its own guard, so
            # a failing one costs only itself. Rare: not cached.
            for c in _EMBEDDED.findall(body):
                self._guarded(self._base_actions.get(c))
            self._guarded(self._csi_action(_EMBEDDED.sub("", body), final))
            return None
        return self._csi_action(body, final)

    def _guarded(self, action: Optional[Action]) -> None:
        if action is None:
            return
        try:
            action[0](*action[1])
        except Exception:
            self.screen.errors += 1

    def _csi_action(self, body: str, final: str) -> Optional[Action]:
        screen = self.screen
        prefix = ""
        if body and body[0] in "<=>?":
            prefix, body = body[0], body[1:]
        end = len(body)
        while end and body[end - 1] < "0":  # intermediates are 0x20-0x2f
            end -= 1
        body, inter = body[:end], body[end:]
        try:
            if final == "m" and ":" in body and not prefix:
                params: tuple[int, ...] = normalise_sgr_params(body)
            else:
                params = tuple(min(int(p or 0), 9999) for p in body.split(";"))
        except ValueError:
            return None  # stray '<=>?:' in the middle: malformed
        if inter:
            if inter == " " and final == "q":
                return (screen.set_cursor_style, params)
            if inter == "!" and final == "p":
                return (screen.soft_reset, ())
            if inter == "$" and final == "p" and prefix in ("", "?"):
                return (partial(screen.report_mode, private=prefix == "?"), params[:1])
            return None
        if prefix == "?":
            name = _PRIVATE_CSI.get(final)
            if not name:
                return None
            return (partial(getattr(screen, name), private=True), params[:_ARITY[name]])
        if prefix == ">":
            if final == "c":
                return (partial(screen.report_device_attributes, secondary=True), params[:1])
            return None  # modifyOtherKeys, XTVERSION, kitty keyboard ...: ignored
        if prefix:
            return None
        if final in "su":
            # SCOSC/SCORC; with parameters ``s`` is DECSLRM (unsupported).
            if params != (0,):
                return None
            return (screen.save_cursor if final == "s" else screen.restore_cursor, ())
        if final == "m" and params == (0,):
            return (screen.reset_attributes, ())
        name = _CSI.get(final)
        # Parameters a sequence does not take are ignored, as xterm does
        # (``CSI 1;2;3 E`` is ``CSI 1 E``), rather than failing the call.
        return (getattr(screen, name), params[:_ARITY[name]]) if name else None

    def _osc(self, token: str) -> None:
        body = token[2:-1] if token.endswith("\x07") else token[2:-2]
        code, _, param = body.partition(";")
        if code in ("0", "1"):
            self.screen.set_icon_name(param)
        if code in ("0", "2"):
            self.screen.set_title(param)
        # OSC 4/10/11 colour queries, 7 (cwd), 8 (hyperlinks), 52 (clipboard):
        # ignored; hyperlinked text still draws as plain text.


#: CSI final byte -> screen method (no prefix). pyte's table plus SU/SD,
#: REP, CHT/CBT and HPA's real final byte (SCOSC/SCORC are special-cased).
_CSI = {
    "@": "insert_characters",
    "A": "cursor_up",
    "B": "cursor_down",
    "C": "cursor_forward",
    "D": "cursor_back",
    "E": "cursor_down1",
    "F": "cursor_up1",
    "G": "cursor_to_column",
    "H": "cursor_position",
    "I": "forward_tab",
    "J": "erase_in_display",
    "K": "erase_in_line",
    "L": "insert_lines",
    "M": "delete_lines",
    "P": "delete_characters",
    "S": "scroll_up",
    "T": "scroll_down",
    "X": "erase_characters",
    "Z": "back_tab",
    "`": "cursor_to_column",
    "a": "cursor_forward",
    "b": "repeat_last_character",
    "c": "report_device_attributes",
    "d": "cursor_to_line",
    "e": "cursor_down",
    "f": "cursor_position",
    "g": "clear_tab_stop",
    "h": "set_mode",
    "l": "reset_mode",
    "m": "select_graphic_rendition",
    "n": "report_device_status",
    "r": "set_margins",
}

#: CSI ? ... final -> screen method, called with ``private=True``.
_PRIVATE_CSI = {
    "h": "set_mode",
    "l": "reset_mode",
    "J": "erase_in_display",  # DECSED: selective erase, treated as ED
    "K": "erase_in_line",
    "n": "report_device_status",
    "r": "set_margins",  # XTRESTORE: dropped by set_margins
}


def _max_params(name: str) -> Optional[int]:
    """How many CSI parameters a screen method takes (``None``: any number).

    pyte's ``erase_in_line(how, private)`` takes ``private`` positionally: a
    second parameter must not land there.
    """
    count = 0
    for parameter in list(inspect.signature(getattr(TerminalScreen, name)).parameters.values())[1:]:
        if parameter.kind is parameter.VAR_POSITIONAL:
            return None
        if parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD) \
                and parameter.name != "private":
            count += 1
    return count


#: Screen method -> parameters it takes; a slice ``[:None]`` keeps them all.
_ARITY = {name: _max_params(name) for name in {*_CSI.values(), *_PRIVATE_CSI.values()}}
