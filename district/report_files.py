"""Report files: CSV and XLSX of a :class:`~district.reports.Report`, and the SIMFONI case CSV.

**CSV** is one file in *long* format, one line per cell: ``table``, ``table_title``,
``level``, ``code``, ``area_or_item``, ``column``, ``column_label``, ``value`` — every table
of the report in one file that a spreadsheet can filter and pivot, with stable keys beside the
labels. It opens with ``#`` comment lines (title, period, generation time, the sharing mark)
and is UTF-8 with a byte order mark, so Excel shows the Indonesian text correctly.

**XLSX** (openpyxl) has a first sheet ``Rekap`` with the title "Rekap Kabupaten Pemalang",
the period, the generation time and, in a shared report, "untuk dibagikan"; then one sheet
per table with a bold, frozen header row, fitted column widths, and bold kecamatan and
district rows.

**SIMFONI CSV**: one line per victim of the period's cases, in SIMFONI's labels (taxonomy
``simfoni`` labels, Indonesian), with the pseudonymous case code. Names and NIK are written
only when identified data is asked for *and* the case's consent allows identity to leave the
village record: the scope holds ``rujuk_uptd`` (refer to UPTD PPA, which enters cases into
SIMFONI) and the consent was not withdrawn; otherwise those columns stay empty.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from district.reports import PeriodRecord, Report, Table
from simpul.recap import Period
from simpul.records.derived import age_band, parse_date, victim_age
from simpul.records.taxonomy import load_taxonomy
from simpul.records.wilayah import UnknownVillageError, load_regions

__all__ = [
    "CSV_FIELDS",
    "SIMFONI_FIELDS",
    "XLSX_TITLE",
    "consent_allows_identity",
    "report_csv",
    "report_xlsx",
    "simfoni_csv",
    "simfoni_rows",
]

BOM: Final = "\ufeff"
XLSX_TITLE: Final = "Rekap Kabupaten Pemalang"
CSV_FIELDS: Final = (
    "table",
    "table_title",
    "level",
    "code",
    "area_or_item",
    "column",
    "column_label",
    "value",
)
SIMFONI_FIELDS: Final = (
    "Kode Kasus",
    "Kecamatan",
    "Desa/Kelurahan",
    "Tanggal Pelaporan",
    "Tanggal Kejadian",
    "Tempat Kejadian",
    "Jenis Kekerasan",
    "Jenis Kelamin",
    "Usia",
    "Kelompok Umur",
    "Pendidikan",
    "Status Perkawinan",
    "Disabilitas",
    "Kewarganegaraan",
    "Hubungan dengan Pelaku",
    "Layanan",
    "TPPO",
    "Nama",
    "NIK",
)
IDENTITY_SCOPE: Final = "rujuk_uptd"
"""The consent scope that lets a victim's identity go to UPTD PPA (and so into SIMFONI)."""

_SHARE_MARK = {"id": "untuk dibagikan", "en": "for sharing"}
_HEAD = {
    "id": ("Periode", "Dibuat", "Sel kecil", "Sel <3: 1–2; x: disembunyikan agar tidak terhitung"),
    "en": ("Period", "Generated", "Small cells", "<3: 1–2; x: hidden so <3 cannot be worked out"),
}


def _stamp(report: Report) -> str:
    return report.generated_at.strftime("%Y-%m-%d %H:%M") + " WIB"


# --------------------------------------------------------------------------- CSV


def report_csv(report: Report) -> bytes:
    """The report as one long-format CSV (module docstring), UTF-8 with a BOM."""
    out = io.StringIO()
    head = _HEAD[report.lang]
    out.write(BOM)
    out.write(f"# {XLSX_TITLE} — {report.title}\n")
    out.write(f"# {head[0]}: {report.period_label} ({report.period})\n")
    out.write(f"# {head[1]}: {_stamp(report)}\n")
    if report.share:
        out.write(f"# {_SHARE_MARK[report.lang]} — {head[3]}\n")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    for table in report.tables:
        for row in table.rows:
            for column, value in zip(table.columns, row.cells, strict=True):
                writer.writerow(
                    (
                        table.key,
                        table.title,
                        row.level,
                        row.code,
                        row.label,
                        column.key,
                        column.label,
                        value,
                    )
                )
    return out.getvalue().encode("utf-8")


# --------------------------------------------------------------------------- XLSX


# Sheet names (Excel allows 31 characters): table key -> (Indonesian, English).
_SHEETS: Final = {
    "summary": ("Ringkasan", "Summary"),
    "victims_by_type": ("Korban per jenis", "Victims by type"),
    "victims_by_sex_age": ("Korban per jenis kelamin-umur", "Victims by sex and age"),
    "type_sex_age": ("Jenis x kelamin x umur", "Type x sex x age"),
    "place": ("Tempat kejadian", "Place"),
    "relationship": ("Hubungan dengan pelaku", "Relationship"),
    "tppo": ("TPPO", "TPPO"),
    "tppo_indicators": ("Indikator TPPO", "TPPO indicators"),
    "services": ("Layanan", "Services"),
    "referrals": ("Rujukan", "Referrals"),
    "deadline": ("Batas 3x24 jam", "3x24-hour deadline"),
    "outreach": ("Sosialisasi", "Outreach"),
    "outreach_topics": ("Topik sosialisasi", "Outreach topics"),
}


def _sheet_name(table: Table, lang: str, used: set[str]) -> str:
    """An Excel sheet name (≤ 31 characters, none of ``[]:*?/\\``), unique in the workbook."""
    names = _SHEETS.get(table.key)
    title = (names[0] if lang == "id" else names[1]) if names else table.title
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28].strip() or table.key
    name, n = base, 2
    while name.lower() in used:
        name = f"{base[:26]} {n}"
        n += 1
    used.add(name.lower())
    return name


def report_xlsx(report: Report) -> bytes:
    """The report as an XLSX workbook (module docstring)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    workbook = Workbook()
    cover = workbook.active
    assert cover is not None  # a new workbook always has one sheet
    cover.title = "Rekap"
    head = _HEAD[report.lang]
    cover["A1"] = XLSX_TITLE
    cover["A1"].font = Font(bold=True, size=14)
    cover["A2"] = report.title
    cover.append((head[0], report.period_label))
    cover.append((head[1], _stamp(report)))
    if report.share:
        cover.append((_SHARE_MARK[report.lang], head[3]))
        cover.cell(row=cover.max_row, column=1).font = bold
    cover.append(())
    for table in report.tables:
        cover.append((table.title,))
    cover.column_dimensions["A"].width = 40
    cover.column_dimensions["B"].width = 60
    used = {"rekap"}
    for table in report.tables:
        sheet = workbook.create_sheet(_sheet_name(table, report.lang, used))
        sheet.append((table.head, *(c.label for c in table.columns)))
        for cell in sheet[1]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            label = f"    {row.label}" if row.level == "village" else row.label
            sheet.append((label, *row.cells))
            if row.level in ("kecamatan", "district"):
                for cell in sheet[sheet.max_row]:
                    cell.font = bold
        sheet.freeze_panes = "B2"
        widths = [len(table.head), *(min(len(c.label), 18) for c in table.columns)]
        for row in table.rows:
            widths[0] = max(widths[0], len(row.label) + 4)
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = min(max(width, 6), 60) + 2
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- SIMFONI


def consent_allows_identity(doc: Mapping[str, Any]) -> bool:
    """Whether a case's consent lets the victim's identity leave the village record.

    The scope holds :data:`IDENTITY_SCOPE` and the consent carries no withdrawal date.
    """
    consent = doc.get("consent")
    if not isinstance(consent, Mapping) or consent.get("withdrawn_on"):
        return False
    scope = consent.get("scope")
    return isinstance(scope, list) and IDENTITY_SCOPE in scope


def _simfoni(list_name: str, code: object) -> str:
    taxonomy = load_taxonomy()
    if not isinstance(code, str) or not taxonomy.has(list_name, code):
        return ""
    return taxonomy.simfoni(list_name, code) or taxonomy.label(list_name, code)


def _names(village: str) -> tuple[str, str]:
    try:
        found = load_regions().village(village)
    except UnknownVillageError:
        return village, village
    return found.kecamatan_name, found.name


def _live(value: object) -> list[Mapping[str, Any]]:
    if not isinstance(value, list):
        return []
    return [i for i in value if isinstance(i, Mapping) and i.get("_deleted") is not True]


def _join(values: Iterable[str]) -> str:
    return "; ".join(dict.fromkeys(v for v in values if v))


def simfoni_rows(
    records: Iterable[PeriodRecord], period: Period, *, identified: bool = False
) -> tuple[list[tuple[str, ...]], list[str]]:
    """The SIMFONI lines of the period's cases, one per victim.

    Args:
        records: The period's records, opened whole (``read_period(..., full=True)``).
        period: Only cases reported in it.
        identified: Fill ``Nama`` and ``NIK`` where :func:`consent_allows_identity`.

    Returns:
        The lines (in :data:`SIMFONI_FIELDS` order, by case code) and the record ids whose
        identity was written (the caller audits them).
    """
    lines: list[tuple[str, tuple[str, ...]]] = []
    identified_ids: list[str] = []
    for record in records:
        doc = record.doc
        if record.kind != "case" or doc.get("_deleted") is True:
            continue
        reported = parse_date(doc.get("reported_on"))
        if reported is None or not period.contains(reported):
            continue
        code = str(doc.get("code") or "")
        kecamatan, village = _names(record.village)
        case_types = [t for t in doc.get("violence_types") or [] if isinstance(t, str)]
        services = _join(
            _simfoni("service_type", s.get("type")) for s in _live(doc.get("services"))
        )
        perpetrators = _live(doc.get("perpetrators"))
        show_identity = identified and consent_allows_identity(doc)
        if show_identity:
            identified_ids.append(record.record_id)
        for victim in _live(doc.get("victims")):
            own = [t for t in victim.get("violence_types") or [] if isinstance(t, str)]
            types = own or case_types
            age = victim_age(victim, on=reported)
            relations = _join(
                _simfoni("relationship", (p.get("relationships") or {}).get(victim.get("id")))
                for p in perpetrators
                if isinstance(p.get("relationships"), Mapping)
            )
            line = (
                code,
                kecamatan,
                village,
                reported.isoformat(),
                str(doc.get("incident_on") or ""),
                _simfoni("place", doc.get("place")),
                _join(_simfoni("violence_type", t) for t in types),
                _simfoni("sex", victim.get("sex")),
                "" if age is None else str(age),
                "" if age is None else _simfoni("age_band", age_band(age)),
                _simfoni("education", victim.get("education")),
                _simfoni("marital_status", victim.get("marital_status")),
                _simfoni("disability", victim.get("disability")),
                _simfoni("citizenship", victim.get("citizenship")),
                relations,
                services,
                "Ya" if "trafficking" in types else "Tidak",
                str(victim.get("name") or "") if show_identity else "",
                str(victim.get("nik") or "") if show_identity else "",
            )
            lines.append((code, line))
    lines.sort(key=lambda item: item[0])
    return [line for _, line in lines], identified_ids


def simfoni_csv(lines: Sequence[Sequence[str]]) -> bytes:
    """SIMFONI lines as CSV with a header row, UTF-8 with a BOM (no comment lines: it is
    meant for entry into other tools)."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(SIMFONI_FIELDS)
    writer.writerows(lines)
    return out.getvalue().encode("utf-8")
