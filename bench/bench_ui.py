"""Benchmarks of the desktop app's screens with a village's worth of cases (5,000).

Qt runs on the ``offscreen`` platform (set here); every figure is printed next to a baseline
measured in the same run, medians of ``--runs`` where it repeats:

1. Start to the lock screen: a fresh process running ``simpul --profile P`` (``desktop.cli``),
   timed from just before the process is started until the lock screen's first paint has
   finished. The driver (``_START_APP`` below) wraps ``desktop.ui.app.start`` to watch the
   lock screen's paint events; nothing in the app is changed. Baseline: a bare PySide6 process
   that shows an empty QWidget of the same size, timed the same way. Where the imports go is
   printed too (a fresh process importing the heavy libraries group by group).
2. Unlock to a usable main window, with the key derivation calibrated on this machine
   (``calibrate_kdf``, as the first-run wizard does): the passphrase typed into the lock
   screen, Enter pressed, until the cases table holds every case, has painted after its last
   reset and the worker is idle. Baselines: one vault unlock alone (Argon2id + unwrap), and
   ``Store.open`` alone (that plus decrypting the working set), both timed outside the UI.
3. Search keystroke to updated table: letters typed into the cases page's search field one at
   a time (a slow typist: each waits for its update), then Backspace back to the full list;
   from the key to the model's reset and to the table's repaint. The page debounces
   (``SEARCH_DELAY_MS``), so the work after the debounce is timed too: ``apply_filters()``
   called for the same text, to the repaint. Baseline: a plain Python substring scan over the
   same cases' JSON text.
4. Opening a case form: ``open_edit_case`` on cases with two victims, until the window's
   first paint has finished. Baseline: a top-level QWidget of the same size with a QFormLayout
   of 80 labelled QLineEdits, shown and painted. As a diagnosis, the same open with the
   auto-lock's application-wide event filter removed (``IdleWatcher.stop()``, public).
5. The longest UI stall during a sync: a real ``simpul-district serve`` on 127.0.0.1 (as in
   ``bench_sync.py``), a profile enrolled to it holding 1,000 new cases, the real MainWindow
   unlocked through its lock screen with its SyncController and the real scheduler (whose
   first round waits here for "Sync now"); "Sync now" triggered, and until the round has
   finished and the UI is settled, a 5 ms precise QTimer records the gaps between its ticks.
   Baseline: the same clock over the same duration in the same window with no sync running.
   Full (generation 2) garbage collections during the sync are logged (``gc.callbacks``): one
   holds the GIL, so the UI thread stalls for as long as it runs, whichever thread started it.
   As a diagnosis, ``--stacks-after MS`` writes every thread's stack (``faulthandler``, which
   needs no GIL) each time the clock is that late, with the length of the gap after them.

Not a test: it asserts nothing about time.

Run: ``.venv/bin/python bench/bench_ui.py [--cases 5000] [--sync-cases 1000] [--runs 7]
[--quick] [--only screens|sync] [--stacks-after MS [--stacks FILE]]``
"""

from __future__ import annotations

import argparse
import faulthandler
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from bench_sync import PASSPHRASE as SYNC_PASSPHRASE
from bench_sync import District, build_profile
from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QEventLoop,
    QObject,
    Qt,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFormLayout, QLineEdit, QWidget

from desktop.storage.store import Store
from desktop.storage.vault import calibrate_kdf
from desktop.sync.enroll import enroll_online
from desktop.sync.scheduler import SchedulerEvent, SyncScheduler, for_store
from desktop.ui.app import prepare_application, start
from desktop.ui.caseform import open_edit_case
from desktop.ui.cases import SEARCH_DELAY_MS
from desktop.ui.context import AppContext
from desktop.ui.mainwindow import MainWindow
from simpul.synthetic import generate_cases

REPO = Path(__file__).resolve().parent.parent
VILLAGE = "33.27.08.2012"
PASS = "frasa sandi kader desa pemalang (benchmark)"
SAVE_CHUNK = 1000
STALL_TICK_MS = 5

# ---------------------------------------------------------------------- 1. the start, in a child

# What both child processes share: report the monotonic clock (system-wide, so comparable with
# the parent's) once the first paint of the watched widget has finished, then leave at once.
_PROBE = """
import json, os, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer

class Probe(QObject):
    def __init__(self, stamps):
        super().__init__()
        self.stamps = stamps

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and "painting" not in self.stamps:
            self.stamps["painting"] = time.monotonic()
            QTimer.singleShot(0, self.report)  # runs once this paint has returned
        return False

    def report(self):
        self.stamps["painted"] = time.monotonic()
        print(json.dumps(self.stamps), flush=True)
        os._exit(0)

stamps = {}
probe = Probe(stamps)
"""

_START_APP = (
    _PROBE
    + """
import desktop.cli
import desktop.ui.app as app_module
stamps["imported"] = time.monotonic()
real_start = app_module.start

def start(ctx):
    window = real_start(ctx)
    stamps["shown"] = time.monotonic()
    if window.stack.currentWidget() is not window.lock_screen or not window.isVisible():
        sys.exit("the lock screen is not what start() showed")
    window.lock_screen.installEventFilter(probe)
    return window

app_module.start = start
sys.exit(desktop.cli.main(["--profile", sys.argv[1]]))
"""
)

_START_BARE = (
    _PROBE
    + """
from PySide6.QtWidgets import QApplication, QWidget
stamps["imported"] = time.monotonic()
app = QApplication(sys.argv[:1])
window = QWidget()
window.resize(1100, 700)
window.show()
stamps["shown"] = time.monotonic()
window.installEventFilter(probe)
app.exec()
"""
)


# Where the app's imports go: the libraries the lock screen does not use are imported first, one
# group at a time (their shared dependencies land in the first group that needs them).
_IMPORT_GROUPS = (
    ("PySide6", "import PySide6.QtWidgets"),
    ("sqlalchemy", "import sqlalchemy, sqlalchemy.orm"),
    ("alembic (simpul.migrate)", "import simpul.migrate"),
    ("requests", "import requests"),
    ("desktop.cli, the rest", "import desktop.cli"),
    ("desktop.ui.app, the rest", "import desktop.ui.app"),
)
_IMPORTS = (
    "import json, time\nseconds = {}\n"
    + "".join(
        f"t0 = time.perf_counter()\n{statement}\nseconds[{name!r}] = time.perf_counter() - t0\n"
        for name, statement in _IMPORT_GROUPS
    )
    + "print(json.dumps(seconds))\n"
)


def _child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIMPUL_")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def start_once(code: str, *args: str) -> dict[str, float]:
    """Run ``code`` in a fresh interpreter; its stamps as seconds since just before the start."""
    begun = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=REPO,
        env=_child_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode != 0 or not lines:
        raise RuntimeError(f"start probe failed ({result.returncode}): {result.stderr[-2000:]}")
    return {name: stamp - begun for name, stamp in json.loads(lines[-1]).items()}


def import_once() -> dict[str, float]:
    """Seconds each group of :data:`_IMPORT_GROUPS` takes to import in a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-c", _IMPORTS],
        cwd=REPO,
        env=_child_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return {str(k): float(v) for k, v in json.loads(result.stdout).items()}


# ---------------------------------------------------------------------- in-process helpers


def _median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def wait_for(condition: Callable[[], bool], *, timeout: float = 120.0, poll_ms: int = 1) -> float:
    """Run the event loop until ``condition()`` holds (checked every ``poll_ms``); the
    ``perf_counter`` at which it was seen to hold."""
    if condition():
        return time.perf_counter()
    loop = QEventLoop()
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(poll_ms)
    seen: list[float] = []
    deadline = time.perf_counter() + timeout

    def check() -> None:
        now = time.perf_counter()
        if condition():
            seen.append(now)
            loop.quit()
        elif now > deadline:
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()
    if not seen:
        raise TimeoutError(f"not reached within {timeout:.0f} s")
    return seen[0]


class PaintWatch(QObject):
    """Notes whether ``widget`` has painted since :meth:`arm`."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.painted = False
        widget.installEventFilter(self)

    def arm(self) -> None:
        self.painted = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False


def time_first_paint(show: Callable[[], QWidget]) -> tuple[float, float]:
    """Seconds from calling ``show`` (which returns the window it showed) until it returned,
    and until the end of the window's first paint."""
    t0 = time.perf_counter()
    window = show()
    returned = time.perf_counter()
    watch = PaintWatch(window)  # the paint comes from a posted update, after show() returned
    return returned - t0, wait_for(lambda: watch.painted) - t0


def drain_deleted() -> None:
    """Delete the widgets whose ``deleteLater`` is pending."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


class StallClock(QObject):
    """A 5 ms precise timer on the UI thread; the gaps between its ticks are the stalls.

    With ``stacks_after`` (seconds), a diagnosis: whenever a tick is that late, ``faulthandler``
    writes every thread's Python stack to ``stacks`` from its own C thread, which needs no
    interpreter lock, so the stack of whichever thread holds it is caught in the act.
    """

    def __init__(self, *, stacks_after: float | None = None, stacks: TextIO | None = None) -> None:
        super().__init__()
        self.ticks: list[float] = []
        self._stacks_after = stacks_after
        self._stacks = stacks
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(STALL_TICK_MS)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        gap = now - self.ticks[-1]
        self.ticks.append(now)
        if self._stacks_after is not None and self._stacks is not None:
            if gap > self._stacks_after:  # the stacks above were taken during this gap
                self._stacks.write(f"^ the tick came {gap * 1000:.0f} ms after the last\n")
                self._stacks.flush()
            faulthandler.dump_traceback_later(self._stacks_after, repeat=True, file=self._stacks)

    def start(self) -> None:
        self.ticks = [time.perf_counter()]
        self._timer.start()
        if self._stacks_after is not None:
            faulthandler.dump_traceback_later(self._stacks_after, repeat=True, file=self._stacks)

    def stop(self) -> list[float]:
        """The gaps between ticks (seconds), including the one up to now."""
        self._timer.stop()
        if self._stacks_after is not None:
            faulthandler.cancel_dump_traceback_later()
        self.ticks.append(time.perf_counter())
        return [b - a for a, b in zip(self.ticks, self.ticks[1:], strict=False)]

    def longest(self) -> tuple[float, float]:
        """(start, end) of the longest gap of the last run."""
        return max(zip(self.ticks, self.ticks[1:], strict=False), key=lambda ab: ab[1] - ab[0])


class GcLog:
    """Full (generation 2) garbage collections while it is open: (start, end, thread name).

    A collection holds the GIL from start to end, whichever thread's allocation set it off: the
    UI thread cannot run a Python slot meanwhile."""

    def __init__(self) -> None:
        self.full: list[tuple[float, float, str]] = []
        self._began = 0.0

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        now = time.perf_counter()
        if phase == "start":
            self._began = now
        else:
            self.full.append((self._began, now, threading.current_thread().name))

    def __enter__(self) -> GcLog:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *_exc: object) -> None:
        gc.callbacks.remove(self._callback)

    def overlapping(self, start: float, end: float) -> list[tuple[float, float, str]]:
        """The collections that ran within ``start``-``end``."""
        return [c for c in self.full if c[0] < end and c[1] > start]


def _p99(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


# ---------------------------------------------------------------------- the profiles


def build_calibrated_profile(path: Path, cases: int) -> tuple[float, str]:
    """A profile of ``cases`` synthetic cases, its key derivation calibrated here as the wizard
    does; (seconds spent, the cost chosen) for the setup line."""
    t0 = time.perf_counter()
    cost = calibrate_kdf()
    store, _code = Store.create(path, village=VILLAGE, user="kader", passphrase=PASS, cost=cost)
    with store:
        docs = generate_cases(cases, seed=5, village=VILLAGE)
        for first in range(0, cases, SAVE_CHUNK):
            store.save_many(docs[first : first + SAVE_CHUNK])
    used = f"t={cost.time_cost}, m={cost.memory_kib // 1024} MiB, p={cost.lanes}"
    return time.perf_counter() - t0, used


@contextmanager
def app_window(profile: Path, **context: Any) -> Iterator[tuple[AppContext, MainWindow]]:
    """The app on ``profile`` as ``simpul`` starts it (lock screen shown); closed after."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    ctx = AppContext(profile, **context)
    prepare_application(app, ctx)
    window = start(ctx)
    wait_for(lambda: window.windowHandle() is not None and window.windowHandle().isExposed())
    try:
        yield ctx, window
    finally:
        window.close()
        window.deleteLater()
        drain_deleted()


def type_passphrase(window: MainWindow, passphrase: str) -> QLineEdit:
    """Type the passphrase into the lock screen; its field, for Enter to be pressed."""
    field_: QLineEdit = window.lock_screen.unlock.passphrase
    QTest.keyClicks(field_, passphrase)
    return field_


# ---------------------------------------------------------------------- the figures


_VERDICT = {True: "✓", False: "✗", None: ""}


@dataclass
class Row:
    """One line of the summary table."""

    what: str
    figure: str
    baseline: str
    ratio: str
    target: str
    met: bool | None  # None: nothing to judge


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)

    def add(
        self,
        what: str,
        figure: float,
        baseline: float,
        target: float | None,
        *,
        unit: Callable[[float], str] = _ms,
    ) -> None:
        self.rows.append(
            Row(
                what,
                unit(figure),
                unit(baseline),
                f"{figure / baseline:.1f}x" if baseline > 0 else "-",
                f"<= {unit(target)}" if target is not None else "-",
                None if target is None else figure <= target,
            )
        )

    def print(self) -> None:
        heads = ("figure", "measured", "baseline", "ratio", "target", "")
        table = [
            (r.what, r.figure, r.baseline, r.ratio, r.target, _VERDICT[r.met]) for r in self.rows
        ]
        widths = [max(len(line[i]) for line in (heads, *table)) for i in range(len(heads))]
        for line in (heads, *table):
            print("  " + "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)))


def bench_start(profile: Path, runs: int, results: Results) -> None:
    print(f"1. start to the lock screen (`simpul --profile`, a fresh process), {runs} runs each")
    start_once(_START_APP, str(profile))  # warm the file cache for both
    start_once(_START_BARE)
    app_runs: list[dict[str, float]] = []
    bare_runs: list[dict[str, float]] = []
    for _ in range(runs):  # interleaved, so both see the same noise
        app_runs.append(start_once(_START_APP, str(profile)))
        bare_runs.append(start_once(_START_BARE))

    imports = [import_once() for _ in range(runs)]

    def med(runs_: list[dict[str, float]], name: str) -> float:
        return _median([r[name] for r in runs_])

    painted = med(app_runs, "painted")
    bare = med(bare_runs, "painted")
    print(
        f"  simpul: median {_ms(painted)} to the lock screen painted (min "
        f"{_ms(min(r['painted'] for r in app_runs))}, max "
        f"{_ms(max(r['painted'] for r in app_runs))}); of which interpreter + imports "
        f"{_ms(med(app_runs, 'imported'))}, window built and shown at {_ms(med(app_runs, 'shown'))}"
    )
    print(
        f"  baseline, bare PySide6 (import, QApplication, an empty QWidget shown): median "
        f"{_ms(bare)} (imports {_ms(med(bare_runs, 'imported'))})"
    )
    parts = ", ".join(f"{name} {_ms(med(imports, name))}" for name, _ in _IMPORT_GROUPS)
    print(f"  where the imports go (a fresh process importing group by group): {parts}")
    results.add("start -> lock screen painted", painted, bare, 1.0)


class HideWatch(QObject):
    """The ``perf_counter`` at which ``widget`` was first hidden since :meth:`arm`."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.hidden_at = 0.0
        widget.installEventFilter(self)

    def arm(self) -> None:
        self.hidden_at = 0.0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Hide and not self.hidden_at:
            self.hidden_at = time.perf_counter()
        return False


def bench_unlock(
    ctx: AppContext, window: MainWindow, profile: Path, cases: int, runs: int, results: Results
) -> None:
    print(f"2. unlock to a usable main window ({cases:,} cases, calibrated KDF), {runs} runs")
    page = window.cases_page
    watch = PaintWatch(page.table.viewport())
    page.model.modelReset.connect(watch.arm)  # painted after the last reset
    # the lock screen hides its busy bar first thing when the opened store reaches the UI thread
    delivered = HideWatch(window.lock_screen.unlock.busy)

    def usable() -> bool:
        return (
            ctx.store is not None
            and page.model.rowCount() == cases
            and watch.painted
            and not ctx.runner.busy
        )

    totals: list[float] = []
    worker: list[float] = []
    vault_times: list[float] = []
    open_times: list[float] = []
    for _ in range(runs):  # interleaved with the baselines, so all see the same noise
        if ctx.store is not None:
            window.lock()
            wait_for(lambda: not ctx.runner.busy)
        watch.arm()
        delivered.arm()
        field_ = type_passphrase(window, PASS)
        t0 = time.perf_counter()
        QTest.keyClick(field_, Qt.Key.Key_Return)
        totals.append(wait_for(usable) - t0)
        worker.append(delivered.hidden_at - t0)
        t0 = time.perf_counter()
        Store.load_vault(profile).unlock(PASS).lock()
        vault_times.append(time.perf_counter() - t0)
        # the app holds this profile open: a second Store.open reads it too (as the CLI may)
        t0 = time.perf_counter()
        Store.open(profile, passphrase=PASS).close()
        open_times.append(time.perf_counter() - t0)
    total, vault, opened = _median(totals), _median(vault_times), _median(open_times)
    ui_share = _median([t - w for t, w in zip(totals, worker, strict=True)])
    print(
        f"  Enter -> {cases:,} rows in the table, painted, worker idle: median {_ms(total)} "
        f"(min {_ms(min(totals))}, max {_ms(max(totals))}); of which until the opened store "
        f"reached the UI thread (Store.open on the worker) {_ms(_median(worker))}, and after "
        f"it (pages filled on `unlocked`, shell shown and painted, sync status read) "
        f"{_ms(ui_share)}"
    )
    print(
        f"  baseline, one vault unlock alone (load + Argon2id + unwrap): median {_ms(vault)}; "
        f"Store.open alone (that + decrypting the working set): median {_ms(opened)}"
    )
    results.add("unlock -> usable main window", total, vault, 1.5)


def bench_search(ctx: AppContext, window: MainWindow, runs: int, results: Results) -> None:
    store = ctx.store
    assert store is not None
    page = window.cases_page
    views = store.records("case")
    name = str(views[len(views) // 2].doc["victims"][0]["name"])
    needle = name.split()[0][:5]
    print(
        f"3. search keystroke -> updated table: typing {len(needle)} letters of a victim's "
        f"name, then Backspace to the full list, {runs} times (the page debounces "
        f"{SEARCH_DELAY_MS} ms)"
    )
    viewport = page.table.viewport()
    watch = PaintWatch(viewport)
    stamps: dict[str, float] = {}
    page.model.modelReset.connect(lambda: stamps.setdefault("reset", time.perf_counter()))

    def updated() -> bool:
        # with no match the table hides and the "no match" line shows instead
        return "reset" in stamps and (watch.painted or not page.table.isVisible())

    to_reset: list[float] = []
    to_paint: list[float] = []
    work: list[float] = []
    rows_seen: list[int] = []
    page.search.setFocus()
    for _ in range(runs):
        for key in needle:
            stamps.clear()
            watch.arm()
            t0 = time.perf_counter()
            QTest.keyClicks(page.search, key)
            done = wait_for(updated)
            to_reset.append(stamps["reset"] - t0)
            to_paint.append(done - t0)
            rows_seen.append(page.model.rowCount())
            # the same filtering without the debounce: the work a keystroke costs
            stamps.clear()
            watch.arm()
            t0 = time.perf_counter()
            page.apply_filters()
            work.append(wait_for(updated) - t0)
        # Backspace over the whole word: the last one brings every case back
        for _ in needle:
            stamps.clear()
            watch.arm()
            t0 = time.perf_counter()
            QTest.keyClick(page.search, Qt.Key.Key_Backspace)
            done = wait_for(updated)
            to_reset.append(stamps["reset"] - t0)
            to_paint.append(done - t0)
            rows_seen.append(page.model.rowCount())
            stamps.clear()
            watch.arm()
            t0 = time.perf_counter()
            page.apply_filters()
            work.append(wait_for(updated) - t0)
    assert page.model.rowCount() == len(views)

    texts = [json.dumps(v.doc, ensure_ascii=False).casefold() for v in views]
    low = needle.casefold()
    plain: list[float] = []
    for _ in range(len(work)):
        t0 = time.perf_counter()
        _hits = [t for t in texts if low in t]
        plain.append(time.perf_counter() - t0)
    print(
        f"  keystroke -> model reset: median {_ms(_median(to_reset))}; -> table repainted: "
        f"median {_ms(_median(to_paint))}, max {_ms(max(to_paint))} over {len(to_paint)} "
        f"keystrokes ({min(rows_seen):,}-{max(rows_seen):,} rows shown)"
    )
    print(
        f"  of which the debounce: {SEARCH_DELAY_MS} ms by design; the work after it "
        f"(apply_filters -> model reset -> repainted): median {_ms(_median(work))}, max "
        f"{_ms(max(work))}"
    )
    print(
        f"  baseline, a plain Python substring scan over the {len(texts):,} cases' JSON text "
        f"({sum(map(len, texts)) / len(texts):,.0f} chars each): median {_ms(_median(plain))}"
    )
    results.add("search key -> table (with debounce)", _median(to_paint), _median(plain), 0.1)
    results.add("search work after the debounce", _median(work), _median(plain), 0.1)


def bench_form(ctx: AppContext, window: MainWindow, runs: int, results: Results) -> None:
    store = ctx.store
    assert store is not None
    two = [v.record_id for v in store.records("case") if v.summary.get("victims") == 2]
    print(f"4. opening a case form (open_edit_case, cases with 2 victims), {runs} runs")
    if len(two) < 2 * runs:
        raise RuntimeError("too few cases with two victims in the profile")

    def open_form(record_id: str) -> tuple[float, float]:
        returned, painted = time_first_paint(lambda: open_edit_case(ctx, record_id, window))
        for form in QApplication.topLevelWidgets():
            if form.objectName() == "case_form_window" and form.isVisible():
                form.close()  # unchanged: no draft is kept
        wait_for(lambda: not ctx.runner.busy)
        drain_deleted()
        return returned, painted

    def plain_form() -> QWidget:
        widget = QWidget()
        layout = QFormLayout(widget)
        for i in range(80):
            layout.addRow(f"Isian {i + 1}", QLineEdit())
        widget.resize(1060, 780)
        widget.show()
        plain_forms.append(widget)
        return widget

    opened: list[tuple[float, float]] = []
    unwatched: list[tuple[float, float]] = []
    plain: list[float] = []
    plain_forms: list[QWidget] = []
    for n in range(runs):  # interleaved, so all three see the same noise
        opened.append(open_form(two[2 * n]))
        window.idle_watcher.stop()  # public: what locking does to it
        try:
            unwatched.append(open_form(two[2 * n + 1]))
        finally:
            window.idle_watcher.start()
        plain.append(time_first_paint(plain_form)[1])
        plain_forms.pop().close()
    total = _median([p for _r, p in opened])
    print(
        f"  open_edit_case -> window painted: median {_ms(total)} (min "
        f"{_ms(min(p for _r, p in opened))}, max {_ms(max(p for _r, p in opened))}); of which "
        f"building and filling the form (until open_edit_case returned): median "
        f"{_ms(_median([r for r, _p in opened]))}"
    )
    print(
        f"  diagnosis, the same with the auto-lock's application-wide event filter removed "
        f"(IdleWatcher.stop()): median {_ms(_median([p for _r, p in unwatched]))}"
    )
    print(
        f"  baseline, a QWidget with a QFormLayout of 80 labelled QLineEdits, shown and "
        f"painted: median {_ms(_median(plain))}"
    )
    results.add("open a case form (2 victims)", total, _median(plain), 0.2)


def bench_ui_profile(tmp: Path, cases: int, runs: int, results: Results) -> None:
    """Benchmarks 1-4 on one profile of ``cases`` cases with a calibrated key derivation."""
    profile = tmp / "profile-ui"
    spent, cost = build_calibrated_profile(profile, cases)
    print(
        f"(setup: a profile of {cases:,} cases, KDF calibrated to {cost}, made in {spent:.1f} s;"
        f" not timed below)"
    )
    bench_start(profile, runs, results)
    with app_window(profile) as (ctx, window):
        bench_unlock(ctx, window, profile, cases, max(3, runs // 2), results)
        bench_search(ctx, window, max(1, runs // 3), results)
        bench_form(ctx, window, runs, results)


# ---------------------------------------------------------------------- 5. the sync


class SyncNowScheduler:
    """Makes the app's real scheduler (``for_store``), except that its first round waits for
    "Sync now" instead of starting at unlock, so the stall clock can start first."""

    def __init__(self) -> None:
        self.made: list[SyncScheduler] = []

    def __call__(
        self, store: Store, on_event: Callable[[SchedulerEvent], None], interval_s: float
    ) -> SyncScheduler:
        scheduler = for_store(store, on_event=on_event, interval_s=interval_s)
        real_start = scheduler.start

        def start_on_demand(*, sync_now: bool = False) -> None:
            real_start(sync_now=sync_now)

        scheduler.start = start_on_demand
        self.made.append(scheduler)
        return scheduler


@dataclass
class SyncStalls:
    seconds: float
    gaps: list[float]
    idle_gaps: list[float]
    events: int
    full_gcs: list[tuple[float, float, str]]
    """Full garbage collections during the sync: (start, end, thread)."""
    longest_during_gc: tuple[float, float, str] | None
    """The full collection the longest stall overlapped, if it did."""


def one_sync(
    tmp: Path,
    template: Path,
    district_template: Path,
    run: int,
    *,
    stacks_after: float | None = None,
    stacks: Path | None = None,
) -> SyncStalls:
    """Sync a fresh copy of the profile from the app's window to a fresh district (with
    ``stacks_after``, every thread's stack goes to ``stacks`` at each tick that late)."""
    district = District(tmp / f"district-{run}")
    shutil.copytree(district_template, district.data)
    profile = tmp / f"laptop-{run}"
    shutil.copytree(template, profile)
    with district.serving() as url:
        with Store.open(profile, passphrase=SYNC_PASSPHRASE) as store:
            enroll_online(store, url, district.enrollment_code())
        with app_window(profile, scheduler_factory=SyncNowScheduler()) as (ctx, window):
            QTest.keyClick(type_passphrase(window, SYNC_PASSPHRASE), Qt.Key.Key_Return)
            wait_for(lambda: window.sync.view.phase == "idle" and not ctx.runner.busy, poll_ms=20)
            _settle(0.5)
            events = [0]
            window.sync.changed.connect(lambda: events.__setitem__(0, events[0] + 1))
            dump = open(stacks, "a") if stacks is not None else None  # noqa: SIM115
            clock = StallClock(stacks_after=stacks_after, stacks=dump)
            gcs = GcLog()
            with gcs:
                clock.start()
                t0 = time.perf_counter()
                window.sync_now_action.trigger()
                wait_for(lambda: window.sync.view.phase != "idle", poll_ms=20)
                wait_for(
                    lambda: (
                        window.sync.view.phase in ("synced", "error", "offline")
                        and not ctx.runner.busy
                    ),
                    timeout=600,
                    poll_ms=20,
                )
                seconds = time.perf_counter() - t0
                gaps = clock.stop()
            overlap = gcs.overlapping(*clock.longest())
            if dump is not None:
                dump.close()
            clock = StallClock()
            if window.sync.view.phase != "synced" or window.sync.view.pending:
                raise RuntimeError(
                    f"the sync ended {window.sync.view.phase} with {window.sync.view.pending} "
                    f"pending ({window.sync.view.code})"
                )
            clock.start()  # the baseline: the same window, the same duration, no sync
            _settle(seconds)
            idle_gaps = clock.stop()
    shutil.rmtree(district.data, ignore_errors=True)
    shutil.rmtree(profile, ignore_errors=True)
    return SyncStalls(
        seconds, gaps, idle_gaps, events[0], gcs.full, max(overlap, default=None, key=_span)
    )


def _span(interval: tuple[float, float, str]) -> float:
    return interval[1] - interval[0]


def _settle(seconds: float) -> None:
    """Run the event loop for ``seconds``."""
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def bench_sync_stalls(
    tmp: Path,
    cases: int,
    runs: int,
    results: Results,
    *,
    stacks_after: float | None = None,
    stacks: Path | None = None,
) -> None:
    print(
        f'5. longest UI stall while "Sync now" sends {cases:,} new cases to simpul-district '
        f"serve on 127.0.0.1 (a {STALL_TICK_MS} ms precise QTimer), {runs} run(s)"
    )
    template = tmp / "profile-sync"
    build_profile(template, cases, seed=9)
    district_template = tmp / "district-template"
    District(district_template).cli("init")
    syncs = [
        one_sync(tmp, template, district_template, run, stacks_after=stacks_after, stacks=stacks)
        for run in range(runs)
    ]
    if stacks is not None:
        print(f"  stacks at ticks later than {_ms(stacks_after or 0)}: {stacks}")
    longest = _median([max(s.gaps) for s in syncs])
    idle_longest = _median([max(s.idle_gaps) for s in syncs])
    for n, s in enumerate(syncs):
        over = sum(1 for g in s.gaps if g > 0.1)
        print(
            f"  run {n + 1}: sync {s.seconds:.2f} s, {s.events} status updates; stalls: longest "
            f"{_ms(max(s.gaps))}, p99 {_ms(_p99(s.gaps))}, median "
            f"{statistics.median(s.gaps) * 1000:.1f} ms, {over} over 100 ms, {len(s.gaps)} "
            f"ticks; baseline (no sync, same duration): longest {_ms(max(s.idle_gaps))}, p99 "
            f"{_ms(_p99(s.idle_gaps))}, {len(s.idle_gaps)} ticks"
        )
        full = ", ".join(f"{_ms(_span(c))} on {c[2]}" for c in s.full_gcs) or "none"
        during = s.longest_during_gc
        print(
            f"    full garbage collections during the sync (each holds the GIL): {full}; the "
            f"longest stall "
            + (
                f"overlaps the {_ms(_span(during))} one on {during[2]}"
                if during is not None
                else "overlaps none of them"
            )
        )
    p99 = _median([_p99(s.gaps) for s in syncs])
    idle_p99 = _median([_p99(s.idle_gaps) for s in syncs])
    results.add("longest UI stall during sync", longest, idle_longest, 0.1)
    results.add("p99 tick gap during sync", p99, idle_p99, None)


def _quiet_offscreen(_kind: QtMsgType, _context: object, message: str) -> None:
    """Qt's messages, but for the offscreen platform's notice at each window shown."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=5_000, help="cases in the profile")
    parser.add_argument("--sync-cases", type=int, default=1_000, help="new cases to sync")
    parser.add_argument("--runs", type=int, default=7, help="repeats of each measurement")
    parser.add_argument("--sync-runs", type=int, default=3, help="syncs (a fresh district each)")
    parser.add_argument("--quick", action="store_true", help="fewer runs, same sizes")
    parser.add_argument(
        "--only",
        choices=("all", "screens", "sync"),
        default="all",
        help="figures 1-4 (screens) or 5 (sync) alone",
    )
    parser.add_argument(
        "--stacks-after",
        type=float,
        metavar="MS",
        help="diagnosis of figure 5: every thread's stack at each tick this late (milliseconds)",
    )
    parser.add_argument(
        "--stacks",
        type=Path,
        default=Path("bench-ui-stacks.txt"),
        help="where --stacks-after writes (default: bench-ui-stacks.txt)",
    )
    args = parser.parse_args()
    if args.quick:
        args.runs, args.sync_runs = 3, 1
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    qInstallMessageHandler(_quiet_offscreen)
    app = QApplication([sys.argv[0]])
    results = Results()
    with tempfile.TemporaryDirectory(prefix="bench-ui-") as tmp_name:
        tmp = Path(tmp_name)
        if args.only in ("all", "screens"):
            bench_ui_profile(tmp, args.cases, args.runs, results)
        if args.only in ("all", "sync"):
            bench_sync_stalls(
                tmp,
                args.sync_cases,
                args.sync_runs,
                results,
                stacks_after=args.stacks_after / 1000 if args.stacks_after else None,
                stacks=args.stacks.resolve() if args.stacks_after else None,
            )
    print("summary (medians; baselines measured in this run):")
    results.print()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
