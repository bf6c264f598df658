"""Indonesian wording of the validation problems of simpul.records.validation."""

from __future__ import annotations

from collections.abc import Mapping

from simpul.records.validation import PROBLEM_MESSAGES

__all__ = ["PARAM_VALUES_ID", "PROBLEM_MESSAGES_ID", "problem_text"]

PROBLEM_MESSAGES_ID: dict[str, str] = {
    "wrong_type": "Isian harus berupa {expected}",
    "unknown_key": "Isian {key} tidak dikenal",
    "unknown_kind": "Jenis catatan {value} tidak dikenal",
    "required": "Isian ini wajib diisi",
    "unknown_code": "{value} bukan kode dalam daftar {list}",
    "duplicate_code": "{value} tercantum dua kali",
    "unknown_village": "{value} bukan kode desa/kelurahan di Kabupaten Pemalang",
    "bad_date": "{value} bukan tanggal yang sah (format TTTT-BB-HH, misalnya 2025-03-17)",
    "bad_time": "{value} bukan jam yang sah (format JJ:MM, misalnya 14:30)",
    "bad_id": "{value} bukan ID yang sah",
    "duplicate_id": "ID entri {value} dipakai dua kali",
    "bad_record_code": "{value} bukan kode catatan yang sah untuk jenis catatan ini",
    "bad_nik": "NIK harus terdiri atas tepat 16 angka",
    "not_integer": "Harus berupa bilangan bulat (tanpa koma)",
    "negative": "Tidak boleh kurang dari 0",
    "out_of_range": "Nilai harus antara {min} dan {max}",
    "future_date": "{value} adalah tanggal yang akan datang; isi hari ini atau tanggal sebelumnya",
    "incident_after_report": "Tanggal kejadian {incident_on} tidak boleh sesudah tanggal "
    "pelaporan {reported_on}",
    "birth_after_report": "Tanggal lahir {birth_date} tidak boleh sesudah tanggal pelaporan "
    "{reported_on}",
    "tppo_element_missing": "Untuk TPPO, unsur {element} wajib diisi (UU 21/2007 Pasal 1)",
    "exceeds_total": "Peserta penyandang disabilitas ({with_disability}) lebih banyak daripada "
    "jumlah seluruh peserta ({total})",
    "age_mismatch": "Usia {age} tidak sesuai dengan tanggal lahir (menurut tanggal lahir, "
    "{computed} tahun pada {on})",
    "child_self_consent": "Korban {victim} masih anak; persetujuan harus diberikan oleh orang "
    "tua, wali, atau lembaga",
    "justification_required": "Persetujuan dengan dasar hukum lain wajib disertai alasan",
    "withdrawn_before_given": "Tanggal pencabutan persetujuan ({withdrawn_on}) lebih awal "
    "daripada tanggal persetujuan diberikan ({on})",
    "mediation_not_allowed": "Kasus kekerasan seksual tidak dapat diselesaikan dengan mediasi "
    "(UU TPKS Pasal 23)",
    "unknown_victim": "Tidak ada korban dengan ID {victim} dalam kasus ini",
    "violence_type_not_in_case": "{value} bukan salah satu jenis kekerasan pada kasus ini; "
    "tambahkan dulu pada jenis kekerasan kasus",
    "tpks_without_sexual": "Jenis TPKS hanya dapat diisi jika jenis kekerasan seksual dipilih",
    "child_flag_mismatch": "Pilihan 'anak' tidak sesuai dengan usia {age} tahun (anak berarti "
    "di bawah 18 tahun)",
    "returned_before_departed": "Tanggal kepulangan {returned_on} lebih awal daripada tanggal "
    "keberangkatan {departed_on}",
    "end_before_start": "Jam selesai {end_time} lebih awal daripada jam mulai {start_time}",
    "too_long": "Paling banyak {max} karakter (terisi {length})",
    "too_many": "Paling banyak {max} entri (ada {count})",
}
"""Indonesian text of every problem code, with the placeholders of the English source."""


PARAM_VALUES_ID: Mapping[str, Mapping[str, str]] = {
    # wrong_type: simpul.records.validation.EXPECTED_TYPES
    "expected": {
        "text": "teks",
        "list of texts": "daftar teks",
        "true or false": "true atau false (ya/tidak)",
        "code": "kode",
        "list of codes": "daftar kode",
        "list of record ids": "daftar ID catatan",
        "object": "objek",
        "list of objects": "daftar objek",
    },
    # tppo_element_missing: the elements of UU 21/2007 Pasal 1 angka 1 in its own words
    "element": {"process": "proses", "means": "cara", "purpose": "tujuan"},
    # unknown_code: the taxonomy lists (resources/taxonomy); codes themselves stay codes
    "list": {
        "case_outcome": "hasil penanganan",
        "case_status": "status kasus",
        "citizenship": "kewarganegaraan",
        "consent_by": "pemberi persetujuan",
        "consent_explained": "hal yang dijelaskan",
        "consent_method": "cara persetujuan",
        "consent_scope": "cakupan persetujuan",
        "disability": "disabilitas",
        "disability_type": "jenis disabilitas",
        "education": "pendidikan",
        "funding_source": "sumber dana",
        "legal_status": "status hukum",
        "marital_status": "status perkawinan",
        "organiser": "penyelenggara",
        "outreach_topic": "topik sosialisasi",
        "outreach_type": "jenis kegiatan",
        "place": "tempat kejadian",
        "recruiter_type": "jenis perekrut",
        "referral_status": "status rujukan",
        "referral_target": "tujuan rujukan",
        "relationship": "hubungan dengan korban",
        "report_channel": "cara pelaporan",
        "school_status": "status sekolah",
        "service_type": "jenis layanan",
        "sex": "jenis kelamin",
        "target_group": "sasaran",
        "tpks_type": "jenis TPKS",
        "tppo_indicator": "indikator TPPO",
        "tppo_means": "cara TPPO",
        "tppo_process": "proses TPPO",
        "tppo_purpose": "tujuan TPPO",
        "tppo_reported_to": "pihak yang menerima laporan TPPO",
        "tppo_route": "jalur keberangkatan",
        "tristate": "ya/tidak/tidak tahu",
        "violence_type": "jenis kekerasan",
    },
}
"""Indonesian words for the English values of some placeholders, by placeholder name."""


def _params_in(lang: str, params: Mapping[str, object]) -> dict[str, object]:
    if lang != "id":
        return dict(params)
    out = dict(params)
    for name, words in PARAM_VALUES_ID.items():
        value = out.get(name)
        if isinstance(value, str) and value in words:
            out[name] = words[value]
    return out


def problem_text(code: str, params: Mapping[str, object], *, lang: str, fallback: str) -> str:
    """Return the message of a validation problem in ``lang`` with its placeholders filled.

    Args:
        code: The problem code (a key of ``PROBLEM_MESSAGES``).
        params: Values for the placeholders; in Indonesian, the English words among them
            (``expected``, ``element``, ``list``; see :data:`PARAM_VALUES_ID`) are translated.
        lang: ``"id"`` for Indonesian; anything else gives the English source.
        fallback: The template to use when ``code`` is unknown (e.g. the problem's message).

    Returns:
        The filled-in text; the unfilled template when the params do not fit it.
    """
    template = PROBLEM_MESSAGES_ID.get(code) if lang == "id" else None
    if template is None:
        template = PROBLEM_MESSAGES.get(code, fallback)
    try:
        return template.format(**_params_in(lang, params))
    except (KeyError, IndexError, ValueError):
        return template
