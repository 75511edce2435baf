"""`bosun serve`: the dashboard in a browser, behind an access token.

textual-serve does the browser side (its xterm.js page and the websocket that
carries a Textual app's web driver); this package adds what it lacks for a
tool that controls containers: a token checked on every request, sessions
that are read-only unless the operator allows actions, TLS, an idle timeout,
a cap on sessions and an audit log. Each browser session is its own bosun
process (`tui.serve.child`).
"""
