"""Charts of figures over time, as text: the math and the dots, no Textual.

`braille` draws a column series into rows of braille characters; `series`
turns stats samples into one value per dot column over a time window (rates
for the counters, sums over a compose project's members); `metrics` says what
each chart of the stats screen shows and how its figures read.
"""
