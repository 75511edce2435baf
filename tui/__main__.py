"""Lets `python -m tui` start bosun exactly like the `bosun` command."""

from tui.cli import main

raise SystemExit(main())
