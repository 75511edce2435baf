"""Terminal emulation for the embedded shell: pure pieces, no container knowledge.

* ``attributes`` -- the styled cell type and SGR (colour/attribute) logic.
* ``modes``      -- mode numbers and ``ModeFlags`` (app cursor, mouse, paste ...).
* ``rows``       -- row storage and bulk-draw helpers used by the screen.
* ``screen``     -- ``TerminalScreen``, a ``pyte.Screen`` that fills pyte's gaps
  (alternate screen, own scrollback, replies to the program, ...).
* ``stream``     -- ``TerminalStream``, the byte input side: UTF-8 decoding,
  escape-sequence tokenising, string stripping, bounded feeding.
* ``keys``       -- key, paste, mouse and focus events to the bytes a program expects.
* ``transport``  -- the byte pipe to a program (``LocalPtyTransport`` for a pty).

Nothing here imports the engine layer or Textual, so it can be used and tested
without a running app; turning screen rows into Textual ``Strip``s is
``tui.widgets.terminal_render``'s job.
"""
