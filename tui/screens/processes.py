"""One container's processes, like `top`: read through the engine API, refreshed while shown.

The command lines are the container's own text: shown through `visible`, never
as markup. Signalling a process asks first, with the signal chosen in the dialog.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Header, OptionList, Static
from textual.widgets.option_list import Option

from tui.engine import ContainerSummary, Engine, EngineError
from tui.engine.processes import SIGNALS, Process, ProcessTable
from tui.keys.registry import KILL_PROCESS, SIGNAL, Scope
from tui.logs.sanitize import human_size
from tui.notice import notify
from tui.untrusted import one_line, safe_text, visible
from tui.widgets.footer import LeanFooter
from tui.widgets.key_bindings import scope_bindings
from tui.widgets.sized_table import fill_table
from tui.widgets.typeahead import focus_now

#: Seconds between two reads of the table while the screen is shown.
REFRESH_SECONDS = 3.0

# (column key, title, how rows sort by it); CPU sorts highest first, like top.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("cpu", "CPU %"), ("memory", "MEM"), ("pid", "PID"), ("user", "USER"), ("elapsed", "TIME"),
    ("command", "COMMAND"))
_DESCENDING = {"cpu", "memory"}


def sort_key(column: str):
    def key(p: Process):
        value = getattr(p, column)
        if column in ("cpu", "memory"):
            return value if value is not None else -1
        return value
    return key


def sorted_processes(processes, column: str, reverse: bool) -> list[Process]:
    descending = column in _DESCENDING
    return sorted(processes, key=sort_key(column), reverse=descending != reverse)


class ProcessesScreen(Screen[None]):
    CSS_PATH = "inside.tcss"
    BINDINGS: ClassVar[list[Binding]] = scope_bindings(Scope.PROCESSES)

    def __init__(self, engine: Engine, summary: ContainerSummary, *, read_only: bool = False) -> None:
        super().__init__()
        self.engine = engine
        self.container = summary
        self.read_only = read_only
        self.sort = "cpu"
        self.reverse = False
        self.table: ProcessTable | None = None
        self.error = ""
        self.reads = 0  # tables read so far (tests wait on it)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="inside-status")
        yield DataTable(id="processes", cursor_type="row", zebra_stripes=True)
        yield LeanFooter()

    def on_mount(self) -> None:
        self.title = f"Processes: {visible(self.container.name)}"
        table = self.query_one(DataTable)
        fill_table(table, COLUMNS, ())
        focus_now(table)
        self.action_refresh()
        self.set_interval(REFRESH_SECONDS, self.action_refresh)

    def check_action(self, action: str, parameters) -> bool | None:
        if action == SIGNAL:
            if self.read_only:
                return False
            return True if self.cursor_process() else None
        return True

    # -- reading -----------------------------------------------------------------------

    def action_refresh(self) -> None:
        self.run_worker(self._read(), group="top", exclusive=True, exit_on_error=False)

    async def _read(self) -> None:
        try:
            table = await self.engine.top(self.container.id)
        except EngineError as exc:
            self.error = exc.message
            self.table = None
        else:
            self.error = ""
            self.table = table
        self.reads += 1
        self._show()

    def _status(self) -> Text:
        if self.error:
            return Text.assemble(("Cannot list the processes: ", "bold"), visible(self.error))
        count = len(self.table.processes) if self.table else 0
        title = dict(COLUMNS)[self.sort]
        order = "ascending" if (self.sort in _DESCENDING) == self.reverse else "descending"
        pids = "host pids" if self.table and self.table.host_pids else "pids inside the container"
        return Text(f"{count} process{'es' * (count != 1)} · sorted by {title} {order} · {pids} · "
                    f"refreshed every {REFRESH_SECONDS:g} s")

    def _show(self) -> None:
        self.query_one("#inside-status", Static).update(self._status())
        table = self.query_one(DataTable)
        keep = self.cursor_process()
        processes = sorted_processes(self.table.processes if self.table else (), self.sort, self.reverse)
        fill_table(table, COLUMNS, (
            (str(p.pid), (
                Text(f"{p.cpu:.1f}" if p.cpu is not None else "-", justify="right"),
                Text(human_size(p.memory) if p.memory is not None else "-", justify="right"),
                Text(str(p.pid), justify="right"), safe_text(one_line(p.user, 16)), safe_text(p.elapsed),
                safe_text(one_line(p.command, 400))))
            for p in processes))
        if keep is not None and str(keep.pid) in {str(p.pid) for p in processes}:
            table.move_cursor(row=table.get_row_index(str(keep.pid)), animate=False)
        self.refresh_bindings()

    def cursor_process(self) -> Process | None:
        if self.table is None or not self.is_mounted:
            return None
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:  # noqa: BLE001 - no cursor row
            return None
        return next((p for p in self.table.processes if str(p.pid) == key), None)

    # -- keys --------------------------------------------------------------------------

    def action_close(self) -> None:
        self.dismiss(None)

    def action_sort(self) -> None:
        keys = [k for k, _ in COLUMNS]
        self.sort = keys[(keys.index(self.sort) + 1) % len(keys)]
        self.reverse = False
        notify(self, f"Sorted by {dict(COLUMNS)[self.sort]}", timeout=2)
        self._show()

    def action_reverse_order(self) -> None:
        self.reverse = not self.reverse
        self._show()

    def action_signal(self) -> None:
        process = self.cursor_process()
        if self.read_only:
            notify(self, f"Read-only: {KILL_PROCESS} is turned off", timeout=4)
            return
        if process is None:
            notify(self, "No process under the cursor", timeout=3)
            return

        def chosen(signal: str | None) -> None:
            if signal:
                self.run_worker(self._signal(process, signal), group="signal", exit_on_error=False)

        self.app.push_screen(SignalScreen(process, self.container.name), chosen)

    async def _signal(self, process: Process, signal: str) -> None:
        host_pids = bool(self.table and self.table.host_pids)
        try:
            await self.engine.signal_process(self.container.id, process.pid, signal, host_pid=host_pids)
        except EngineError as exc:
            notify(self, str(exc), title=f"{signal} to {process.pid} failed", severity="error", timeout=10)
            return
        notify(self, f"Sent {signal} to {process.pid} ({one_line(process.command, 60)})", timeout=4)
        await self._read()


class SignalScreen(ModalScreen[str | None]):
    """Which signal to send to one process: choosing one is the confirmation, escape cancels."""

    CSS_PATH = "inside.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, process: Process, container: str) -> None:
        super().__init__()
        self.process = process
        self.container = container

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text.assemble(("Send a signal", "bold"), f" to process {self.process.pid} in ",
                                       visible(self.container), ":\n", one_line(self.process.command, 200)),
                         id="question")
            yield OptionList(*(Option(name, id=name) for name in SIGNALS), id="signals")
            yield Static(Text("enter sends the signal, escape cancels", "dim"))

    def on_mount(self) -> None:
        self.set_focus(self.query_one(OptionList))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
