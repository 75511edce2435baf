"""Prune with a preview: tick what to clean up, read exactly what would go and what it frees, then go.

The list shown is the plan that runs: `Engine.prune` removes those items by id and
nothing else (anything stopped or left dangling since stays for the next time), and
the report says what went, what the engine kept and why, and the space freed by the
engine's own figures.
"""

from __future__ import annotations

from typing import Mapping

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Static

from tui.dashboard.model import human_bytes
from tui.engine import Engine, EngineError
from tui.engine.prune import KIND_TITLES, PruneKind, PrunePlan, PruneReport
from tui.keys.registry import CLOSE, PRUNE
from tui.notice import notify
from tui.untrusted import visible

#: The boxes, and whether each starts ticked: volumes hold data, so they are asked for.
CHOICES: tuple[tuple[str, str, bool], ...] = (
    (PruneKind.CONTAINERS.name, "Stopped containers", True),
    (PruneKind.IMAGES.name, "Dangling images", True),
    ("ALL_IMAGES", "Every unused image (tagged too)", False),
    (PruneKind.VOLUMES.name, "Unused volumes (data lost)", False),
    (PruneKind.NETWORKS.name, "Unused networks", True),
    (PruneKind.BUILD_CACHE.name, "Build cache", True),
)


def _size(value: int | None) -> str:
    return "–" if value is None else human_bytes(value)


def plan_text(plan: PrunePlan) -> Text:
    """Every item the plan removes, by kind, with its size; then the total."""
    out = Text()
    for kind, title in KIND_TITLES.items():
        if kind not in plan.kinds:
            continue
        items = plan.of(kind)
        if kind is PruneKind.IMAGES and plan.all_images:
            title = "Unused images"
        out.append(f"{title}: {len(items) or 'none'}", "bold")
        sized = any(i.size is not None for i in items)
        out.append(f"  {_size(plan.size(kind))}\n" if sized else "\n")
        for item in items:
            if item.engine:  # several engines in view: whose it is
                out.append(f"  {visible(item.engine)[:12]:<12}", "bold")
            out.append(f"  {visible(item.name)[:34]:<34} {_size(item.size):>7}  ")
            out.append(f"{visible(item.detail)[:28]}\n", "dim")
    for note in plan.notes:
        out.append(f"{note}\n", "dim")
    out.rstrip()
    return out


def total_text(plan: PrunePlan) -> Text:
    """Above the list, so a short screen shows it however long the list is; with several engines, each
    engine's share after it."""
    out = Text.assemble((f"{len(plan.items)} to remove, freeing {_size(plan.size())}", "bold"),
                        (" (the engine's figures)" if not plan.engines() else " (the engines' figures)", "dim"))
    shares = []
    for engine in plan.engines():
        mine = [i for i in plan.items if i.engine == engine]
        shares.append(f"{visible(engine)}: {len(mine)}, {_size(sum(i.size or 0 for i in mine))}")
    if shares:
        out.append("\n" + " · ".join(shares))
    return out


def report_total(report: PruneReport) -> Text:
    out = Text.assemble((f"Removed {len(report.removed)}, freed {_size(report.freed)}", "bold"),
                        (" (the engine's figures)", "dim"))
    engines = list(dict.fromkeys(i.engine for i in report.removed if i.engine))
    engines += [e for e in dict.fromkeys(i.engine for i, _ in report.kept if i.engine) if e not in engines]
    if engines:
        out.append("\n" + " · ".join(f"{visible(e)}: removed {sum(1 for i in report.removed if i.engine == e)}, "
                                      f"freed {_size(report.freed_on(e))}" for e in engines))
    return out


def report_text(report: PruneReport) -> Text:
    out = Text()
    kinds = [(title, sum(1 for i in report.removed if i.kind is kind)) for kind, title in KIND_TITLES.items()]
    if report.removed:
        out.append(" · ".join(f"{title}: {n}" for title, n in kinds if n) + "\n")
    if report.gone:
        out.append(f"{len(report.gone)} already gone\n")
    if report.kept:
        out.append(f"Kept {len(report.kept)}:\n", "bold")
        for item, why in report.kept:
            where = f"{visible(item.engine)} " if item.engine else ""
            out.append(f"  {where}{visible(item.name)[:30]}: {visible(why)}\n")
    return out


class PruneScreen(ModalScreen[PruneReport | None]):
    CSS_PATH = "prune.tcss"
    BINDINGS = [
        Binding("escape", CLOSE, "Close"),
        Binding("y", PRUNE, "Prune"),
    ]

    def __init__(self, engine: Engine, labels: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.engine = engine
        self.labels = dict(labels or {})
        self.plan: PrunePlan | None = None
        self.report: PruneReport | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            scope = (" (only what carries " + ", ".join(f"{k}={v}" if v else k for k, v in self.labels.items()) + ")"
                     if self.labels else "")
            yield Static(Text.assemble(("Prune", "bold"), visible(scope)), id="question")
            with Horizontal(id="kinds"):
                with Vertical():
                    for key, label, on_ in CHOICES[:3]:
                        yield Checkbox(label, on_, id=f"kind-{key}")
                with Vertical():
                    for key, label, on_ in CHOICES[3:]:
                        yield Checkbox(label, on_, id=f"kind-{key}")
            yield Static(Text(""), id="total")
            with VerticalScroll(id="preview"):
                yield Static(Text("Asking the engine what would go…", "dim"), id="plan")
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel", variant="default")
                yield Button("Prune", id="prune", variant="error", disabled=True)

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#cancel", Button))
        self.call_after_refresh(self.refresh_plan)  # after the first frame, so the preview's height is laid out

    def chosen(self) -> tuple[frozenset[PruneKind], bool]:
        ticked = {box.id.removeprefix("kind-") for box in self.query(Checkbox) if box.value}
        kinds = frozenset(k for k in PruneKind if k.name in ticked)
        return kinds, "ALL_IMAGES" in ticked and PruneKind.IMAGES in kinds

    @on(Checkbox.Changed)
    def _ticked(self) -> None:
        if self.report is None:
            self.refresh_plan()

    def refresh_plan(self) -> None:
        self.plan = None
        self.query_one("#prune", Button).disabled = True
        self._load_plan()

    @work(exclusive=True, group="prune-plan", exit_on_error=False)
    async def _load_plan(self) -> None:
        kinds, all_images = self.chosen()
        plan_box = self.query_one("#plan", Static)
        self.query_one("#total", Static).update(Text(""))
        if not kinds:
            plan_box.update(Text("Tick something to clean up.", "dim"))
            return
        plan_box.update(Text("Asking the engine what would go…", "dim"))
        try:
            plan = await self.engine.prune_plan(kinds, all_images=all_images, labels=self.labels)
        except EngineError as exc:
            plan_box.update(Text(f"The engine said: {visible(str(exc))}", "red"))
            return
        if self.chosen() != (kinds, all_images):
            return  # ticked again meanwhile: the newer preview is on its way
        self.plan = plan
        self.query_one("#total", Static).update(total_text(plan))
        plan_box.update(plan_text(plan))
        button = self.query_one("#prune", Button)
        button.disabled = not plan.items
        button.label = f"Prune {len(plan.items)}" if plan.items else "Nothing to prune"
        button.refresh(layout=True)  # its width is `auto`, and a new label alone does not lay it out again

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "prune":
            self.action_prune()
        else:
            self.action_close()

    def action_close(self) -> None:
        if not self.busy:
            self.dismiss(self.report)

    def action_prune(self) -> None:
        if self.busy or self.report is not None:
            return
        if self.plan is None or not self.plan.items:
            notify(self, "Nothing listed to prune yet", timeout=3)
            return
        self.busy = True
        for box in self.query(Checkbox):
            box.disabled = True
        self.query_one("#prune", Button).disabled = True
        self.query_one("#plan", Static).update(Text(f"Removing the {len(self.plan.items)} listed…", "bold"))
        self._run(self.plan)

    @work(exclusive=True, group="prune-run", exit_on_error=False)
    async def _run(self, plan: PrunePlan) -> None:
        try:
            report = await self.engine.prune(plan)
        except EngineError as exc:
            self.busy = False
            self.query_one("#plan", Static).update(Text(f"The engine said: {visible(str(exc))}", "red"))
            return
        self.busy = False
        self.report = report
        self.query_one("#total", Static).update(report_total(report))
        self.query_one("#plan", Static).update(report_text(report))
        self.query_one("#prune", Button).display = False
        cancel = self.query_one("#cancel", Button)
        cancel.label = "Close"
        self.set_focus(cancel)
        notify(self.app, f"Pruned {len(report.removed)}, freed {_size(report.freed)}"
               + (f"; kept {len(report.kept)}" if report.kept else ""), title="Prune",
               severity="warning" if report.kept else "information", timeout=6)
