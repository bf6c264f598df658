"""Messages of the district server and its admin CLI, in Indonesian (default) and English.

The district core raises typed errors with stable codes and reports rejected bundles by reason
code; this catalogue turns a code into words. The HTTP API answers with the code and the English
text (the client translates by code); the ``simpul-district`` command speaks the operator's
language (``--lang``, else ``SIMPUL_LANG``, else Indonesian). ``district`` must not import
``desktop``, so this is its own small catalogue in the same shape as ``desktop/i18n.py``.
"""

from __future__ import annotations

import os
import string
from collections.abc import Mapping

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "MESSAGES",
    "current_language",
    "translate",
]

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"

# code -> (English, Indonesian). Placeholders use str.format names and never carry person data.
MESSAGES: dict[str, tuple[str, str]] = {
    # --- server set-up and keys
    "wrong_passphrase": (
        "The server passphrase is wrong.",
        "Frasa sandi server salah.",
    ),
    "keys_corrupt": (
        "The district key file is damaged or was modified; restore it from a backup.",
        "Berkas kunci kabupaten rusak atau diubah; pulihkan dari cadangan.",
    ),
    "not_initialized": (
        "No district server is set up in {data_dir}. Run: simpul-district init",
        "Belum ada server kabupaten di {data_dir}. Jalankan: simpul-district init",
    ),
    "already_initialized": (
        "A district server is already set up in {data_dir}; it was left untouched.",
        "Server kabupaten sudah ada di {data_dir}; tidak diubah.",
    ),
    "database_busy": (
        "The database is busy; try again in a moment.",
        "Basis data sedang sibuk; coba lagi sebentar lagi.",
    ),
    "database_newer": (
        "The database was written by a newer Simpul district server; update this one.",
        "Basis data ditulis oleh server kabupaten Simpul yang lebih baru; perbarui server ini.",
    ),
    "database_unreachable": (
        "The database cannot be reached ({detail}). Check the database URL and that the "
        "database server is running.",
        "Basis data tidak dapat dihubungi ({detail}). Periksa URL basis data dan pastikan "
        "server basis data berjalan.",
    ),
    "bad_database_url": (
        "The database URL is not valid (use sqlite:///FILE or postgresql://…).",
        "URL basis data tidak sah (gunakan sqlite:///BERKAS atau postgresql://…).",
    ),
    "weak_password": (
        "Too short: use at least {min_length} characters.",
        "Terlalu pendek: gunakan paling sedikit {min_length} karakter.",
    ),
    "no_passphrase": (
        "No server passphrase: set SIMPUL_DISTRICT_PASSPHRASE or run the command in a terminal.",
        "Frasa sandi server tidak ada: atur SIMPUL_DISTRICT_PASSPHRASE atau jalankan perintah "
        "di terminal.",
    ),
    "passphrase_mismatch": (
        "The two passphrases differ; nothing was changed.",
        "Kedua frasa sandi berbeda; tidak ada yang diubah.",
    ),
    "no_password": (
        "No password: set SIMPUL_USER_PASSWORD or run the command in a terminal.",
        "Kata sandi tidak ada: atur SIMPUL_USER_PASSWORD atau jalankan perintah di terminal.",
    ),
    "password_mismatch": (
        "The two passwords differ; no account was created.",
        "Kedua kata sandi berbeda; akun tidak dibuat.",
    ),
    # --- enrollment and devices
    "enrollment_code_unknown": (
        "The enrollment code is not known. Check it, or ask the district for a new one.",
        "Kode pendaftaran tidak dikenal. Periksa kodenya, atau minta kode baru ke kabupaten.",
    ),
    "enrollment_code_expired": (
        "The enrollment code has expired; ask the district for a new one.",
        "Kode pendaftaran sudah kedaluwarsa; minta kode baru ke kabupaten.",
    ),
    "enrollment_code_used": (
        "The enrollment code was already used; ask the district for a new one.",
        "Kode pendaftaran sudah dipakai; minta kode baru ke kabupaten.",
    ),
    "invalid_device_key": (
        "The device's {which} public key is not valid.",
        "Kunci publik {which} perangkat tidak sah.",
    ),
    "invalid_device_id": (
        "The device id is not acceptable.",
        "ID perangkat tidak dapat diterima.",
    ),
    "device_exists": (
        "This device (or its key) is already enrolled.",
        "Perangkat ini (atau kuncinya) sudah terdaftar.",
    ),
    "unknown_device": (
        "The device is not enrolled here.",
        "Perangkat tidak terdaftar di sini.",
    ),
    "device_revoked": (
        "This device was revoked by the district.",
        "Perangkat ini sudah dicabut oleh kabupaten.",
    ),
    "unknown_village": (
        "{village} is not a village code of Kabupaten Pemalang.",
        "{village} bukan kode desa di Kabupaten Pemalang.",
    ),
    "invalid_ttl": (
        "An enrollment code lasts more than 0 and at most {max_hours} hours.",
        "Kode pendaftaran berlaku lebih dari 0 dan paling lama {max_hours} jam.",
    ),
    "too_many_enrollments": (
        "Too many wrong enrollment codes from this address; try again in {retry_after} seconds.",
        "Terlalu banyak kode pendaftaran yang salah dari alamat ini; coba lagi dalam "
        "{retry_after} detik.",
    ),
    "bad_ttl": (
        "--ttl-hours must be more than 0 and at most {max_hours}.",
        "--ttl-hours harus lebih dari 0 dan paling banyak {max_hours}.",
    ),
    # --- staff
    "bad_credentials": (
        "The name or the password is wrong.",
        "Nama atau kata sandi salah.",
    ),
    "invalid_user_name": (
        "The account name is not acceptable.",
        "Nama akun tidak dapat diterima.",
    ),
    "too_many_logins": (
        "Too many failed sign-ins; try again in {retry_after} seconds.",
        "Terlalu banyak percobaan masuk yang gagal; coba lagi dalam {retry_after} detik.",
    ),
    "session_expired": (
        "The session has ended; sign in again.",
        "Sesi sudah berakhir; masuk lagi.",
    ),
    "access_denied": (
        "Your role ({role}) does not allow this ({action}).",
        "Peran Anda ({role}) tidak mengizinkan tindakan ini ({action}).",
    ),
    "unknown_role": (
        "{role} is not a role (admin, staff, viewer).",
        "{role} bukan peran (admin, staff, viewer).",
    ),
    "user_exists": (
        "A staff account with this name exists already.",
        "Akun staf dengan nama ini sudah ada.",
    ),
    "record_not_found": (
        "The record was not found.",
        "Catatan tidak ditemukan.",
    ),
    "record_corrupt": (
        "The stored record is damaged.",
        "Catatan yang tersimpan rusak.",
    ),
    "validation_failed": (
        "The record has {count} problem(s).",
        "Catatan memiliki {count} masalah.",
    ),
    "bad_base": (
        "The base version is malformed.",
        "Versi dasar tidak sah.",
    ),
    "village_change": (
        "A follow-up cannot move a record to another village.",
        "Tindak lanjut tidak dapat memindahkan catatan ke desa lain.",
    ),
    "bad_resolve": (
        "There is no conflict to resolve at {path}.",
        "Tidak ada konflik yang perlu diselesaikan di {path}.",
    ),
    "delete_not_allowed": (
        "A follow-up cannot delete a record.",
        "Tindak lanjut tidak dapat menghapus catatan.",
    ),
    # --- backups
    "backup_failed": (
        "The backup failed.",
        "Pencadangan gagal.",
    ),
    "pg_tools_missing": (
        "The PostgreSQL programs {tools} were not found (looked in {searched}). Install them "
        "(Debian/Ubuntu: apt-get install postgresql-client) or set SIMPUL_PG_BIN to their folder.",
        "Program PostgreSQL {tools} tidak ditemukan (dicari di {searched}). Pasang programnya "
        "(Debian/Ubuntu: apt-get install postgresql-client) atau atur SIMPUL_PG_BIN ke "
        "foldernya.",
    ),
    "pg_tool_failed": (
        "{tool} failed; nothing was changed: {detail}",
        "{tool} gagal; tidak ada yang diubah: {detail}",
    ),
    "backup_other_database": (
        "The backup was made of a {made_on} database; this server uses {here}. Nothing was "
        "changed.",
        "Cadangan ini dibuat dari basis data {made_on}; server ini memakai {here}. Tidak ada "
        "yang diubah.",
    ),
    "backup_other_schema": (
        "The backup holds the tables of schema {made_in}; this server uses schema {schema}. "
        "Nothing was changed.",
        "Cadangan ini berisi tabel skema {made_in}; server ini memakai skema {schema}. Tidak "
        "ada yang diubah.",
    ),
    "backup_unreadable": (
        "The file is not a backup of this district, or it is damaged.",
        "Berkas ini bukan cadangan kabupaten ini, atau berkasnya rusak.",
    ),
    # --- bundle rejection reasons (simpul.bundle.RejectionCode and the district's own)
    "not_a_bundle": (
        "The file is not a Simpul bundle.",
        "Berkas ini bukan bundel Simpul.",
    ),
    "unsupported_version": (
        "The bundle was made by a newer Simpul; update the district server.",
        "Bundel dibuat oleh Simpul yang lebih baru; perbarui server kabupaten.",
    ),
    "unsupported_suite": (
        "The bundle was made by a newer Simpul (its compression or encryption is not known "
        "here); update the district server.",
        "Bundel dibuat oleh Simpul yang lebih baru (kompresi atau enkripsinya belum dikenal di "
        "sini); perbarui server kabupaten.",
    ),
    "truncated": (
        "The bundle is incomplete (cut off while copying or downloading); copy it again.",
        "Bundel tidak lengkap (terpotong saat disalin atau diunduh); salin ulang.",
    ),
    "tampered": (
        "The bundle was changed after it was sealed; it was not imported.",
        "Bundel diubah setelah disegel; bundel tidak diimpor.",
    ),
    "not_for_us": (
        "The bundle was sealed for another district or device.",
        "Bundel disegel untuk kabupaten atau perangkat lain.",
    ),
    "unknown_sender": (
        "The bundle comes from a device that is not enrolled here.",
        "Bundel berasal dari perangkat yang tidak terdaftar di sini.",
    ),
    "bad_signature": (
        "The bundle's signature does not verify.",
        "Tanda tangan bundel tidak valid.",
    ),
    "too_large": (
        "The bundle is larger than the server accepts; export it in smaller parts.",
        "Bundel lebih besar dari batas server; ekspor dalam beberapa bagian yang lebih kecil.",
    ),
    "decompression_bomb": (
        "The bundle's content expands beyond the limit; it was not imported.",
        "Isi bundel mengembang melewati batas; bundel tidak diimpor.",
    ),
    "malformed_content": (
        "The bundle is signed but its content is malformed.",
        "Bundel bertanda tangan, tetapi isinya tidak sah.",
    ),
    "bad_header": (
        "The bundle's header is damaged.",
        "Kepala bundel rusak.",
    ),
    "sender_mismatch": (
        "The bundle names another device than the one that signed it.",
        "Bundel menyebut perangkat lain daripada perangkat yang menandatanganinya.",
    ),
    "wrong_kind": (
        "The file is a return bundle for a village, not a bundle for the district.",
        "Berkas ini bundel balasan untuk desa, bukan bundel untuk kabupaten.",
    ),
    "foreign_village": (
        "The bundle holds records of another village than the device's own.",
        "Bundel berisi catatan desa lain, bukan desa perangkat itu.",
    ),
    "wrong_device": (
        "The bundle is of a device of another village than the one that sent it.",
        "Bundel ini milik perangkat desa lain, bukan perangkat yang mengirimnya.",
    ),
    # --- HTTP requests
    "invalid_text": (
        "The request holds a NUL character ({where}).",
        "Permintaan berisi karakter NUL ({where}).",
    ),
    "unauthorized": (
        "Sign in first: the request needs an 'Authorization: Bearer <token>' header.",
        "Masuk terlebih dahulu: permintaan memerlukan header 'Authorization: Bearer <token>'.",
    ),
    "invalid_request": (
        "The request is malformed.",
        "Permintaan tidak sah.",
    ),
    "invalid_base64": (
        "{field} is not valid base64.",
        "{field} bukan base64 yang sah.",
    ),
    "idempotency_key_invalid": (
        "The Idempotency-Key header is not a bundle id.",
        "Header Idempotency-Key bukan ID bundel.",
    ),
    "idempotency_key_mismatch": (
        "The Idempotency-Key header differs from the id of the bundle sent.",
        "Header Idempotency-Key berbeda dari ID bundel yang dikirim.",
    ),
    "request_too_large": (
        "The request body is larger than {limit} bytes.",
        "Isi permintaan lebih besar dari {limit} bita.",
    ),
    "not_found": (
        "There is nothing at this address.",
        "Tidak ada apa pun di alamat ini.",
    ),
    "method_not_allowed": (
        "This address does not accept that method.",
        "Alamat ini tidak menerima metode tersebut.",
    ),
    "internal_error": (
        "The server failed; the administrator can find the details in the server log.",
        "Server gagal; admin dapat melihat rinciannya di log server.",
    ),
    # --- files and the command line
    "file_unreadable": (
        "{path} cannot be read ({detail}).",
        "{path} tidak dapat dibaca ({detail}).",
    ),
    "write_failed": (
        "Could not write to disk ({detail}); nothing was lost.",
        "Gagal menulis ke disk ({detail}); tidak ada data yang hilang.",
    ),
    "io_error": (
        "The disk reported an error ({detail}).",
        "Disk melaporkan kesalahan ({detail}).",
    ),
    "interrupted": (
        "Interrupted.",
        "Dihentikan.",
    ),
    "import_imported": (
        "{file}: imported ({cases} cases, {outreach} outreach, {changes} changes)",
        "{file}: diimpor ({cases} kasus, {outreach} sosialisasi, {changes} perubahan)",
    ),
    "import_enrolled": (
        "{file}: laptop {device} enrolled for village {village}",
        "{file}: laptop {device} terdaftar untuk desa {village}",
    ),
    "import_already_enrolled": (
        "{file}: laptop {device} was already enrolled",
        "{file}: laptop {device} sudah terdaftar",
    ),
    "import_nothing": (
        "No bundle or enrollment answer found in {path}.",
        "Tidak ada bundel atau jawaban pendaftaran di {path}.",
    ),
    "answer_invalid": (
        "The file is not a Simpul enrollment answer, or it is damaged.",
        "Berkas ini bukan jawaban pendaftaran Simpul, atau berkasnya rusak.",
    ),
    "answer_other_district": (
        "The enrollment answer was made for another district's keys.",
        "Jawaban pendaftaran ini dibuat untuk kunci kabupaten lain.",
    ),
    "import_already": (
        "{file}: already imported",
        "{file}: sudah pernah diimpor",
    ),
    "import_rejected": (
        "{file}: rejected: {reason}",
        "{file}: ditolak: {reason}",
    ),
    "import_rejected_changes": (
        "  {count} change(s) inside were refused",
        "  {count} perubahan di dalamnya ditolak",
    ),
    "import_receipt": (
        "  receipt: {path}",
        "  tanda terima: {path}",
    ),
    "import_return": (
        "  return bundle: {path}",
        "  bundel balasan: {path}",
    ),
    "init_done": (
        "District server set up in {data_dir} (encryption key {encryption_key_id}, signing "
        "key {signing_key_id}).",
        "Server kabupaten disiapkan di {data_dir} (kunci enkripsi {encryption_key_id}, kunci "
        "tanda tangan {signing_key_id}).",
    ),
    "enroll_code": (
        "Enrollment code for {village}: {code} (valid until {expires_at})",
        "Kode pendaftaran untuk {village}: {code} (berlaku sampai {expires_at})",
    ),
    "enroll_file": (
        "Enrollment file for {village} written to {path} (valid until {expires_at}); "
        "it holds a one-time code: hand it over in person.",
        "Berkas pendaftaran untuk {village} ditulis ke {path} (berlaku sampai {expires_at}); "
        "berkas ini berisi kode sekali pakai: serahkan secara langsung.",
    ),
    "device_revoked_done": (
        "Device {device_id} ({village}) is revoked.",
        "Perangkat {device_id} ({village}) sudah dicabut.",
    ),
    "devices_none": (
        "No device is enrolled yet.",
        "Belum ada perangkat yang terdaftar.",
    ),
    "records_none": (
        "No records.",
        "Tidak ada catatan.",
    ),
    "user_added": (
        "Staff account {name} ({role}) created.",
        "Akun staf {name} ({role}) dibuat.",
    ),
    "backup_done": (
        "Encrypted backup written to {path} ({size} bytes).",
        "Cadangan terenkripsi ditulis ke {path} ({size} bita).",
    ),
    "restore_done": (
        "Database restored from {path}.",
        "Basis data dipulihkan dari {path}.",
    ),
    "prompt_passphrase": (
        "Server passphrase: ",
        "Frasa sandi server: ",
    ),
    "prompt_new_passphrase": (
        "New server passphrase (at least 12 characters): ",
        "Frasa sandi server baru (paling sedikit 12 karakter): ",
    ),
    "prompt_repeat_passphrase": (
        "Repeat the passphrase: ",
        "Ulangi frasa sandi: ",
    ),
    "prompt_password": (
        "Password for {name} (at least 12 characters): ",
        "Kata sandi untuk {name} (paling sedikit 12 karakter): ",
    ),
    "prompt_repeat_password": (
        "Repeat the password: ",
        "Ulangi kata sandi: ",
    ),
    "bad_workers": (
        "--workers must be between 1 and {max_workers}.",
        "--workers harus antara 1 dan {max_workers}.",
    ),
    "serve_workers_failed": (
        "A worker process could not open the district; see the log above.",
        "Proses pekerja tidak dapat membuka kabupaten; lihat log di atas.",
    ),
    # --- reports (task: district reports — CSV/XLSX/PDF, the CLI, the API)
    "report_bad_period": (
        "Not a report period: {period}. Use YYYY-MM (a month) or YYYY (a year).",
        "Periode laporan tidak sah: {period}. Gunakan TTTT-BB (bulan) atau TTTT (tahun).",
    ),
    "report_bad_format": (
        "Unknown report format {format}: use csv, xlsx or pdf.",
        "Format laporan {format} tidak dikenal: gunakan csv, xlsx atau pdf.",
    ),
    "report_identified_needs_simfoni": (
        "--identified goes with --simfoni only.",
        "--identified hanya dapat dipakai bersama --simfoni.",
    ),
    "report_no_folder": (
        "the folder does not exist",
        "foldernya tidak ada",
    ),
    "report_unwritable": (
        "Cannot write the report to {path} ({detail}); nothing was written.",
        "Laporan tidak dapat ditulis ke {path} ({detail}); tidak ada yang ditulis.",
    ),
    "report_pdf_unavailable": (
        "PDF reports need Qt's libraries, which cannot be loaded here ({detail}). "
        "Use --format csv or xlsx.",
        "Laporan PDF memerlukan pustaka Qt, yang tidak dapat dimuat di sini ({detail}). "
        "Gunakan --format csv atau xlsx.",
    ),
    "report_written": (
        "Report for {period} written to {path} ({cases} cases, {outreach} outreach events).",
        "Rekap {period} ditulis ke {path} ({cases} kasus, {outreach} kegiatan sosialisasi).",
    ),
    "report_simfoni_written": (
        "SIMFONI CSV for {period} written to {path}: {victims} victims, {identified} cases "
        "with identity.",
        "CSV SIMFONI {period} ditulis ke {path}: {victims} korban, {identified} kasus dengan "
        "identitas.",
    ),
    "help_report": (
        "write the monthly or yearly report (CSV, XLSX or PDF) or the SIMFONI case CSV",
        "tulis rekap bulanan atau tahunan (CSV, XLSX atau PDF) atau CSV kasus SIMFONI",
    ),
    "help_report_month": (
        "the month to report, e.g. 2026-10",
        "bulan yang direkap, misalnya 2026-10",
    ),
    "help_report_year": (
        "the year to report, e.g. 2026",
        "tahun yang direkap, misalnya 2026",
    ),
    "help_report_format": (
        "file format (default: from the file name's extension, else csv)",
        "format berkas (bawaan: dari akhiran nama berkas, selain itu csv)",
    ),
    "help_report_out": (
        "the file to write (written whole or not at all)",
        "berkas yang ditulis (ditulis utuh atau tidak sama sekali)",
    ),
    "help_report_share": (
        "for sharing outside the district: village counts of 1-2 are shown as <3",
        "untuk dibagikan ke luar kabupaten: jumlah 1-2 di tingkat desa ditampilkan sebagai <3",
    ),
    "help_report_simfoni": (
        "write the SIMFONI case CSV instead (one line per victim, case codes, no names)",
        "tulis CSV kasus SIMFONI (satu baris per korban, kode kasus, tanpa nama)",
    ),
    "help_report_identified": (
        "with --simfoni: add names and NIK where the case's consent allows referral to "
        "UPTD PPA (audited per case)",
        "dengan --simfoni: sertakan nama dan NIK bila persetujuan kasus mengizinkan rujukan "
        "ke UPTD PPA (tercatat per kasus di log audit)",
    ),
    # --- command-line help (argparse's own words: simpul.cli_language)
    "help_description": (
        "Simpul district server administration.",
        "Administrasi server kabupaten Simpul.",
    ),
    "help_data": (
        "data directory (default: $SIMPUL_DISTRICT_DATA, else the platform data folder)",
        "direktori data (bawaan: $SIMPUL_DISTRICT_DATA, jika tidak ada: folder data sistem)",
    ),
    "help_database_url": (
        "database URL (default: $SIMPUL_DATABASE_URL, else SQLite in the data directory)",
        "URL basis data (bawaan: $SIMPUL_DATABASE_URL, jika tidak ada: SQLite di direktori data)",
    ),
    "help_lang": (
        "language of messages: id (Indonesian, the default) or en (English)",
        "bahasa pesan: id (bahasa Indonesia, bawaan) atau en (bahasa Inggris)",
    ),
    "help_metavar_command": ("COMMAND", "PERINTAH"),
    "help_metavar_action": ("ACTION", "TINDAKAN"),
    "help_metavar_dir": ("DIR", "DIREKTORI"),
    "help_metavar_code": ("CODE", "KODE"),
    "help_metavar_file": ("FILE", "BERKAS"),
    "help_metavar_name": ("NAME", "NAMA"),
    "help_metavar_device": ("DEVICE_ID", "ID_PERANGKAT"),
    "help_init": (
        "set up the data directory, the district keys and the database",
        "siapkan direktori data, kunci kabupaten, dan basis data",
    ),
    "help_serve": (
        "serve the HTTP API until stopped (Ctrl-C)",
        "jalankan API HTTP sampai dihentikan (Ctrl-C)",
    ),
    "help_host": (
        "address to listen on (default 127.0.0.1)",
        "alamat yang didengarkan (bawaan 127.0.0.1)",
    ),
    "help_port": (
        "port to listen on (default 8765)",
        "port yang didengarkan (bawaan 8765)",
    ),
    "help_workers": (
        "worker processes (default 1); each keeps its own sign-in limits",
        "jumlah proses pekerja (bawaan 1); masing-masing menyimpan batas percobaan masuknya "
        "sendiri",
    ),
    "help_enroll": (
        "make a one-time enrollment code for a village laptop",
        "buat kode pendaftaran sekali pakai untuk laptop desa",
    ),
    "help_enroll_village": (
        "village code, e.g. 33.27.08.2012",
        "kode desa, misalnya 33.27.08.2012",
    ),
    "help_enroll_file": (
        "write an enrollment file for a village without internet",
        "tulis berkas pendaftaran untuk desa tanpa internet",
    ),
    "help_ttl": (
        "how many hours the code works (default 72)",
        "berapa jam kode berlaku (bawaan 72)",
    ),
    "help_server_url": (
        "server address to put in the enrollment file",
        "alamat server yang dicantumkan di berkas pendaftaran",
    ),
    "help_json": (
        "print JSON",
        "cetak JSON",
    ),
    "help_devices": (
        "enrolled village laptops",
        "laptop desa yang terdaftar",
    ),
    "help_devices_list": (
        "list enrolled devices",
        "tampilkan perangkat yang terdaftar",
    ),
    "help_devices_revoke": (
        "revoke a device: its token and its bundles are refused from now on",
        "cabut perangkat: tokennya dan bundelnya ditolak mulai sekarang",
    ),
    "help_device_id": (
        "the device id (see: devices list)",
        "ID perangkat (lihat: devices list)",
    ),
    "help_user": (
        "staff accounts",
        "akun staf",
    ),
    "help_user_add": (
        "create a staff account (password: $SIMPUL_USER_PASSWORD, else asked)",
        "buat akun staf (kata sandi: $SIMPUL_USER_PASSWORD, jika tidak ada: ditanyakan)",
    ),
    "help_user_name": (
        "account name",
        "nama akun",
    ),
    "help_role": (
        "role: admin, staff or viewer",
        "peran: admin, staff, atau viewer",
    ),
    "help_import": (
        "import bundle files; write a receipt and a return bundle for each",
        "impor berkas bundel; tulis tanda terima dan bundel balasan untuk masing-masing",
    ),
    "help_import_files": (
        "bundle files made by village laptops, or folders holding them (with enrollment answers)",
        "berkas bundel buatan laptop desa, atau folder berisi berkas itu (dengan jawaban "
        "pendaftaran)",
    ),
    "help_import_out": (
        "folder for receipts and return bundles (default: beside each file)",
        "folder untuk tanda terima dan bundel balasan (bawaan: di samping tiap berkas)",
    ),
    "help_records": (
        "records held by the district",
        "catatan yang disimpan kabupaten",
    ),
    "help_records_list": (
        "list records (categorical columns only; the listing is audited)",
        "tampilkan catatan (hanya kolom kategori; tercatat di log audit)",
    ),
    "help_kind": (
        "only this kind",
        "hanya jenis ini",
    ),
    "help_village_filter": (
        "only this village",
        "hanya desa ini",
    ),
    "help_kecamatan": (
        "only this kecamatan, e.g. 33.27.08",
        "hanya kecamatan ini, misalnya 33.27.08",
    ),
    "help_status": (
        "only this case status code",
        "hanya kode status kasus ini",
    ),
    "help_limit": (
        "at most N records (default 1000)",
        "paling banyak N catatan (bawaan 1000)",
    ),
    "help_offset": (
        "skip the first N records (paging)",
        "lewati N catatan pertama (halaman)",
    ),
    "help_backup": (
        "write an encrypted backup of the database (SQLite or PostgreSQL)",
        "tulis cadangan terenkripsi basis data (SQLite atau PostgreSQL)",
    ),
    "help_backup_out": (
        "the backup file to write",
        "berkas cadangan yang ditulis",
    ),
    "help_restore": (
        "replace the database with a backup of this district",
        "ganti basis data dengan cadangan kabupaten ini",
    ),
    "help_restore_file": (
        "the backup file",
        "berkas cadangan",
    ),
}

"""argparse's own words (its gettext message ids) in Indonesian; English is argparse's own.

The same table as the village app's (``desktop/i18n.py``), which ``district`` may not import.
A message id a newer Python changes falls back to English rather than failing.
"""


def current_language(option: str | None = None) -> str:
    """The language to speak: ``--lang``, else ``SIMPUL_LANG``, else Indonesian."""
    lang = (option or os.environ.get("SIMPUL_LANG") or DEFAULT_LANGUAGE).lower()
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


class _Params(dict[str, object]):
    """Placeholder values; a missing one reads as empty."""

    def __missing__(self, key: str) -> object:
        return ""


def translate(
    code: str, lang: str, params: Mapping[str, object] | None = None, *, fallback: str = ""
) -> str:
    """The message for ``code`` in ``lang`` with its placeholders filled.

    Args:
        code: A message or error code.
        lang: ``id`` or ``en``.
        params: Placeholder values.
        fallback: Text for an unknown code (the English text an error carries); the code
            itself when empty.

    Returns:
        One line of text; a placeholder without a value reads as empty.
    """
    pair = MESSAGES.get(code)
    template = (pair[1] if lang == "id" else pair[0]) if pair else (fallback or code)
    try:
        return string.Formatter().vformat(template, (), _Params(params or {}))
    except (AttributeError, IndexError, KeyError, ValueError):
        # a fallback with stray braces is prose, not a template
        return template.replace("{", "").replace("}", "")
