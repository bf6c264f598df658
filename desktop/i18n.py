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

# A newer bundle version or suite refused by the server: the same advice for either.
_SERVER_OLDER_THAN_LAPTOP = (
    "The district server is older than this laptop and cannot read its bundles yet; ask "
    "the district to update the server. Nothing is lost.",
    "Server kabupaten lebih lama dari laptop ini dan belum dapat membaca bundelnya; minta "
    "kabupaten memperbarui server. Tidak ada yang hilang.",
)

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
    "list_victims": ("{count} victim(s)", "{count} korban"),
    "list_participants": ("{count} participant(s)", "{count} peserta"),
    "show_code": ("Code", "Kode"),
    "show_id": ("Id", "ID"),
    "show_kind": ("Kind", "Jenis catatan"),
    "show_reported_on": ("Reported on", "Tanggal laporan"),
    "show_held_on": ("Held on", "Tanggal kegiatan"),
    "show_status": ("Status", "Status"),
    "show_violence_types": ("Types of violence", "Jenis kekerasan"),
    "show_victims": ("Victims", "Jumlah korban"),
    "show_title": ("Title", "Judul"),
    "show_outreach_type": ("Type of activity", "Jenis kegiatan"),
    "show_topics": ("Topics", "Topik"),
    "show_participants": ("Participants", "Jumlah peserta"),
    "show_document": ("Document (JSON)", "Dokumen (JSON)"),
    # --- help of the command (argparse): descriptions, help= texts and metavars
    "help_description": (
        "Simpul: case and outreach records of a village (Pemalang Regency).",
        "Simpul: catatan kasus dan sosialisasi desa (Kabupaten Pemalang).",
    ),
    "help_profile": (
        "profile folder (default: SIMPUL_PROFILE or the data folder of this computer)",
        "folder profil (bawaan: SIMPUL_PROFILE atau folder data komputer ini)",
    ),
    "help_lang": (
        "language of messages and help: id (Indonesian) or en (English); default: SIMPUL_LANG, else id",
        "bahasa pesan dan bantuan: id (Indonesia) atau en (Inggris); bawaan: SIMPUL_LANG, jika tidak ada id",
    ),
    "help_json": (
        "print JSON for scripts instead of text",
        "cetak JSON untuk skrip, bukan teks biasa",
    ),
    "help_init": (
        "create a profile (vault, database) and print the recovery code once",
        "buat profil (brankas kunci, basis data) dan cetak kode pemulihan satu kali",
    ),
    "help_village": (
        "Kemendagri village code, e.g. 33.27.08.2012",
        "kode desa Kemendagri, misalnya 33.27.08.2012",
    ),
    "help_init_user": (
        "user name of the first focal point (default: kader)",
        "nama pengguna kader pertama (bawaan: kader)",
    ),
    "help_record": ("add, list and show records", "tambah, daftar dan tampilkan catatan"),
    "help_template": (
        "print a valid synthetic example as JSON",
        "cetak contoh sintetis yang sah sebagai JSON",
    ),
    "help_template_kind": ("kind of record to print", "jenis catatan yang dicetak"),
    "help_seed": (
        "seed of the synthetic data: the same seed gives the same data (default: 1)",
        "benih data sintetis: benih yang sama menghasilkan data yang sama (bawaan: 1)",
    ),
    "help_add": (
        "validate a JSON document and save it (a new record, or an edit of one)",
        "periksa dokumen JSON lalu simpan (catatan baru, atau perubahan catatan)",
    ),
    "help_add_kind": (
        "kind of record, when the document does not say it",
        "jenis catatan, jika dokumen tidak menyebutkannya",
    ),
    "help_file": (
        "JSON file, or - for standard input",
        "berkas JSON, atau - untuk masukan standar",
    ),
    "help_list": ("list records", "daftar catatan"),
    "help_list_kind": ("list only records of this kind", "hanya catatan jenis ini"),
    "help_show": ("show one record and its history", "tampilkan satu catatan beserta riwayatnya"),
    "help_ref": ("record id or case code", "id catatan atau kode kasus"),
    "help_demo_data": (
        "add synthetic records (never real people)",
        "tambah catatan sintetis (bukan orang sungguhan)",
    ),
    "help_demo_cases": ("number of cases (default: 20)", "jumlah kasus (bawaan: 20)"),
    "help_demo_outreach": (
        "number of outreach events (default: 5)",
        "jumlah kegiatan sosialisasi (bawaan: 5)",
    ),
    "help_status": (
        "village, device, record counts, pending changes",
        "desa, perangkat, jumlah catatan, perubahan yang belum terkirim",
    ),
    "help_passphrase": ("change your passphrase", "ganti frasa sandi Anda"),
    "help_passphrase_change": (
        "change the passphrase (new one from SIMPUL_NEW_PASSPHRASE or prompted)",
        "ganti frasa sandi (yang baru dari SIMPUL_NEW_PASSPHRASE atau ditanyakan)",
    ),
    "help_recover": (
        "unlock with the recovery code and set a new passphrase",
        "buka dengan kode pemulihan dan pasang frasa sandi baru",
    ),
    "help_recover_code": (
        "the recovery code; better omitted: then SIMPUL_RECOVERY_CODE, else asked without echo (a code on the command line shows in ps and in the shell history)",
        "kode pemulihan; sebaiknya tidak diisi: lalu dipakai SIMPUL_RECOVERY_CODE, atau ditanyakan tanpa ditampilkan (kode di baris perintah terlihat di ps dan di riwayat shell)",
    ),
    "help_recover_user": (
        "whose passphrase to set (needed when the profile has several users)",
        "frasa sandi pengguna mana yang dipasang (perlu jika profil punya beberapa pengguna)",
    ),
    "help_user": ("manage the users of this laptop", "kelola pengguna laptop ini"),
    "help_user_add": (
        "add a user with their own passphrase",
        "tambah pengguna dengan frasa sandinya sendiri",
    ),
    "help_user_name": ("name of the new user", "nama pengguna baru"),
    "help_audit": ("show the local audit log", "tampilkan log audit lokal"),
    "help_metavar_command": ("COMMAND", "PERINTAH"),
    "help_metavar_action": ("ACTION", "TINDAKAN"),
    "help_metavar_dir": ("DIR", "FOLDER"),
    "help_metavar_code": ("CODE", "KODE"),
    "help_metavar_file": ("FILE", "BERKAS"),
    "help_metavar_id": ("ID", "ID"),
    "help_metavar_name": ("NAME", "NAMA"),
    "not_a_directory": ("{path} is not a folder.", "{path} bukan folder."),
    "bad_record_id": (
        "A change names a malformed record id ({change}); nothing was applied.",
        "Sebuah perubahan memakai id catatan yang tidak sah ({change}); tidak ada yang diterapkan.",
    ),
    "conflicting_duplicate": (
        "Change {change} arrived with different content than the copy held here; nothing was "
        "applied. Tell the district.",
        "Perubahan {change} datang dengan isi berbeda dari salinan di sini; tidak ada yang "
        "diterapkan. Beri tahu kabupaten.",
    ),
    "wrong_record": (
        "Change {change} does not fit its record; nothing was applied.",
        "Perubahan {change} tidak cocok dengan catatannya; tidak ada yang diterapkan.",
    ),
    "code_rewritten": (
        "Change {change} tries to change a record's code; nothing was applied.",
        "Perubahan {change} mencoba mengubah kode catatan; tidak ada yang diterapkan.",
    ),
    "bad_base": (
        "The version the edit was made from is not known here.",
        "Versi asal suntingan ini tidak dikenal di sini.",
    ),
    # --- sync: commands
    "help_enroll": (
        "enroll this laptop with the district (online with --server and --code, or --file)",
        "daftarkan laptop ini ke kabupaten (daring dengan --server dan --code, atau --file)",
    ),
    "help_enroll_server": ("the district server's address", "alamat server kabupaten"),
    "help_enroll_code": (
        "the one-time enrollment code from the district",
        "kode pendaftaran sekali pakai dari kabupaten",
    ),
    "help_enroll_file": (
        "an enrollment file from the district (no internet needed)",
        "berkas pendaftaran dari kabupaten (tanpa internet)",
    ),
    "help_sync": (
        "send new records to the district server and fetch its updates (exit 3: offline)",
        "kirim catatan baru ke server kabupaten dan ambil pembaruannya (keluar 3: luring)",
    ),
    "help_bundle": (
        "sync by hand: bundle files on a flash drive or through a messaging app",
        "sinkron manual: berkas bundel lewat flashdisk atau aplikasi pesan",
    ),
    "help_bundle_export": (
        "write sealed bundle files for the district into a folder",
        "tulis berkas bundel tersegel untuk kabupaten ke sebuah folder",
    ),
    "help_out": ("the folder to write into (e.g. a flash drive)", "folder tujuan (mis. flashdisk)"),
    "help_bundle_apply": (
        "apply receipts and return bundles from the district",
        "terapkan tanda terima dan bundel balasan dari kabupaten",
    ),
    "help_apply_files": ("the files to apply", "berkas yang akan diterapkan"),
    # --- sync: results
    "enrolled_online": (
        "This laptop is enrolled with the district for {village}; it syncs with {server}.",
        "Laptop ini terdaftar di kabupaten untuk {village}; sinkron dengan {server}.",
    ),
    "enrolled_file": (
        "The district's keys are saved for {village}. Export a bundle (simpul bundle export) "
        "and take it to the district with the enrollment answer file written beside it.",
        "Kunci kabupaten tersimpan untuk {village}. Ekspor bundel (simpul bundle export) dan "
        "bawa ke kabupaten bersama berkas jawaban pendaftaran yang ditulis di sampingnya.",
    ),
    "enroll_choose": (
        "Give either --server and --code, or --file.",
        "Berikan --server dan --code, atau --file.",
    ),
    "enroll_needs_code": (
        "--server needs --code (the one-time code from the district).",
        "--server memerlukan --code (kode sekali pakai dari kabupaten).",
    ),
    "bad_server_url": (
        "'{url}' is not a server address (e.g. https://simpul.pemalangkab.go.id).",
        "'{url}' bukan alamat server (mis. https://simpul.pemalangkab.go.id).",
    ),
    "sync_done": (
        "Synced: {sent} change(s) sent, {received} new change(s) received.",
        "Sinkron selesai: {sent} perubahan terkirim, {received} perubahan baru diterima.",
    ),
    "sync_offline": (
        "The district server cannot be reached now; nothing is lost. {pending} change(s) wait "
        "and will be sent at the next sync.",
        "Server kabupaten belum dapat dijangkau; tidak ada yang hilang. {pending} perubahan "
        "menunggu dan akan dikirim pada sinkron berikutnya.",
    ),
    "sync_refused": (
        "The district refused {count} change(s); see simpul status.",
        "Kabupaten menolak {count} perubahan; lihat simpul status.",
    ),
    "sync_review": (
        "{count} record(s) have fields needing review (edited here and at the district).",
        "{count} catatan punya isian yang perlu ditinjau (diubah di sini dan di kabupaten).",
    ),
    "export_nothing": (
        "Nothing to send: the district holds every change of this laptop.",
        "Tidak ada yang perlu dikirim: kabupaten sudah memegang semua perubahan laptop ini.",
    ),
    "export_answer_written": (
        "Also take {file} to the district: it completes this laptop's enrollment.",
        "Bawa juga {file} ke kabupaten: berkas itu melengkapi pendaftaran laptop ini.",
    ),
    "apply_rejected": ("refused: {reason}", "ditolak: {reason}"),
    "apply_receipt_applied": (
        "receipt applied: the district holds {count} more change(s).",
        "tanda terima diterapkan: kabupaten memegang {count} perubahan lagi.",
    ),
    "apply_receipt_already_applied": (
        "receipt already applied; nothing changed.",
        "tanda terima sudah diterapkan; tidak ada yang berubah.",
    ),
    "apply_return_applied": (
        "return bundle applied: {count} new change(s).",
        "bundel balasan diterapkan: {count} perubahan baru.",
    ),
    "apply_return_already_applied": (
        "return bundle already applied; nothing changed.",
        "bundel balasan sudah diterapkan; tidak ada yang berubah.",
    ),
    "status_enrollment": ("Enrollment", "Pendaftaran"),
    "status_enrolled_online": ("online, {server}", "daring, {server}"),
    "status_enrolled_file": ("by file", "lewat berkas"),
    "status_enrolled_unconfirmed": (
        "by file, waiting for the district's answer",
        "lewat berkas, menunggu jawaban kabupaten",
    ),
    "status_not_enrolled": ("not enrolled", "belum terdaftar"),
    "status_last_sync": ("Last successful sync", "Sinkron terakhir berhasil"),
    "status_never": ("never", "belum pernah"),
    "status_last_error": ("Last sync problem", "Masalah sinkron terakhir"),
    "status_awaiting": ("Bundles awaiting a receipt", "Bundel menunggu tanda terima"),
    "status_refused": ("Changes refused by the district", "Perubahan ditolak kabupaten"),
    # --- sync: errors
    "not_enrolled": (
        "This laptop is not enrolled with a district yet: simpul enroll.",
        "Laptop ini belum terdaftar di kabupaten: simpul enroll.",
    ),
    "not_enrolled_online": (
        "This laptop was enrolled by file and has no server to sync with; use bundle files "
        "(simpul bundle export) or enroll online with a code.",
        "Laptop ini didaftarkan lewat berkas dan tidak punya server untuk sinkron; pakai berkas "
        "bundel (simpul bundle export) atau daftar daring dengan kode.",
    ),
    "already_enrolled": (
        "This laptop is already enrolled (village {village}).",
        "Laptop ini sudah terdaftar (desa {village}).",
    ),
    "enrollment_file_invalid": (
        "The file is not a Simpul enrollment file, or it is damaged.",
        "Berkas ini bukan berkas pendaftaran Simpul, atau berkasnya rusak.",
    ),
    "enrollment_file_expired": (
        "The enrollment file has expired; ask the district for a new one.",
        "Berkas pendaftaran sudah kedaluwarsa; minta yang baru ke kabupaten.",
    ),
    "enrollment_other_village": (
        "The enrollment is for another village ({village}) than this profile's; ask the "
        "district for a code for your village.",
        "Pendaftaran ini untuk desa lain ({village}), bukan desa profil ini; minta kode untuk "
        "desa Anda ke kabupaten.",
    ),
    "server_keys_changed": (
        "The server presents other keys than the district this laptop enrolled with; nothing "
        "was sent. Check the server address with the district.",
        "Server memakai kunci yang berbeda dari kabupaten tempat laptop ini terdaftar; tidak "
        "ada yang dikirim. Periksa alamat server dengan kabupaten.",
    ),
    "offline": (
        "The district server cannot be reached now; nothing is lost.",
        "Server kabupaten belum dapat dijangkau; tidak ada yang hilang.",
    ),
    "server_error": (
        "The district server had a problem (HTTP {status}); try again later. Nothing is lost.",
        "Server kabupaten sedang bermasalah (HTTP {status}); coba lagi nanti. Tidak ada yang "
        "hilang.",
    ),
    "sync_cancelled": (
        "Sync cancelled; what was sent is kept.",
        "Sinkron dibatalkan; yang sudah terkirim tetap tersimpan.",
    ),
    "refused_device_revoked": (
        "The district has revoked this laptop; it can no longer sync. Contact the district.",
        "Kabupaten telah mencabut laptop ini; laptop ini tidak dapat sinkron lagi. Hubungi "
        "kabupaten.",
    ),
    "refused_unauthorized": (
        "The server does not recognise this laptop's token; contact the district.",
        "Server tidak mengenali token laptop ini; hubungi kabupaten.",
    ),
    "refused_unknown_device": (
        "The server does not know this laptop; contact the district.",
        "Server tidak mengenal laptop ini; hubungi kabupaten.",
    ),
    "refused_enrollment_code_unknown": (
        "The server does not know this enrollment code; check it or ask for a new one.",
        "Server tidak mengenal kode pendaftaran ini; periksa atau minta kode baru.",
    ),
    "refused_enrollment_code_expired": (
        "The enrollment code has expired; ask the district for a new one.",
        "Kode pendaftaran sudah kedaluwarsa; minta kode baru ke kabupaten.",
    ),
    "refused_enrollment_code_used": (
        "The enrollment code was already used; ask the district for a new one.",
        "Kode pendaftaran sudah dipakai; minta kode baru ke kabupaten.",
    ),
    "refused_device_exists": (
        "The district already has this laptop enrolled.",
        "Laptop ini sudah terdaftar di kabupaten.",
    ),
    "refused_unsupported_suite": _SERVER_OLDER_THAN_LAPTOP,
    "refused_unsupported_version": _SERVER_OLDER_THAN_LAPTOP,
    "refused_too_many_attempts": (
        "Too many attempts; wait a few minutes and try again.",
        "Terlalu banyak percobaan; tunggu beberapa menit lalu coba lagi.",
    ),
    "file_not_a_sync_file": (
        "not a receipt or return bundle from the district",
        "bukan tanda terima atau bundel balasan dari kabupaten",
    ),
    "file_not_a_receipt": ("not a receipt", "bukan tanda terima"),
    "file_not_a_bundle": ("not a Simpul bundle", "bukan bundel Simpul"),
    "file_truncated": (
        "the file is incomplete (cut off while copying); copy it again",
        "berkas tidak lengkap (terpotong saat disalin); salin ulang",
    ),
    "file_tampered": (
        "the file was changed after the district sealed it",
        "berkas diubah setelah disegel kabupaten",
    ),
    "file_bad_signature": (
        "not signed by this laptop's district",
        "tidak ditandatangani oleh kabupaten laptop ini",
    ),
    "file_unknown_sender": (
        "not signed by this laptop's district",
        "tidak ditandatangani oleh kabupaten laptop ini",
    ),
    "file_not_for_us": (
        "sealed for another laptop",
        "disegel untuk laptop lain",
    ),
    "file_other_device": ("a receipt for another laptop", "tanda terima untuk laptop lain"),
    "file_wrong_kind": (
        "a bundle for the district, not for this laptop",
        "bundel untuk kabupaten, bukan untuk laptop ini",
    ),
    "file_malformed_content": (
        "signed, but its content is malformed",
        "bertanda tangan, tetapi isinya tidak sah",
    ),
    "file_unsupported_version": (
        "made by a newer Simpul; update this laptop",
        "dibuat oleh Simpul yang lebih baru; perbarui laptop ini",
    ),
    "file_unsupported_suite": (
        "made by a newer Simpul (its compression or encryption is not known here); update "
        "this laptop",
        "dibuat oleh Simpul yang lebih baru (kompresi atau enkripsinya belum dikenal di sini); "
        "perbarui laptop ini",
    ),
    "file_too_large": ("the file is too large", "berkas terlalu besar"),
    "file_decompression_bomb": (
        "its content expands beyond the limit",
        "isinya mengembang melewati batas",
    ),
    "file_bad_header": ("its header is damaged", "kepala berkas rusak"),
    "unreadable": ("the file cannot be read", "berkas tidak dapat dibaca"),
    # --- GUI (desktop/ui): screens of the desktop app. Codes start with gui_; gui_err_<code>
    "gui_new_case": ("New case", "Kasus baru"),
    "gui_new_outreach_action": ("New outreach", "Sosialisasi baru"),
    # words an error for the screens where the shared text names a CLI command.
    "help_gui": (
        "open the desktop app (the default without a command)",
        "buka aplikasi desktop (bawaan tanpa perintah)",
    ),
    "help_district": (
        "open district mode: sign in to the district server to import bundles, follow cases up, "
        "manage devices and make reports",
        "buka mode kabupaten: masuk ke server kabupaten untuk mengimpor bundel, menindaklanjuti "
        "kasus, mengelola perangkat, dan membuat laporan",
    ),
    "help_district_server": (
        "the district server's address (remembered for the next sign-in)",
        "alamat server kabupaten (diingat untuk masuk berikutnya)",
    ),
    "gui_no_display": (
        "No screen to show the app on (no display). Use the commands instead: simpul --help",
        "Tidak ada layar untuk menampilkan aplikasi. Gunakan perintah: simpul --help",
    ),
    "gui_app_name": ("Simpul", "Simpul"),
    "gui_ok": ("OK", "OK"),
    "gui_cancel": ("Cancel", "Batal"),
    "gui_close": ("Close", "Tutup"),
    "gui_yes": ("&Yes", "&Ya"),
    "gui_no": ("&No", "&Tidak"),
    "gui_save": ("Save", "Simpan"),
    "gui_help": ("Help", "Bantuan"),
    "gui_back": ("< Back", "< Kembali"),
    "gui_next": ("Next >", "Lanjut >"),
    "gui_finish": ("Finish", "Selesai"),
    "gui_continue": ("Continue", "Lanjut"),
    "gui_try_again": ("Try again", "Coba lagi"),
    "gui_search": ("Search", "Cari"),
    "gui_choose_file": ("Choose file…", "Pilih berkas…"),
    "gui_no_file_chosen": ("No file chosen", "Belum ada berkas dipilih"),
    "gui_file_unreadable": ("The file cannot be read.", "Berkas tidak dapat dibaca."),
    "gui_qt_undo": ("&Undo", "&Urungkan"),
    "gui_qt_redo": ("&Redo", "&Ulangi"),
    "gui_qt_cut": ("Cu&t", "Po&tong"),
    "gui_qt_copy": ("&Copy", "&Salin"),
    "gui_qt_copy_link": ("Copy &Link Location", "Salin &alamat tautan"),
    "gui_qt_paste": ("&Paste", "&Tempel"),
    "gui_qt_delete": ("Delete", "Hapus"),
    "gui_qt_select_all": ("Select All", "Pilih semua"),
    "gui_language_id": ("Bahasa Indonesia", "Bahasa Indonesia"),
    "gui_language_en": ("English", "English"),
    # first-run wizard
    "gui_wizard_title": ("Set up Simpul", "Menyiapkan Simpul"),
    "gui_wizard_welcome": ("Welcome to Simpul", "Selamat datang di Simpul"),
    "gui_wizard_language_sub": ("Choose the language of the app.", "Pilih bahasa aplikasi."),
    "gui_wizard_intro": (
        "Simpul keeps the village's records of violence against women and children and of trafficking, locked on this laptop. These steps take a few minutes.",
        "Simpul menyimpan catatan desa tentang kekerasan terhadap perempuan dan anak serta perdagangan orang, terkunci di laptop ini. Langkah-langkah ini hanya beberapa menit.",
    ),
    "gui_wizard_village": ("Your village", "Desa Anda"),
    "gui_wizard_village_sub": (
        "Choose the desa or kelurahan this laptop records for.",
        "Pilih desa atau kelurahan yang dicatat di laptop ini.",
    ),
    "gui_kecamatan": ("Subdistrict (kecamatan)", "Kecamatan"),
    "gui_all_kecamatan": ("All subdistricts", "Semua kecamatan"),
    "gui_village_search_hint": ("Type part of the name", "Ketik sebagian nama"),
    "gui_desa": ("Desa", "Desa"),
    "gui_kelurahan": ("Kelurahan", "Kelurahan"),
    "gui_village_item": (
        "{kind} {name} — {kecamatan} subdistrict",
        "{kind} {name} — Kec. {kecamatan}",
    ),
    "gui_village_count": ("{count} found", "{count} ditemukan"),
    "gui_wizard_user": ("Your name", "Nama Anda"),
    "gui_wizard_user_sub": (
        "The name your entries carry in each record's history.",
        "Nama yang tercatat pada riwayat setiap catatan yang Anda isi.",
    ),
    "gui_user_name": ("Name", "Nama"),
    "gui_user_name_hint": (
        "Your own name or a short name colleagues know you by; never a victim's name.",
        "Nama Anda sendiri atau nama panggilan yang dikenal rekan; jangan nama korban.",
    ),
    "gui_wizard_passphrase": ("Passphrase", "Frasa sandi"),
    "gui_wizard_passphrase_sub": (
        "It unlocks the records on this laptop.",
        "Frasa sandi membuka kunci catatan di laptop ini.",
    ),
    "gui_wizard_passphrase_why": (
        "Choose a sentence that is easy for you to remember and hard for others to guess, for example four or more words. Nobody can reset it for you: keep the recovery code of the next step.",
        "Pilih kalimat yang mudah Anda ingat dan sulit ditebak orang lain, misalnya empat kata atau lebih. Tidak ada yang bisa mengatur ulang untuk Anda: simpan kode pemulihan pada langkah berikutnya.",
    ),
    "gui_wizard_create": ("Create profile", "Buat profil"),
    "gui_passphrase": ("Passphrase", "Frasa sandi"),
    "gui_passphrase_new": ("Passphrase", "Frasa sandi"),
    "gui_passphrase_repeat": ("Type it again", "Ketik sekali lagi"),
    "gui_passphrase_rule": (
        "At least 12 characters, or a sentence of four or more words.",
        "Minimal 12 karakter, atau kalimat dari empat kata atau lebih.",
    ),
    "gui_passphrase_show": ("Show what I type", "Tampilkan yang saya ketik"),
    "gui_passphrase_mismatch": ("The two entries are not the same.", "Kedua isian tidak sama."),
    "gui_strength_weak": ("Too weak", "Terlalu lemah"),
    "gui_strength_fair": ("Acceptable", "Cukup"),
    "gui_strength_good": ("Good", "Baik"),
    "gui_strength_strong": ("Strong", "Kuat"),
    "gui_wizard_recovery": ("Recovery code", "Kode pemulihan"),
    "gui_wizard_recovery_sub": (
        "Shown once. It opens the profile if the passphrase is forgotten.",
        "Hanya ditampilkan sekali. Kode ini membuka profil bila frasa sandi terlupa.",
    ),
    "gui_wizard_creating": (
        "Preparing the locks on this laptop… (this takes a few seconds)",
        "Menyiapkan kunci pengaman di laptop ini… (beberapa detik)",
    ),
    "gui_wizard_created": ("The profile is ready.", "Profil sudah siap."),
    "gui_wizard_recovery_explain": (
        "Write this code on paper or print it, and keep it locked away from the laptop. Anyone with the code can open the records.",
        "Tulis kode ini di kertas atau cetak, lalu simpan terkunci, terpisah dari laptop. Siapa pun yang memegang kode ini dapat membuka catatan.",
    ),
    "gui_wizard_recovery_written": (
        "I have written down or printed the recovery code",
        "Saya sudah menulis atau mencetak kode pemulihan",
    ),
    "gui_print": ("Print…", "Cetak…"),
    "gui_print_dialog_title": ("Print the recovery code", "Cetak kode pemulihan"),
    "gui_print_sent": ("Sent to the printer.", "Sudah dikirim ke pencetak."),
    "gui_print_failed": ("The printer could not be used.", "Pencetak tidak dapat dipakai."),
    "gui_print_title": ("Simpul recovery code", "Kode pemulihan Simpul"),
    "gui_print_village": ("Village: {village}", "Desa: {village}"),
    "gui_print_keep_safe": (
        "Keep this sheet locked away, apart from the laptop. Anyone holding it can open the records of this laptop.",
        "Simpan kertas ini terkunci, terpisah dari laptop. Siapa pun yang memegangnya dapat membuka catatan di laptop ini.",
    ),
    "gui_print_when": (
        "Use it when the passphrase is forgotten: on the lock screen choose \u201cForgot passphrase\u201d, type this code, then choose a new passphrase.",
        "Pakai bila frasa sandi terlupa: di layar kunci pilih \u201cLupa frasa sandi\u201d, ketik kode ini, lalu buat frasa sandi baru.",
    ),
    "gui_wizard_enroll": ("Connect to the district", "Hubungkan ke kabupaten"),
    "gui_wizard_enroll_sub": (
        "Optional: you can do it later from the status bar.",
        "Boleh dilewati: dapat dilakukan nanti dari bilah status.",
    ),
    # enrollment
    "gui_enroll_title": ("Enroll this laptop", "Daftarkan laptop ini"),
    "gui_enroll_intro": (
        "The district (DP3AKB) gives you a server address and a one-time code, or an enrollment file for a village without internet.",
        "Kabupaten (DP3AKB) memberi alamat server dan kode sekali pakai, atau berkas pendaftaran untuk desa tanpa internet.",
    ),
    "gui_enroll_skip": ("Later", "Nanti saja"),
    "gui_enroll_online": ("Online: server address and code", "Daring: alamat server dan kode"),
    "gui_enroll_by_file": (
        "With an enrollment file (no internet)",
        "Dengan berkas pendaftaran (tanpa internet)",
    ),
    "gui_enroll_server": ("Server address", "Alamat server"),
    "gui_enroll_server_example": (
        "e.g. https://simpul.pemalangkab.go.id",
        "mis. https://simpul.pemalangkab.go.id",
    ),
    "gui_enroll_code": ("Enrollment code", "Kode pendaftaran"),
    "gui_enroll_file_title": ("Choose the enrollment file", "Pilih berkas pendaftaran"),
    "gui_enroll_file_filter": (
        "Enrollment files (*.json *.simpul-enrollment);;All files (*)",
        "Berkas pendaftaran (*.json *.simpul-enrollment);;Semua berkas (*)",
    ),
    "gui_enroll_button": ("Enroll", "Daftarkan"),
    "gui_enroll_done": (
        "This laptop is enrolled with the district.",
        "Laptop ini sudah terdaftar di kabupaten.",
    ),
    "gui_enroll_action": ("Enroll with the district…", "Daftarkan ke kabupaten…"),
    # lock screen
    "gui_unlock_intro": (
        "The records are locked. Type your passphrase to open them.",
        "Catatan terkunci. Ketik frasa sandi Anda untuk membukanya.",
    ),
    "gui_unlock": ("Unlock", "Buka"),
    "gui_forgot_passphrase": ("Forgot passphrase?", "Lupa frasa sandi?"),
    "gui_recover_title": ("Forgot passphrase", "Lupa frasa sandi"),
    "gui_recover_intro": (
        "Type the recovery code you wrote down or printed when Simpul was set up.",
        "Ketik kode pemulihan yang Anda tulis atau cetak saat Simpul disiapkan.",
    ),
    "gui_recover_new_intro": (
        "The code is right. Now choose a new passphrase.",
        "Kode benar. Sekarang buat frasa sandi baru.",
    ),
    "gui_recover_code_hint": (
        "XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX",
        "XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX",
    ),
    "gui_recover_save": ("Save new passphrase", "Simpan frasa sandi baru"),
    "gui_recover_back": ("Back to the passphrase", "Kembali ke frasa sandi"),
    # main window
    "gui_menu_file": ("&File", "&Berkas"),
    "gui_menu_sync": ("&Sync", "&Sinkron"),
    "gui_toolbar": ("Toolbar", "Bilah alat"),
    "gui_lock": ("Lock", "Kunci"),
    "gui_quit": ("Quit", "Keluar"),
    "gui_nav_cases": ("Cases", "Kasus"),
    "gui_nav_outreach": ("Outreach", "Sosialisasi"),
    "gui_nav_review": ("Needs review", "Perlu ditinjau"),
    "gui_nav_recap": ("Recap", "Rekap"),
    "gui_nav_settings": ("Settings", "Pengaturan"),
    "gui_col_code": ("Case code", "Kode kasus"),
    "gui_col_reported": ("Reported", "Tanggal lapor"),
    "gui_col_status": ("Status", "Status"),
    "gui_col_victims": ("Victims", "Korban"),
    "gui_col_review": ("Review", "Tinjau"),
    "gui_needs_review": ("Needs review", "Perlu ditinjau"),
    "gui_review_tooltip": (
        "A field was changed on two laptops at once; choose which value is right.",
        "Ada isian yang diubah di dua laptop sekaligus; pilih nilai yang benar.",
    ),
    "gui_cases_count": ("{count} case(s)", "{count} kasus"),
    "gui_cases_empty": ("No cases recorded yet.", "Belum ada kasus yang dicatat."),
    "gui_cases_count_filtered": ("{shown} of {count} case(s)", "{shown} dari {count} kasus"),
    "gui_cases_no_match": (
        "No case matches the search and filters.",
        "Tidak ada kasus yang cocok dengan pencarian dan saringan.",
    ),
    "gui_cases_search": ("Search", "Cari"),
    "gui_cases_search_hint": (
        "Name, case code, NIK or narrative",
        "Nama, kode kasus, NIK atau kronologi",
    ),
    "gui_cases_filter_all": ("All", "Semua"),
    "gui_cases_filter_violence": ("Violence", "Kekerasan"),
    "gui_cases_filter_tppo": ("TPPO only", "Hanya TPPO"),
    "gui_cases_filter_from": ("Reported from", "Dilaporkan dari"),
    "gui_cases_filter_to": ("to", "sampai"),
    "gui_settings_language": ("Language", "Bahasa"),
    "gui_settings_autolock": ("Lock after no activity for", "Kunci bila tidak dipakai selama"),
    "gui_settings_minutes_suffix": (" minutes", " menit"),
    # bundles by hand
    "gui_export_action": ("Export bundle to a folder…", "Ekspor bundel ke folder…"),
    "gui_export_title": ("Export bundle", "Ekspor bundel"),
    "gui_export_progress": ("Writing bundle files…", "Menulis berkas bundel…"),
    "gui_export_done": (
        "{count} bundle file(s) with {changes} change(s) written to {folder}. Take them to the district.",
        "{count} berkas bundel berisi {changes} perubahan ditulis ke {folder}. Bawa ke kabupaten.",
    ),
    "gui_apply_action": (
        "Open receipt or return bundle…",
        "Buka tanda terima atau bundel balasan…",
    ),
    "gui_apply_title": ("Files from the district", "Berkas dari kabupaten"),
    "gui_apply_filter": (
        "Files from the district (*.simpul-receipt *.simpul-return);;All files (*)",
        "Berkas dari kabupaten (*.simpul-receipt *.simpul-return);;Semua berkas (*)",
    ),
    # sync status bar
    "gui_sync_now": ("Sync now", "Sinkronkan sekarang"),
    "gui_sync_loading": ("Checking sync…", "Memeriksa sinkron…"),
    "gui_sync_not_enrolled": ("Not enrolled with the district", "Belum terdaftar di kabupaten"),
    "gui_sync_by_file": (
        "Sync by bundle files · {pending} change(s) not yet sent",
        "Sinkron lewat berkas bundel · {pending} perubahan belum terkirim",
    ),
    "gui_sync_pending": (
        "{pending} change(s) waiting to sync",
        "{pending} perubahan menunggu sinkron",
    ),
    "gui_sync_never": ("Not synced yet", "Belum pernah sinkron"),
    "gui_sync_syncing": ("Syncing…", "Menyinkronkan…"),
    "gui_sync_synced": ("Synced at {time}", "Tersinkron pukul {time}"),
    "gui_sync_synced_pending": (
        "Synced at {time} · {pending} change(s) waiting",
        "Tersinkron pukul {time} · {pending} perubahan menunggu",
    ),
    "gui_sync_offline": (
        "Offline · {pending} change(s) waiting",
        "Luring · {pending} perubahan menunggu",
    ),
    "gui_sync_attention": ("Needs attention: {reason}", "Perlu perhatian: {reason}"),
    "gui_err_not_enrolled": (
        "This laptop is not enrolled with the district yet: use “Enroll with the district…” in the Sync menu.",
        "Laptop ini belum terdaftar di kabupaten: pakai “Daftarkan ke kabupaten…” di menu Sinkron.",
    ),
    "gui_err_not_enrolled_online": (
        "This laptop was enrolled by file and has no server to sync with: export bundles to a folder instead.",
        "Laptop ini didaftarkan lewat berkas dan tidak punya server untuk sinkron: ekspor bundel ke folder.",
    ),
    # crash dialog
    "gui_crash_title": ("Simpul — program error", "Simpul — kesalahan program"),
    "gui_crash_heading": ("Something went wrong in Simpul", "Terjadi kesalahan di Simpul"),
    "gui_crash_body": (
        "This is a fault in the program, not something you did. What was saved is safe. Please copy the details below and send them to the district administrator; they hold no names and no case details.",
        "Ini kesalahan program, bukan kesalahan Anda. Yang sudah disimpan tetap aman. Mohon salin detail di bawah dan kirim ke admin kabupaten; detail itu tidak memuat nama atau isi kasus.",
    ),
    "gui_crash_copy": ("Copy details", "Salin detail"),
    # --- GUI: case form (desktop/ui/caseform*.py, casedetail.py) — the case intake form,
    # its drafts and the case view (summary and history). Codes start with gui_cf_ / gui_cv_.
    "gui_cf_title_new": ("New case", "Kasus baru"),
    "gui_cf_title_edit": ("Edit case {code}", "Ubah kasus {code}"),
    "gui_cf_subtitle": (
        "Fill in what you hear, in any order. Only the report date, the types of violence and one victim's sex are required.",
        "Isi sesuai yang Anda dengar, urutannya bebas. Yang wajib hanya tanggal pelaporan, jenis kekerasan, dan jenis kelamin satu korban.",
    ),
    "gui_cf_sec_report": ("Report", "Laporan"),
    "gui_cf_sec_victims": ("Victims", "Korban"),
    "gui_cf_sec_perpetrators": ("Perpetrators", "Pelaku"),
    "gui_cf_sec_violence": ("Violence", "Kekerasan"),
    "gui_cf_sec_tppo": ("Human trafficking (TPPO)", "TPPO (perdagangan orang)"),
    "gui_cf_sec_services": ("Services & referrals", "Layanan & Rujukan"),
    "gui_cf_sec_consent": ("Consent", "Persetujuan"),
    "gui_cf_sec_status": ("Status and outcome", "Status dan hasil"),
    "gui_cf_section_key": ("Shortcut: Alt+{n}", "Pintasan: Alt+{n}"),
    "gui_cf_f_record": ("The record", "Catatan ini"),
    "gui_cf_f_village": ("Recording village", "Desa pencatat"),
    "gui_cf_f_reported_on": ("Date reported", "Tanggal pelaporan"),
    "gui_cf_f_incident_on": ("Date of incident", "Tanggal kejadian"),
    "gui_cf_f_incident_on_approx": (
        "Date of incident is approximate",
        "Tanggal kejadian perkiraan",
    ),
    "gui_cf_f_approx_short": ("approximate", "perkiraan"),
    "gui_cf_f_channel": ("How it was reported", "Sumber/kanal laporan"),
    "gui_cf_f_reporter_name": ("Reporter's name", "Nama pelapor"),
    "gui_cf_f_reporter_relation": (
        "Reporter's relation to the victim",
        "Hubungan pelapor dengan korban",
    ),
    "gui_cf_f_reporter_contact": ("Reporter's contact", "Kontak pelapor"),
    "gui_cf_f_place": ("Place of incident", "Tempat kejadian"),
    "gui_cf_f_incident_village": ("Village of incident", "Desa/kelurahan kejadian"),
    "gui_cf_f_incident_address": ("Address of incident", "Alamat kejadian"),
    "gui_cf_f_online": ("Happened online", "Terjadi secara daring (online)"),
    "gui_cf_f_narrative": ("What happened", "Kronologi"),
    "gui_cf_f_urgent_risk": (
        "Urgent risk to the victim's safety",
        "Ada risiko keselamatan yang mendesak bagi korban",
    ),
    "gui_cf_f_urgent_note": ("About the risk", "Keterangan risiko"),
    "gui_cf_f_violence_types": ("Types of violence", "Jenis kekerasan"),
    "gui_cf_f_victim_violence_types": (
        "Violence this victim suffered (leave empty when it is all of the case's)",
        "Kekerasan yang dialami korban ini (kosongkan bila sama dengan semua jenis pada kasus)",
    ),
    "gui_cf_f_tpks_types": (
        "Sexual violence offences (UU TPKS Art. 4(1))",
        "Jenis TPKS (UU TPKS Pasal 4 ayat 1)",
    ),
    "gui_cf_f_kdrt": ("Within the household (domestic violence)", "Dalam rumah tangga (KDRT)"),
    "gui_cf_f_tppo_process": ("Process", "Proses"),
    "gui_cf_f_tppo_means": ("Means", "Cara"),
    "gui_cf_f_tppo_purpose": ("Purpose", "Tujuan"),
    "gui_cf_f_tppo_indicators": ("Indicators", "Indikator"),
    "gui_cf_f_tppo_destination": ("Destination (country or region)", "Tujuan (negara/daerah)"),
    "gui_cf_f_domestic_short": ("within Indonesia", "dalam negeri"),
    "gui_cf_f_tppo_destination_domestic": (
        "Destination within Indonesia",
        "Tujuan di dalam negeri",
    ),
    "gui_cf_f_tppo_transit": (
        "Transit countries (commas between)",
        "Negara transit (pisahkan dengan koma)",
    ),
    "gui_cf_f_tppo_departed_on": ("Date of departure", "Tanggal berangkat"),
    "gui_cf_f_tppo_returned_on": ("Date of return or rescue", "Tanggal pulang/diselamatkan"),
    "gui_cf_f_tppo_recruiter_type": ("Recruiter", "Jenis perekrut"),
    "gui_cf_f_tppo_work_sector": ("Work sector", "Sektor pekerjaan"),
    "gui_cf_f_tppo_route": ("Route", "Jalur keberangkatan"),
    "gui_cf_f_tppo_documents_held": ("Documents held by others", "Dokumen yang ditahan"),
    "gui_cf_f_tppo_debt_amount": ("Debt or payment (rupiah)", "Utang/biaya (rupiah)"),
    "gui_cf_f_tppo_still_abroad": ("Still abroad", "Masih di luar negeri"),
    "gui_cf_f_tppo_needs_repatriation": ("Needs repatriation", "Perlu dipulangkan"),
    "gui_cf_f_tppo_reported_to": ("Already reported to", "Sudah dilaporkan ke"),
    "gui_cf_f_consent_given_by": ("Consent given by", "Persetujuan diberikan oleh"),
    "gui_cf_f_consent_relation": ("Their relation to the victim", "Hubungan dengan korban"),
    "gui_cf_f_consent_justification": ("Legal basis (required)", "Dasar hukum (wajib diisi)"),
    "gui_cf_f_consent_on": ("Date of consent", "Tanggal persetujuan"),
    "gui_cf_f_consent_method": ("How it was given", "Cara persetujuan"),
    "gui_cf_f_consent_scope": ("Consent covers", "Cakupan persetujuan"),
    "gui_cf_f_consent_explained": ("Explained to them", "Sudah dijelaskan"),
    "gui_cf_f_consent_withdrawn_on": ("Withdrawn on", "Tanggal dicabut"),
    "gui_cf_f_status": ("Case status", "Status kasus"),
    "gui_cf_f_legal_status": ("Legal status", "Status hukum"),
    "gui_cf_f_outcome": ("Outcome", "Hasil penanganan"),
    "gui_cf_f_deleted": ("removed", "dihapus"),
    "gui_cf_f_name": ("Name (initials are enough)", "Nama (boleh inisial)"),
    "gui_cf_f_nik": ("NIK (ID number)", "NIK"),
    "gui_cf_f_sex": ("Sex", "Jenis kelamin"),
    "gui_cf_f_birth_date": ("Date of birth", "Tanggal lahir"),
    "gui_cf_f_age": ("Age (years)", "Usia (tahun)"),
    "gui_cf_f_age_estimated": ("Age is an estimate", "Usia perkiraan"),
    "gui_cf_f_age_estimated_short": ("estimate", "perkiraan"),
    "gui_cf_f_education": ("Education", "Pendidikan"),
    "gui_cf_f_school_status": ("Schooling", "Status sekolah"),
    "gui_cf_f_occupation": ("Occupation", "Pekerjaan"),
    "gui_cf_f_marital_status": ("Marital status", "Status perkawinan"),
    "gui_cf_f_disability": ("Disability", "Disabilitas"),
    "gui_cf_f_disability_types": ("Type of disability", "Jenis disabilitas"),
    "gui_cf_f_citizenship": ("Citizenship", "Kewarganegaraan"),
    "gui_cf_f_domicile_village": ("Village of residence", "Desa/kelurahan domisili"),
    "gui_cf_f_pregnant": ("Pregnant", "Sedang hamil"),
    "gui_cf_f_contact": ("Contact", "Kontak"),
    "gui_cf_f_child_perpetrator": (
        "Child perpetrator (under 18; follows the age when it is given)",
        "Pelaku anak (di bawah 18 tahun; mengikuti usia bila diisi)",
    ),
    "gui_cf_f_relationship": ("Relationship", "Hubungan"),
    "gui_cf_f_service_type": ("Service", "Jenis layanan"),
    "gui_cf_f_date": ("Date", "Tanggal"),
    "gui_cf_f_institution": ("Institution", "Lembaga"),
    "gui_cf_f_description": ("Description", "Keterangan"),
    "gui_cf_f_referral_to": ("Referred to", "Dirujuk ke"),
    "gui_cf_f_referral_status": ("Referral status", "Status rujukan"),
    "gui_cf_f_note": ("Note", "Catatan"),
    "gui_cf_victim_n": ("Victim {n}", "Korban {n}"),
    "gui_cf_perpetrator_n": ("Perpetrator {n}", "Pelaku {n}"),
    "gui_cf_service_n": ("Service {n}", "Layanan {n}"),
    "gui_cf_referral_n": ("Referral {n}", "Rujukan {n}"),
    "gui_cf_victim_removed": ("A removed victim", "Korban yang dihapus"),
    "gui_cf_perpetrator_removed": ("A removed perpetrator", "Pelaku yang dihapus"),
    "gui_cf_service_removed": ("A removed service", "Layanan yang dihapus"),
    "gui_cf_referral_removed": ("A removed referral", "Rujukan yang dihapus"),
    "gui_cf_remove_victims": ("Remove victim", "Hapus korban"),
    "gui_cf_remove_perpetrators": ("Remove perpetrator", "Hapus pelaku"),
    "gui_cf_remove_services": ("Remove service", "Hapus layanan"),
    "gui_cf_remove_referrals": ("Remove referral", "Hapus rujukan"),
    "gui_cf_add_victim": ("Add a victim (Ctrl+Shift+V)", "Tambah korban (Ctrl+Shift+V)"),
    "gui_cf_add_perpetrator": ("Add a perpetrator (Ctrl+Shift+P)", "Tambah pelaku (Ctrl+Shift+P)"),
    "gui_cf_add_service": ("Add a service", "Tambah layanan"),
    "gui_cf_add_referral": ("Add a referral", "Tambah rujukan"),
    "gui_cf_undo_remove_victim": ("Undo removing the victim", "Batalkan hapus korban"),
    "gui_cf_undo_remove_perpetrator": ("Undo removing the perpetrator", "Batalkan hapus pelaku"),
    "gui_cf_undo_remove_service": ("Undo removing the service", "Batalkan hapus layanan"),
    "gui_cf_undo_remove_referral": ("Undo removing the referral", "Batalkan hapus rujukan"),
    "gui_cf_services": ("Services given", "Layanan"),
    "gui_cf_referrals": ("Referrals", "Rujukan"),
    "gui_cf_victims_hint": (
        "One card per victim. A name is optional (initials are enough). Give a date of birth or an age: the age band and child or adult follow.",
        "Satu kartu untuk setiap korban. Nama tidak wajib (boleh inisial). Isi tanggal lahir atau usia: kelompok umur dan anak atau dewasa mengikuti.",
    ),
    "gui_cf_perpetrators_hint": (
        "One card per perpetrator; the relationship is recorded for each victim.",
        "Satu kartu untuk setiap pelaku; hubungan dicatat untuk setiap korban.",
    ),
    "gui_cf_relationships_title": ("Relationship to each victim", "Hubungan dengan setiap korban"),
    "gui_cf_age_unknown": (
        "Age unknown: give a date of birth or an age.",
        "Usia belum diketahui: isi tanggal lahir atau usia.",
    ),
    "gui_cf_age_derived": (
        "→ {age} years · age band {band} · {group}",
        "→ {age} tahun · kelompok umur {band} · {group}",
    ),
    "gui_cf_age_from_birth": (
        "→ {age} years on the report date (from the date of birth) · age band {band} · {group}",
        "→ {age} tahun pada tanggal pelaporan (dari tanggal lahir) · kelompok umur {band} · {group}",
    ),
    "gui_cf_child": ("child", "anak"),
    "gui_cf_adult": ("adult", "dewasa"),
    "gui_cf_village_item": ("{name} ({kecamatan} district)", "{name} (Kec. {kecamatan})"),
    "gui_cf_tppo_hint": (
        "Trafficking needs all three elements of UU 21/2007 Art. 1: process, means and purpose. Answer each indicator Yes, No or Don't know.",
        "TPPO memerlukan ketiga unsur UU 21/2007 Pasal 1: proses, cara, dan tujuan. Jawab setiap indikator dengan Ya, Tidak, atau Tidak tahu.",
    ),
    "gui_cf_tppo_child_means": (
        "Every victim is a child: the means element is not required.",
        "Semua korban masih anak: unsur cara tidak wajib diisi.",
    ),
    "gui_cf_tppo_details": ("Details", "Rincian"),
    "gui_cf_consent_child": (
        "A victim is a child: consent comes from a parent or guardian who is not the perpetrator, or from an institution acting in the child's best interest.",
        "Ada korban anak: persetujuan diberikan oleh orang tua/wali yang bukan pelaku, atau oleh lembaga demi kepentingan terbaik anak.",
    ),
    "gui_cf_no_mediation": (
        "Sexual violence: mediation is not an outcome (UU TPKS Art. 23).",
        "Kekerasan seksual: mediasi tidak dapat menjadi hasil penanganan (UU TPKS Pasal 23).",
    ),
    "gui_cf_deadline_open": (
        "UU TPKS Art. 41: UPTD PPA must pass this case to the police within 3×24 hours, by {due} ({days} days {hours} hours left; referred on {received}).",
        "UU TPKS Pasal 41: UPTD PPA wajib meneruskan kasus ini ke polisi dalam 3×24 jam, paling lambat {due} (sisa {days} hari {hours} jam; dirujuk {received}).",
    ),
    "gui_cf_deadline_late": (
        "UU TPKS Art. 41: the 3×24 hours to pass this case to the police ended on {due}, {days} days {hours} hours ago (referred on {received}). Record when the police receive it.",
        "UU TPKS Pasal 41: batas 3×24 jam untuk meneruskan kasus ini ke polisi berakhir {due}, {days} hari {hours} jam yang lalu (dirujuk {received}). Catat saat polisi menerimanya.",
    ),
    "gui_cf_deadline_done": (
        "UU TPKS Art. 41: the case has reached the police (referred to UPTD PPA on {received}).",
        "UU TPKS Pasal 41: kasus sudah diteruskan ke polisi (dirujuk ke UPTD PPA {received}).",
    ),
    "gui_cf_bad_date": (
        "Not a date: type day/month/year, e.g. 17/03/2025.",
        "Bukan tanggal: tulis hari/bulan/tahun, misalnya 17/03/2025.",
    ),
    "gui_cf_bad_number": (
        "Not a whole number: type digits only, e.g. 7000000.",
        "Bukan bilangan bulat: tulis angka saja, misalnya 7000000.",
    ),
    "gui_cf_date_hint": ("dd/mm/yyyy", "hh/bb/tttt"),
    "gui_cf_problems_title": (
        "Not saved: {count} thing(s) to fix. Each is marked at its field; choose a line to go there.",
        "Belum disimpan: {count} hal perlu diperbaiki. Setiap hal ditandai pada isiannya; pilih satu baris untuk menuju ke sana.",
    ),
    "gui_cf_problems_tooltip": (
        "Enter or a click goes to the field",
        "Enter atau klik untuk menuju isian",
    ),
    "gui_cf_save": ("Save (Ctrl+S)", "Simpan (Ctrl+S)"),
    "gui_cf_saving": ("Saving…", "Menyimpan…"),
    "gui_cf_saved": ("Saved.", "Tersimpan."),
    "gui_cf_not_saved": ("Not saved yet.", "Belum disimpan."),
    "gui_cf_draft_kept": (
        "Unsaved input kept as an encrypted draft at {time}.",
        "Isian yang belum disimpan disimpan sebagai draf terenkripsi pukul {time}.",
    ),
    "gui_cf_draft_restored": (
        "Unsaved input from {when} was restored from an encrypted draft. Save to record it, or discard it.",
        "Isian yang belum disimpan dari {when} dipulihkan dari draf terenkripsi. Simpan untuk mencatatnya, atau buang.",
    ),
    "gui_cf_discard_draft": ("Discard the draft", "Buang draf"),
    "gui_cf_concurrent": (
        'This case was changed elsewhere (sync or another user) since the form opened. Saving keeps those changes; a field changed in both places will be marked "Needs review".',
        'Kasus ini diubah di tempat lain (sinkronisasi atau pengguna lain) sejak formulir dibuka. Menyimpan tidak menimpa perubahan itu; isian yang diubah di kedua tempat ditandai "Perlu ditinjau".',
    ),
    "gui_cf_keys": (
        "Tab: next field · Ctrl+S: save · Ctrl+Shift+V: add victim · Ctrl+Shift+P: add perpetrator · Alt+1…8: go to a section",
        "Tab: isian berikutnya · Ctrl+S: simpan · Ctrl+Shift+V: tambah korban · Ctrl+Shift+P: tambah pelaku · Alt+1…8: pindah bagian",
    ),
    "gui_cv_title": ("Case", "Kasus"),
    "gui_cv_edit": ("Edit case", "Ubah kasus"),
    "gui_cv_history": ("History", "Riwayat"),
    "gui_cv_col_when": ("When", "Waktu"),
    "gui_cv_col_who": ("By", "Oleh"),
    "gui_cv_col_device": ("Device", "Perangkat"),
    "gui_cv_col_what": ("What changed", "Yang diubah"),
    "gui_cv_created": ("Case recorded ({count} fields)", "Kasus dicatat ({count} isian)"),
    "gui_cv_more": ("and {count} more", "dan {count} lainnya"),
    "gui_cv_this_device": ("This laptop", "Laptop ini"),
    "gui_cv_district_device": ("District office", "Kantor kabupaten"),
    "gui_cv_staff_author": ("{name} (district)", "{name} (kabupaten)"),
    "gui_cv_other_device": ("Another device ({tag})", "Perangkat lain ({tag})"),
    "gui_cv_recovery_user": ("(opened with the recovery code)", "(dibuka dengan kode pemulihan)"),
    "gui_cv_meta": (
        "Reported {reported} · {changes} change(s) · last changed {updated}",
        "Dilaporkan {reported} · {changes} perubahan · terakhir diubah {updated}",
    ),
    "gui_cv_review": (
        '{count} field(s) were changed in two places at once and need review: {fields}. The latest value is shown; settle it under "Needs review".',
        '{count} isian diubah di dua tempat sekaligus dan perlu ditinjau: {fields}. Yang tampil adalah nilai terbaru; tetapkan di menu "Perlu ditinjau".',
    ),
    "gui_cv_empty": ("Nothing recorded.", "Belum ada yang dicatat."),
    "gui_cv_yes": ("Yes", "Ya"),
    "gui_cv_no": ("No", "Tidak"),
    "gui_cv_age_band": ("Age and age band", "Usia dan kelompok umur"),
    "gui_cv_age_summary": ("{age} years, {band} ({group})", "{age} tahun · {band} · {group}"),
    "gui_cv_approx_date": ("{date} (approximate)", "{date} (perkiraan)"),
    "gui_cv_service": ("Service", "Layanan"),
    "gui_cv_referral": ("Referral", "Rujukan"),
    "gui_cv_name": ("Name", "Nama"),
    "gui_cv_child": ("Child perpetrator", "Pelaku anak"),
    "gui_cv_transit": ("Transit countries", "Negara transit"),
    "gui_cv_justification": ("Legal basis", "Dasar hukum"),
    # --- end of GUI: case form
    "gui_nav_review_count": ("Needs review ({count})", "Perlu ditinjau ({count})"),
    # --- GUI: district mode shell
    "gui_dm_title": ("District", "Kabupaten"),
    "gui_dm_signin_title": ("Sign in to the district server", "Masuk ke server kabupaten"),
    "gui_dm_signin_intro": (
        "District staff sign in with the account the administrator made for them. Nothing about "
        "any case is kept on this computer; it is read from the server while you are signed in.",
        "Petugas kabupaten masuk dengan akun yang dibuatkan admin. Tidak ada data kasus yang "
        "disimpan di komputer ini; data dibaca dari server selama Anda masuk.",
    ),
    "gui_dm_server": ("Server address", "Alamat server"),
    "gui_dm_name": ("Account name", "Nama akun"),
    "gui_dm_password": ("Password", "Kata sandi"),
    "gui_dm_sign_in": ("Sign in", "Masuk"),
    "gui_dm_sign_out": ("Sign out", "Keluar"),
    "gui_dm_bad_server_url": (
        "Type the server's address starting with https:// (or http://).",
        "Ketik alamat server yang diawali https:// (atau http://).",
    ),
    "gui_dm_name_missing": ("Type your account name.", "Ketik nama akun Anda."),
    "gui_dm_password_missing": ("Type your password.", "Ketik kata sandi Anda."),
    "gui_dm_signed_in_as": (
        "Signed in as {name} ({role}) · {server}",
        "Masuk sebagai {name} ({role}) · {server}",
    ),
    "gui_dm_role_admin": ("administrator", "admin"),
    "gui_dm_role_staff": ("staff", "petugas"),
    "gui_dm_role_viewer": ("viewer", "pembaca"),
    "gui_dm_nav_cases": ("Cases", "Kasus"),
    "gui_dm_nav_import": ("Import bundles", "Impor bundel"),
    "gui_dm_nav_devices": ("Devices", "Perangkat"),
    "gui_dm_nav_reports": ("Reports", "Laporan"),
    "gui_dm_nav_audit": ("Audit log", "Log audit"),
    "gui_dm_page_coming": ("This page is being built.", "Halaman ini sedang dibangun."),
    "gui_err_refused_bad_credentials": (
        "Wrong account name or password.",
        "Nama akun atau kata sandi salah.",
    ),
    "gui_err_refused_too_many_logins": (
        "Too many attempts. Wait a few minutes, then try again.",
        "Terlalu banyak percobaan. Tunggu beberapa menit, lalu coba lagi.",
    ),
    "gui_err_refused_session_expired": (
        "Your session has ended. Sign in again.",
        "Sesi Anda telah berakhir. Silakan masuk lagi.",
    ),
    # --- end of GUI: district mode shell
    # --- GUI: district reports
    "gui_dm_rp_intro": (
        "The monthly or yearly recap of every kecamatan and village, counted by the server from "
        "the records it holds. Choose the period and press Show.",
        "Rekap bulanan atau tahunan per kecamatan dan desa, dihitung server dari data yang "
        "sudah masuk. Pilih periode, lalu tekan Tampilkan.",
    ),
    "gui_dm_rp_period": ("Period", "Periode"),
    "gui_dm_rp_monthly": ("Monthly", "Bulanan"),
    "gui_dm_rp_yearly": ("Yearly", "Tahunan"),
    "gui_dm_rp_share": ("For sharing outside the district", "Untuk dibagikan ke luar kabupaten"),
    "gui_dm_rp_share_tip": (
        "Village counts of 1 or 2 are shown as <3, and the cells that would give them away as "
        "x, on screen and in the files.",
        "Angka desa 1 atau 2 ditampilkan sebagai <3, dan sel yang bisa membukanya sebagai x, "
        "di layar maupun di berkas.",
    ),
    "gui_dm_rp_show": ("Show", "Tampilkan"),
    "gui_dm_rp_fetching": ("Counting the report…", "Menghitung laporan…"),
    "gui_dm_rp_saving": ("Saving the file…", "Menyimpan berkas…"),
    "gui_dm_rp_summary": (
        "{period} · {cases} cases · {outreach} outreach activities · made {time} WIB",
        "{period} · {cases} kasus · {outreach} kegiatan sosialisasi · dibuat {time} WIB",
    ),
    "gui_dm_rp_summary_shared": (
        "small numbers hidden for sharing",
        "angka kecil disembunyikan untuk dibagikan",
    ),
    "gui_dm_rp_charts": ("Charts", "Grafik"),
    "gui_dm_rp_chart_victims": (
        "Victims by type of violence, sex and age (district)",
        "Korban menurut jenis kekerasan, jenis kelamin dan umur (kabupaten)",
    ),
    "gui_dm_rp_chart_outreach": (
        "Outreach participants by kecamatan",
        "Peserta sosialisasi per kecamatan",
    ),
    "gui_dm_rp_no_victims": (
        "No victim was recorded in this period.",
        "Tidak ada korban yang tercatat pada periode ini.",
    ),
    "gui_dm_rp_no_outreach": (
        "No outreach participant was recorded in this period.",
        "Tidak ada peserta sosialisasi yang tercatat pada periode ini.",
    ),
    "gui_dm_rp_female_child": ("Girls", "Anak perempuan"),
    "gui_dm_rp_female_adult": ("Women", "Perempuan dewasa"),
    "gui_dm_rp_male_child": ("Boys", "Anak laki-laki"),
    "gui_dm_rp_male_adult": ("Men", "Laki-laki dewasa"),
    "gui_dm_rp_unknown": ("Sex or age unknown", "Jenis kelamin/umur tidak diketahui"),
    "gui_dm_rp_small_tip": (
        "1 or 2: hidden so that no one can be recognised.",
        "1 atau 2: disembunyikan agar tidak ada yang dapat dikenali.",
    ),
    "gui_dm_rp_hidden_tip": (
        "Hidden so that a small number cannot be worked out from the totals.",
        "Disembunyikan agar angka kecil tidak dapat dihitung dari jumlahnya.",
    ),
    "gui_dm_rp_export_csv": ("Save CSV", "Simpan CSV"),
    "gui_dm_rp_export_xlsx": ("Save Excel", "Simpan Excel"),
    "gui_dm_rp_export_pdf": ("Save PDF", "Simpan PDF"),
    "gui_dm_rp_save_title": ("Save the report", "Simpan laporan"),
    "gui_dm_rp_filter_csv": ("CSV files (*.csv)", "Berkas CSV (*.csv)"),
    "gui_dm_rp_filter_xlsx": ("Excel workbooks (*.xlsx)", "Buku kerja Excel (*.xlsx)"),
    "gui_dm_rp_filter_pdf": ("PDF documents (*.pdf)", "Dokumen PDF (*.pdf)"),
    "gui_dm_rp_saved": ("Saved: {name}", "Tersimpan: {name}"),
    "gui_dm_rp_save_failed": (
        "{name} could not be saved. Check that the folder exists, is not full and may be "
        "written to, then try again.",
        "{name} tidak dapat disimpan. Periksa apakah foldernya ada, tidak penuh, dan boleh "
        "ditulisi, lalu coba lagi.",
    ),
    "gui_dm_rp_pdf_failed": (
        "The PDF could not be made. Save the report as Excel instead, and tell the administrator.",
        "PDF tidak dapat dibuat. Simpan laporan sebagai Excel saja, dan beri tahu admin.",
    ),
    "gui_dm_rp_outdated": (
        "Records have changed since this report was made. Press Show to count again.",
        "Data berubah sejak laporan ini dibuat. Tekan Tampilkan untuk menghitung ulang.",
    ),
    # --- end of GUI: district reports
    # --- GUI: district import page
    "gui_dm_imp_intro": (
        "Choose the bundle files or the whole folder of a village flash drive, or drag them "
        "here. Each file is checked before it is imported; afterwards a receipt and a return "
        "bundle for the laptop are written back into the same folder.",
        "Pilih berkas bundel atau seluruh folder flashdisk dari desa, atau seret ke sini. Setiap "
        "berkas diperiksa sebelum diimpor; sesudahnya tanda terima dan bundel balasan untuk "
        "laptop ditulis kembali ke folder yang sama.",
    ),
    "gui_dm_imp_choose_files": ("Choose files…", "Pilih berkas…"),
    "gui_dm_imp_choose_folder": ("Choose folder…", "Pilih folder…"),
    "gui_dm_imp_clear": ("Clear list", "Kosongkan daftar"),
    "gui_dm_imp_start": ("Import", "Impor"),
    "gui_dm_imp_choose_files_title": ("Choose bundle files", "Pilih berkas bundel"),
    "gui_dm_imp_choose_folder_title": ("Choose the flash drive's folder", "Pilih folder flashdisk"),
    "gui_dm_imp_files_filter": (
        "Simpul bundles (*.simpul *.simpul-enroll);;All files (*)",
        "Bundel Simpul (*.simpul *.simpul-enroll);;Semua berkas (*)",
    ),
    "gui_dm_imp_empty": (
        "No files yet. Choose files or a folder, or drag them here from the file manager.",
        "Belum ada berkas. Pilih berkas atau folder, atau seret ke sini dari pengelola berkas.",
    ),
    "gui_dm_imp_col_file": ("File", "Berkas"),
    "gui_dm_imp_col_village": ("Village", "Desa"),
    "gui_dm_imp_col_device": ("Device", "Perangkat"),
    "gui_dm_imp_col_period": ("Period", "Periode"),
    "gui_dm_imp_col_cases": ("Cases", "Kasus"),
    "gui_dm_imp_col_outreach": ("Outreach", "Sosialisasi"),
    "gui_dm_imp_col_signature": ("Signature", "Tanda tangan"),
    "gui_dm_imp_col_seen": ("Imported before", "Sudah diimpor"),
    "gui_dm_imp_col_result": ("Result", "Hasil"),
    "gui_dm_imp_seen_yes": ("Yes", "Ya"),
    "gui_dm_imp_seen_no": ("No", "Belum"),
    "gui_dm_imp_reading": ("Reading…", "Membaca…"),
    "gui_dm_imp_answer_kind": ("Enrollment answer", "Jawaban pendaftaran"),
    "gui_dm_imp_not_bundle": ("Not a bundle", "Bukan bundel"),
    "gui_dm_imp_ready": ("Ready to import", "Siap diimpor"),
    "gui_dm_imp_will_reject": ("Will be refused: {reason}", "Akan ditolak: {reason}"),
    "gui_dm_imp_skipped": ("Skipped: {reason}", "Dilewati: {reason}"),
    "gui_dm_imp_answer_ready": (
        "The laptop is registered first",
        "Laptop didaftarkan lebih dulu",
    ),
    "gui_dm_imp_answer_needs_admin": (
        "Only an administrator can register this laptop",
        "Hanya admin yang dapat mendaftarkan laptop ini",
    ),
    "gui_dm_imp_done_imported": ("Imported", "Diimpor"),
    "gui_dm_imp_done_already": ("Already imported", "Sudah pernah diimpor"),
    "gui_dm_imp_done_rejected": ("Refused: {reason}", "Ditolak: {reason}"),
    "gui_dm_imp_done_enrolled": ("Laptop registered", "Laptop didaftarkan"),
    "gui_dm_imp_done_already_enrolled": ("Laptop already registered", "Laptop sudah terdaftar"),
    "gui_dm_imp_done_failed": ("Not imported: {reason}", "Belum diimpor: {reason}"),
    "gui_dm_imp_write_problem": (
        "But the receipt and return bundle could not be written: {problem}. The import counts; "
        "free some space or unlock the drive, then press Import again to write them.",
        "Namun tanda terima dan bundel balasan tidak dapat ditulis: {problem}. Impor tetap "
        "tercatat; kosongkan ruang atau buka kunci flashdisk, lalu tekan Impor lagi untuk "
        "menulisnya.",
    ),
    "gui_dm_imp_write_disk_full": ("the flash drive is full", "flashdisk penuh"),
    "gui_dm_imp_write_read_only": (
        "the flash drive is read-only (locked)",
        "flashdisk hanya bisa dibaca (terkunci)",
    ),
    "gui_dm_imp_write_write_failed": (
        "the folder cannot be written to",
        "folder tidak dapat ditulisi",
    ),
    "gui_dm_imp_reading_progress": (
        "Checking file {number} of {total}…",
        "Memeriksa berkas {number} dari {total}…",
    ),
    "gui_dm_imp_importing_progress": (
        "Importing {number} of {total}…",
        "Mengimpor {number} dari {total}…",
    ),
    "gui_dm_imp_nothing_found": ("No bundles found in {where}.", "Tidak ada bundel di {where}."),
    "gui_dm_imp_already_listed": (
        "These files are already in the list.",
        "Berkas ini sudah ada di daftar.",
    ),
    "gui_dm_imp_not_read": (
        "Some files could not be checked: {problem}",
        "Sebagian berkas belum dapat diperiksa: {problem}",
    ),
    "gui_dm_imp_ready_count": (
        "{count} bundle(s) ready to import. Press Import.",
        "{count} bundel siap diimpor. Tekan Impor.",
    ),
    "gui_dm_imp_not_allowed": (
        "Your account cannot import bundles.",
        "Akun Anda tidak dapat mengimpor bundel.",
    ),
    "gui_dm_imp_cancelling": (
        "Stopping after this bundle…",
        "Berhenti setelah bundel ini…",
    ),
    "gui_dm_imp_sum_imported": ("{count} imported", "{count} diimpor"),
    "gui_dm_imp_sum_already": ("{count} already imported", "{count} sudah pernah"),
    "gui_dm_imp_sum_rejected": ("{count} refused", "{count} ditolak"),
    "gui_dm_imp_sum_failed": (
        "{count} not imported (server problem)",
        "{count} belum diimpor (masalah server)",
    ),
    "gui_dm_imp_sum_enrolled": ("{count} laptop(s) registered", "{count} laptop didaftarkan"),
    "gui_dm_imp_sum_needs_admin": (
        "{count} laptop(s) wait for an administrator",
        "{count} laptop menunggu admin",
    ),
    "gui_dm_imp_sum_write_problem": (
        "{count} receipt(s) could not be written into the folder; see the rows.",
        "{count} tanda terima tidak dapat ditulis ke folder; lihat barisnya.",
    ),
    "gui_dm_imp_sum_cancelled": (
        "Cancelled: {count} file(s) not imported yet.",
        "Dibatalkan: {count} berkas belum diimpor.",
    ),
    "gui_dm_imp_sum_offline": (
        "The server could not be reached: {count} file(s) not imported yet; nothing was "
        "half-imported.",
        "Server tidak terjangkau: {count} berkas belum diimpor; tidak ada yang setengah diimpor.",
    ),
    "gui_dm_imp_sum_take_back": (
        "The receipts and return bundles are in the same folders: take the flash drives back "
        "to the villages.",
        "Tanda terima dan bundel balasan ada di folder yang sama: bawa kembali flashdisk ke desa.",
    ),
    "gui_dm_imp_sig_valid": ("Valid", "Sah"),
    "gui_dm_imp_sig_tampered": ("Changed after sealing", "Diubah setelah disegel"),
    "gui_dm_imp_sig_truncated": ("Incomplete", "Tidak lengkap"),
    "gui_dm_imp_sig_not_for_us": ("For another district", "Untuk kabupaten lain"),
    "gui_dm_imp_sig_unknown_sender": ("Laptop not registered", "Laptop belum terdaftar"),
    "gui_dm_imp_sig_device_revoked": ("Laptop revoked", "Laptop sudah dicabut"),
    "gui_dm_imp_sig_bad_signature": ("Signature does not match", "Tanda tangan tidak cocok"),
    "gui_dm_imp_sig_sender_mismatch": ("Signed by another laptop", "Ditandatangani laptop lain"),
    "gui_dm_imp_sig_wrong_kind": ("A return bundle", "Bundel balasan"),
    "gui_dm_imp_sig_too_large": ("Too large", "Terlalu besar"),
    "gui_dm_imp_sig_decompression_bomb": ("Content too large", "Isi terlalu besar"),
    "gui_dm_imp_sig_malformed_content": ("Content malformed", "Isi tidak sah"),
    "gui_dm_imp_sig_bad_header": ("Header damaged", "Kepala berkas rusak"),
    "gui_dm_imp_sig_unsupported_version": ("Newer format", "Format lebih baru"),
    "gui_dm_imp_sig_unsupported_suite": ("Newer format", "Format lebih baru"),
    "gui_dm_imp_sig_other": ("Not valid", "Tidak sah"),
    "gui_dm_imp_why_tampered": (
        "the file changed after the laptop sealed it (damaged while copying, or altered); "
        "export it again on the laptop",
        "berkas berubah setelah disegel laptop (rusak saat disalin atau diubah); ekspor ulang "
        "dari laptop desa",
    ),
    "gui_dm_imp_why_not_for_us": (
        "sealed for another district's server",
        "disegel untuk server kabupaten lain",
    ),
    "gui_dm_imp_why_unknown_sender": (
        "the laptop that made it is not registered with the district; bring its enrollment "
        "answer file",
        "laptop pembuatnya belum terdaftar di kabupaten; bawa berkas jawaban pendaftarannya",
    ),
    "gui_dm_imp_why_device_revoked": (
        "the laptop that made it has been revoked by the district",
        "laptop pembuatnya sudah dicabut oleh kabupaten",
    ),
    "gui_dm_imp_why_bad_signature": (
        "its signature does not match the laptop that made it",
        "tanda tangannya tidak cocok dengan laptop pembuatnya",
    ),
    "gui_dm_imp_why_sender_mismatch": (
        "it names another laptop than the one that signed it",
        "menyebut laptop lain daripada laptop yang menandatanganinya",
    ),
    "gui_dm_imp_why_wrong_kind": (
        "a return bundle for a village laptop, not a bundle for the district",
        "bundel balasan untuk laptop desa, bukan bundel untuk kabupaten",
    ),
    "gui_dm_imp_why_foreign_village": (
        "it holds records of another village than the laptop's own",
        "berisi catatan desa lain, bukan desa laptop itu",
    ),
    "gui_dm_imp_why_wrong_device": (
        "a bundle of a laptop of another village",
        "bundel milik laptop desa lain",
    ),
    "gui_dm_imp_why_unsupported_version": (
        "made by a newer Simpul; update the district server",
        "dibuat oleh Simpul yang lebih baru; perbarui server kabupaten",
    ),
    "gui_dm_imp_why_unsupported_suite": (
        "made by a newer Simpul (its compression or encryption is not known here); update the "
        "district server",
        "dibuat oleh Simpul yang lebih baru (kompresi atau enkripsinya belum dikenal di sini); "
        "perbarui server kabupaten",
    ),
    "gui_dm_imp_why_file_unreadable": (
        "the file cannot be read (was the flash drive removed?)",
        "berkas tidak dapat dibaca (flashdisk tercabut?)",
    ),
    "gui_dm_imp_why_not_read": (
        "not checked: the server could not be reached; choose the file again",
        "belum diperiksa: server tidak terjangkau; pilih lagi berkasnya",
    ),
    "gui_dm_imp_why_receipt": (
        "a receipt for a village laptop (take it back to the village)",
        "tanda terima untuk laptop desa (bawa kembali ke desa)",
    ),
    "gui_dm_imp_why_return_bundle": (
        "a return bundle for a village laptop (take it back to the village)",
        "bundel balasan untuk laptop desa (bawa kembali ke desa)",
    ),
    "gui_dm_imp_why_enrollment_file": (
        "an enrollment file for a village laptop",
        "berkas pendaftaran untuk laptop desa",
    ),
    "gui_dm_imp_why_enrollment_answer": (
        "an enrollment answer that cannot be read",
        "jawaban pendaftaran yang tidak terbaca",
    ),
    "gui_dm_imp_why_answer_invalid": (
        "not a valid enrollment answer",
        "bukan jawaban pendaftaran yang sah",
    ),
    "gui_dm_imp_why_answer_other_district": (
        "an enrollment answer for another district",
        "jawaban pendaftaran untuk kabupaten lain",
    ),
    "gui_dm_imp_why_enrollment_code_unknown": (
        "the district does not know its enrollment code",
        "kode pendaftarannya tidak dikenal kabupaten",
    ),
    "gui_dm_imp_why_enrollment_code_expired": (
        "its enrollment code has expired; make a new enrollment file for the village",
        "kode pendaftarannya sudah kedaluwarsa; buat berkas pendaftaran baru untuk desa itu",
    ),
    "gui_dm_imp_why_enrollment_code_used": (
        "its enrollment code was already used by another laptop",
        "kode pendaftarannya sudah dipakai laptop lain",
    ),
    "gui_dm_imp_why_device_exists": (
        "this laptop (or its key) is already registered",
        "laptop ini (atau kuncinya) sudah terdaftar",
    ),
    "gui_dm_imp_why_access_denied": (
        "your account may not do this",
        "akun Anda tidak berwenang untuk ini",
    ),
    "gui_dm_imp_why_other": ("refused by the server ({code})", "ditolak server ({code})"),
    # --- end of GUI: district import page
    # --- GUI: district devices and audit log
    "gui_dm_dev_intro": (
        "Village laptops enrolled with the district server: when each last reached the "
        "district and what it may still hold back. Only an administrator enrolls or revokes "
        "a laptop.",
        "Laptop desa yang terdaftar di server kabupaten: kapan terakhir terhubung dan berapa "
        "perubahan yang mungkin belum terkirim. Hanya admin yang dapat mendaftarkan atau "
        "mencabut laptop.",
    ),
    "gui_dm_dev_village": ("Village", "Desa"),
    "gui_dm_dev_all_villages": ("All villages", "Semua desa"),
    "gui_dm_dev_search_hint": (
        "Device tag, village, subdistrict or status",
        "Tanda perangkat, desa, kecamatan, atau status",
    ),
    "gui_dm_dev_refresh": ("Refresh", "Muat ulang"),
    "gui_dm_dev_revoke": ("Revoke device…", "Cabut perangkat…"),
    "gui_dm_dev_code": ("Create enrollment code…", "Buat kode pendaftaran…"),
    "gui_dm_dev_file": ("Create enrollment file…", "Buat berkas pendaftaran…"),
    "gui_dm_dev_role_note": (
        "Only an administrator can enroll or revoke devices; you can see the list.",
        "Hanya admin yang dapat mendaftarkan atau mencabut perangkat; Anda dapat melihat "
        "daftarnya.",
    ),
    "gui_dm_dev_col_device": ("Device", "Perangkat"),
    "gui_dm_dev_col_village": ("Village", "Desa"),
    "gui_dm_dev_col_kecamatan": ("Subdistrict", "Kecamatan"),
    "gui_dm_dev_col_enrolled": ("Enrolled", "Terdaftar"),
    "gui_dm_dev_col_contact": ("Last contact", "Kontak terakhir"),
    "gui_dm_dev_col_bundle": ("Last bundle", "Bundel terakhir"),
    "gui_dm_dev_col_pending": ("Not yet received (est.)", "Belum diterima (perkiraan)"),
    "gui_dm_dev_pending_tip": (
        "Changes the laptop had saved before its latest bundle that the district has not "
        "received yet. A minimum: the laptop may have recorded more since.",
        "Perubahan yang sudah disimpan laptop sebelum bundel terakhirnya tetapi belum diterima "
        "kabupaten. Ini angka minimum: laptop mungkin sudah mencatat lebih banyak sejak itu.",
    ),
    "gui_dm_dev_pending_unknown_tip": (
        "Unknown: no bundle from this laptop has said yet how far it has got.",
        "Belum diketahui: belum ada bundel dari laptop ini yang menyebutkan sejauh mana "
        "catatannya.",
    ),
    "gui_dm_dev_never": ("Never", "Belum pernah"),
    "gui_dm_dev_active": ("Active", "Aktif"),
    "gui_dm_dev_revoked": ("Revoked", "Dicabut"),
    "gui_dm_dev_revoked_tip": ("Revoked on {when}", "Dicabut pada {when}"),
    "gui_dm_dev_device_tip": (
        "Device id {device}. The first two characters appear in the record codes it makes.",
        "ID perangkat {device}. Dua karakter pertama muncul dalam kode catatan yang dibuatnya.",
    ),
    "gui_dm_dev_count": (
        "{count} device(s): {active} active, {revoked} revoked",
        "{count} perangkat: {active} aktif, {revoked} dicabut",
    ),
    "gui_dm_dev_count_filtered": (
        "{shown} of {count} device(s) shown",
        "{shown} dari {count} perangkat ditampilkan",
    ),
    "gui_dm_dev_none": (
        "No laptop is enrolled yet. Create an enrollment code or file for a village.",
        "Belum ada laptop yang terdaftar. Buat kode atau berkas pendaftaran untuk sebuah desa.",
    ),
    "gui_dm_dev_none_match": (
        "No device matches the filters.",
        "Tidak ada perangkat yang cocok dengan saringan.",
    ),
    "gui_dm_dev_place": (
        "{village}, {kecamatan} subdistrict",
        "{village}, Kec. {kecamatan}",
    ),
    "gui_dm_dev_revoke_title": ("Revoke device", "Cabut perangkat"),
    "gui_dm_dev_revoke_question": (
        "Revoke device {device} of {place}?\n\n"
        "Its token stops working at once and every bundle it sends from now on is refused, "
        "online or on a flash drive. The records it already sent stay at the district.\n\n"
        "This cannot be undone: the laptop has to be enrolled again with a new code.",
        "Cabut perangkat {device} milik {place}?\n\n"
        "Tokennya langsung tidak berlaku dan setiap bundel yang dikirimnya mulai sekarang "
        "ditolak, baik lewat internet maupun flashdisk. Catatan yang sudah terkirim tetap "
        "tersimpan di kabupaten.\n\n"
        "Ini tidak dapat dibatalkan: laptop itu harus didaftarkan ulang dengan kode baru.",
    ),
    "gui_dm_dev_revoked_done": (
        "Device {device} of {place} is revoked; its bundles are refused from now on.",
        "Perangkat {device} milik {place} sudah dicabut; bundelnya ditolak mulai sekarang.",
    ),
    "gui_dm_dev_code_title": ("Create enrollment code", "Buat kode pendaftaran"),
    "gui_dm_dev_file_title": ("Create enrollment file", "Buat berkas pendaftaran"),
    "gui_dm_dev_code_intro": (
        "Choose the village of the laptop. The code works once, for one laptop, until it "
        "expires; the village types it in the laptop's enrollment step.",
        "Pilih desa pemilik laptop. Kode hanya berlaku satu kali, untuk satu laptop, sampai "
        "batas waktunya; desa mengetikkannya saat mendaftarkan laptop.",
    ),
    "gui_dm_dev_file_intro": (
        "For a village without internet: choose the village, then where to save the file "
        "(for example a flash drive). The laptop opens the file to enroll, and its answer comes "
        "back with its first bundle.",
        "Untuk desa tanpa internet: pilih desanya, lalu tempat menyimpan berkas (misalnya "
        "flashdisk). Laptop desa membuka berkas ini untuk mendaftar, dan jawabannya kembali "
        "bersama bundel pertamanya.",
    ),
    "gui_dm_dev_hours": ("Valid for", "Berlaku selama"),
    "gui_dm_dev_hours_suffix": (" hours", " jam"),
    "gui_dm_dev_hours_days": ("= {days} day(s)", "= {days} hari"),
    "gui_dm_dev_code_make": ("Create code", "Buat kode"),
    "gui_dm_dev_file_save": ("Save file…", "Simpan berkas…"),
    "gui_dm_dev_file_save_title": ("Save the enrollment file", "Simpan berkas pendaftaran"),
    "gui_dm_dev_code_for": ("Enrollment code for {place}", "Kode pendaftaran untuk {place}"),
    "gui_dm_dev_code_expires": ("Valid until {when}.", "Berlaku sampai {when}."),
    "gui_dm_dev_code_hint": (
        "The code is shown only now: copy it or write it down before closing. Give it to the "
        "village in person or by phone, never with a person's name.",
        "Kode ini hanya ditampilkan sekarang: salin atau catat sebelum menutup. Sampaikan ke "
        "desa secara langsung atau lewat telepon, jangan bersama nama seseorang.",
    ),
    "gui_dm_dev_copy": ("Copy code", "Salin kode"),
    "gui_dm_dev_copied": ("Copied.", "Tersalin."),
    "gui_dm_dev_done": ("Done", "Selesai"),
    "gui_dm_dev_file_saved_title": (
        "Enrollment file for {place}",
        "Berkas pendaftaran untuk {place}",
    ),
    "gui_dm_dev_file_saved": (
        "Saved as {path}. It works once, until {when}.",
        "Tersimpan sebagai {path}. Berlaku satu kali, sampai {when}.",
    ),
    "gui_dm_dev_file_hint": (
        "Carry the file to the village by hand. Anyone holding it can enroll one laptop for "
        "this village until it expires: keep it with you and delete it once used.",
        "Bawa berkas ini ke desa secara langsung. Siapa pun yang memegangnya dapat "
        "mendaftarkan satu laptop untuk desa ini sampai kedaluwarsa: simpan baik-baik dan "
        "hapus setelah dipakai.",
    ),
    "gui_dm_dev_file_done": (
        "Enrollment file saved: {path}",
        "Berkas pendaftaran tersimpan: {path}",
    ),
    "gui_dm_dev_file_unwritable": (
        "The enrollment file could not be saved to {path} ({detail}). Choose another place.",
        "Berkas pendaftaran tidak dapat disimpan ke {path} ({detail}). Pilih tempat lain.",
    ),
    "gui_dm_dev_err_access_denied": (
        "The server refused: your account may not do this. Ask an administrator.",
        "Server menolak: akun Anda tidak berwenang untuk ini. Hubungi admin.",
    ),
    "gui_dm_dev_err_unknown_device": (
        "The server no longer knows this device. Refresh the list.",
        "Server tidak mengenal perangkat ini lagi. Muat ulang daftarnya.",
    ),
    "gui_dm_dev_err_unknown_village": (
        "The server does not know this village.",
        "Server tidak mengenal desa ini.",
    ),
    "gui_dm_dev_err_invalid_ttl": (
        "An enrollment code is valid for at most 90 days (2160 hours).",
        "Kode pendaftaran berlaku paling lama 90 hari (2160 jam).",
    ),
    "gui_dm_audit_intro": (
        "Every read and change on the district server, newest first: who, what and which "
        "record. Names of people are never written here.",
        "Setiap pembacaan dan perubahan di server kabupaten, terbaru di atas: siapa, apa, dan "
        "catatan mana. Nama orang tidak pernah ditulis di sini.",
    ),
    "gui_dm_audit_record": ("Record", "Catatan"),
    "gui_dm_audit_record_hint": (
        "Case code or record id, then Enter",
        "Kode kasus atau ID catatan, lalu Enter",
    ),
    "gui_dm_audit_actor": ("Who", "Siapa"),
    "gui_dm_audit_action": ("Action", "Tindakan"),
    "gui_dm_audit_all_actors": ("Everyone", "Semua"),
    "gui_dm_audit_all_actions": ("All actions", "Semua tindakan"),
    "gui_dm_audit_more": ("Load {count} more", "Muat {count} lagi"),
    "gui_dm_audit_col_time": ("Time", "Waktu"),
    "gui_dm_audit_col_actor": ("Who", "Siapa"),
    "gui_dm_audit_col_action": ("Action", "Tindakan"),
    "gui_dm_audit_col_record": ("Record", "Catatan"),
    "gui_dm_audit_col_detail": ("Details", "Rincian"),
    "gui_dm_audit_count": (
        "The newest {count} entries",
        "{count} entri terbaru",
    ),
    "gui_dm_audit_count_filtered": (
        "{shown} of the newest {count} entries shown",
        "{shown} dari {count} entri terbaru ditampilkan",
    ),
    "gui_dm_audit_none": ("No entry matches.", "Tidak ada entri yang cocok."),
    "gui_dm_audit_none_record": (
        "No entry for “{record}”. Check the case code or record id.",
        "Tidak ada entri untuk “{record}”. Periksa kode kasus atau ID catatan.",
    ),
    "gui_dm_audit_actor_cli": ("{user} (server command)", "{user} (perintah server)"),
    "gui_dm_audit_actor_device": ("Village laptop {device}", "Laptop desa {device}"),
    "gui_dm_audit_actor_system": ("System", "Sistem"),
    "gui_dm_audit_a_login": ("Signed in", "Masuk"),
    "gui_dm_audit_a_logout": ("Signed out", "Keluar"),
    "gui_dm_audit_a_list": ("Listed records", "Melihat daftar catatan"),
    "gui_dm_audit_a_view": ("Opened a record", "Membuka catatan"),
    "gui_dm_audit_a_followup": ("Saved a follow-up", "Menyimpan tindak lanjut"),
    "gui_dm_audit_a_followup_unchanged": (
        "Saved a follow-up (no change)",
        "Menyimpan tindak lanjut (tanpa perubahan)",
    ),
    "gui_dm_audit_a_audit_read": ("Read the audit log", "Membaca log audit"),
    "gui_dm_audit_a_devices_list": ("Listed devices", "Melihat daftar perangkat"),
    "gui_dm_audit_a_revoke": ("Revoked a device", "Mencabut perangkat"),
    "gui_dm_audit_a_enrollment_code": ("Created an enrollment code", "Membuat kode pendaftaran"),
    "gui_dm_audit_a_enrollment_file": ("Created an enrollment file", "Membuat berkas pendaftaran"),
    "gui_dm_audit_a_enrollment_answer": (
        "Imported an enrollment answer",
        "Mengimpor jawaban pendaftaran",
    ),
    "gui_dm_audit_a_enroll": ("Laptop enrolled", "Laptop terdaftar"),
    "gui_dm_audit_a_import": ("Bundle received", "Bundel diterima"),
    "gui_dm_audit_a_bundle_preview": ("Previewed a bundle file", "Memeriksa berkas bundel"),
    "gui_dm_audit_a_bundle_import": ("Imported a bundle file", "Mengimpor berkas bundel"),
    "gui_dm_audit_a_user_add": ("Added a staff account", "Menambah akun petugas"),
    "gui_dm_audit_a_backup": ("Made a backup", "Membuat cadangan"),
    "gui_dm_audit_a_restore": ("Restored a backup", "Memulihkan cadangan"),
    "gui_dm_audit_a_report": ("Made a report", "Membuat laporan"),
    "gui_dm_audit_a_report_record": ("Record read for a report", "Catatan dibaca untuk laporan"),
    "gui_dm_audit_a_report_simfoni": ("Made the SIMFONI export", "Membuat ekspor SIMFONI"),
    "gui_dm_audit_a_report_simfoni_record": (
        "Record read for the SIMFONI export",
        "Catatan dibaca untuk ekspor SIMFONI",
    ),
    "gui_dm_audit_k_village": ("village", "desa"),
    "gui_dm_audit_k_device": ("device", "perangkat"),
    "gui_dm_audit_k_n": ("count", "jumlah"),
    "gui_dm_audit_k_kind": ("kind", "jenis"),
    "gui_dm_audit_k_user": ("account", "akun"),
    "gui_dm_audit_k_role": ("role", "peran"),
    "gui_dm_audit_k_reason": ("reason", "alasan"),
    "gui_dm_audit_k_bundle": ("bundle", "bundel"),
    "gui_dm_audit_k_changes": ("changes", "perubahan"),
    "gui_dm_audit_k_rejected": ("refused", "ditolak"),
    "gui_dm_audit_k_via": ("via", "lewat"),
    "gui_dm_audit_k_period": ("period", "periode"),
    "gui_dm_audit_k_cases": ("cases", "kasus"),
    "gui_dm_audit_k_outreach": ("outreach", "sosialisasi"),
    "gui_dm_audit_k_fields": ("fields", "isian"),
    "gui_dm_audit_k_resolve": ("settled", "diselesaikan"),
    "gui_dm_audit_k_signature": ("signature", "tanda tangan"),
    "gui_dm_audit_k_victims": ("victims", "korban"),
    "gui_dm_audit_k_identified": ("identified", "teridentifikasi"),
    "gui_dm_audit_k_share": ("for sharing", "untuk dibagikan"),
    "gui_dm_audit_k_q": ("text search", "pencarian teks"),
    # --- end of GUI: district devices and audit log
    # --- GUI: district cases
    "gui_dm_cases_title": ("Cases across villages", "Kasus lintas desa"),
    "gui_dm_cases_kecamatan": ("Subdistrict", "Kecamatan"),
    "gui_dm_cases_village": ("Village", "Desa/kelurahan"),
    "gui_dm_cases_status": ("Case status", "Status kasus"),
    "gui_dm_cases_violence": ("Violence type", "Jenis kekerasan"),
    "gui_dm_cases_all": ("All", "Semua"),
    "gui_dm_cases_tppo": ("TPPO only", "Hanya TPPO"),
    "gui_dm_cases_review": ("Needs review", "Perlu ditinjau"),
    "gui_dm_cases_overdue": ("Past 3×24 hours", "Lewat 3×24 jam"),
    "gui_dm_cases_from": ("Reported from", "Dilaporkan dari"),
    "gui_dm_cases_to": ("to", "sampai"),
    "gui_dm_cases_search": ("Search", "Cari"),
    "gui_dm_cases_search_hint": ("Case code", "Kode kasus"),
    "gui_dm_cases_sort": ("Sort by", "Urutkan"),
    "gui_dm_cases_sort_reported": ("Newest report", "Laporan terbaru"),
    "gui_dm_cases_sort_code": ("Case code", "Kode kasus"),
    "gui_dm_cases_sort_village": ("Village", "Desa"),
    "gui_dm_cases_sort_status": ("Case status", "Status kasus"),
    "gui_dm_cases_sort_updated": ("Last changed", "Terakhir diubah"),
    "gui_dm_cases_count": ("{count} cases", "{count} kasus"),
    "gui_dm_cases_range": ("{first}–{last} of {count}", "{first}–{last} dari {count}"),
    "gui_dm_cases_prev": ("‹ Previous", "‹ Sebelumnya"),
    "gui_dm_cases_next": ("Next ›", "Berikutnya ›"),
    "gui_dm_cases_reload": ("Reload", "Muat ulang"),
    "gui_dm_cases_clear": ("Clear filters", "Hapus filter"),
    "gui_dm_cases_loading": ("Loading…", "Memuat…"),
    "gui_dm_cases_empty": ("No cases on the server yet.", "Belum ada kasus di server."),
    "gui_dm_cases_no_match": (
        "No case matches the search and filters.",
        "Tidak ada kasus yang cocok dengan pencarian dan filter.",
    ),
    "gui_dm_cases_offline": (
        "The district server cannot be reached right now. Press Reload to try again.",
        "Server kabupaten belum dapat dihubungi. Tekan Muat ulang untuk mencoba lagi.",
    ),
    "gui_dm_cases_bad_date": (
        "Type the date as dd/mm/yyyy (or pick it from the calendar).",
        "Ketik tanggal sebagai hh/bb/tttt (atau pilih dari kalender).",
    ),
    "gui_dm_cases_col_code": ("Case code", "Kode kasus"),
    "gui_dm_cases_col_kecamatan": ("Subdistrict", "Kecamatan"),
    "gui_dm_cases_col_village": ("Village", "Desa"),
    "gui_dm_cases_col_reported": ("Reported", "Tgl. lapor"),
    "gui_dm_cases_col_violence": ("Violence", "Jenis kekerasan"),
    "gui_dm_cases_col_victims": ("Victims", "Korban"),
    "gui_dm_cases_col_status": ("Case status", "Status kasus"),
    "gui_dm_cases_col_tppo": ("Trafficking", "TPPO"),
    "gui_dm_cases_col_review": ("Review", "Tinjau"),
    "gui_dm_cases_col_overdue": ("3×24 h", "3×24 jam"),
    "gui_dm_cases_yes": ("Yes", "Ya"),
    "gui_dm_cases_review_mark": ("Needs review", "Perlu ditinjau"),
    "gui_dm_cases_review_tip": (
        "A field was changed in two places at once; someone must decide which value is right.",
        "Ada isian yang diubah di dua tempat sekaligus; perlu diputuskan nilai yang benar.",
    ),
    "gui_dm_cases_overdue_mark": ("● Overdue", "● Terlambat"),
    "gui_dm_cases_overdue_tip": (
        "Sexual violence: the 3×24-hour deadline to refer the report to the police "
        "(UU TPKS Pasal 41) has passed and no police referral is recorded.",
        "Kekerasan seksual: batas 3×24 jam untuk meneruskan laporan ke polisi "
        "(UU TPKS Pasal 41) sudah lewat dan belum ada rujukan ke polisi yang tercatat.",
    ),
    "gui_dm_case_loading": ("Reading the case from the server…", "Membaca kasus dari server…"),
    "gui_dm_case_followup": ("Follow up…", "Tindak lanjut…"),
    "gui_dm_case_read_only": (
        "Your role may read cases; follow-up is recorded by district staff.",
        "Peran Anda hanya membaca kasus; tindak lanjut dicatat oleh petugas kabupaten.",
    ),
    "gui_dm_case_device_district": ("District office", "Kantor kabupaten"),
    "gui_dm_case_device_village": ("Village laptop ({tag})", "Laptop desa ({tag})"),
    "gui_dm_case_author_staff": ("{name} (district)", "{name} (kabupaten)"),
    "gui_dm_case_saved": (
        "Follow-up saved. It reaches the village at its next sync or return bundle.",
        "Tindak lanjut disimpan. Perubahan sampai ke desa pada sinkronisasi atau bundel "
        "balasan berikutnya.",
    ),
    "gui_dm_case_saved_review": (
        "Saved, but the village changed the same field at the same time: {fields} now needs "
        "review.",
        "Disimpan, tetapi desa mengubah isian yang sama pada waktu bersamaan: {fields} kini "
        "perlu ditinjau.",
    ),
    "gui_dm_fu_title": ("Follow-up — {code}", "Tindak lanjut — {code}"),
    "gui_dm_fu_intro": (
        "What you save here is recorded on the server under your name and reaches the village "
        "laptop at its next sync or return bundle. Write notes in a service's description or "
        "a referral's note.",
        "Yang Anda simpan di sini dicatat di server atas nama Anda dan sampai ke laptop desa "
        "pada sinkronisasi atau bundel balasan berikutnya. Tulis catatan pada uraian layanan "
        "atau catatan rujukan.",
    ),
    "gui_dm_fu_services": ("New services", "Layanan baru"),
    "gui_dm_fu_add_service": ("+ Add a service", "+ Tambah layanan"),
    "gui_dm_fu_referrals": ("Referrals", "Rujukan"),
    "gui_dm_fu_add_referral": ("+ Add a referral", "+ Tambah rujukan"),
    "gui_dm_fu_resolve": (
        "These fields need review; save my values as the right ones: {fields}",
        "Isian ini perlu ditinjau; simpan nilai saya sebagai yang benar: {fields}",
    ),
    "gui_dm_fu_save": ("Save follow-up", "Simpan tindak lanjut"),
    "gui_dm_fu_saving": ("Saving…", "Menyimpan…"),
    "gui_dm_fu_nothing": (
        "Nothing was changed: choose a status or add a service or a referral.",
        "Belum ada yang diubah: pilih status atau tambahkan layanan atau rujukan.",
    ),
    "gui_dm_fu_problems": (
        "The follow-up was not saved; {count} problem(s) to fix:",
        "Tindak lanjut belum disimpan; ada {count} masalah yang perlu diperbaiki:",
    ),
    "gui_dm_fu_refused": (
        "The server did not accept the follow-up ({reason}).",
        "Server tidak menerima tindak lanjut ini ({reason}).",
    ),
    "gui_dm_fu_refused_access_denied": (
        "Your role may only read cases; the follow-up was not saved.",
        "Peran Anda hanya boleh membaca kasus; tindak lanjut tidak disimpan.",
    ),
    "gui_dm_fu_refused_validation_failed": (
        "The server found the case incomplete or inconsistent; the follow-up was not saved. "
        "Check the dates and choices.",
        "Server menilai data kasus belum lengkap atau tidak sesuai; tindak lanjut tidak "
        "disimpan. Periksa tanggal dan pilihan.",
    ),
    "gui_dm_fu_refused_record_deleted": (
        "The village deleted this case; it can no longer be followed up.",
        "Kasus ini sudah dihapus oleh desa; tidak dapat ditindaklanjuti lagi.",
    ),
    "gui_dm_fu_refused_record_not_found": (
        "The case is no longer on the server.",
        "Kasus ini tidak ada lagi di server.",
    ),
    "gui_dm_fu_refused_bad_resolve": (
        "Someone settled the review meanwhile. Close this window, open the case again and "
        "check the values.",
        "Tinjauan sudah diselesaikan orang lain. Tutup jendela ini, buka kasusnya lagi, lalu "
        "periksa nilainya.",
    ),
    "gui_dm_fu_refused_village_change": (
        "A follow-up cannot move a case to another village.",
        "Tindak lanjut tidak dapat memindahkan kasus ke desa lain.",
    ),
    "gui_dm_fu_refused_delete_not_allowed": (
        "A follow-up cannot delete a case; only the village can.",
        "Tindak lanjut tidak dapat menghapus kasus; hanya desa yang dapat menghapusnya.",
    ),
    # --- end of GUI: district cases
    # --- GUI: outreach page and form (add outreach texts below this line)
    "gui_outreach_new": ("New outreach ({keys})", "Sosialisasi baru ({keys})"),
    "gui_outreach_search": ("Search", "Cari"),
    "gui_outreach_search_hint": (
        "Title, record code, venue or village",
        "Judul, kode catatan, tempat, atau desa",
    ),
    "gui_outreach_count": ("{count} activities", "{count} kegiatan"),
    "gui_outreach_count_filtered": (
        "{shown} of {count} activities",
        "{shown} dari {count} kegiatan",
    ),
    "gui_outreach_empty": (
        'No outreach activity recorded yet. Choose "New outreach" to record one.',
        'Belum ada kegiatan sosialisasi yang dicatat. Pilih "Sosialisasi baru" untuk mencatat.',
    ),
    "gui_outreach_no_match": (
        "No activity matches the search.",
        "Tidak ada kegiatan yang cocok dengan pencarian.",
    ),
    "gui_outreach_col_code": ("Record code", "Kode catatan"),
    "gui_outreach_col_held": ("Date held", "Tanggal kegiatan"),
    "gui_outreach_col_title": ("Title", "Judul"),
    "gui_outreach_col_type": ("Type of activity", "Jenis kegiatan"),
    "gui_outreach_col_village": ("Venue village", "Desa tempat kegiatan"),
    "gui_outreach_col_participants": ("Participants", "Peserta"),
    "gui_of_title_new": ("New outreach activity", "Sosialisasi baru"),
    "gui_of_title_edit": ("Edit outreach {code}", "Ubah sosialisasi {code}"),
    "gui_of_subtitle": (
        "Only the title and the date are required. Count participants without names; a case disclosed during the activity is linked by its code only.",
        "Yang wajib hanya judul dan tanggal. Peserta cukup dihitung tanpa nama; kasus yang terungkap saat kegiatan cukup ditautkan dengan kodenya.",
    ),
    "gui_of_sec_activity": ("Activity", "Kegiatan"),
    "gui_of_sec_people": ("Organisers and speakers", "Penyelenggara dan narasumber"),
    "gui_of_sec_participants": ("Target groups and participants", "Sasaran dan peserta"),
    "gui_of_sec_results": ("Results and follow-up", "Hasil dan tindak lanjut"),
    "gui_of_sec_funding": ("Funding", "Pendanaan"),
    "gui_of_f_title": ("Title (required)", "Judul kegiatan (wajib)"),
    "gui_of_f_type": ("Type of activity", "Jenis kegiatan"),
    "gui_of_f_topics": ("Topics", "Topik"),
    "gui_of_f_held_on": ("Date (required)", "Tanggal (wajib)"),
    "gui_of_f_start_time": ("Starts at", "Jam mulai"),
    "gui_of_f_end_time": ("Ends at", "Jam selesai"),
    "gui_of_f_venue": ("Venue", "Tempat"),
    "gui_of_f_venue_village": ("Village of the venue", "Desa/kelurahan tempat"),
    "gui_of_f_organisers": ("Organised by", "Penyelenggara"),
    "gui_of_f_speakers": ("Speakers", "Narasumber"),
    "gui_of_f_facilitator": ("Facilitator", "Fasilitator/pemandu"),
    "gui_of_f_target_groups": ("Target groups", "Sasaran"),
    "gui_of_f_participants": ("Participants", "Peserta"),
    "gui_of_f_male_child": ("Boys (under 18)", "Laki-laki, anak"),
    "gui_of_f_male_adult": ("Men", "Laki-laki, dewasa"),
    "gui_of_f_female_child": ("Girls (under 18)", "Perempuan, anak"),
    "gui_of_f_female_adult": ("Women", "Perempuan, dewasa"),
    "gui_of_f_with_disability": (
        "Of them, with a disability",
        "Di antaranya penyandang disabilitas",
    ),
    "gui_of_f_summary": ("Summary or minutes", "Ringkasan/notulen"),
    "gui_of_f_follow_up": ("Follow-up plan", "Rencana tindak lanjut"),
    "gui_of_f_materials": ("Materials handed out", "Materi yang dibagikan"),
    "gui_of_f_evaluation": ("Evaluation", "Evaluasi"),
    "gui_of_f_linked_cases": ("Cases disclosed", "Kasus yang terungkap"),
    "gui_of_f_funding": ("Source of funds", "Sumber dana"),
    "gui_of_f_budget": ("Budget (rupiah)", "Anggaran (rupiah)"),
    "gui_of_child": ("Children (under 18)", "Anak (di bawah 18 th)"),
    "gui_of_adult": ("Adults", "Dewasa"),
    "gui_of_total": ("Total", "Jumlah"),
    "gui_of_male": ("Male", "Laki-laki"),
    "gui_of_female": ("Female", "Perempuan"),
    "gui_of_linked_cases_hint": (
        "If someone disclosed a case, record the case first, then link it here by its code. No case detail goes into this record.",
        "Jika ada yang mengungkapkan kasus, catat kasusnya dulu, lalu tautkan di sini dengan kodenya. Rincian kasus tidak dicatat di sini.",
    ),
    "gui_of_case_code_hint": ("Case code, e.g. PML-…", "Kode kasus, misalnya PML-…"),
    "gui_of_link_case": ("Link the case", "Tautkan kasus"),
    "gui_of_unlink_case": ("Remove the link", "Hapus tautan"),
    "gui_of_case_unknown": (
        "{code} is not the code of a case on this laptop.",
        "{code} bukan kode kasus yang ada di laptop ini.",
    ),
    "gui_of_case_not_here": ("(a case not on this laptop)", "(kasus yang tidak ada di laptop ini)"),
    "gui_of_bad_time": (
        "Not a time: type hours:minutes, e.g. 09:30.",
        "Bukan jam: tulis jam:menit, misalnya 09:30.",
    ),
    "gui_of_time_hint": ("hh:mm", "jj:mm"),
    "gui_of_keys": (
        "Tab: next field · Ctrl+S: save · Esc: close (what you typed is kept as a draft)",
        "Tab: isian berikutnya · Ctrl+S: simpan · Esc: tutup (isian disimpan sebagai draf)",
    ),
    # --- end of GUI: outreach
    # --- GUI: needs-review page (add review texts below this line)
    "gui_rv_intro": (
        "Fields changed in two places at once (on two laptops, or here and at the district). Both values are kept until someone chooses the right one.",
        "Isian yang diubah di dua tempat sekaligus (di dua laptop, atau di sini dan di kabupaten). Kedua nilai disimpan sampai ada yang memilih nilai yang benar.",
    ),
    "gui_rv_empty": ("Nothing needs review.", "Tidak ada yang perlu ditinjau."),
    "gui_rv_col_code": ("Record code", "Kode catatan"),
    "gui_rv_col_kind": ("Kind", "Jenis"),
    "gui_rv_col_field": ("Field", "Isian"),
    "gui_rv_col_values": ("Competing values", "Nilai yang berbeda"),
    "gui_rv_col_who": ("Changed by", "Diubah oleh"),
    "gui_rv_kind_case": ("Case", "Kasus"),
    "gui_rv_kind_outreach": ("Outreach event", "Kegiatan sosialisasi"),
    "gui_rv_none_selected": (
        "Choose a field in the list above.",
        "Pilih salah satu isian pada daftar di atas.",
    ),
    "gui_rv_hint_typed": (
        "Changed in two places at once. Choose the right value, or type a new one, then press Settle.",
        "Diubah di dua tempat sekaligus. Pilih nilai yang benar, atau tulis nilai baru, lalu tekan Tetapkan.",
    ),
    "gui_rv_hint_choose": (
        "Changed in two places at once. Choose the right value, then press Settle.",
        "Diubah di dua tempat sekaligus. Pilih nilai yang benar, lalu tekan Tetapkan.",
    ),
    "gui_rv_choose": ("Which value is right?", "Nilai mana yang benar?"),
    "gui_rv_new_value": ("Another value:", "Nilai lain:"),
    "gui_rv_who": ("by {author} · {device} · {when}", "oleh {author} · {device} · {when}"),
    "gui_rv_no_value": ("(empty)", "(kosong)"),
    "gui_rv_settle": ("Settle", "Tetapkan"),
    "gui_rv_open_case": ("Open the case", "Lihat kasus"),
    "gui_rv_settled": (
        "Saved: {field} of {code} is settled.",
        "Tersimpan: {field} pada {code} sudah ditetapkan.",
    ),
    "gui_err_review_changed": (
        "The values of this field changed meanwhile (a sync brought another one). Look at them again and choose.",
        "Nilai isian ini berubah sementara itu (ada kiriman baru lewat sinkronisasi). Periksa lagi, lalu pilih.",
    ),
    "gui_rv_of_held_on": ("Date held", "Tanggal kegiatan"),
    # --- end of GUI: needs review
    # --- GUI: recap page (add recap texts below this line)
    "gui_recap_intro": (
        "Cases count by their report date, outreach by the day it was held. Deleted records are not counted.",
        "Kasus dihitung menurut tanggal pelaporan, sosialisasi menurut tanggal kegiatan. Catatan yang dihapus tidak dihitung.",
    ),
    "gui_recap_period": ("Period", "Periode"),
    "gui_recap_this_month": ("This month ({month})", "Bulan ini ({month})"),
    "gui_recap_this_year": ("This year ({year})", "Tahun ini ({year})"),
    "gui_recap_counting": ("Counting…", "Sedang menghitung…"),
    "gui_recap_summary": (
        "{cases} case(s) reported, {victims} victim(s)",
        "{cases} kasus dilaporkan, {victims} korban",
    ),
    "gui_recap_victims_heading": ("Victims by type of violence", "Korban menurut jenis kekerasan"),
    "gui_recap_col_type": ("Type of violence", "Jenis kekerasan"),
    "gui_recap_col_female_child": ("Female, child", "Perempuan anak"),
    "gui_recap_col_female_adult": ("Female, adult", "Perempuan dewasa"),
    "gui_recap_col_male_child": ("Male, child", "Laki-laki anak"),
    "gui_recap_col_male_adult": ("Male, adult", "Laki-laki dewasa"),
    "gui_recap_col_unknown": ("Unknown", "Tidak diketahui"),
    "gui_recap_col_unknown_tip": (
        "Victims whose sex or age is not recorded",
        "Korban yang jenis kelamin atau usianya tidak dicatat",
    ),
    "gui_recap_col_total": ("Total", "Jumlah"),
    "gui_recap_row_total": ("All victims", "Jumlah korban"),
    "gui_recap_child_hint": (
        "A child is under 18 on the report date.",
        "Anak adalah yang berusia di bawah 18 tahun pada tanggal pelaporan.",
    ),
    "gui_recap_note": (
        "A victim who suffered more than one type of violence is counted under each type, so the rows can add up to more than the number of victims.",
        "Korban yang mengalami lebih dari satu jenis kekerasan dihitung pada setiap jenisnya, sehingga jumlah semua baris bisa lebih besar daripada jumlah korban.",
    ),
    "gui_recap_no_cases": (
        "No case was reported in this period.",
        "Tidak ada kasus yang dilaporkan pada periode ini.",
    ),
    "gui_recap_events": ("{count} activity(ies) held", "{count} kegiatan dilaksanakan"),
    "gui_recap_participants": ("Participants", "Peserta"),
    "gui_recap_child": ("Child", "Anak"),
    "gui_recap_adult": ("Adult", "Dewasa"),
    "gui_recap_with_disability": (
        "Of them with a disability: {count}",
        "Di antaranya penyandang disabilitas: {count}",
    ),
    # --- end of GUI: recap
    # --- GUI: settings page (add settings texts below this line)
    "gui_settings_general": ("General", "Umum"),
    "gui_settings_sync": ("Sync with the district", "Sinkron dengan kabupaten"),
    "gui_settings_sync_interval": ("Sync every", "Sinkron setiap"),
    "gui_settings_sync_interval_hint": (
        "How often this laptop sends and fetches changes while it is online. What you save is sent soon after in any case.",
        "Seberapa sering laptop ini mengirim dan mengambil perubahan selama tersambung internet. Yang Anda simpan tetap dikirim tak lama kemudian.",
    ),
    "gui_settings_server": ("Server address", "Alamat server"),
    "gui_settings_server_loading": ("Reading…", "Sedang membaca…"),
    "gui_settings_server_not_enrolled": (
        "This laptop is not enrolled with the district yet, so it has no server address. Use “Enroll with the district…” in the Sync menu or at the bottom of the window.",
        "Laptop ini belum terdaftar di kabupaten, jadi belum punya alamat server. Pakai “Daftarkan ke kabupaten…” di menu Sinkron atau di bagian bawah jendela.",
    ),
    "gui_settings_server_by_file": (
        "This laptop was enrolled with an enrollment file and syncs by bundle files: it has no server address.",
        "Laptop ini didaftarkan dengan berkas pendaftaran dan sinkron lewat berkas bundel: tidak ada alamat server.",
    ),
    "gui_settings_server_hint": (
        "Change it only when the district tells you the server has moved. A server that does not hold the district's keys is refused at the next sync.",
        "Ubah hanya bila kabupaten memberi tahu bahwa server pindah alamat. Server yang tidak memegang kunci kabupaten akan ditolak saat sinkron berikutnya.",
    ),
    "gui_settings_server_save": ("Save address", "Simpan alamat"),
    "gui_settings_server_saved": (
        "Saved. The next sync uses this address.",
        "Tersimpan. Sinkron berikutnya memakai alamat ini.",
    ),
    "gui_settings_security": ("Passphrase and users", "Frasa sandi dan pengguna"),
    "gui_settings_security_hint": (
        "Each of these asks for your passphrase again.",
        "Setiap langkah ini meminta frasa sandi Anda sekali lagi.",
    ),
    "gui_settings_change_passphrase": ("Change passphrase…", "Ubah frasa sandi…"),
    "gui_settings_add_user": ("Add a user…", "Tambah pengguna…"),
    "gui_settings_recovery_code": ("New recovery code…", "Kode pemulihan baru…"),
    "gui_settings_recovery_hint": (
        "The recovery code is not kept in readable form, so it cannot be shown again: a new code is made and the old one stops working.",
        "Kode pemulihan tidak disimpan dalam bentuk yang bisa dibaca, jadi tidak dapat ditampilkan lagi: kode baru dibuat dan kode lama tidak berlaku lagi.",
    ),
    "gui_settings_current_passphrase": ("Your passphrase now", "Frasa sandi Anda sekarang"),
    "gui_settings_new_passphrase": ("New passphrase", "Frasa sandi baru"),
    "gui_settings_passphrase_title": ("Change passphrase", "Ubah frasa sandi"),
    "gui_settings_passphrase_intro": (
        "Type the passphrase you use now, then the new one twice.",
        "Ketik frasa sandi yang Anda pakai sekarang, lalu frasa sandi baru dua kali.",
    ),
    "gui_settings_passphrase_button": ("Change", "Ubah"),
    "gui_settings_passphrase_changed": (
        "The passphrase was changed. From now on, unlock with the new one.",
        "Frasa sandi sudah diubah. Mulai sekarang, buka kunci dengan frasa sandi yang baru.",
    ),
    "gui_settings_passphrase_taken": (
        "This passphrase cannot be used: another user of this laptop already has it. Choose another one.",
        "Frasa sandi ini tidak dapat dipakai: pengguna lain di laptop ini sudah memakainya. Pilih yang lain.",
    ),
    "gui_settings_user_title": ("Add a user", "Tambah pengguna"),
    "gui_settings_user_intro": (
        "Another focal point on this laptop gets a name and a passphrase of their own, and sees the same records. First type your own passphrase.",
        "Kader lain di laptop ini mendapat nama dan frasa sandi sendiri, dan melihat catatan yang sama. Ketik dulu frasa sandi Anda sendiri.",
    ),
    "gui_settings_user_name": ("Their name", "Nama pengguna baru"),
    "gui_settings_user_name_hint": (
        "Their own name or a short name colleagues know them by; never a victim's name.",
        "Nama orang itu atau nama panggilan yang dikenal rekan; jangan nama korban.",
    ),
    "gui_settings_user_passphrase": ("Their passphrase", "Frasa sandi pengguna baru"),
    "gui_settings_user_button": ("Add user", "Tambahkan"),
    "gui_settings_user_added": (
        "The new user was added. They unlock with their own passphrase on the lock screen.",
        "Pengguna baru sudah ditambahkan. Ia membuka kunci dengan frasa sandinya sendiri di layar kunci.",
    ),
    "gui_err_user_exists": (
        "A user with this name already exists.",
        "Pengguna dengan nama ini sudah ada.",
    ),
    "gui_settings_recovery_title": ("New recovery code", "Kode pemulihan baru"),
    "gui_settings_recovery_intro": (
        "A new recovery code is made and shown only once. The code you wrote down or printed before will stop working.",
        "Kode pemulihan baru akan dibuat dan hanya ditampilkan sekali. Kode yang dulu Anda tulis atau cetak tidak berlaku lagi.",
    ),
    "gui_settings_recovery_button": ("Make a new code", "Buat kode baru"),
    "gui_settings_recovery_made": (
        "This is the new recovery code. The old code no longer works: destroy the old sheet.",
        "Ini kode pemulihan yang baru. Kode lama sudah tidak berlaku: musnahkan kertas yang lama.",
    ),
    # --- end of GUI: settings
}

"""argparse's own words (its gettext message ids) in Indonesian; English is argparse's own.

A message id a newer Python changes falls back to English rather than failing.
"""


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
