"""The log widgets: `LogView` (`view`) and the pane around it, `LogPane` (`pane`).

`LogView` only draws and routes input; what it shows is kept by plain objects of
`tui.logs` (the buffer, the ingest queue, the row map, the search index), and the
Textual-bound parts are small composed objects here: drawing rows (`draw`), placing
the view after new lines (`follow`), the mouse selection (`select`). This package
imports none of its modules on purpose: import them by their full names.
"""
