"""Messages of the command line and of typed errors, in Indonesian (default) and English.

The core raises errors and validation problems with stable codes; this module turns a code into
the user's language. The Qt screens use Qt Linguist for their own strings and this catalog for
the codes, so one code has one wording everywhere.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"

# code -> (English, Indonesian). Placeholders use str.format names.
MESSAGES: dict[str, tuple[str, str]] = {
    # --- errors a user can cause
    "wrong_passphrase": (
        "Wrong passphrase. Check the keyboard layout and Caps Lock, then try again.",
        "Frasa sandi salah. Periksa tata letak keyboard dan Caps Lock, lalu coba lagi.",
    ),
    "wrong_recovery_code": (
        "That recovery code does not open this profile. Check each group of four characters.",
        "Kode pemulihan itu tidak membuka profil ini. Periksa setiap kelompok empat karakter.",
    ),
    "profile_missing": (
        "No profile in {path}. Create one with: simpul init --village CODE",
        "Belum ada profil di {path}. Buat dengan: simpul init --village KODE",
    ),
    "profile_exists": (
        "A profile already exists here; it was left untouched.",
        "Profil sudah ada di sini; profil itu tidak diubah.",
    ),
    "vault_corrupt": (
        "The profile's key file is damaged and cannot be read. Restore it from a backup or ask the district administrator.",
        "Berkas kunci profil rusak dan tidak dapat dibaca. Pulihkan dari cadangan atau hubungi admin kabupaten.",
    ),
    "vault_changed": (
        "The profile's key file was changed by another program; close it there and try again.",
        "Berkas kunci profil diubah oleh program lain; tutup program itu lalu coba lagi.",
    ),
    "vault_locked": (
        "The profile is locked; unlock it first.",
        "Profil terkunci; buka kuncinya terlebih dahulu.",
    ),
    "read_failed": (
        "A file of the profile could not be read (permissions or a disk error).",
        "Sebuah berkas profil tidak dapat dibaca (izin akses atau kerusakan disk).",
    ),
    "write_failed": (
        "Could not write to disk. Free some space and try again; nothing was lost.",
        "Gagal menulis ke disk. Kosongkan ruang lalu coba lagi; tidak ada data yang hilang.",
    ),
    "no_permission": (
        "Simpul is not allowed to write to the profile folder (permissions, or a read-only "
        "disk). Use a folder of your own, or ask the administrator of this laptop.",
        "Simpul tidak diizinkan menulis ke folder profil (izin akses, atau disk hanya-baca). "
        "Gunakan folder milik Anda sendiri, atau minta bantuan pengelola laptop ini.",
    ),
    "profile_not_a_directory": (
        "The profile location {path} is not a folder (a file is in the way). Choose another "
        "location with --profile.",
        "Lokasi profil {path} bukan folder (ada berkas dengan nama itu). Pilih lokasi lain "
        "dengan --profile.",
    ),
    "io_error": (
        "The disk reported an error ({detail}); nothing was saved. Check the disk or the "
        "USB stick and try again.",
        "Disk melaporkan kesalahan ({detail}); tidak ada yang disimpan. Periksa disk atau "
        "flashdisk lalu coba lagi.",
    ),
    "profile_newer": (
        "This profile was written by a newer version of Simpul; update Simpul to open it.",
        "Profil ini ditulis oleh Simpul versi yang lebih baru; perbarui Simpul untuk membukanya.",
    ),
    "profile_busy": (
        "The profile is in use by another Simpul window or command; close it and try again.",
        "Profil sedang dipakai jendela atau perintah Simpul lain; tutup lalu coba lagi.",
    ),
    "invalid_user_name": (
        "That user name cannot be used (empty or too long).",
        "Nama pengguna itu tidak dapat dipakai (kosong atau terlalu panjang).",
    ),
    "malformed_document": (
        "The record's structure is not valid at {path}.",
        "Susunan catatan tidak sah pada {path}.",
    ),
    "weak_passphrase": (
        "The passphrase is too weak: use at least 12 characters, or a phrase of four or more words.",
        "Frasa sandi terlalu lemah: gunakan minimal 12 karakter, atau kalimat dari empat kata atau lebih.",
    ),
    "passphrase_mismatch": (
        "The two passphrases differ; nothing was changed.",
        "Kedua frasa sandi berbeda; tidak ada yang diubah.",
    ),
    "unknown_user": (
        "No user named {user} in this profile.",
        "Tidak ada pengguna bernama {user} di profil ini.",
    ),
    "user_exists": ("A user named {user} already exists.", "Pengguna bernama {user} sudah ada."),
    "choose_user": (
        "This profile has several users; say whose passphrase to set with --user.",
        "Profil ini punya beberapa pengguna; sebutkan pengguna dengan --user.",
    ),
    "unknown_village": (
        "Unknown village code {village}. Use a Pemalang desa/kelurahan code such as 33.27.08.2012.",
        "Kode desa {village} tidak dikenal. Gunakan kode desa/kelurahan Pemalang, misalnya 33.27.08.2012.",
    ),
    "unknown_record": (
        "No record {ref} in this profile.",
        "Tidak ada catatan {ref} di profil ini.",
    ),
    "unknown_kind": (
        "Unknown record kind {kind}; use case or outreach.",
        "Jenis catatan {kind} tidak dikenal; gunakan case atau outreach.",
    ),
    "kind_missing": (
        'The document does not say its kind: add "kind": "case" or "outreach", or use --kind.',
        'Dokumen tidak menyebut jenisnya: tambahkan "kind": "case" atau "outreach", atau '
        "gunakan --kind.",
    ),
    "kind_mismatch": (
        "The document is a {found} record, not {wanted}.",
        "Dokumen ini catatan {found}, bukan {wanted}.",
    ),
    "record_deleted": (
        "Record {ref} was deleted; it cannot be edited.",
        "Catatan {ref} sudah dihapus; catatan itu tidak dapat diubah.",
    ),
    "change_rejected": (
        "The change was refused: it does not fit this record's history ({reason}).",
        "Perubahan ditolak: tidak sesuai dengan riwayat catatan ini ({reason}).",
    ),
    "invalid_json": (
        "The input is not valid JSON (line {line}, column {column}): {detail}",
        "Masukan bukan JSON yang sah (baris {line}, kolom {column}): {detail}",
    ),
    "not_an_object": (
        "The input must be one JSON object.",
        "Masukan harus berupa satu objek JSON.",
    ),
    "input_too_large": (
        "The input is larger than {max_mb} MB; a record is never that big. Check the file.",
        "Masukan lebih besar dari {max_mb} MB; satu catatan tidak pernah sebesar itu. "
        "Periksa berkasnya.",
    ),
    "input_too_deep": (
        "The input is nested too deeply to be a record. Check the file.",
        "Susunan masukan terlalu bertingkat untuk sebuah catatan. Periksa berkasnya.",
    ),
    "file_unreadable": ("Cannot read {path}: {detail}", "Tidak dapat membaca {path}: {detail}"),
    "invalid_record": (
        "The record was not saved; {count} problem(s) to fix:",
        "Catatan tidak disimpan; ada {count} masalah yang perlu diperbaiki:",
    ),
    "storage_failed": (
        "The profile's database could not be read or written.",
        "Basis data profil tidak dapat dibaca atau ditulis.",
    ),
    "corrupt_data": (
        "Part of the profile's data failed its integrity check and was not used.",
        "Sebagian data profil gagal pemeriksaan keutuhan dan tidak digunakan.",
    ),
    "no_passphrase": (
        "No passphrase given (set SIMPUL_PASSPHRASE or run in a terminal).",
        "Frasa sandi tidak diberikan (isi SIMPUL_PASSPHRASE atau jalankan di terminal).",
    ),
    "no_recovery_code": (
        "No recovery code given (set SIMPUL_RECOVERY_CODE or run in a terminal).",
        "Kode pemulihan tidak diberikan (isi SIMPUL_RECOVERY_CODE atau jalankan di terminal).",
    ),
    "interrupted": ("Interrupted; nothing was saved.", "Dibatalkan; tidak ada yang disimpan."),
    # --- command output
    "prompt_passphrase": ("Passphrase: ", "Frasa sandi: "),
    "prompt_recovery_code": ("Recovery code: ", "Kode pemulihan: "),
    "prompt_new_passphrase": ("New passphrase: ", "Frasa sandi baru: "),
    "prompt_repeat_passphrase": ("Repeat the new passphrase: ", "Ulangi frasa sandi baru: "),
    "init_done": (
        "Profile created for {village_name} ({village}). Device id: {device}.",
        "Profil dibuat untuk {village_name} ({village}). ID perangkat: {device}.",
    ),
    "recovery_code_shown_once": (
        "RECOVERY CODE (shown only this once; write it down and keep it away from the laptop):",
        "KODE PEMULIHAN (hanya ditampilkan sekali ini; catat dan simpan terpisah dari laptop):",
    ),
    "record_saved": (
        "Saved {kind} {code} (id {record_id}).",
        "Tersimpan {kind} {code} (id {record_id}).",
    ),
    "record_unchanged": ("Nothing changed in {code}.", "Tidak ada perubahan pada {code}."),
    "passphrase_changed": (
        "Passphrase changed for {user}.",
        "Frasa sandi untuk {user} telah diganti.",
    ),
    "recovered": (
        "Recovered: a new passphrase is set for {user}. The recovery code still works; keep it safe.",
        "Pemulihan berhasil: frasa sandi baru untuk {user} telah dipasang. Kode pemulihan tetap berlaku; simpan baik-baik.",
    ),
    "user_added": ("User {user} added.", "Pengguna {user} ditambahkan."),
    "demo_done": (
        "Added {cases} synthetic case(s) and {outreach} outreach record(s).",
        "Ditambahkan {cases} kasus dan {outreach} kegiatan sosialisasi sintetis.",
    ),
    "no_records": ("No records.", "Belum ada catatan."),
    "needs_review": ("needs review", "perlu ditinjau"),
    "kind_case": ("case", "kasus"),
    "kind_outreach": ("outreach", "sosialisasi"),
    "status_village": ("Village", "Desa"),
    "status_device": ("Device", "Perangkat"),
    "status_user": ("User", "Pengguna"),
    "status_cases": ("Cases", "Kasus"),
    "status_outreach": ("Outreach events", "Kegiatan sosialisasi"),
    "status_changes": ("Changes stored", "Perubahan tersimpan"),
    "status_pending": ("Changes not yet at the district", "Perubahan belum sampai di kabupaten"),
    "status_review": ("Records needing review", "Catatan perlu ditinjau"),
    "history_heading": ("History", "Riwayat"),
    "conflicts_heading": ("Fields needing review", "Isian yang perlu ditinjau"),
}


def current_language(option: str | None = None) -> str:
    """The language to speak: ``--lang``, else ``SIMPUL_LANG``, else Indonesian."""
    lang = (option or os.environ.get("SIMPUL_LANG") or DEFAULT_LANGUAGE).lower()
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def translate(
    code: str, lang: str, params: Mapping[str, object] | None = None, *, fallback: str = ""
) -> str:
    """The message for ``code`` in ``lang`` with its placeholders filled.

    Unknown codes fall back to ``fallback`` (the English source text a core error carries).
    A placeholder without a value becomes empty: a user never sees a raw ``{user}``.
    """
    pair = MESSAGES.get(code)
    template = (pair[1] if lang == "id" else pair[0]) if pair else (fallback or code)
    values = _Params(params or {})
    try:
        text = template.format_map(values)
    except (AttributeError, IndexError, KeyError, ValueError):
        # a fallback with stray braces (prose, not a template): show it without them
        return template.replace("{", "").replace("}", "")
    if values.missing:
        # "No user named  in this profile." -> "No user named in this profile."
        text = _EMPTY_PARENS.sub("", text)
        text = _SPACE_BEFORE_PUNCT.sub(r"\1", _SPACES.sub(" ", text))
    return text


_EMPTY_PARENS = re.compile(r" ?\(\s*\)")
_SPACES = re.compile(r" {2,}")
_SPACE_BEFORE_PUNCT = re.compile(r" ([.,;:])")


class _Params(dict[str, object]):
    """Placeholder values; a missing one reads as empty and is noted."""

    missing = False

    def __missing__(self, key: str) -> object:
        self.missing = True
        return ""
