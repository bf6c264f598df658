"""The district's monthly and yearly report (DESIGN.md §9): named tables, JSON-serialisable.

What is counted follows :mod:`simpul.recap` (the village recap), so a village's own recap and
the district report agree: cases by their report date, victims once per violence type they
suffered, sex and SIMFONI age band taken on the report date, outreach by the date it was held
and its participants as recorded. Deleted records (the tombstone) are not counted. A record
belongs to the village and kecamatan of the laptop that recorded it (the ``records`` row),
not to the place of the incident.

The tables (``Table.key``):

- ``summary`` — per area: cases, victims (female/male × child/adult, unknown), TPPO cases,
  outreach events and participants.
- ``victims_by_type`` — per area: victims per violence type (a victim under each of their
  types), and all victims once.
- ``victims_by_sex_age`` — per area: victims per sex × SIMFONI age band.
- ``type_sex_age`` — district-wide: victims per violence type × sex × age band.
- ``place`` — per area: cases per place of the incident (``tidak dicatat`` when none).
- ``relationship`` — per area: victim–perpetrator pairs per SIMFONI relationship label (each
  relationship recorded between a live perpetrator and a live victim).
- ``tppo`` — per area: TPPO cases (violence type ``trafficking``), their victims, and cases
  with a non-procedural route, still abroad, needing repatriation.
- ``tppo_indicators`` — district-wide: TPPO cases per indicator answer (ya / tidak / tidak
  tahu / not recorded).
- ``services`` and ``referrals`` — per area: service events per SIMFONI service type and
  referrals per target, of the cases reported in the period (whatever the event's own date:
  the report reads the documents of the period's cases only).
- ``deadline`` — per area: sexual-violence cases referred to UPTD PPA and the UU TPKS Pasal 41
  3×24-hour rule (:func:`deadline_outcome`).
- ``outreach`` and ``outreach_topics`` — per area: events, participants (female/male ×
  child/adult, with a disability), and events per topic.

Per-area tables list the kecamatan (subtotal) rows, each followed by its villages that have
at least one record in the period, then the district total.

**Small-cell suppression** (``share=True``, for anything that leaves the district), applied to
every per-area table; district-wide tables and kecamatan rows are not suppressed:

1. Every village cell holding 1 or 2 is shown as ``<3`` (:data:`SMALL`).
2. Village cells of total columns (``Column.total``: a row total, or a count that other cells
   of the export add up to, such as a village's cases or victims) are shown as ``x``
   (:data:`HIDDEN`), so no row sum gives a ``<3`` cell back.
3. Within each kecamatan and column holding a ``<3`` cell, the smallest other village cell of
   that column with a value of 3 or more is shown as ``x`` too (one complementary cell, even
   when two cells are ``<3``: two cells of 1 with their sum known would be known too), so the
   kecamatan subtotal minus the shown villages is the sum of at least two hidden cells, one of
   them 3 or more. When the kecamatan has no such cell, the kecamatan's cell of that column and
   of its total columns, and the district's, are shown as ``x`` instead.

Kecamatan and district figures therefore stay exact wherever a complementary cell exists.
Limits: relations across tables (a village's victims by type against its victims by sex) are
not checked beyond rule 2; and a reader who knows these rules can sometimes narrow a ``<3``
cell further (a complementary cell of exactly 3 beside a sum of 4 tells a 1) — the rules stop
recovery from the printed totals, not every inference from the rules themselves.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any, Final, Literal, TypeAlias

import orjson
import sqlalchemy as sa

from district.actors import staff_actor
from district.errors import DistrictUserError
from district.materialize import DISTRICT_TZ
from district.models import RecordRow
from district.sealing import CorruptDataError, Sealer, record_ad
from district.service import District
from district.views import StaffView
from simpul.gcpause import gc_paused
from simpul.recap import CaseRecap, Period, PeriodError, recap_cases, recap_outreach
from simpul.records import ITEM_LISTS, unflatten
from simpul.records.derived import parse_date, police_deadline
from simpul.records.taxonomy import load_taxonomy
from simpul.records.wilayah import UnknownVillageError, load_regions

__all__ = [
    "DISTRICT_CODE",
    "HIDDEN",
    "SMALL",
    "TITLE",
    "Cell",
    "Column",
    "Lang",
    "PeriodRecord",
    "Report",
    "ReportPeriodError",
    "Row",
    "Table",
    "build_report",
    "compute_report",
    "parse_period",
    "deadline_outcome",
    "read_period",
]

Lang: TypeAlias = Literal["id", "en"]
Cell: TypeAlias = int | str
Level: TypeAlias = Literal["district", "kecamatan", "village", "item"]

DISTRICT_CODE: Final = "33.27"
TITLE: Final = "Kabupaten Pemalang — DP3AP2KB"
"""The title of every report file (the district's office)."""
SMALL: Final = "<3"
"""A village cell of 1 or 2 in a shared report."""
HIDDEN: Final = "x"
"""A cell hidden so that a ``<3`` cell cannot be worked out from totals."""
_POLICE = "unit_ppa_polisi"
_REFUSED = "ditolak"
_NONE = "_none"

_MONTHS = {
    "id": (
        "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
    ).split(),
    "en": (
        "January February March April May June July August September October November December"
    ).split(),
}

# key -> (Indonesian, English): titles and headers of the report's own (non-taxonomy) words.
_WORDS: Final[Mapping[str, tuple[str, str]]] = {
    "summary": ("Ringkasan", "Summary"),
    "victims_by_type": ("Korban menurut jenis kekerasan", "Victims by type of violence"),
    "victims_by_sex_age": (
        "Korban menurut jenis kelamin dan kelompok umur",
        "Victims by sex and age group",
    ),
    "type_sex_age": (
        "Korban menurut jenis kekerasan, jenis kelamin dan kelompok umur (kabupaten)",
        "Victims by type of violence, sex and age group (district)",
    ),
    "place": ("Kasus menurut tempat kejadian", "Cases by place of incident"),
    "relationship": (
        "Hubungan korban dengan pelaku (pasangan korban–pelaku)",
        "Relationship of victim and perpetrator (victim–perpetrator pairs)",
    ),
    "tppo": ("Kasus TPPO", "Trafficking (TPPO) cases"),
    "tppo_indicators": (
        "Indikator TPPO (jumlah kasus TPPO)",
        "TPPO indicators (number of TPPO cases)",
    ),
    "services": ("Layanan menurut jenis", "Services by type"),
    "referrals": ("Rujukan menurut tujuan", "Referrals by destination"),
    "deadline": (
        "Batas 3×24 jam penerusan kasus kekerasan seksual ke polisi (UU TPKS Pasal 41)",
        "3×24-hour deadline to forward sexual-violence cases to the police (TPKS law art. 41)",
    ),
    "outreach": ("Sosialisasi dan peserta", "Outreach events and participants"),
    "outreach_topics": ("Sosialisasi menurut topik", "Outreach events by topic"),
    "area": ("Wilayah", "Area"),
    "district": ("Kabupaten Pemalang", "Pemalang District"),
    "violence_type": ("Jenis kekerasan", "Type of violence"),
    "indicator": ("Indikator", "Indicator"),
    "all_victims": ("Semua korban", "All victims"),
    "cases": ("Kasus", "Cases"),
    "victims": ("Korban", "Victims"),
    "total": ("Jumlah", "Total"),
    "female_child": ("Perempuan anak", "Female child"),
    "female_adult": ("Perempuan dewasa", "Female adult"),
    "male_child": ("Laki-laki anak", "Male child"),
    "male_adult": ("Laki-laki dewasa", "Male adult"),
    "unknown": ("Tidak diketahui", "Unknown"),
    "unknown_age": ("umur tidak diketahui", "age unknown"),
    "unknown_sex": ("Jenis kelamin tidak diketahui", "Sex unknown"),
    "tppo_cases": ("Kasus TPPO", "TPPO cases"),
    "events": ("Kegiatan sosialisasi", "Outreach events"),
    "participants": ("Peserta", "Participants"),
    "with_disability": ("Peserta penyandang disabilitas", "Participants with a disability"),
    "not_recorded": ("Tidak dicatat", "Not recorded"),
    "non_procedural": ("Jalur non-prosedural", "Non-procedural route"),
    "still_abroad": ("Masih di luar negeri/daerah", "Still abroad or away"),
    "needs_repatriation": ("Perlu pemulangan", "Needs repatriation"),
    "deadline_applies": ("Kasus seksual dirujuk ke UPTD PPA", "Sexual cases referred to UPTD PPA"),
    "deadline_met": ("Diteruskan ≤ 3×24 jam", "Forwarded within 3×24 h"),
    "deadline_late": ("Diteruskan terlambat", "Forwarded late"),
    "deadline_overdue": ("Belum diteruskan, lewat batas", "Not forwarded, overdue"),
    "deadline_pending": ("Belum diteruskan, masih dalam batas", "Not forwarded, still in time"),
    "deadline_undated": ("Diteruskan, tanggal tidak dicatat", "Forwarded, date not recorded"),
    "month": ("Bulan", "Month"),
    "year": ("Tahun", "Year"),
}

# SIMFONI's relationship groups have no English in the taxonomy: the report's own glosses.
_RELATION_EN: Final[Mapping[str, str]] = {
    "Orang Tua": "Parent",
    "Keluarga/Saudara": "Family or relative",
    "Suami/Istri": "Spouse",
    "Pacar/Teman": "Partner or friend",
    "Tetangga": "Neighbour",
    "Guru": "Teacher",
    "Majikan": "Employer",
    "Rekan Kerja": "Co-worker",
    "Lainnya": "Other",
    "Tidak diketahui": "Unknown",
}


class ReportPeriodError(DistrictUserError):
    """A report period is neither ``YYYY-MM`` nor ``YYYY``."""

    default_code = "report_bad_period"
    default_message = "Not a report period: {period}. Use YYYY-MM (a month) or YYYY (a year)."


def parse_period(text: str) -> Period:
    """The period of ``YYYY-MM`` or ``YYYY``.

    Raises:
        ReportPeriodError: Neither (the text is cut to 20 characters in the error).
    """
    try:
        return Period.parse(text.strip())
    except PeriodError:
        raise ReportPeriodError(period=text[:20]) from None


def _word(key: str, lang: Lang) -> str:
    pair = _WORDS[key]
    return pair[0] if lang == "id" else pair[1]


def period_label(period: Period, lang: Lang) -> str:
    """``Oktober 2026`` / ``Tahun 2026`` (``October 2026`` / ``Year 2026``)."""
    if period.month is None:
        return f"{_word('year', lang)} {period.year}"
    return f"{_MONTHS[lang][period.month - 1]} {period.year}"


# --------------------------------------------------------------------------- the report


@dataclass(frozen=True)
class Column:
    """A column of a table.

    Attributes:
        key: Stable identifier (a taxonomy code, or the report's own word).
        label: Header in the report's language.
        total: A row total or a count other cells add up to; hidden on village rows of a
            shared report.
    """

    key: str
    label: str
    total: bool = False


@dataclass(frozen=True)
class Row:
    """A row: an area (district, kecamatan, village) or a category (``item``).

    Attributes:
        level: ``district``, ``kecamatan``, ``village`` or ``item``.
        code: Area code (``33.27``, ``33.27.08``, ``33.27.08.2012``) or category code.
        label: Area name or category label.
        cells: One per column: a count, or :data:`SMALL` / :data:`HIDDEN` in a shared report.
    """

    level: Level
    code: str
    label: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Table:
    """A named table of the report.

    Attributes:
        key: Stable identifier (see the module docstring).
        title: Title in the report's language.
        head: Header of the first column (``Wilayah``, ``Jenis kekerasan``…).
        columns: The count columns.
        rows: The rows, in display order.
    """

    key: str
    title: str
    head: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]

    def row(self, code: str) -> Row:
        """The row of an area or category code.

        Raises:
            KeyError: No such row.
        """
        for row in self.rows:
            if row.code == code:
                return row
        raise KeyError(code)

    def cell(self, code: str, column: str) -> Cell:
        """One cell by row code and column key.

        Raises:
            KeyError: No such row or column.
        """
        keys = [c.key for c in self.columns]
        if column not in keys:
            raise KeyError(column)
        return self.row(code).cells[keys.index(column)]


@dataclass(frozen=True)
class Report:
    """A monthly or yearly report of the district.

    Attributes:
        period: ``YYYY-MM`` or ``YYYY``.
        period_label: The period in words (``Oktober 2026``).
        lang: ``id`` or ``en``.
        share: Small cells are suppressed (for sharing outside the district).
        generated_at: When it was computed (WIB, :data:`~district.materialize.DISTRICT_TZ`).
        cases: Cases counted.
        outreach: Outreach events counted.
        tables: The tables, in display order.
    """

    period: str
    period_label: str
    lang: Lang
    share: bool
    generated_at: datetime
    cases: int
    outreach: int
    tables: tuple[Table, ...]
    title: str = TITLE

    def table(self, key: str) -> Table:
        """The table named ``key``.

        Raises:
            KeyError: No such table.
        """
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)

    def to_json(self) -> dict[str, Any]:
        """The report as plain JSON values (what ``GET /v1/reports`` answers)."""
        return {
            "title": self.title,
            "period": self.period,
            "period_label": self.period_label,
            "lang": self.lang,
            "share": self.share,
            "generated_at": self.generated_at.isoformat(timespec="seconds"),
            "cases": self.cases,
            "outreach": self.outreach,
            "tables": [
                {
                    "key": t.key,
                    "title": t.title,
                    "head": t.head,
                    "columns": [
                        {"key": c.key, "label": c.label, "total": c.total} for c in t.columns
                    ],
                    "rows": [
                        {"level": r.level, "code": r.code, "label": r.label, "cells": list(r.cells)}
                        for r in t.rows
                    ],
                }
                for t in self.tables
            ],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Report:
        """The report of :meth:`to_json`'s values (the desktop reads the server's answer).

        Raises:
            KeyError, TypeError, ValueError: ``data`` is not a report's JSON.
        """

        def cell(value: Any) -> Cell:
            if isinstance(value, bool) or not isinstance(value, int | str):
                raise TypeError(f"not a report cell: {value!r}")
            return value

        lang = str(data["lang"])
        if lang not in ("id", "en"):
            raise ValueError(f"not a report language: {lang}")
        tables = []
        for t in data["tables"]:
            columns = tuple(
                Column(str(c["key"]), str(c["label"]), bool(c["total"])) for c in t["columns"]
            )
            rows = []
            for r in t["rows"]:
                level = str(r["level"])
                if level not in ("district", "kecamatan", "village", "item"):
                    raise ValueError(f"not a row level: {level}")
                cells = tuple(cell(v) for v in r["cells"])
                if len(cells) != len(columns):
                    raise ValueError("a row's cells do not match the columns")
                rows.append(Row(level, str(r["code"]), str(r["label"]), cells))  # type: ignore[arg-type]
            tables.append(
                Table(str(t["key"]), str(t["title"]), str(t["head"]), columns, tuple(rows))
            )
        return cls(
            period=str(data["period"]),
            period_label=str(data["period_label"]),
            lang=lang,  # type: ignore[arg-type]
            share=bool(data["share"]),
            generated_at=datetime.fromisoformat(str(data["generated_at"])),
            cases=int(data["cases"]),
            outreach=int(data["outreach"]),
            tables=tuple(tables),
            title=str(data.get("title", TITLE)),
        )


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class PeriodRecord:
    """A record of the period, opened: its area, its pseudonymous id, its document.

    Attributes:
        record_id: The record's id.
        kind: ``case`` or ``outreach``.
        village: Village code of the laptop that recorded it.
        kecamatan: Its kecamatan code.
        doc: The merged document (``unflatten`` of the sealed field values), or only its
            :data:`REPORT_FIELDS` (:func:`read_period`).
    """

    record_id: str
    kind: str
    village: str
    kecamatan: str
    doc: Mapping[str, Any]


def read_period(district: District, period: Period, *, full: bool = False) -> list[PeriodRecord]:
    """Open the live (not deleted) cases and outreach records of a period.

    Selects on the indexed plaintext ``period`` column (a month, or the range of a year's
    months) and opens each sealed document; nothing is audited here (callers audit).

    Args:
        district: The open district.
        period: The period.
        full: The whole documents (for the SIMFONI export, which lists victims' details); by
            default only the fields the report counts (:data:`REPORT_FIELDS`) are built, which
            is several times faster and keeps names and narratives out of memory.

    Raises:
        DistrictUserError: ``record_corrupt`` when a stored document fails its check.
    """
    query = sa.select(
        RecordRow.record_id,
        RecordRow.kind,
        RecordRow.village,
        RecordRow.kecamatan,
        RecordRow.sealed,
    ).where(RecordRow.deleted.is_(False), RecordRow.kind.in_(("case", "outreach")))
    if period.month is None:
        query = query.where(RecordRow.period.between(f"{period.key}-01", f"{period.key}-12"))
    else:
        query = query.where(RecordRow.period == period.key)
    # The service's own reader and sealer: a report is a read of the service's records.
    sealer = district._records
    out: list[PeriodRecord] = []
    with district._read() as session:
        rows = session.execute(query.order_by(RecordRow.record_id)).all()
    with gc_paused():  # thousands of small acyclic dicts: the collector would only slow it
        for rid, kind, village, kecamatan, blob in rows:
            out.append(_open(sealer, rid, kind, village, kecamatan, blob, full=full))
    return out


def _open(
    sealer: Sealer, rid: str, kind: str, village: str, kecamatan: str, blob: bytes, *, full: bool
) -> PeriodRecord:
    """Open one record's sealed document into a :class:`PeriodRecord`."""
    try:
        data = orjson.loads(sealer.open(blob, ad=record_ad(rid)))
    except CorruptDataError as exc:
        raise DistrictUserError("record_corrupt", "The stored record is damaged.") from exc
    flat = data["flat"]
    return PeriodRecord(rid, kind, village, kecamatan, unflatten(flat) if full else _project(flat))


REPORT_FIELDS: Final[Mapping[str, frozenset[str] | None]] = {
    "_deleted": None,
    "code": None,
    "reported_on": None,
    "held_on": None,
    "violence_types": None,
    "tpks_types": None,
    "place": None,
    "legal_status": None,
    "topics": None,
    "participants": None,
    "tppo": frozenset({"route", "still_abroad", "needs_repatriation", "indicators"}),
    "victims": frozenset({"_deleted", "sex", "birth_date", "age", "violence_types"}),
    "perpetrators": frozenset({"_deleted", "relationships"}),
    "services": frozenset({"_deleted", "type"}),
    "referrals": frozenset({"_deleted", "to", "on", "status"}),
}
"""The fields the report reads (top-level key → the keys read under it, ``None``: all);
:func:`read_period` builds only these."""

_ITEM_FIELDS: Final = frozenset(ITEM_LISTS)


def _project(flat: Mapping[str, Any]) -> dict[str, Any]:
    """The document of :data:`REPORT_FIELDS` from field paths (docs/record-format.md).

    Like :func:`simpul.records.unflatten` for these fields (removed items dropped, lists in item
    id order, ``null`` skipped) but without copying values: the flat mapping was just parsed
    and is not shared. Names, NIK, narratives, addresses and birth places are never built.
    """
    doc: dict[str, Any] = {}
    items: dict[str, dict[str, dict[str, Any]]] = {}
    fields = REPORT_FIELDS
    for path, value in flat.items():
        head, slash, rest = path.partition("/")
        if head not in fields or value is None:
            continue
        if not slash:
            doc[head] = value
            continue
        keep = fields[head]
        if head in _ITEM_FIELDS:
            item_id, _, field_path = rest.partition("/")
            key, _, below = field_path.partition("/")
            if keep is None or key not in keep:
                continue
            item = items.setdefault(head, {}).setdefault(item_id, {})
            if not below:
                item[key] = value
                continue
            target, field_path = item, field_path
        else:
            key = rest.partition("/")[0]
            if keep is not None and key not in keep:
                continue
            target, field_path = doc, path
        *parents, last = field_path.split("/")
        for part in parents:
            nested = target.setdefault(part, {})
            if not isinstance(nested, dict):
                break
            target = nested
        else:
            target[last] = value
    for name, by_id in items.items():
        live = [
            {**values, "id": item_id}
            for item_id, values in sorted(by_id.items())
            if values.get("_deleted") is not True
        ]
        if live:
            doc[name] = live
    return doc


def audit_read(
    district: District, actor: str, action: str, *, detail: str, record_ids: Sequence[str] = ()
) -> None:
    """Write one audit entry (and one per record in ``record_ids``) in one transaction."""
    with district._write() as session:
        district._audit(session, actor, action, detail=detail)
        for rid in record_ids:
            district._audit(session, actor, f"{action}_record", record_id=rid)


def build_report(
    district: District,
    staff: StaffView,
    period: Period | str,
    *,
    share: bool = False,
    lang: Lang = "id",
    actor: str | None = None,
    now: datetime | None = None,
) -> Report:
    """Read the records of a period and compute the report; the read is audited.

    Args:
        district: The open district.
        staff: Who asks (any role: the report holds counts only).
        period: ``YYYY-MM``, ``YYYY`` or a :class:`Period`.
        share: Suppress small cells (see the module docstring).
        lang: Language of titles and labels.
        actor: Who the audit log names; ``staff:<name>`` of ``staff`` unless given.
        now: The time of the report (default: now); deadlines are judged at this time.

    Raises:
        ReportPeriodError: ``period`` is not a period.
    """
    period = parse_period(period) if isinstance(period, str) else period
    records = read_period(district, period)
    report = compute_report(records, period, share=share, lang=lang, now=now)
    audit_read(
        district,
        actor or staff_actor(staff),
        "report",
        detail=f"period={period.key} share={int(share)} cases={report.cases} "
        f"outreach={report.outreach}",
    )
    return report


# --------------------------------------------------------------------------- computing


@dataclass
class _Area:
    """The counts of one village, by table key and column key."""

    counts: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))


def deadline_outcome(doc: Mapping[str, Any], now: datetime) -> str | None:
    """How a case stands against the UU TPKS Pasal 41 3×24-hour rule, or ``None``.

    The rule and its deadline are :func:`simpul.records.derived.police_deadline`'s (what the
    village case form and the district case table show): sexual violence referred to UPTD PPA,
    due 72 hours after the start of the earliest referral date. Dates carry no time of day, so
    a police referral's date too stands for its start: forwarded in time (``met``) when the
    earliest referral to the police PPA unit that was not refused is dated no later than the
    due time (3 days after receipt), else ``late``. Without a dated police referral:
    ``undated`` when the legal status says the police have the case, else ``overdue`` once
    ``now`` (local time, naive) is past the due time, else ``pending``.
    """
    deadline = police_deadline(doc)
    if deadline is None:
        return None
    raw = doc.get("referrals")
    police = [
        d
        for r in (raw if isinstance(raw, list) else [])
        if isinstance(r, Mapping)
        and r.get("to") == _POLICE
        and r.get("status") != _REFUSED
        and (d := parse_date(r.get("on"))) is not None
    ]
    if police:
        return "met" if datetime.combine(min(police), time()) <= deadline.due else "late"
    if deadline.forwarded:
        return "undated"
    return "overdue" if deadline.overdue(now) else "pending"


def _live(value: object) -> list[Mapping[str, Any]]:
    if not isinstance(value, list):
        return []
    return [i for i in value if isinstance(i, Mapping) and i.get("_deleted") is not True]


def _age_columns(lang: Lang) -> list[Column]:
    taxonomy = load_taxonomy()
    columns: list[Column] = []
    for sex in taxonomy.codes("sex")[::-1]:  # P first, as SIMFONI's tables
        sex_label = taxonomy.label("sex", sex, lang)
        for band in (*taxonomy.codes("age_band"), _NONE):
            band_label = (
                _word("unknown_age", lang)
                if band == _NONE
                else str(taxonomy.item("age_band", band)["simfoni"])
            )
            columns.append(Column(f"{sex}:{band}", f"{sex_label} {band_label}"))
    columns.append(Column("unknown_sex", _word("unknown_sex", lang)))
    return columns


def _sex_age_key(sex: str | None, band: str | None) -> str:
    return "unknown_sex" if sex is None else f"{sex}:{band or _NONE}"


def _relation_groups() -> list[str]:
    taxonomy = load_taxonomy()
    groups: dict[str, None] = {}
    for code in taxonomy.codes("relationship"):
        groups[str(taxonomy.simfoni("relationship", code))] = None
    return list(groups)


def compute_report(
    records: Iterable[PeriodRecord],
    period: Period,
    *,
    share: bool = False,
    lang: Lang = "id",
    now: datetime | None = None,
) -> Report:
    """Count the records of a period into the report's tables.

    Args:
        records: The period's records (:func:`read_period`); records of another period, of
            another kind or deleted are not counted.
        period: The period.
        share: Suppress small village cells (module docstring).
        lang: ``id`` or ``en``.
        now: The time of the report (aware; default now).
    """
    taxonomy = load_taxonomy()
    generated = (now or datetime.now(DISTRICT_TZ)).astimezone(DISTRICT_TZ)
    local_now = generated.replace(tzinfo=None)
    cases_by_village: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    outreach_by_village: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    kecamatan_of: dict[str, str] = {}
    for record in records:
        kecamatan_of[record.village] = record.kecamatan
        if record.kind == "case":
            cases_by_village[record.village].append(record.doc)
        elif record.kind == "outreach":
            outreach_by_village[record.village].append(record.doc)

    service_types = taxonomy.codes("service_type")
    targets = taxonomy.codes("referral_target")
    places = taxonomy.codes("place")
    topics = taxonomy.codes("outreach_topic")
    indicators = taxonomy.codes("tppo_indicator")
    answers = taxonomy.codes("tristate")
    relation_of = {
        code: str(taxonomy.simfoni("relationship", code)) for code in taxonomy.codes("relationship")
    }

    areas: dict[str, _Area] = {}
    recaps: list[CaseRecap] = []
    indicator_counts: Counter[tuple[str, str]] = Counter()
    total_cases = 0
    total_outreach = 0
    for village in sorted(kecamatan_of):
        area = areas[village] = _Area()
        c = area.counts
        docs = cases_by_village.get(village, [])
        recap = recap_cases(docs, period)
        recaps.append(recap)
        total_cases += recap.cases
        tally = recap.tally()
        c["summary"].update(
            cases=recap.cases,
            victims=recap.victims,
            female_child=tally.female_child,
            female_adult=tally.female_adult,
            male_child=tally.male_child,
            male_adult=tally.male_adult,
            unknown=tally.unknown,
            tppo_cases=recap.cases_by_type.get("trafficking", 0),
        )
        for (vtype, _sex, _band), n in recap.by_type.items():
            c["victims_by_type"][vtype] += n
        c["victims_by_type"]["victims"] = recap.victims
        for (sex, band), n in recap.by_person.items():
            c["victims_by_sex_age"][_sex_age_key(sex, band)] += n
        c["victims_by_sex_age"]["total"] = recap.victims
        trafficking_victims = sum(
            n for (t, _s, _b), n in recap.by_type.items() if t == "trafficking"
        )
        c["tppo"]["victims"] = trafficking_victims
        for doc in _counted(docs, period):
            place = doc.get("place")
            c["place"][place if place in places else "not_recorded"] += 1
            c["place"]["total"] += 1
            victim_ids = {v.get("id") for v in _live(doc.get("victims"))}
            for perp in _live(doc.get("perpetrators")):
                relations = perp.get("relationships")
                if not isinstance(relations, Mapping):
                    continue
                for victim_id, code in relations.items():
                    if victim_id in victim_ids and isinstance(code, str):
                        c["relationship"][relation_of.get(code, "Lainnya")] += 1
                        c["relationship"]["total"] += 1
            for service in _live(doc.get("services")):
                if service.get("type") in service_types:
                    c["services"][str(service["type"])] += 1
                    c["services"]["total"] += 1
            for referral in _live(doc.get("referrals")):
                if referral.get("to") in targets:
                    c["referrals"][str(referral["to"])] += 1
                    c["referrals"]["total"] += 1
            outcome = deadline_outcome(doc, local_now)
            if outcome is not None:
                c["deadline"]["applies"] += 1
                c["deadline"][outcome] += 1
            types = doc.get("violence_types")
            if isinstance(types, list) and "trafficking" in types:
                c["tppo"]["cases"] += 1
                tppo = doc.get("tppo")
                tppo = tppo if isinstance(tppo, Mapping) else {}
                c["tppo"]["non_procedural"] += tppo.get("route") == "non_prosedural"
                c["tppo"]["still_abroad"] += tppo.get("still_abroad") is True
                c["tppo"]["needs_repatriation"] += tppo.get("needs_repatriation") is True
                given = tppo.get("indicators")
                given = given if isinstance(given, Mapping) else {}
                for indicator in indicators:
                    answer = given.get(indicator)
                    indicator_counts[(indicator, answer if answer in answers else _NONE)] += 1
        outreach = outreach_by_village.get(village, [])
        orecap = recap_outreach(outreach, period)
        total_outreach += orecap.events
        p = orecap.participants
        c["summary"].update(events=orecap.events, participants=p.total)
        c["outreach"].update(
            events=orecap.events,
            female_child=p.female_child,
            female_adult=p.female_adult,
            male_child=p.male_child,
            male_adult=p.male_adult,
            with_disability=p.with_disability,
            total=p.total,
        )
        for doc in _held(outreach, period):
            raw_topics = doc.get("topics")
            for topic in dict.fromkeys(raw_topics if isinstance(raw_topics, list) else []):
                if topic in topics:
                    c["outreach_topics"][str(topic)] += 1

    def w(key: str) -> str:
        return _word(key, lang)

    def label(list_name: str, code: str) -> str:
        return taxonomy.label(list_name, code, lang)

    def codes_columns(list_name: str, codes: Sequence[str]) -> list[Column]:
        return [Column(code, label(list_name, code)) for code in codes]

    type_codes = _violence_types(recaps)
    type_columns = [
        Column(t, label("violence_type", t) if taxonomy.has("violence_type", t) else t)
        for t in type_codes
    ]
    relation_columns = [
        Column(g, g if lang == "id" else _RELATION_EN.get(g, g)) for g in _relation_groups()
    ]
    outcome_keys = ("met", "late", "undated", "overdue", "pending")
    specs: list[tuple[str, list[Column]]] = [
        (
            "summary",
            [
                Column("cases", w("cases"), True),
                Column("victims", w("victims"), True),
                *(
                    Column(k, f"{w('victims')}: {w(k)}", True)
                    for k in ("female_child", "female_adult", "male_child", "male_adult")
                ),
                Column("unknown", f"{w('victims')}: {w('unknown')}", True),
                Column("tppo_cases", w("tppo_cases"), True),
                Column("events", w("events"), True),
                Column("participants", w("participants"), True),
            ],
        ),
        ("victims_by_type", [*type_columns, Column("victims", w("all_victims"), True)]),
        ("victims_by_sex_age", [*_age_columns(lang), Column("total", w("total"), True)]),
        (
            "place",
            [
                *codes_columns("place", places),
                Column("not_recorded", w("not_recorded")),
                Column("total", w("total"), True),
            ],
        ),
        ("relationship", [*relation_columns, Column("total", w("total"), True)]),
        (
            "tppo",
            [
                Column("cases", w("tppo_cases")),
                Column("victims", w("victims"), True),
                Column("non_procedural", w("non_procedural")),
                Column("still_abroad", w("still_abroad")),
                Column("needs_repatriation", w("needs_repatriation")),
            ],
        ),
        (
            "services",
            [*codes_columns("service_type", service_types), Column("total", w("total"), True)],
        ),
        (
            "referrals",
            [*codes_columns("referral_target", targets), Column("total", w("total"), True)],
        ),
        (
            "deadline",
            [
                Column("applies", w("deadline_applies"), True),
                *(Column(k, w(f"deadline_{k}")) for k in outcome_keys),
            ],
        ),
        (
            "outreach",
            [
                Column("events", w("events")),
                *(
                    Column(k, w(k))
                    for k in ("female_child", "female_adult", "male_child", "male_adult")
                ),
                Column("with_disability", w("with_disability")),
                Column("total", f"{w('participants')}: {w('total')}", True),
            ],
        ),
        ("outreach_topics", codes_columns("outreach_topic", topics)),
    ]
    tables: dict[str, Table] = {}
    for key, columns in specs:
        tables[key] = _area_table(
            key, w(key), w("area"), columns, areas, kecamatan_of, share=share, lang=lang
        )
    tables["type_sex_age"] = _type_sex_age(recaps, type_codes, lang)
    tables["tppo_indicators"] = _indicator_table(indicator_counts, indicators, answers, lang)
    order = (
        "summary",
        "victims_by_type",
        "victims_by_sex_age",
        "type_sex_age",
        "place",
        "relationship",
        "tppo",
        "tppo_indicators",
        "services",
        "referrals",
        "deadline",
        "outreach",
        "outreach_topics",
    )
    return Report(
        period=period.key,
        period_label=period_label(period, lang),
        lang=lang,
        share=share,
        generated_at=generated,
        cases=total_cases,
        outreach=total_outreach,
        tables=tuple(tables[k] for k in order),
    )


def _counted(docs: Iterable[Mapping[str, Any]], period: Period) -> Iterable[Mapping[str, Any]]:
    """The case documents :func:`simpul.recap.recap_cases` counts (same period and tombstone
    rules), for the tables the recap does not make."""
    for doc in docs:
        on = parse_date(doc.get("reported_on"))
        if on is not None and period.contains(on) and doc.get("_deleted") is not True:
            yield doc


def _held(docs: Iterable[Mapping[str, Any]], period: Period) -> Iterable[Mapping[str, Any]]:
    """The outreach documents :func:`simpul.recap.recap_outreach` counts."""
    for doc in docs:
        on = parse_date(doc.get("held_on"))
        if on is not None and period.contains(on) and doc.get("_deleted") is not True:
            yield doc


def _violence_types(recaps: Sequence[CaseRecap]) -> tuple[str, ...]:
    known = load_taxonomy().codes("violence_type")
    extra = sorted({k[0] for r in recaps for k in r.by_type} - set(known))
    return (*known, *extra)


def _type_sex_age(recaps: Sequence[CaseRecap], types: Sequence[str], lang: Lang) -> Table:
    taxonomy = load_taxonomy()
    columns = [*_age_columns(lang), Column("total", _word("total", lang), True)]
    keys = [c.key for c in columns]
    by_type: dict[str, Counter[str]] = defaultdict(Counter)
    everyone: Counter[str] = Counter()
    for recap in recaps:
        for (vtype, sex, band), n in recap.by_type.items():
            by_type[vtype][_sex_age_key(sex, band)] += n
            by_type[vtype]["total"] += n
        for (sex, band), n in recap.by_person.items():
            everyone[_sex_age_key(sex, band)] += n
            everyone["total"] += n
    rows = [
        Row(
            "item",
            t,
            taxonomy.label("violence_type", t, lang) if taxonomy.has("violence_type", t) else t,
            tuple(by_type[t][k] for k in keys),
        )
        for t in types
    ]
    rows.append(
        Row("district", "all", _word("all_victims", lang), tuple(everyone[k] for k in keys))
    )
    return Table(
        "type_sex_age",
        _word("type_sex_age", lang),
        _word("violence_type", lang),
        tuple(columns),
        tuple(rows),
    )


def _indicator_table(
    counts: Counter[tuple[str, str]], indicators: Sequence[str], answers: Sequence[str], lang: Lang
) -> Table:
    taxonomy = load_taxonomy()
    columns = [Column(a, taxonomy.label("tristate", a, lang)) for a in answers]
    columns.append(Column(_NONE, _word("not_recorded", lang)))
    rows = tuple(
        Row(
            "item",
            code,
            taxonomy.label("tppo_indicator", code, lang),
            tuple(counts[(code, c.key)] for c in columns),
        )
        for code in indicators
    )
    return Table(
        "tppo_indicators",
        _word("tppo_indicators", lang),
        _word("indicator", lang),
        tuple(columns),
        rows,
    )


def _area_name(code: str, level: Level) -> str:
    regions = load_regions()
    try:
        if level == "village":
            return regions.village(code).name
        for kecamatan in regions.kecamatans():
            if kecamatan.code == code:
                return kecamatan.name
    except UnknownVillageError:  # a code of a newer region list: show the code
        return code
    return code


def _area_table(
    key: str,
    title: str,
    head: str,
    columns: Sequence[Column],
    areas: Mapping[str, _Area],
    kecamatan_of: Mapping[str, str],
    *,
    share: bool,
    lang: Lang,
) -> Table:
    """A per-area table: kecamatan rows each followed by its villages, then the district."""
    keys = [c.key for c in columns]
    villages_of: dict[str, list[str]] = defaultdict(list)
    for village in sorted(areas):
        villages_of[kecamatan_of[village]].append(village)
    values: dict[str, list[int]] = {v: [areas[v].counts[key][k] for k in keys] for v in areas}
    kec_values = {
        kec: [sum(values[v][i] for v in villages) for i in range(len(keys))]
        for kec, villages in villages_of.items()
    }
    district_values = [sum(kv[i] for kv in kec_values.values()) for i in range(len(keys))]
    cells: dict[str, list[Cell]] = {code: list(vals) for code, vals in values.items()}
    kec_cells: dict[str, list[Cell]] = {code: list(vals) for code, vals in kec_values.items()}
    district_cells: list[Cell] = list(district_values)
    if share:
        _suppress(columns, villages_of, values, cells, kec_cells, district_cells)
    rows: list[Row] = []
    for kec in sorted(villages_of):
        rows.append(Row("kecamatan", kec, _area_name(kec, "kecamatan"), tuple(kec_cells[kec])))
        rows.extend(
            Row("village", v, _area_name(v, "village"), tuple(cells[v])) for v in villages_of[kec]
        )
    rows.append(Row("district", DISTRICT_CODE, _word("district", lang), tuple(district_cells)))
    return Table(key, title, head, tuple(columns), tuple(rows))


def _suppress(
    columns: Sequence[Column],
    villages_of: Mapping[str, list[str]],
    values: Mapping[str, list[int]],
    cells: dict[str, list[Cell]],
    kec_cells: dict[str, list[Cell]],
    district_cells: list[Cell],
) -> None:
    """Apply the module docstring's three suppression rules in place."""
    totals = [i for i, c in enumerate(columns) if c.total]
    for kec, villages in villages_of.items():
        for v in villages:
            for i, n in enumerate(values[v]):
                if i in totals:
                    cells[v][i] = HIDDEN
                elif n in (1, 2):
                    cells[v][i] = SMALL
        for i in range(len(columns)):
            if i in totals or not any(cells[v][i] == SMALL for v in villages):
                continue
            candidates = sorted(
                (values[v][i], v) for v in villages if values[v][i] >= 3 and cells[v][i] != HIDDEN
            )
            if candidates:
                cells[candidates[0][1]][i] = HIDDEN
                continue
            for row in (kec_cells[kec], district_cells):
                row[i] = HIDDEN
                for t in totals:
                    row[t] = HIDDEN
