"""The embedded shell's container side: bridges engine exec sessions to the
terminal widget (``exec_transport``) and picks the shell to run (``shell_choice``).

This package may import the engine layer; ``tui.terminal`` and
``tui.widgets.terminal_view`` must not, so they stay container-agnostic.
"""
