"""Harnesses that ship with bosun for its tests and benchmarks, as `textual.pilot` ships with Textual.

The app never imports this package (an import contract in pyproject.toml holds
it to that), and this package imports nothing of the app: `pty_app` drives
bosun from outside, through a real pseudo-terminal, as a user would.
"""
