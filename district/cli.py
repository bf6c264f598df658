"""The ``simpul-district`` admin command: set up, serve, enroll, devices, users, import, backup.

Expected failures (wrong passphrase, unknown village, a database that cannot be reached, an
unreadable file) print one line in the operator's language (``--lang``, else ``SIMPUL_LANG``,
else Indonesian) and exit non-zero; only a bug shows a traceback. The help, the usage lines and
argparse's own errors speak that language too. Bundles that are rejected are not errors of the
command: ``import`` reports each and exits 1 when any was rejected.

Every action is written to the audit log as ``cli:<operating-system user>``.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import secrets
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

import sqlalchemy as sa

from district.actors import cli_actor
from district.config import DistrictConfig
from district.messages import LANGUAGES, current_language, translate
from district.report_files import report_csv, report_xlsx, simfoni_csv, simfoni_rows
from district.report_pdf import report_pdf
from district.reports import (
    ReportPeriodError,
    audit_read,
    build_report,
    parse_period,
    read_period,
)
from district.service import MAX_IMPORT_BYTES, District
from district.views import ROLES, ImportResult, StaffView
from simpul.cli_language import argparse_language, lang_option
from simpul.errors import UserError
from simpul.files import write_atomic

__all__ = ["main"]

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2

PASSPHRASE_ENV = "SIMPUL_DISTRICT_PASSPHRASE"
PASSWORD_ENV = "SIMPUL_USER_PASSWORD"
MAX_TTL_HOURS = 24 * 30  # the service's own cap (District.create_enrollment)
RECEIPT_SUFFIX = ".simpul-receipt"
BUNDLE_SUFFIX = ".simpul"
RETURN_SUFFIX = ".simpul-return"
ANSWER_SUFFIX = ".simpul-enroll"
MAX_ANSWER_BYTES = 64 * 1024
CLI_STAFF = StaffView(user_id=0, name="cli-admin", role="admin")
"""The role ``records list`` reads with; the audit log names the operator (``cli:<user>``)."""


class CliError(Exception):
    """An expected failure, phrased by code; :func:`main` prints it and exits."""

    def __init__(self, code: str, exit_code: int = EXIT_ERROR, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.exit_code = exit_code
        self.params = params


class _Context:
    """What every command needs: options, language, configuration, and the open district."""

    def __init__(self, args: argparse.Namespace, lang: str) -> None:
        self.args = args
        self.lang = lang
        self.config = DistrictConfig.from_env(args.data, args.database_url)
        self.actor = cli_actor()
        self._district: District | None = None

    def t(self, code: str, /, **params: object) -> str:
        return translate(code, self.lang, params)

    def say(self, code: str, /, **params: object) -> None:
        print(self.t(code, **params))

    def _secret(self, env: str, missing: str, prompt: str) -> str:
        value = os.environ.get(env)
        if value:
            return value
        if not sys.stdin.isatty():
            raise CliError(missing)
        return getpass.getpass(prompt)

    def _new_secret(self, env: str, missing: str, prompts: tuple[str, str], mismatch: str) -> str:
        value = os.environ.get(env)
        if value:
            return value
        if not sys.stdin.isatty():
            raise CliError(missing)
        first = getpass.getpass(prompts[0])
        if getpass.getpass(prompts[1]) != first:
            raise CliError(mismatch)
        return first

    def passphrase(self) -> str:
        """The server passphrase: ``SIMPUL_DISTRICT_PASSPHRASE``, else a prompt."""
        return self._secret(PASSPHRASE_ENV, "no_passphrase", self.t("prompt_passphrase"))

    def new_passphrase(self) -> str:
        """A new server passphrase: the environment, else prompted twice."""
        return self._new_secret(
            PASSPHRASE_ENV,
            "no_passphrase",
            (self.t("prompt_new_passphrase"), self.t("prompt_repeat_passphrase")),
            "passphrase_mismatch",
        )

    def new_password(self, name: str) -> str:
        """A staff password: ``SIMPUL_USER_PASSWORD``, else prompted twice."""
        return self._new_secret(
            PASSWORD_ENV,
            "no_password",
            (self.t("prompt_password", name=name), self.t("prompt_repeat_password")),
            "password_mismatch",
        )

    def district(self, passphrase: str | None = None, *, helper: bool = False) -> District:
        """Open the district (says "not set up" before asking for the passphrase).

        ``helper``: with the helper process that prepares big bundles on another core (the
        commands that import: ``serve`` and ``import``).
        """
        if self._district is None:
            District.public_keys(self.config)
            passphrase = passphrase or self.passphrase()
            if helper:
                # Read, it is not needed in the environment any more: keep it out of the
                # helper process.
                os.environ.pop(PASSPHRASE_ENV, None)
            self._district = District.open(self.config, passphrase, helper=helper)
        return self._district

    def close(self) -> None:
        if self._district is not None:
            self._district.close()
            self._district = None


def _print_json(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=_json_default))


def _json_default(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(type(value).__name__)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else "-"


# --------------------------------------------------------------------------- commands


def cmd_init(ctx: _Context) -> int:
    """Make the data directory, the keys and the database."""
    District.init(ctx.config, ctx.new_passphrase()).close()
    keys = District.public_keys(ctx.config)
    ctx.say(
        "init_done",
        data_dir=str(ctx.config.data_dir),
        encryption_key_id=keys.encryption.key_id,
        signing_key_id=keys.signing.key_id,
    )
    return EXIT_OK


def cmd_serve(ctx: _Context) -> int:
    """Serve the HTTP API with uvicorn until interrupted (``--workers N``: N processes)."""
    from district.serving import MAX_WORKERS, serve

    workers = int(ctx.args.workers)
    if not 1 <= workers <= MAX_WORKERS:
        raise CliError("bad_workers", max_workers=MAX_WORKERS)
    District.public_keys(ctx.config)  # "not set up" before asking for the passphrase
    passphrase = ctx.passphrase()
    # Read, the passphrase is not needed in the environment any more: keep it out of the
    # long-lived server's environment and of every child process (the helper; the workers,
    # which get it through a pipe).
    os.environ.pop(PASSPHRASE_ENV, None)
    # Checks the passphrase before anything starts; with more workers, each opens its own.
    district = ctx.district(passphrase, helper=workers == 1)
    if not serve(
        district, passphrase=passphrase, host=ctx.args.host, port=ctx.args.port, workers=workers
    ):
        raise CliError("serve_workers_failed")
    return EXIT_OK


def cmd_enroll(ctx: _Context) -> int:
    """Print a one-time enrollment code, or write an enrollment file."""
    args = ctx.args
    ttl = float(args.ttl_hours)
    if not 0 < ttl <= MAX_TTL_HOURS:
        raise CliError("bad_ttl", max_hours=MAX_TTL_HOURS)
    district = ctx.district()
    if args.file:
        out = Path(args.file)
        data = district.enrollment_file(
            args.village, ttl_hours=ttl, server_url=args.server_url, actor=ctx.actor
        )
        write_atomic(out, data, mode=0o600)
        doc = json.loads(data)
        info = {"code": doc["code"], "village": doc["village"], "expires_at": doc["expires_at"]}
        if args.json:
            _print_json({**info, "file": str(out)})
        else:
            ctx.say(
                "enroll_file", village=info["village"], path=str(out), expires_at=info["expires_at"]
            )
        return EXIT_OK
    enrollment = district.create_enrollment(args.village, ttl_hours=ttl, actor=ctx.actor)
    info = {
        "code": enrollment.code,
        "village": enrollment.village,
        "expires_at": enrollment.expires_at.isoformat(),
    }
    if args.json:
        _print_json(info)
    else:
        ctx.say("enroll_code", **info)
    return EXIT_OK


def cmd_devices_list(ctx: _Context) -> int:
    """List enrolled devices."""
    devices = ctx.district().devices(actor=ctx.actor)
    if ctx.args.json:
        _print_json([{**asdict(d), "revoked": d.revoked} for d in devices])
        return EXIT_OK
    if not devices:
        ctx.say("devices_none")
        return EXIT_OK
    for d in devices:
        state = "revoked" if d.revoked else "active"
        print(
            f"{d.device_id}  {d.village}  {state:7}  enrolled {_when(d.enrolled_at)}  "
            f"last seen {_when(d.last_seen_at)}  bundles up to #{d.highest_sequence}"
        )
    return EXIT_OK


def cmd_devices_revoke(ctx: _Context) -> int:
    """Revoke a device."""
    view = ctx.district().revoke_device(ctx.args.device_id, actor=ctx.actor)
    ctx.say("device_revoked_done", device_id=view.device_id, village=view.village)
    return EXIT_OK


def cmd_user_add(ctx: _Context) -> int:
    """Create a staff account."""
    district = ctx.district()
    name = ctx.args.name
    view = district.add_user(name, ctx.args.role, ctx.new_password(name), actor=ctx.actor)
    ctx.say("user_added", name=view.name, role=view.role)
    return EXIT_OK


def _read_bundle(path: Path) -> bytes | None:
    """The file's bytes, or ``None`` when it is over the import cap (read in a bounded way)."""
    with path.open("rb") as f:
        data = f.read(MAX_IMPORT_BYTES + 1)
    return None if len(data) > MAX_IMPORT_BYTES else data


def _write_beside(directory: Path, suffix: str, data: bytes) -> Path:
    """Write ``data`` under a random name (no village, device or person in it)."""
    path = directory / f"{secrets.token_hex(8)}{suffix}"
    write_atomic(path, data, mode=0o600)
    return path


def _import_one(ctx: _Context, district: District, path: Path) -> dict[str, Any]:
    """Import one file; write its receipt and a return bundle; describe the outcome."""
    out: dict[str, Any] = {"file": str(path)}
    try:
        data = _read_bundle(path)
    except OSError as exc:
        return {**out, "status": "rejected", "reason": "file_unreadable", "detail": exc.strerror}
    result: ImportResult
    back: bytes | None = None
    if data is None:
        result = ImportResult("rejected", reason="too_large")
    else:
        outcome = district.import_with_return(data, via="cli")
        result, back = outcome.result, outcome.return_bundle
    out.update(
        status=result.status,
        reason=result.reason,
        bundle_id=result.bundle_id,
        device_id=result.device_id,
        counts=asdict(result.counts),
        rejected_changes=len(result.rejected_changes),
        receipt=None,
        return_bundle=None,
    )
    if result.receipt is None or result.device_id is None:
        return out
    directory = Path(ctx.args.out) if ctx.args.out else path.parent
    directory.mkdir(parents=True, exist_ok=True)
    out["receipt"] = str(_write_beside(directory, RECEIPT_SUFFIX, result.receipt))
    if back is not None:
        out["return_bundle"] = str(_write_beside(directory, RETURN_SUFFIX, back))
    return out


def _import_inputs(names: Sequence[str]) -> tuple[list[Path], list[Path]]:
    """Enrollment answers and bundles named, a folder standing for the files inside it
    (a flash drive): its ``*.simpul-enroll`` and ``*.simpul`` files, in name order."""
    answers: list[Path] = []
    bundles: list[Path] = []
    for name in names:
        path = Path(name)
        if path.is_dir():
            answers.extend(sorted(path.glob(f"*{ANSWER_SUFFIX}")))
            bundles.extend(sorted(path.glob(f"*{BUNDLE_SUFFIX}")))
        elif path.name.endswith(ANSWER_SUFFIX):
            answers.append(path)
        else:
            bundles.append(path)
    return answers, bundles


def _enroll_one(district: District, path: Path) -> dict[str, Any]:
    """Register the laptop of one enrollment answer file; describe the outcome."""
    out: dict[str, Any] = {"file": str(path), "kind": "enrollment_answer"}
    try:
        with path.open("rb") as f:
            data = f.read(MAX_ANSWER_BYTES + 1)
    except OSError as exc:
        return {**out, "status": "rejected", "reason": "file_unreadable", "detail": exc.strerror}
    if len(data) > MAX_ANSWER_BYTES:
        return {**out, "status": "rejected", "reason": "answer_invalid"}
    try:
        status, device = district.enroll_answer(data)
    except UserError as exc:
        return {**out, "status": "rejected", "reason": exc.code}
    return {**out, "status": status, "device_id": device.device_id, "village": device.village}


def cmd_import(ctx: _Context) -> int:
    """Import bundle files (or every bundle in a folder); exit 1 when any was rejected.

    Enrollment answers found with them register their laptops first, so the first bundles of
    a laptop enrolled by file import in the same run.
    """
    district = ctx.district(helper=True)
    status = EXIT_OK
    answers, bundles = _import_inputs(ctx.args.files)
    if not answers and not bundles:
        raise CliError("import_nothing", path=", ".join(ctx.args.files))
    for path in answers:
        outcome = _enroll_one(district, path)
        if outcome["status"] == "rejected":
            status = EXIT_ERROR
        if ctx.args.json:
            print(json.dumps(outcome, ensure_ascii=False, sort_keys=True), flush=True)
        elif outcome["status"] == "rejected":
            reason = str(outcome["reason"])
            text = translate(reason, ctx.lang, {"detail": outcome.get("detail", ""), "path": path})
            ctx.say("import_rejected", file=path, reason=f"{reason} ({text})")
        else:
            ctx.say(
                f"import_{outcome['status']}",
                file=path,
                device=outcome["device_id"],
                village=outcome["village"],
            )
    for path in bundles:
        name = str(path)
        outcome = _import_one(ctx, district, path)
        if outcome["status"] == "rejected":
            status = EXIT_ERROR
        if ctx.args.json:
            print(json.dumps(outcome, ensure_ascii=False, sort_keys=True), flush=True)
            continue
        if outcome["status"] == "imported":
            ctx.say("import_imported", file=name, **outcome["counts"])
        elif outcome["status"] == "already_imported":
            ctx.say("import_already", file=name)
        else:
            reason = str(outcome["reason"])
            text = translate(reason, ctx.lang, {"detail": outcome.get("detail", ""), "path": name})
            ctx.say("import_rejected", file=name, reason=f"{reason} ({text})")
        if outcome.get("rejected_changes"):
            ctx.say("import_rejected_changes", count=outcome["rejected_changes"])
        if outcome.get("receipt"):
            ctx.say("import_receipt", path=outcome["receipt"])
        if outcome.get("return_bundle"):
            ctx.say("import_return", path=outcome["return_bundle"])
        sys.stdout.flush()
    return status


def cmd_records_list(ctx: _Context) -> int:
    """List records across villages (plaintext columns; the listing is audited)."""
    args = ctx.args
    rows = ctx.district().list_records(
        CLI_STAFF,
        kind=args.kind,
        village=args.village,
        kecamatan=args.kecamatan,
        status=args.status,
        limit=args.limit,
        offset=args.offset,
        actor=ctx.actor,
    )
    if args.json:
        _print_json([asdict(row) for row in rows])
        return EXIT_OK
    if not rows:
        ctx.say("records_none")
        return EXIT_OK
    for r in rows:
        types = ",".join(r.violence_types) or "-"
        print(
            f"{r.record_id}  {r.kind:8}  {r.code or '-'}  {r.village}  {r.period or '-'}  "
            f"{r.status or '-'}  {types}"
        )
    return EXIT_OK


def cmd_report(ctx: _Context) -> int:
    """Write the monthly or yearly report (CSV, XLSX or PDF), or the SIMFONI case CSV.

    The file is written whole or not at all (``write_atomic``); the read is audited.
    """
    args = ctx.args
    text = args.month if args.month is not None else args.year
    try:
        period = parse_period(text)
    except ReportPeriodError:
        raise CliError("report_bad_period", EXIT_USAGE, period=text[:20]) from None
    if (period.month is None) != (args.month is None):
        raise CliError("report_bad_period", EXIT_USAGE, period=text[:20])
    if args.identified and not args.simfoni:
        raise CliError("report_identified_needs_simfoni", EXIT_USAGE)
    out = Path(args.out)
    if not out.parent.is_dir():
        raise CliError("report_unwritable", path=str(out), detail=ctx.t("report_no_folder"))
    fmt = args.format or (out.suffix.lower().lstrip(".") if out.suffix else "csv")
    if args.simfoni:
        fmt = "csv"
    elif fmt not in ("csv", "xlsx", "pdf"):
        raise CliError("report_bad_format", EXIT_USAGE, format=fmt[:10])
    district = ctx.district()
    if args.simfoni:
        records = read_period(district, period, full=True)
        lines, identified = simfoni_rows(records, period, identified=args.identified)
        data = simfoni_csv(lines)
        audit_read(
            district,
            ctx.actor,
            "report_simfoni",
            detail=f"period={period.key} victims={len(lines)} identified={len(identified)}",
            record_ids=identified,
        )
        _write_report(out, data)
        ctx.say(
            "report_simfoni_written",
            period=period.key,
            path=str(out),
            victims=len(lines),
            identified=len(identified),
        )
        return EXIT_OK
    report = build_report(
        district,
        CLI_STAFF,
        period,
        share=args.share,
        lang="en" if ctx.lang == "en" else "id",
        actor=ctx.actor,
    )
    if fmt == "pdf":
        try:
            data = report_pdf(report)
        except ImportError as exc:  # Qt's libraries are missing on this machine
            raise CliError("report_pdf_unavailable", detail=str(exc)[:200]) from None
    else:
        data = report_xlsx(report) if fmt == "xlsx" else report_csv(report)
    _write_report(out, data)
    ctx.say(
        "report_written",
        period=report.period_label,
        path=str(out),
        cases=report.cases,
        outreach=report.outreach,
    )
    return EXIT_OK


def _write_report(out: Path, data: bytes) -> None:
    """Write a report file atomically; a failure names the file and leaves nothing behind."""
    try:
        write_atomic(out, data, mode=0o600)
    except OSError as exc:
        raise CliError(
            "report_unwritable", path=str(out), detail=exc.strerror or type(exc).__name__
        ) from None


def cmd_backup(ctx: _Context) -> int:
    """Write an encrypted backup of the database (SQLite, or PostgreSQL with pg_dump)."""
    out = Path(ctx.args.out)
    size = ctx.district().backup(out, actor=ctx.actor)
    ctx.say("backup_done", path=str(out), size=size)
    return EXIT_OK


def cmd_restore(ctx: _Context) -> int:
    """Replace the database with a backup of this district."""
    path = Path(ctx.args.file)
    ctx.district().restore(path, actor=ctx.actor)
    ctx.say("restore_done", path=str(path))
    return EXIT_OK


# --------------------------------------------------------------------------- parser


def build_parser(lang: str | None = None) -> argparse.ArgumentParser:
    """The parser of ``simpul-district``, its help in ``lang`` (else ``SIMPUL_LANG``, else id).

    argparse's own words ("usage:", "options", its errors) follow ``lang`` only inside
    :func:`simpul.cli_language.argparse_language`, which :func:`main` wraps around building
    and parsing.
    """
    lang = current_language(lang)

    def h(code: str) -> str:
        # argparse expands %-placeholders in help texts; the catalogue's texts have none
        return translate(code, lang).replace("%", "%%")

    parser = argparse.ArgumentParser(prog="simpul-district", description=h("help_description"))
    parser.add_argument("--data", metavar=h("help_metavar_dir"), help=h("help_data"))
    parser.add_argument("--database-url", metavar="URL", help=h("help_database_url"))
    parser.add_argument("--lang", choices=LANGUAGES, help=h("help_lang"))
    sub = parser.add_subparsers(dest="command", metavar=h("help_metavar_command"))

    def add(
        name: str, func: Callable[[_Context], int] | None, help_code: str, parent: Any = sub
    ) -> argparse.ArgumentParser:
        text = h(help_code)
        p: argparse.ArgumentParser = parent.add_parser(name, help=text, description=text)
        if func is not None:
            p.set_defaults(func=func)
        return p

    def actions(p: argparse.ArgumentParser, dest: str) -> Any:
        return p.add_subparsers(dest=dest, metavar=h("help_metavar_action"), required=True)

    def json_flag(p: argparse.ArgumentParser) -> None:
        p.add_argument("--json", action="store_true", help=h("help_json"))

    add("init", cmd_init, "help_init")

    p = add("serve", cmd_serve, "help_serve")
    p.add_argument("--host", default="127.0.0.1", help=h("help_host"))
    p.add_argument("--port", type=int, default=8765, help=h("help_port"))
    p.add_argument("--workers", type=int, default=1, metavar="N", help=h("help_workers"))
    p.add_argument(
        "--database-url", metavar="URL", default=argparse.SUPPRESS, help=h("help_database_url")
    )

    p = add("enroll", cmd_enroll, "help_enroll")
    p.add_argument(
        "--village", required=True, metavar=h("help_metavar_code"), help=h("help_enroll_village")
    )
    p.add_argument("--file", metavar=h("help_metavar_file"), help=h("help_enroll_file"))
    p.add_argument("--ttl-hours", type=float, default=72, metavar="N", help=h("help_ttl"))
    p.add_argument("--server-url", metavar="URL", help=h("help_server_url"))
    json_flag(p)

    dsub = actions(add("devices", None, "help_devices"), "devices_command")
    json_flag(add("list", cmd_devices_list, "help_devices_list", dsub))
    p = add("revoke", cmd_devices_revoke, "help_devices_revoke", dsub)
    p.add_argument("device_id", metavar=h("help_metavar_device"), help=h("help_device_id"))

    usub = actions(add("user", None, "help_user"), "user_command")
    p = add("add", cmd_user_add, "help_user_add", usub)
    p.add_argument("name", metavar=h("help_metavar_name"), help=h("help_user_name"))
    p.add_argument("--role", required=True, choices=ROLES, help=h("help_role"))

    p = add("import", cmd_import, "help_import")
    p.add_argument("files", nargs="+", metavar=h("help_metavar_file"), help=h("help_import_files"))
    p.add_argument("--out", metavar=h("help_metavar_dir"), help=h("help_import_out"))
    json_flag(p)

    rsub = actions(add("records", None, "help_records"), "records_command")
    p = add("list", cmd_records_list, "help_records_list", rsub)
    p.add_argument("--kind", choices=("case", "outreach"), help=h("help_kind"))
    p.add_argument("--village", metavar=h("help_metavar_code"), help=h("help_village_filter"))
    p.add_argument("--kecamatan", metavar=h("help_metavar_code"), help=h("help_kecamatan"))
    p.add_argument("--status", metavar=h("help_metavar_code"), help=h("help_status"))
    p.add_argument("--limit", type=int, default=1000, metavar="N", help=h("help_limit"))
    p.add_argument("--offset", type=int, default=0, metavar="N", help=h("help_offset"))
    json_flag(p)

    p = add("report", cmd_report, "help_report")
    when = p.add_mutually_exclusive_group(required=True)
    when.add_argument("--month", metavar="YYYY-MM", help=h("help_report_month"))
    when.add_argument("--year", metavar="YYYY", help=h("help_report_year"))
    p.add_argument("--format", choices=("csv", "xlsx", "pdf"), help=h("help_report_format"))
    p.add_argument(
        "--out", required=True, metavar=h("help_metavar_file"), help=h("help_report_out")
    )
    p.add_argument("--share", action="store_true", help=h("help_report_share"))
    p.add_argument("--simfoni", action="store_true", help=h("help_report_simfoni"))
    p.add_argument("--identified", action="store_true", help=h("help_report_identified"))

    p = add("backup", cmd_backup, "help_backup")
    p.add_argument(
        "--out", required=True, metavar=h("help_metavar_file"), help=h("help_backup_out")
    )

    p = add("restore", cmd_restore, "help_restore")
    p.add_argument("file", metavar=h("help_metavar_file"), help=h("help_restore_file"))
    return parser


def _fail(
    lang: str, code: str, params: dict[str, object], fallback: str, exit_code: int
) -> NoReturn:
    print(f"simpul-district: {translate(code, lang, params, fallback=fallback)}", file=sys.stderr)
    raise SystemExit(exit_code)


def _first_line(text: str, limit: int = 200) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line[:limit]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``simpul-district``.

    Args:
        argv: Arguments (default: ``sys.argv[1:]``).

    Returns:
        0 on success, 1 on an expected failure or a rejected bundle, 2 on a usage error.
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    lang = current_language(lang_option(argv))
    with argparse_language(lang):
        parser = build_parser(lang)
        args = parser.parse_args(argv)  # a usage error: usage and one line, exit 2
        if not getattr(args, "func", None):
            parser.print_help(sys.stderr)
            return EXIT_USAGE
    lang = current_language(args.lang)
    ctx = _Context(args, lang)
    # Everything the CLI creates (district.db and its -wal/-shm, keys, receipts, backups) is
    # for the server's user only.
    old_umask = os.umask(0o077)
    try:
        return int(args.func(ctx))
    except CliError as exc:
        _fail(lang, exc.code, dict(exc.params), exc.code, exc.exit_code)
    except UserError as exc:
        _fail(lang, exc.code, dict(exc.params), str(exc), EXIT_ERROR)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError):
        _fail(lang, "bad_database_url", {}, "", EXIT_ERROR)
    except sa.exc.OperationalError as exc:
        detail = _first_line(str(exc.orig) if exc.orig is not None else type(exc).__name__)
        _fail(lang, "database_unreachable", {"detail": detail}, "", EXIT_ERROR)
    except KeyboardInterrupt:
        _fail(lang, "interrupted", {}, "", 130)
    except BrokenPipeError:
        # the reader of our output went away (``… | head``): not an error to report
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(141) from None
    except OSError as exc:
        where = exc.filename if exc.filename is not None else ""
        detail = f"{exc.strerror or type(exc).__name__}{': ' if where else ''}{where}"
        _fail(lang, "io_error", {"detail": detail}, "", EXIT_ERROR)
    finally:
        ctx.close()
        os.umask(old_umask)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
