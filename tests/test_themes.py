"""Theme files: the bundled ones load, read well, and ship; user themes override; bad files are reported."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from textual.theme import BUILTIN_THEMES, Theme

from tui.themes import (
    ThemeFileError,
    bundled_theme_dir,
    discover_themes,
    load_theme_file,
    user_theme_dir,
)

REPO = Path(__file__).resolve().parent.parent
BUNDLED = sorted(bundled_theme_dir().glob("*.toml"))


def luminance(color: str) -> float:
    """WCAG relative luminance of a #RRGGBB colour."""
    channels = [int(color.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# ---------------------------------------------------------------- bundled themes


def test_bundled_dir_is_the_repo_themes_folder():
    # The bundled themes sit in the package next to their loader: the code that runs reads its own
    # checkout's files, even with another checkout installed (a mapped data package could be the other's).
    assert bundled_theme_dir().resolve() == (REPO / "tui" / "themes").resolve()
    assert {p.stem for p in BUNDLED} >= {"bosun-dark", "bosun-light", "harbor"}


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_bundled_theme_loads_and_reads_well(path):
    theme = load_theme_file(path)
    assert isinstance(theme, Theme)
    assert theme.name == path.stem
    # Every colour is given explicitly, so the look does not depend on Textual's defaults.
    for key in ("primary", "secondary", "accent", "foreground", "background", "surface", "panel",
                "success", "warning", "error"):
        assert getattr(theme, key), f"{path.name} sets no {key}"
    assert contrast(theme.foreground, theme.background) >= 7, "body text needs AAA contrast"
    for surface in (theme.surface, theme.panel):
        assert contrast(theme.foreground, surface) >= 7
    for key in ("primary", "accent", "success", "warning", "error"):
        assert contrast(getattr(theme, key), theme.background) >= 4.5, f"{key} text is hard to read"
    cursor = theme.variables.get("block-cursor-foreground")
    if cursor:
        assert contrast(cursor, theme.primary) >= 4.5


def test_bundled_names_distinct_and_light_is_light():
    themes = {load_theme_file(p).name: load_theme_file(p) for p in BUNDLED}
    assert len(themes) == len(BUNDLED)
    assert not set(themes) & set(BUILTIN_THEMES), "a bundled theme would shadow a Textual built-in"
    light = themes["bosun-light"]
    assert light.dark is False
    assert luminance(light.background) > 0.8 and luminance(light.surface) > 0.8
    assert themes["bosun-dark"].dark is True and luminance(themes["bosun-dark"].background) < 0.05
    palettes = {(t.primary, t.background, t.accent) for t in themes.values()}
    assert len(palettes) == len(themes)


def test_discover_without_user_themes(tmp_path):
    themes, problems = discover_themes(tmp_path / "missing")
    assert problems == []
    assert [t.name for t in themes][:3] == ["bosun-dark", "bosun-light", "harbor"]


def test_user_theme_dir_follows_xdg(tmp_path):
    assert user_theme_dir({"XDG_CONFIG_HOME": str(tmp_path)}) == tmp_path / "bosun" / "themes"


# ---------------------------------------------------------------- user themes


def test_user_theme_overrides_bundled_and_adds(tmp_path):
    (tmp_path / "mine.toml").write_text('name = "bosun-dark"\nprimary = "#FF0000"\n')
    (tmp_path / "extra.toml").write_text('primary = "#00AA00"\ndark = false\n')  # name from the file
    themes, problems = discover_themes(tmp_path)
    assert problems == []
    by_name = {t.name: t for t in themes}
    assert by_name["bosun-dark"].primary == "#FF0000"
    assert [t.name for t in themes].index("bosun-dark") == 0  # replaced in place
    assert by_name["extra"].dark is False
    assert sum(t.name == "bosun-dark" for t in themes) == 1


def test_broken_user_theme_reported_not_fatal(tmp_path):
    (tmp_path / "broken.toml").write_text('name = "broken"\nprimary = \n')
    (tmp_path / "badcolor.toml").write_text('name = "badcolor"\nprimary = "#12345G"\n')
    (tmp_path / "good.toml").write_text('name = "good"\nprimary = "#336699"\n')
    (tmp_path / "notes.txt").write_text("not a theme")
    themes, problems = discover_themes(tmp_path)
    names = [t.name for t in themes]
    assert "good" in names and "broken" not in names and "badcolor" not in names
    assert "bosun-dark" in names
    assert len(problems) == 2
    assert any("broken.toml" in p and "line 2" in p for p in problems)
    assert any("badcolor.toml" in p and "'primary' is not a colour" in p for p in problems)


def test_duplicate_name_within_user_folder_reported(tmp_path):
    (tmp_path / "a.toml").write_text('name = "same"\nprimary = "#336699"\n')
    (tmp_path / "b.toml").write_text('name = "same"\nprimary = "#996633"\n')
    themes, problems = discover_themes(tmp_path)
    assert [t.primary for t in themes if t.name == "same"] == ["#336699"]
    assert len(problems) == 1 and "b.toml" in problems[0] and "a.toml" in problems[0]


@pytest.mark.parametrize("text,fragment", [
    ('name = "x"\n', "'primary' is missing"),
    ('name = "x"\nprimary = "#336699"\nprimery = "#000000"\n', "unknown key 'primery'"),
    ('name = "x"\nprimary = 3\n', "'primary' must be a colour string"),
    ('name = "x"\nprimary = "#336699"\ndark = "no"\n', "'dark' must be true or false"),
    ('name = "x"\nprimary = "#336699"\ntext_alpha = 2\n', "'text_alpha' must be a number from 0 to 1"),
    ('name = "x"\nprimary = "#336699"\nvariables = 1\n', "'variables' must be a table"),
    ('name = "x"\nprimary = "#336699"\n[variables]\nborder = 1\n', "variables.border must be a string"),
    ('name = "has space"\nprimary = "#336699"\n', "'name' must be a word"),
    ('name = "x"\nprimary = "#336699"\n[x\n', "invalid TOML"),
])
def test_bad_theme_file_errors_say_what_is_wrong(tmp_path, text, fragment):
    path = tmp_path / "t.toml"
    path.write_text(text)
    with pytest.raises(ThemeFileError) as info:
        load_theme_file(path)
    assert str(path) in str(info.value) and fragment in str(info.value)


def test_missing_theme_file(tmp_path):
    with pytest.raises(ThemeFileError, match="cannot read"):
        load_theme_file(tmp_path / "nope.toml")


# ---------------------------------------------------------------- packaging


def test_pyproject_ships_every_package_and_the_themes():
    """The package list is explicit (see pyproject.toml): a new tui subpackage must be added."""
    setuptools = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    declared = set(setuptools["packages"])
    on_disk = {
        ".".join(folder.relative_to(REPO).parts)
        for folder in [REPO / "tui", *(REPO / "tui").rglob("*")]
        if folder.is_dir() and folder.name != "__pycache__" and any(folder.glob("*.py"))
    }
    missing = sorted(on_disk - declared)
    assert not missing, f"add {missing} to [tool.setuptools] packages in pyproject.toml"
    assert "tui.themes_data" not in setuptools.get("package-dir", {})  # the themes are files of tui.themes
    assert {p.name for p in BUNDLED} >= {"bosun-dark.toml", "bosun-light.toml", "harbor.toml"}
    assert "*.toml" in setuptools["package-data"]["*"]
