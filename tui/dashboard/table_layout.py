"""How wide each column of the container list is, and which columns fit. Pure: no widgets.

Widths come from what the cells hold now (so a column shrinks when its longest
value goes), never past a cap: names, images and labels come from outside and
one long value must not push the other columns off screen. When the width runs
out, columns that can be shortened are cut (with an ellipsis) down to a
minimum, then whole columns go, least useful first. Figures with a unit (MEM)
are never cut.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.dashboard.model import REMOVING_WORDS, SPARK_SAMPLES, Column

PADDING = 2  # DataTable puts one cell each side of every column


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    label: str
    cap: int  # widest it gets; longer values are ellipsised
    minimum: int | None = None  # narrowest before the column is dropped; None: never cut
    drop: int = 0  # order in which columns go when the width runs out (1 first); 0: never dropped
    grow: int = 0  # order in which cut columns get their width back (lower first)
    late: bool = False  # joins at its minimum; the rest of its width only from what is left at the end


def wanted(spec: ColumnSpec, natural: int) -> int:
    return max(min(natural, spec.cap), len(spec.label))


def needed_width(specs: list[ColumnSpec], natural: dict[str, int]) -> int:
    """Cells the list needs to show every column whole (up to the caps)."""
    return sum(wanted(spec, natural.get(spec.key, 0)) + PADDING for spec in specs)


CPU_CELL_WIDTH = len(f"{0:5.1f}% ") + SPARK_SAMPLES  # "  0.1% ▁▁▁▂▂▂▂▂"
MEMORY_CELL_WIDTH = len("1023M")  # human_bytes, widest below a terabyte


def keep_room(natural: dict[str, int], *, running: bool, stats: bool) -> None:
    """Widen `natural` to what a list with running containers shows a moment after its first frame.

    The figures (the CPU figure with its sparkline, the memory figure) come with the
    first stats round; a running container removed (`docker rm -f`, compose down)
    says "… removing" for a moment. Without their room kept from the start, the list
    would widen then, and the whole screen be laid out and drawn again.
    """
    if not running:
        return
    if stats:
        natural[Column.CPU] = max(natural.get(Column.CPU, 0), CPU_CELL_WIDTH)
        natural[Column.MEMORY] = max(natural.get(Column.MEMORY, 0), MEMORY_CELL_WIDTH)
    natural[Column.STATE] = max(natural.get(Column.STATE, 0), len(REMOVING_WORDS))


def fit_columns(specs: list[ColumnSpec], natural: dict[str, int], width: int) -> dict[str, int]:
    """Column key → width, in display order, for a table `width` cells wide.

    `natural` is the widest cell of each column now. The columns that are never
    dropped come first, whole (a name is cut only when nothing else is left to
    give); then the others join, most useful first, each at its minimum while
    one fits; what is left widens the cut ones, in `grow` order. A column whose
    cells are all empty takes only room that nothing else wants.
    """
    want = {spec.key: wanted(spec, natural.get(spec.key, 0)) for spec in specs}
    floor = {
        spec.key: want[spec.key] if spec.minimum is None else min(want[spec.key], max(spec.minimum, len(spec.label)))
        for spec in specs
    }
    widths = {s.key: want[s.key] for s in specs if not s.drop}
    spare = width - sum(w + PADDING for w in widths.values())
    for spec in specs:  # too narrow even for those: cut what may be cut
        if spare < 0 and not spec.drop and spec.minimum is not None:
            cut = min(-spare, widths[spec.key] - floor[spec.key])
            widths[spec.key] -= cut
            spare += cut
    joining = sorted((s for s in specs if s.drop and natural.get(s.key, 0)), key=lambda s: -s.drop)
    for spec in joining:
        room = spare - PADDING
        if room < floor[spec.key]:
            break
        width = floor[spec.key] if spec.late else min(want[spec.key], room)
        widths[spec.key] = width
        spare -= width + PADDING
        if width < want[spec.key] and not spec.late:
            break  # cut to fit: the list is full
    for spec in sorted((s for s in specs if s.key in widths), key=lambda s: s.grow):
        extra = max(min(spare, want[spec.key] - widths[spec.key]), 0)
        widths[spec.key] += extra
        spare -= extra
    for spec in sorted((s for s in specs if s.drop and not natural.get(s.key, 0)), key=lambda s: -s.drop):
        if want[spec.key] + PADDING <= spare:  # nothing to show: only in room nobody else wants
            widths[spec.key] = want[spec.key]
            spare -= want[spec.key] + PADDING
    return {s.key: widths[s.key] for s in specs if s.key in widths}


SERVICE = "service"
ENGINE = "engine"  # only with several engines in view

# In display order. Caps keep one long (untrusted) value from pushing the
# rest off screen; `drop` says which columns go first on a narrow list.
SPECS: list[ColumnSpec] = [
    ColumnSpec("mark", "", cap=1),
    ColumnSpec(Column.NAME, "NAME", cap=40, minimum=12),
    ColumnSpec(Column.IMAGE, "IMAGE", cap=40, minimum=16, drop=3, grow=1),
    ColumnSpec(Column.STATE, "STATE", cap=24),  # room for the timeline's strip: "■ exited (1) ✖1✖1✖1"
    ColumnSpec(Column.UPTIME, "UPTIME", cap=14, minimum=7, drop=4, grow=2),
    ColumnSpec(Column.PORTS, "PORTS", cap=48, minimum=22, drop=2, grow=3),
    # The CPU figure is 6 wide; the sparkline after it is the last thing to get room.
    ColumnSpec(Column.CPU, "CPU", cap=16, minimum=7, drop=5, grow=5, late=True),
    ColumnSpec(Column.MEMORY, "MEM", cap=7),
    ColumnSpec(SERVICE, "SERVICE", cap=24, minimum=8, drop=1, grow=4),
]
#: With several engines in view only: after the mark, before the name; cut before it goes.
ENGINE_SPEC = ColumnSpec(ENGINE, "ENGINE", cap=16, minimum=6)
#: The columns of a list with several engines in view.
ENGINE_SPECS: list[ColumnSpec] = [SPECS[0], ENGINE_SPEC, *SPECS[1:]]
SPEC_BY_KEY = {spec.key: spec for spec in ENGINE_SPECS}
