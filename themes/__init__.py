"""bosun's bundled colour themes, one TOML file each.

Installed as the package `tui.themes_data` (see pyproject.toml) so that the
files ship inside the wheel; `tui.themes` reads them from there.
"""
