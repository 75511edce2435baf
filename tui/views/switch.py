"""Moving between the container list and the resource views (`1`–`4`, `:name`, the palette).

The dashboard stays at the bottom of the stack, with its feed: a view is a
screen over it, and another view replaces that one rather than piling up.
Each view's screen is made once and kept (installed): it follows the engine
only while shown, and shows its last rows at once when it comes back.
"""

from __future__ import annotations

from textual.app import App

from tui.notice import notify

CONTAINERS = "containers"


def _dashboard(app: App):
    from tui.dashboard.screen import DashboardScreen

    return next((s for s in app.screen_stack if isinstance(s, DashboardScreen)), None)


def current_view(app: App) -> str | None:
    from tui.views.screen import ResourceScreen

    screen = app.screen
    if isinstance(screen, ResourceScreen):
        return screen.VIEW
    return CONTAINERS if screen is _dashboard(app) else None


def _screen_for(app: App, view: str, dashboard):
    """The view's screen: made once and kept (installed), so coming back draws at once."""
    from tui.views.kinds import SCREENS

    name = f"bosun-view-{view}"
    if app.is_screen_installed(name):
        screen = app.get_screen(name)
        if screen.engine is dashboard.engine:
            return name
        app.uninstall_screen(name)  # another engine since (a reconnect): start afresh
    app.install_screen(SCREENS[view](dashboard.engine, dashboard.settings, engine_label=dashboard.engine_label),
                       name)
    return name


def show_view(app: App, view: str) -> None:
    """Show `view` ("containers", "images", "volumes", "networks")."""
    from tui.views.screen import ResourceScreen

    dashboard = _dashboard(app)
    top = app.screen
    if view == current_view(app):
        return
    if view == CONTAINERS:
        if isinstance(top, ResourceScreen):
            app.pop_screen()
        return
    if dashboard is None or dashboard.engine is None:
        notify(app, "Not connected to an engine yet", timeout=3)
        return
    name = _screen_for(app, view, dashboard)
    if isinstance(top, ResourceScreen):
        app.switch_screen(name)
    else:
        app.push_screen(name)


def ask_view(app: App) -> None:
    """The `:` prompt: a view by name."""
    from tui.views.dialogs import ViewPrompt

    app.push_screen(ViewPrompt(), lambda view: view and show_view(app, view))
