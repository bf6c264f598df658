"""Benchmarks of district mode (issue 6) with 50,000 cases from 223 villages on the server.

The server holds ``--cases`` synthetic cases (default 50,000) from ``--villages`` villages of
Kabupaten Pemalang (default all 223, from ``simpul.records.wilayah.load_regions``), one
synthetic laptop per village (``district.testing.SyntheticDevice``: ~224 cases each, plus
:data:`OUTREACH_PER_VILLAGE` outreach events), each laptop's records sealed in bundles as a
laptop seals them and imported in-process with ``District.import_bundle`` (the fast path;
its time is printed as the seeding, not as a figure). That database is the template: every
measurement below runs on a fresh copy of it (SQLite: the data directory copied; PostgreSQL:
``CREATE DATABASE … TEMPLATE`` of the template, which was ``VACUUM ANALYZE``d first), served
by a real ``simpul-district serve`` subprocess on 127.0.0.1, the desktop's side in this
process. Every figure is a median of ``--runs`` (the
machine is shared and noisy), printed next to a baseline measured in the same run:

1. Importing a folder of 50 bundles (50 villages' next bundles, :data:`FOLDER_CASES` new
   cases each, sealed by the same laptops) as the Import page does it: the folder scanned
   (``scan_inputs``), every file previewed (``StaffClient.preview_bundle``), then every file
   imported (``StaffClient.import_bundle``) and its receipt and return bundle written back
   beside it (the page's own ``write_back``), one file at a time — timed from the scan to the
   last file written, as total seconds and cases/s, each run on a fresh copy of the template
   and of the folder. Baseline: the same 50 bundles imported in-process with
   ``District.import_bundle`` into another fresh copy (no HTTP, no preview, no return bundle).
2. The case table's first page and filter changes, as ``desktop/ui/district/cases.py`` asks
   them: ``StaffClient.list_records`` with ``CaseQuery(...).arguments()``, ``limit=100`` —
   the first page (no filter, newest report first), then each filter alone: kecamatan, status,
   violence type, TPPO, needs review, overdue, and a search for one case's code. Target:
   <= 300 ms each. Baselines: ``GET /v1/health`` on the same server and client (the HTTP round
   trip with no work), and the bare SQL of the first page on the database (the page's
   ``SELECT`` and its ``COUNT(*)``, no ORM, no audit). Then the same in the real district
   window (``desktop.ui.district.app.start``, offscreen, signed in through its sign-in
   screen): from the request (the "Muat ulang" button; a filter widget changed; the search
   typed, then the request its debounce would send) until the table model holds the page and
   the table has painted it (or, when nothing matches, the "no match" text has painted); the
   page is checked to have asked exactly the query timed over HTTP. Baseline of a window row:
   the same request over HTTP alone.
3. The monthly report on screen, for the busiest month of the synthetic data (its case count
   printed): ``StaffClient.report`` and ``Report.from_json`` (what the Reports page's worker
   does); then in the real Reports page, from the "Tampilkan" click until the report is on
   screen and its chart has painted. Target: <= 1 s. Baseline: the bare SQL select of the
   month's sealed rows (what the report reads, not opened). The server's share is broken down
   in-process on the same database (``read_period``, ``compute_report``, JSON).
4. That month's XLSX and PDF (target <= 5 s each), as the Reports page makes them: XLSX from
   ``GET /v1/reports/export`` (``StaffClient.report_export``), PDF drawn on the desktop from
   the report on screen (``district.report_pdf.report_pdf``, which the page runs in a
   ``QThread``); and the yearly report's PDF of the busiest year, the worst case (its fetch
   timed too). Baseline: the CSV export of the same report. Then the page's own exports
   (``ReportsPage.export``, the buttons' slot, with a "save as" answered by the benchmark)
   until the page says the file is written: CSV, XLSX and PDF of the month, and the year's
   PDF (``--runs`` halved). Baseline of a window row: the same work without the window (the
   HTTP call, or ``report_pdf`` alone).

Runs on SQLite, and on PostgreSQL too when ``SIMPUL_TEST_POSTGRES_URL`` is set (a
``scripts/postgres.sh`` server). A summary table per backend ends the output. Not a test: it
asserts nothing about time.

Run: ``.venv/bin/python bench/bench_district.py [--cases 50000] [--villages 223] [--runs 5]
[--import-runs 3] [--quick] [--keep DIR] [--no-widgets] [--skip-import]
[--backend all|sqlite|postgresql]``
``--keep DIR`` keeps the sealed bundles and the seeded SQLite template there, so a rerun with
the same ``--cases`` and ``--villages`` skips generating and seeding.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
from _serving import free_port, serving  # noqa: E402
from bench_sync import SERVER_NICE  # noqa: E402
from bench_ui import Results, wait_for  # noqa: E402
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, QtMsgType, qInstallMessageHandler  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from desktop.sync.staff import StaffClient  # noqa: E402
from desktop.ui.district.app import start  # noqa: E402
from desktop.ui.district.cases import PAGE_SIZE, SEARCH_DELAY_MS, CaseQuery  # noqa: E402
from desktop.ui.district.context import DISTRICT_SETTINGS_NAME, DistrictContext  # noqa: E402
from desktop.ui.district.imports import scan_inputs, write_back  # noqa: E402
from desktop.ui.district.window import DistrictWindow  # noqa: E402
from desktop.ui.prompter import Prompter  # noqa: E402
from district import db  # noqa: E402
from district.config import DistrictConfig  # noqa: E402
from district.keys import KEYS_FILE_NAME  # noqa: E402
from district.models import RecordRow  # noqa: E402
from district.report_pdf import report_pdf  # noqa: E402
from district.reports import Report, compute_report, parse_period, read_period  # noqa: E402
from district.service import District  # noqa: E402
from district.testing import SyntheticDevice  # noqa: E402
from simpul.bundle import split_changes  # noqa: E402
from simpul.records.wilayah import load_regions  # noqa: E402

PASSPHRASE = "kunci server kabupaten pemalang (benchmark)"
STAFF = "petugas"
STAFF_PASSWORD = "sandi staf kabupaten panjang"
OUTREACH_PER_VILLAGE = 6
FOLDER_BUNDLES = 50
FOLDER_CASES = 30
SEED_BUNDLE_BYTES = 4 * 1024 * 1024
PAGE_TARGET = 0.3
REPORT_TARGET = 1.0
EXPORT_TARGET = 5.0
_SEED_FORMAT = 1


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def _s(seconds: float) -> str:
    return f"{seconds:,.2f} s"


def _median(samples: list[float]) -> float:
    return statistics.median(samples)


def _spread(samples: list[float], unit: Callable[[float], str] = _ms) -> str:
    """``median M (min A, max B) of N``."""
    return (
        f"median {unit(_median(samples))} (min {unit(min(samples))}, max "
        f"{unit(max(samples))}, n={len(samples)})"
    )


def _timed(action: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = action()
    return time.perf_counter() - t0, result


def _repeat(action: Callable[[], Any], runs: int) -> list[float]:
    return [_timed(action)[0] for _ in range(runs)]


# ---------------------------------------------------------------------- the synthetic data


@dataclass(frozen=True)
class Laptop:
    """An enrolled laptop of the seed: what the district needs to enroll it again."""

    device_id: str
    village: str
    enc_public: bytes
    sign_public: bytes


@dataclass(frozen=True)
class Seed:
    """The sealed bundles of every laptop (``seed/``), the 50 next bundles (``folder/``) and
    the keys they are sealed to; made once, kept under ``--keep``."""

    root: Path
    cases: int
    outreach: int
    folder_cases: int
    laptops: tuple[Laptop, ...]

    @property
    def keys(self) -> bytes:
        return (self.root / KEYS_FILE_NAME).read_bytes()

    def seed_bundles(self) -> list[Path]:
        return sorted((self.root / "seed").glob("*.simpul"))

    @property
    def folder(self) -> Path:
        return self.root / "folder"


def _per_village(total: int, villages: int) -> list[int]:
    base, extra = divmod(total, villages)
    return [base + (1 if n < extra else 0) for n in range(villages)]


def make_seed(root: Path, cases: int, villages: int) -> Seed:
    """Generate and seal the records of ``villages`` laptops (``cases`` cases in all) and the
    50 next bundles; write them under ``root``."""
    for part in ("seed", "folder"):
        (root / part).mkdir(parents=True, exist_ok=True)
    keys_config = DistrictConfig(root / "keys")
    District.init(keys_config, PASSPHRASE).close()
    shutil.copy(keys_config.keys_path, root / KEYS_FILE_NAME)
    shutil.rmtree(keys_config.data_dir)
    recipient = District.public_keys(DistrictConfig(root)).encryption
    regions = load_regions().villages()[:villages]
    folder_every = max(1, len(regions) // FOLDER_BUNDLES)
    folder_villages = {v.code for v in regions[::folder_every][:FOLDER_BUNDLES]}
    laptops: list[Laptop] = []
    outreach = folder_cases = 0
    for n, (village, count) in enumerate(
        zip(regions, _per_village(cases, len(regions)), strict=True)
    ):
        device = SyntheticDevice(village.code)
        changes = device.new_cases(count, seed=1000 + n)
        changes += device.new_outreach(OUTREACH_PER_VILLAGE, seed=1000 + n)
        outreach += OUTREACH_PER_VILLAGE
        for k, part in enumerate(split_changes(changes, max_bundle_bytes=SEED_BUNDLE_BYTES)):
            data = device.seal(part, recipient=recipient)
            (root / "seed" / f"{n:03d}-{k}.simpul").write_bytes(data)
        if village.code in folder_villages:
            fresh = device.new_cases(FOLDER_CASES, seed=50_000 + n)
            folder_cases += len(fresh)
            # random names, as a laptop exports them (nothing about the village in them)
            name = f"{uuid.uuid4().hex[:16]}.simpul"
            (root / "folder" / name).write_bytes(device.seal(fresh, recipient=recipient))
        laptops.append(
            Laptop(
                device.device_id,
                village.code,
                device.encryption.public_bytes(),
                device.signing.public_bytes(),
            )
        )
        if (n + 1) % 25 == 0:
            print(f"    … {n + 1} of {len(regions)} laptops sealed", flush=True)
    meta = {
        "format": _SEED_FORMAT,
        "cases": cases,
        "villages": len(regions),
        "outreach": outreach,
        "folder_cases": folder_cases,
        "laptops": [
            {
                "device_id": lt.device_id,
                "village": lt.village,
                "enc_public": base64.b64encode(lt.enc_public).decode(),
                "sign_public": base64.b64encode(lt.sign_public).decode(),
            }
            for lt in laptops
        ],
    }
    (root / "meta.json").write_text(json.dumps(meta))
    return Seed(root, cases, outreach, folder_cases, tuple(laptops))


def load_seed(root: Path, cases: int, villages: int) -> Seed | None:
    """The seed kept at ``root``, if it was made for these sizes."""
    try:
        meta = json.loads((root / "meta.json").read_text())
    except (OSError, ValueError):
        return None
    if (meta.get("format"), meta.get("cases"), meta.get("villages")) != (
        _SEED_FORMAT,
        cases,
        villages,
    ):
        return None
    laptops = tuple(
        Laptop(
            lt["device_id"],
            lt["village"],
            base64.b64decode(lt["enc_public"]),
            base64.b64decode(lt["sign_public"]),
        )
        for lt in meta["laptops"]
    )
    return Seed(root, cases, int(meta["outreach"]), int(meta["folder_cases"]), laptops)


def populate(config: DistrictConfig, seed: Seed) -> None:
    """Enroll every laptop of the seed, import its bundles in-process, add the staff account."""
    config.data_dir.mkdir(parents=True, exist_ok=True)
    (config.data_dir / KEYS_FILE_NAME).write_bytes(seed.keys)
    district = District.open(config, PASSPHRASE)
    try:
        for laptop in seed.laptops:
            district.enroll(
                district.create_enrollment(laptop.village).code,
                device_enc_public=laptop.enc_public,
                device_sign_public=laptop.sign_public,
                device_id=laptop.device_id,
            )
        for path in seed.seed_bundles():
            result = district.import_bundle(path.read_bytes(), via="bench")
            if result.status != "imported":
                raise RuntimeError(f"seed bundle {path.name}: {result.status} {result.reason}")
        district.add_user(STAFF, "admin", STAFF_PASSWORD)
    finally:
        district.close()


# ---------------------------------------------------------------------- the backends


class Backend:
    """Where the template database lives and how a fresh copy of it is made."""

    name = ""

    def __init__(self, tmp: Path, seed: Seed) -> None:
        self.tmp = tmp
        self.seed = seed
        self._copies = 0

    def template(self) -> float:
        """Make (or find) the template; seconds spent seeding it (0 if it was kept)."""
        raise NotImplementedError

    def fresh(self) -> DistrictConfig:
        """A new copy of the template."""
        raise NotImplementedError

    def drop(self, config: DistrictConfig) -> None:
        """Remove a copy made by :meth:`fresh`."""
        shutil.rmtree(config.data_dir, ignore_errors=True)

    def close(self) -> None:
        """Remove the template if it is not kept."""

    def _copy_dir(self) -> Path:
        self._copies += 1
        path = self.tmp / f"{self.name}-{self._copies}"
        path.mkdir(parents=True)
        (path / KEYS_FILE_NAME).write_bytes(self.seed.keys)
        return path


class SqliteBackend(Backend):
    """The template is a data directory (``district.db`` in WAL mode, closed cleanly)."""

    name = "sqlite"

    def __init__(self, tmp: Path, seed: Seed, template_dir: Path) -> None:
        super().__init__(tmp, seed)
        self.template_dir = template_dir

    def template(self) -> float:
        done = self.template_dir / "seeded"
        if done.exists():
            return 0.0
        shutil.rmtree(self.template_dir, ignore_errors=True)
        seconds, _ = _timed(lambda: populate(DistrictConfig(self.template_dir), self.seed))
        done.write_text("ok\n")
        return seconds

    def fresh(self) -> DistrictConfig:
        self._copies += 1
        path = self.tmp / f"{self.name}-{self._copies}"
        shutil.copytree(self.template_dir, path, ignore=shutil.ignore_patterns("seeded"))
        return DistrictConfig(path)


class PostgresBackend(Backend):
    """The template is a database of the server; copies are ``CREATE DATABASE … TEMPLATE``."""

    name = "postgresql"

    def __init__(self, tmp: Path, seed: Seed, url: str) -> None:
        super().__init__(tmp, seed)
        self.base = sa.make_url(db.normalize_url(url))
        self.admin = sa.create_engine(self.base, isolation_level="AUTOCOMMIT")
        self.template_db = f"bench_district_{uuid.uuid4().hex[:10]}"
        self._databases: list[str] = []

    def _url(self, database: str) -> str:
        return self.base.set(database=database).render_as_string(hide_password=False)

    def _create(self, database: str, template: str | None = None) -> None:
        extra = f' TEMPLATE "{template}"' if template else ""
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{database}"{extra}')
        self._databases.append(database)

    def template(self) -> float:
        self._create(self.template_db)
        data = self._copy_dir()
        config = DistrictConfig(data, self._url(self.template_db))
        seconds, _ = _timed(lambda: populate(config, self.seed))
        shutil.rmtree(data, ignore_errors=True)
        # A server that received its records over time has planner statistics (autovacuum
        # analyzes after enough inserts). A copy made with TEMPLATE has only the template's,
        # and autovacuum never analyzes it (its insert counts start at 0): analyze the
        # template, or every copy plans its queries without statistics.
        engine = sa.create_engine(config.url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        finally:
            engine.dispose()
        return seconds

    def fresh(self) -> DistrictConfig:
        name = f"{self.template_db}_{self._copies + 1}"
        self._create(name, self.template_db)
        return DistrictConfig(self._copy_dir(), self._url(name))

    def drop(self, config: DistrictConfig) -> None:
        super().drop(config)
        database = sa.make_url(config.url).database or ""
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        if database in self._databases:
            self._databases.remove(database)

    def close(self) -> None:
        with self.admin.connect() as conn:
            for database in reversed(self._databases):
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        self.admin.dispose()


@contextmanager
def serving_district(config: DistrictConfig) -> Iterator[str]:
    """``simpul-district serve`` on ``config`` in its own process (the passphrase through the
    environment, as an operator's service file gives it); yields its URL."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIMPUL_")}
    env |= {"SIMPUL_LANG": "en", "SIMPUL_DISTRICT_PASSPHRASE": PASSPHRASE}
    database = ["--database-url", config.url] if config.database_url else []
    command = [sys.executable, "-m", "district.cli", "--data", str(config.data_dir), *database]
    with serving([*command, "serve", "--port", str(port)], port, env, nice=SERVER_NICE) as url:
        yield url


def signed_in(url: str) -> StaffClient:
    client = StaffClient(url)
    client.login(STAFF, STAFF_PASSWORD)
    return client


# ---------------------------------------------------------------------- 1. the folder import


def import_folder(url: str, folder: Path) -> tuple[float, dict[str, float], int]:
    """Import every bundle of ``folder`` as the Import page does; (seconds, phases, cases)."""
    client = signed_in(url)
    phases = {"preview": 0.0, "import": 0.0, "write back": 0.0}
    cases = 0
    t0 = time.perf_counter()
    paths = scan_inputs([folder])
    for path in paths:
        t = time.perf_counter()
        preview = client.preview_bundle(path.read_bytes())
        phases["preview"] += time.perf_counter() - t
        if preview.signature != "valid" or preview.already_imported:
            raise RuntimeError(f"preview of {path.name}: {preview}")
    for path in paths:
        t = time.perf_counter()
        outcome = client.import_bundle(path.read_bytes())
        t1 = time.perf_counter()
        phases["import"] += t1 - t
        if outcome.status != "imported":
            raise RuntimeError(f"import of {path.name}: {outcome.status} {outcome.reason}")
        cases += outcome.counts.cases
        _written, problem = write_back(path.parent, outcome)
        phases["write back"] += time.perf_counter() - t1
        if problem is not None:
            raise RuntimeError(f"writing back beside {path.name}: {problem}")
    seconds = time.perf_counter() - t0
    client.logout()
    return seconds, phases, cases


def import_in_process(config: DistrictConfig, folder: Path) -> float:
    """Seconds to import the same bundles with ``District.import_bundle`` (the baseline)."""
    bundles = [path.read_bytes() for path in scan_inputs([folder])]
    district = District.open(config, PASSPHRASE)
    try:
        t0 = time.perf_counter()
        for data in bundles:
            result = district.import_bundle(data, via="bench")
            if result.status != "imported":
                raise RuntimeError(f"in-process import: {result.status} {result.reason}")
        return time.perf_counter() - t0
    finally:
        district.close()


def bench_import(backend: Backend, runs: int, results: Results) -> None:
    seed = backend.seed
    bundles = scan_inputs([seed.folder])
    print(
        f"1. a folder of {len(bundles)} bundles ({seed.folder_cases:,} new cases) imported "
        f"through the staff API (preview each, then import each and write its receipt and "
        f"return bundle back), {runs} run(s), each on a fresh copy"
    )
    served: list[float] = []
    floors: list[float] = []
    phases: list[dict[str, float]] = []
    cases = 0
    for run in range(runs):  # interleaved, so both see the same noise
        config = backend.fresh()
        folder = backend.tmp / f"folder-{run}"
        shutil.copytree(seed.folder, folder)
        try:
            with serving_district(config) as url:
                seconds, parts, cases = import_folder(url, folder)
            served.append(seconds)
            phases.append(parts)
            written = len(list(folder.iterdir())) - len(bundles)
            print(
                f"  run {run + 1}: {_s(seconds)} = {cases / seconds:,.0f} cases/s "
                f"({', '.join(f'{k} {_s(v)}' for k, v in parts.items())}); "
                f"{written} files written back"
            )
        finally:
            backend.drop(config)
            shutil.rmtree(folder, ignore_errors=True)
        config = backend.fresh()
        try:
            floors.append(import_in_process(config, seed.folder))
        finally:
            backend.drop(config)
    median, floor = _median(served), _median(floors)
    mid = {k: _median([p[k] for p in phases]) for k in phases[0]}
    print(
        f"  through the API: {_spread(served, _s)} = {cases / median:,.0f} cases/s; of which "
        f"(medians) {', '.join(f'{k} {_s(v)}' for k, v in mid.items())}"
    )
    print(
        f"  baseline, District.import_bundle in-process on a fresh copy: {_spread(floors, _s)}"
        f" = {cases / floor:,.0f} cases/s; API / in-process = {median / floor:.1f}x"
    )
    results.add("import 50 bundles (API, s)", median, floor, None, unit=_s)


# ---------------------------------------------------------------------- 2.-4. on one server


def filter_queries(kecamatan: str, code: str) -> dict[str, CaseQuery]:
    """The filter changes timed, each alone: the kecamatan of the newest case, a status, a
    violence type, TPPO, needs review, overdue, and a search for one case's code."""
    return {
        "kecamatan": CaseQuery(kecamatan=kecamatan),
        "status": CaseQuery(status="dalam_penanganan"),
        "violence type": CaseQuery(violence_type="seksual"),
        "TPPO": CaseQuery(tppo=True),
        "needs review": CaseQuery(needs_review=True),
        "overdue": CaseQuery(overdue=True),
        "search (a case code)": CaseQuery(q=code),
    }


@dataclass(frozen=True)
class Busiest:
    """The month and year holding the most cases, and how many."""

    month: str
    month_cases: int
    year: str
    year_cases: int


def busiest(config: DistrictConfig) -> Busiest:
    engine = db.create_engine(config)
    r = RecordRow
    live = (r.kind == "case", r.deleted.is_(False), r.period.is_not(None))
    try:
        with engine.connect() as conn:
            month, month_cases = conn.execute(
                sa.select(r.period, sa.func.count())
                .where(*live)
                .group_by(r.period)
                .order_by(sa.func.count().desc(), r.period.desc())
                .limit(1)
            ).one()
            year_of = sa.func.substr(r.period, 1, 4)
            year, year_cases = conn.execute(
                sa.select(year_of, sa.func.count())
                .where(*live)
                .group_by(year_of)
                .order_by(sa.func.count().desc())
                .limit(1)
            ).one()
    finally:
        engine.dispose()
    return Busiest(str(month), int(month_cases), str(year), int(year_cases))


def _page_columns() -> tuple[Any, ...]:
    r = RecordRow
    return (
        r.record_id, r.kind, r.code, r.village, r.kecamatan, r.period, r.status, r.victims,
        r.tppo, r.deleted, r.conflicts, r.updated_at, r.reported_on, r.police_due,
    )  # fmt: skip


def bare_first_page(engine: sa.Engine) -> float:
    """Seconds for the first page's own SQL: its ``SELECT`` and ``COUNT(*)``, no ORM."""
    r = RecordRow
    page = (
        sa.select(*_page_columns())
        .where(r.kind == "case")
        .order_by(r.reported_on.desc().nulls_last(), r.record_id)
        .limit(PAGE_SIZE)
    )
    count = sa.select(sa.func.count()).select_from(r).where(r.kind == "case")
    with engine.connect() as conn:
        t0 = time.perf_counter()
        rows = conn.execute(page).all()
        conn.execute(count).scalar()
        seconds = time.perf_counter() - t0
    if len(rows) != PAGE_SIZE:
        raise RuntimeError(f"bare first page: {len(rows)} rows")
    return seconds


def bare_period_rows(engine: sa.Engine, month: str) -> tuple[float, int]:
    """Seconds to fetch a month's sealed rows as the report selects them, not opened."""
    r = RecordRow
    query = sa.select(r.record_id, r.kind, r.village, r.kecamatan, r.sealed).where(
        r.deleted.is_(False), r.kind.in_(("case", "outreach")), r.period == month
    )
    with engine.connect() as conn:
        t0 = time.perf_counter()
        rows = conn.execute(query.order_by(r.record_id)).all()
        seconds = time.perf_counter() - t0
    return seconds, sum(len(row.sealed) for row in rows)


def bench_pages(
    url: str, config: DistrictConfig, runs: int, results: Results
) -> tuple[dict[str, CaseQuery], dict[str, float]]:
    """Figure 2 over HTTP; the filter queries timed and the medians by figure name."""
    print(f"2. the case table over the staff API (StaffClient.list_records, {PAGE_SIZE} rows)")
    client = signed_in(url)
    engine = db.create_engine(config)
    try:
        first_page = client.list_records(**CaseQuery().arguments(), limit=PAGE_SIZE)
        newest = first_page.records[0]
        queries = filter_queries(newest.kecamatan, newest.code or newest.record_id[:8])
        health = _repeat(client.health, runs * 2)
        first = _repeat(
            lambda: client.list_records(**CaseQuery().arguments(), limit=PAGE_SIZE), runs
        )
        bare = [bare_first_page(engine) for _ in range(runs)]
        print(f"  baseline, GET /v1/health round trip: {_spread(health)}")
        print(f"  baseline, the first page's bare SQL (SELECT + COUNT): {_spread(bare)}")
        print(
            f"  first page (no filter, {first_page.total:,} cases): {_spread(first)}; "
            f"/ health = {_median(first) / _median(health):.1f}x, / bare SQL = "
            f"{_median(first) / _median(bare):.1f}x"
        )
        results.add("first page (HTTP)", _median(first), _median(health), PAGE_TARGET)
        medians = {"first page": _median(first)}
        worst = ("", 0.0)
        for name, query in queries.items():
            arguments = query.arguments()
            answer = client.list_records(**arguments, limit=PAGE_SIZE)  # its total, untimed
            samples = _repeat(lambda a=arguments: client.list_records(**a, limit=PAGE_SIZE), runs)
            print(f"  filter {name}: {answer.total:,} match; {_spread(samples)}")
            medians[name] = _median(samples)
            if _median(samples) > worst[1]:
                worst = (name, _median(samples))
        results.add(f"slowest filter (HTTP): {worst[0]}", worst[1], _median(health), PAGE_TARGET)
    finally:
        engine.dispose()
        client.logout()
    return queries, medians


def bench_reports(
    url: str, config: DistrictConfig, when: Busiest, runs: int, results: Results
) -> dict[str, float]:
    """Figures 3 and 4 over HTTP and in-process; the medians by figure name."""
    print(
        f"3. the monthly report of the busiest month, {when.month} ({when.month_cases:,} "
        f"cases), over the staff API (StaffClient.report + Report.from_json)"
    )
    client = signed_in(url)
    engine = db.create_engine(config)
    district = District.open(config, PASSPHRASE)
    try:
        period = parse_period(when.month)
        shown: list[Report] = []

        def fetch() -> None:
            shown.append(Report.from_json(client.report(when.month)))

        samples = _repeat(fetch, runs)
        report = shown[-1]
        bare = [bare_period_rows(engine, when.month) for _ in range(runs)]
        print(
            f"  report: {report.cases:,} cases, {report.outreach} outreach events, "
            f"{len(report.tables)} tables; {_spread(samples)}"
        )
        print(
            f"  baseline, the month's sealed rows fetched by bare SQL, not opened "
            f"({bare[0][1] / 1e6:.1f} MB): {_spread([b[0] for b in bare])}"
        )
        reading = _repeat(lambda: read_period(district, period), runs)
        records = read_period(district, period)
        computing = _repeat(lambda: compute_report(records, period), runs)
        encoding = _repeat(lambda: json.dumps(compute_report(records, period).to_json()), 1)
        print(
            f"  where the server's time goes (in-process, same database): read_period (select "
            f"+ open {len(records):,} sealed documents) median {_ms(_median(reading))}, "
            f"compute_report median {_ms(_median(computing))}, compute + to_json + json.dumps "
            f"{_ms(encoding[0])}"
        )
        results.add(
            "monthly report (HTTP)",
            _median(samples),
            _median([b[0] for b in bare]),
            REPORT_TARGET,
        )

        print(f"4. that month's exports, and the yearly report of {when.year} as the worst case")
        sizes: dict[str, int] = {}

        def export(fmt: str) -> Callable[[], None]:
            def run() -> None:
                sizes[fmt] = len(client.report_export(when.month, fmt))  # type: ignore[arg-type]

            return run

        csv = _repeat(export("csv"), runs)
        xlsx = _repeat(export("xlsx"), runs)
        pdf = _repeat(lambda: sizes.__setitem__("pdf", len(report_pdf(report))), runs)
        print(f"  baseline, CSV from GET /v1/reports/export ({sizes['csv']:,} B): {_spread(csv)}")
        print(f"  XLSX from GET /v1/reports/export ({sizes['xlsx']:,} B): {_spread(xlsx)}")
        print(
            f"  PDF drawn on the desktop from the report on screen (report_pdf, "
            f"{sizes['pdf']:,} B): {_spread(pdf)}"
        )
        results.add("monthly XLSX (HTTP)", _median(xlsx), _median(csv), EXPORT_TARGET)
        results.add("monthly PDF (report_pdf)", _median(pdf), _median(csv), EXPORT_TARGET)

        yearly: list[Report] = []
        year_fetch = _repeat(
            lambda: yearly.append(Report.from_json(client.report(when.year))), runs
        )
        year_csv = _repeat(lambda: client.report_export(when.year, "csv"), runs)
        year_pdf = _repeat(lambda: sizes.__setitem__("year", len(report_pdf(yearly[-1]))), runs)
        print(
            f"  yearly report {when.year} ({yearly[-1].cases:,} cases) fetched: "
            f"{_spread(year_fetch)}; its CSV (baseline): {_spread(year_csv)}"
        )
        print(f"  yearly PDF (report_pdf, {sizes['year']:,} B): {_spread(year_pdf)}")
        results.add("yearly report (HTTP)", _median(year_fetch), _median(year_csv), None)
        results.add("yearly PDF (report_pdf)", _median(year_pdf), _median(year_csv), EXPORT_TARGET)
        return {
            "report": _median(samples),
            "xlsx": _median(xlsx),
            "pdf": _median(pdf),
            "year pdf": _median(year_pdf),
        }
    finally:
        district.close()
        engine.dispose()
        client.logout()


# ---------------------------------------------------------------------- the real window


POLL_MS = 20
"""How often the window benchmarks look whether their event came: the times themselves are
stamped by the events, and a tighter poll on the UI thread would compete for the GIL with the
page's worker and PDF threads."""


class PaintStamp(QObject):
    """The ``perf_counter`` at which the first paint of ``widget`` since :meth:`arm` ended."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.at: float | None = None
        self._pending = False
        widget.installEventFilter(self)

    def arm(self) -> None:
        self.at = None
        self._pending = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint and self.at is None and not self._pending:
            self._pending = True
            QTimer.singleShot(0, self._stamp)  # runs once this paint has returned
        return False

    def _stamp(self) -> None:
        if self._pending:
            self._pending = False
            self.at = time.perf_counter()


def _stamp(stamps: list[float]) -> Callable[..., None]:
    """A slot that writes down when it was called."""
    return lambda *_args: stamps.append(time.perf_counter())


class SavingPrompter(Prompter):
    """Answers "save as" with a file in a folder of the benchmark's own."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def choose_save_file(
        self, parent: QWidget, title: str, suggested_name: str, name_filter: str
    ) -> Path | None:
        return self.folder / suggested_name


@contextmanager
def district_window(tmp: Path, url: str) -> Iterator[tuple[DistrictContext, DistrictWindow]]:
    """The district window as ``simpul district`` starts it, signed in on its sign-in screen."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    saved = tmp / "saved"
    saved.mkdir(exist_ok=True)
    ctx = DistrictContext(
        tmp / "desk" / DISTRICT_SETTINGS_NAME, lang="id", prompter=SavingPrompter(saved)
    )
    window = start(ctx, app)
    try:
        wait_for(lambda: window.windowHandle() is not None and window.windowHandle().isExposed())
        screen = window.sign_in_screen
        screen.server.setText(url)
        screen.name.setText(STAFF)
        QTest.keyClicks(screen.password, STAFF_PASSWORD)
        QTest.keyClick(screen.password, Qt.Key.Key_Return)
        wait_for(lambda: window.signed_in, timeout=60)
        wait_for(lambda: window.cases_page.loaded_query is not None and not ctx.runner.busy)
        yield ctx, window
    finally:
        window.close()
        window.deleteLater()
        QApplication.processEvents()


def bench_cases_page(
    ctx: DistrictContext,
    window: DistrictWindow,
    queries: dict[str, CaseQuery],
    http: dict[str, float],
    runs: int,
    results: Results,
) -> None:
    """Figure 2 in the window; the baseline of each row is the same request over HTTP."""
    print(
        "2'. the same in the district window's Kasus page (offscreen): from the request until "
        "the model holds the page and the table has painted it"
    )
    page = window.cases_page
    window.show_page("gui_dm_nav_cases")
    watch = PaintStamp(page.table.viewport())
    empty = PaintStamp(page.empty)  # what shows instead of the table when nothing matches
    page.model.modelReset.connect(watch.arm)  # painted after the new page is in the model
    loaded: list[float] = []
    page.page_loaded.connect(_stamp(loaded))

    def timed(trigger: Callable[[], None]) -> float:
        loaded.clear()
        watch.arm()
        empty.arm()
        t0 = time.perf_counter()
        trigger()

        def painted() -> float | None:
            return watch.at if page.model.rowCount() else empty.at

        wait_for(lambda: bool(loaded) and painted() is not None, poll_ms=POLL_MS)
        wait_for(lambda: not ctx.runner.busy, poll_ms=POLL_MS)
        if page._failure is not None:
            raise RuntimeError(f"the page failed: {page._failure}")
        return (painted() or 0.0) - t0

    first = [timed(page.reload_button.click) for _ in range(runs)]
    print(f"  first page (Muat ulang, {page.total:,} cases): {_spread(first)}")
    results.add("first page (window)", _median(first), http["first page"], PAGE_TARGET)
    worst = ("", 0.0)

    def pick(combo: Any, data: str) -> Callable[[], None]:
        return lambda: combo.setCurrentIndex(combo.findData(data))

    triggers: dict[str, Callable[[], None]] = {
        "kecamatan": pick(page.kecamatan_filter, str(queries["kecamatan"].kecamatan)),
        "status": pick(page.status_filter, str(queries["status"].status)),
        "violence type": pick(page.violence_filter, str(queries["violence type"].violence_type)),
        "TPPO": lambda: page.tppo_filter.setChecked(True),
        "needs review": lambda: page.review_filter.setChecked(True),
        "overdue": lambda: page.overdue_filter.setChecked(True),
    }

    def search() -> None:
        # setText starts the debounce; refresh() is what the debounce then calls
        page.search.setText(queries["search (a case code)"].q)
        page.refresh()

    triggers["search (a case code)"] = search
    for name, trigger in triggers.items():
        samples: list[float] = []
        for _ in range(runs):
            samples.append(timed(trigger))
            if page.loaded_query != queries[name]:  # the very request timed over HTTP
                raise RuntimeError(f"{name}: the page asked {page.loaded_query}")
            total = page.total
            timed(page.clear_filters)  # back to page 1 of everything, not timed
        print(f"  filter {name}: {total:,} match; {_spread(samples)}")
        if _median(samples) > worst[1]:
            worst = (name, _median(samples))
    print(f"  (typing in the search waits {SEARCH_DELAY_MS} ms after the last key first)")
    results.add(f"slowest filter (window): {worst[0]}", worst[1], http[worst[0]], PAGE_TARGET)


def bench_reports_page(
    ctx: DistrictContext,
    window: DistrictWindow,
    when: Busiest,
    http: dict[str, float],
    runs: int,
    results: Results,
) -> None:
    """Figures 3 and 4 in the window; the baselines: the same work without the window."""
    print(
        "3'./4'. the district window's Laporan page: Tampilkan until the report is on screen "
        "and its chart painted; XLSX and PDF until the file is written"
    )
    page = window.reports_page
    window.show_page("gui_dm_nav_reports")
    watch = PaintStamp(page.victim_chart.viewport())
    shown: list[float] = []
    page.report_shown.connect(_stamp(shown))
    page.report_shown.connect(watch.arm)  # the chart was redrawn just before it is emitted
    saved: list[float] = []
    page.saved.connect(_stamp(saved))
    failures: list[str] = []
    page.failed.connect(failures.append)
    page.choose_period(when.month)

    def show() -> float:
        shown.clear()
        watch.arm()
        t0 = time.perf_counter()
        page.show_button.click()
        wait_for(lambda: bool(shown) and watch.at is not None, poll_ms=POLL_MS)
        wait_for(lambda: not page.busy_now, poll_ms=POLL_MS)
        if failures:
            raise RuntimeError(f"the reports page failed: {failures}")
        return (watch.at or 0.0) - t0

    def export(fmt: str) -> float:
        saved.clear()
        t0 = time.perf_counter()
        page.export(fmt)  # type: ignore[arg-type]
        wait_for(lambda: bool(saved) and not page.busy_now, poll_ms=POLL_MS)
        if failures:
            raise RuntimeError(f"the reports page failed: {failures}")
        return saved[0] - t0

    on_screen = [show() for _ in range(runs)]
    print(f"  {when.month} on screen: {_spread(on_screen)}")
    results.add("monthly report (window)", _median(on_screen), http["report"], REPORT_TARGET)
    csv = [export("csv") for _ in range(runs)]
    xlsx = [export("xlsx") for _ in range(runs)]
    pdf = [export("pdf") for _ in range(runs)]
    print(f"  CSV (baseline): {_spread(csv)}")
    print(f"  XLSX: {_spread(xlsx)}")
    print(f"  PDF: {_spread(pdf)}")
    results.add("monthly XLSX (window)", _median(xlsx), http["xlsx"], EXPORT_TARGET)
    results.add("monthly PDF (window)", _median(pdf), http["pdf"], EXPORT_TARGET)
    page.choose_period(when.year)
    year_shown = show()
    year_pdf = [export("pdf") for _ in range(max(1, runs // 2))]
    print(f"  yearly {when.year} on screen: {_ms(year_shown)}; its PDF: {_spread(year_pdf)}")
    results.add("yearly PDF (window)", _median(year_pdf), http["year pdf"], EXPORT_TARGET)


# ---------------------------------------------------------------------- driving it all


def run_backend(backend: Backend, args: argparse.Namespace, tmp: Path, widgets: bool) -> Results:
    results = Results()
    print(f"== {backend.name}")
    seeding = backend.template()
    seed = backend.seed
    if seeding:
        print(
            f"  (setup: {seed.cases:,} cases and {seed.outreach:,} outreach events of "
            f"{len(seed.laptops)} laptops imported in-process in {_s(seeding)} = "
            f"{seed.cases / seeding:,.0f} cases/s, not timed below)"
        )
    else:
        print(f"  (setup: the seeded template kept at {args.keep} is reused)")
    if not args.skip_import:
        bench_import(backend, args.import_runs, results)
    config = backend.fresh()
    try:
        when = busiest(config)
        with serving_district(config) as url:
            queries, pages = bench_pages(url, config, args.runs, results)
            reports = bench_reports(url, config, when, args.runs, results)
            if widgets:
                with district_window(tmp, url) as (ctx, window):
                    bench_cases_page(ctx, window, queries, pages, args.runs, results)
                    bench_reports_page(ctx, window, when, reports, args.runs, results)
    finally:
        backend.drop(config)
    print(
        f"summary ({backend.name}, medians; the baseline of a window figure is the same work "
        f"without the window: the HTTP call, or report_pdf alone):"
    )
    results.print()
    return results


def _quiet_offscreen(_kind: QtMsgType, _context: object, message: str) -> None:
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=50_000, help="cases on the server")
    parser.add_argument("--villages", type=int, default=223, help="villages (one laptop each)")
    parser.add_argument("--runs", type=int, default=5, help="repeats of each measurement")
    parser.add_argument("--import-runs", type=int, default=3, help="folder imports (fresh copies)")
    parser.add_argument("--quick", action="store_true", help="5,000 cases, one run of each")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep the seed here, reuse it")
    parser.add_argument("--no-widgets", action="store_true", help="the HTTP figures only")
    parser.add_argument("--skip-import", action="store_true", help="leave figure 1 out")
    parser.add_argument(
        "--backend",
        choices=("all", "sqlite", "postgresql"),
        default="all",
        help="PostgreSQL needs SIMPUL_TEST_POSTGRES_URL",
    )
    args = parser.parse_args()
    if args.quick:
        args.cases, args.runs, args.import_runs = 5_000, 1, 1
    widgets = not args.no_widgets
    app: QApplication | None = None
    if widgets:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        qInstallMessageHandler(_quiet_offscreen)
        app = QApplication([sys.argv[0]])
    load = os.getloadavg()
    print(f"load average at the start: {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}")
    with tempfile.TemporaryDirectory(prefix="bench-district-") as tmp_name:
        tmp = Path(tmp_name)
        keep = args.keep.resolve() if args.keep else tmp / "kept"
        root = keep / f"seed-{args.cases}-{args.villages}"
        seed = load_seed(root, args.cases, args.villages)
        if seed is None:
            shutil.rmtree(root, ignore_errors=True)
            print(
                f"generating and sealing {args.cases:,} cases of {args.villages} laptops "
                f"(+ {FOLDER_BUNDLES} next bundles)…",
                flush=True,
            )
            seconds, seed = _timed(lambda: make_seed(root, args.cases, args.villages))
            print(f"  done in {_s(seconds)} (not timed below)")
        else:
            print(f"reusing the sealed bundles kept at {root}")
        backends: list[Backend] = []
        if args.backend in ("all", "sqlite"):
            backends.append(SqliteBackend(tmp, seed, root / "sqlite-template"))
        url = os.environ.get("SIMPUL_TEST_POSTGRES_URL")
        if args.backend in ("all", "postgresql") and url:
            backends.append(PostgresBackend(tmp, seed, url))
        elif args.backend != "sqlite":
            print("PostgreSQL: skipped (SIMPUL_TEST_POSTGRES_URL is not set)")
        for backend in backends:
            try:
                (tmp / backend.name).mkdir()
                run_backend(backend, args, tmp / backend.name, widgets)
            finally:
                backend.close()
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
