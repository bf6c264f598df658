"""The ``simpul-district`` admin command: set up, serve, enroll, devices, users, import, backup.

Expected failures (wrong passphrase, unknown village, a database that cannot be reached, an
unreadable file) print one line in the operator's language (``--lang``, else ``SIMPUL_LANG``,
else Indonesian) and exit non-zero; only a bug shows a traceback. Bundles that are rejected are
not errors of the command: ``import`` reports each and exits 1 when any was rejected.
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

from district._files import write_atomic
from district.config import DistrictConfig
from district.messages import LANGUAGES, current_language, translate
from district.service import MAX_IMPORT_BYTES, District
from district.views import ROLES, ImportResult, StaffView
from simpul.errors import UserError

__all__ = ["main"]

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2

PASSPHRASE_ENV = "SIMPUL_DISTRICT_PASSPHRASE"
PASSWORD_ENV = "SIMPUL_USER_PASSWORD"
MAX_TTL_HOURS = 24 * 90
RECEIPT_SUFFIX = ".simpul-receipt"
BUNDLE_SUFFIX = ".simpul"
CLI_STAFF = StaffView(user_id=0, name="cli-admin", role="admin")
"""Who the local ``records list`` acts as in the audit log (``staff:cli-admin``)."""


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

    def district(self) -> District:
        """Open the district (says "not set up" before asking for the passphrase)."""
        if self._district is None:
            District.public_keys(self.config)
            self._district = District.open(self.config, self.passphrase())
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


_LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "stream": "ext://sys.stderr",
        },
    },
    "loggers": {
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"level": "INFO"},
        # The access log of district.app names route templates only; uvicorn's would carry
        # query strings and client addresses, so it stays off.
        "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        "district": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}


def cmd_serve(ctx: _Context) -> int:
    """Serve the HTTP API with uvicorn until interrupted."""
    import uvicorn  # only this command needs the web stack

    from district.app import create_app

    district = ctx.district()
    # The passphrase is not needed any more: keep it out of the long-lived server's
    # environment (and of any child process it could start).
    os.environ.pop(PASSPHRASE_ENV, None)
    app = create_app(district)
    uvicorn.run(
        app,
        host=ctx.args.host,
        port=ctx.args.port,
        access_log=False,
        log_config=_LOG_CONFIG,
        server_header=False,
        timeout_graceful_shutdown=10,
    )
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
        data = district.enrollment_file(args.village, ttl_hours=ttl, server_url=args.server_url)
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
    enrollment = district.create_enrollment(args.village, ttl_hours=ttl)
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
    devices = ctx.district().devices()
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
    view = ctx.district().revoke_device(ctx.args.device_id)
    ctx.say("device_revoked_done", device_id=view.device_id, village=view.village)
    return EXIT_OK


def cmd_user_add(ctx: _Context) -> int:
    """Create a staff account."""
    district = ctx.district()
    name = ctx.args.name
    view = district.add_user(name, ctx.args.role, ctx.new_password(name))
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
    if data is None:
        result = ImportResult("rejected", reason="too_large")
    else:
        result = district.import_bundle(data, via="cli")
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
    # Cumulative, like every bundle: the courier's laptop applies what it already holds as a
    # no-op, so a lost flash drive costs nothing.
    bundle, _cursor = district.return_bundle(result.device_id, since=0)
    if bundle is not None:
        out["return_bundle"] = str(_write_beside(directory, BUNDLE_SUFFIX, bundle))
    return out


def cmd_import(ctx: _Context) -> int:
    """Import bundle files; exit 1 when any was rejected."""
    district = ctx.district()
    status = EXIT_OK
    for name in ctx.args.files:
        outcome = _import_one(ctx, district, Path(name))
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


def cmd_backup(ctx: _Context) -> int:
    """Write an encrypted backup of the SQLite database."""
    out = Path(ctx.args.out)
    size = ctx.district().backup(out)
    ctx.say("backup_done", path=str(out), size=size)
    return EXIT_OK


def cmd_restore(ctx: _Context) -> int:
    """Replace the SQLite database with a backup of this district."""
    path = Path(ctx.args.file)
    ctx.district().restore(path)
    ctx.say("restore_done", path=str(path))
    return EXIT_OK


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``simpul-district``."""
    parser = argparse.ArgumentParser(
        prog="simpul-district",
        description="Simpul district server administration.",
    )
    parser.add_argument(
        "--data",
        metavar="DIR",
        help="data directory (default: $SIMPUL_DISTRICT_DATA, else the platform data folder)",
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="database (default: $SIMPUL_DATABASE_URL, else SQLite in the data directory)",
    )
    parser.add_argument("--lang", choices=LANGUAGES, help="language of messages (default: id)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(
        name: str, func: Callable[[_Context], int] | None, text: str, parent: Any = sub
    ) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = parent.add_parser(name, help=text, description=text)
        if func is not None:
            p.set_defaults(func=func)
        return p

    def json_flag(p: argparse.ArgumentParser) -> None:
        p.add_argument("--json", action="store_true", help="print JSON")

    add("init", cmd_init, "set up the data directory, the district keys and the database")

    p = add("serve", cmd_serve, "serve the HTTP API")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    p.add_argument("--database-url", metavar="URL", default=argparse.SUPPRESS, help="database URL")

    p = add("enroll", cmd_enroll, "make a one-time enrollment code for a village laptop")
    p.add_argument(
        "--village", required=True, metavar="CODE", help="village code, e.g. 33.27.08.2012"
    )
    p.add_argument("--file", metavar="OUT", help="write an enrollment file for offline villages")
    p.add_argument("--ttl-hours", type=float, default=72, metavar="N", help="validity (default 72)")
    p.add_argument("--server-url", metavar="URL", help="server address to put in the file")
    json_flag(p)

    devices = add("devices", None, "enrolled devices")
    dsub = devices.add_subparsers(dest="devices_command", metavar="ACTION", required=True)
    json_flag(add("list", cmd_devices_list, "list enrolled devices", dsub))
    p = add("revoke", cmd_devices_revoke, "revoke a device", dsub)
    p.add_argument("device_id", metavar="DEVICE_ID")

    users = add("user", None, "staff accounts")
    usub = users.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    p = add("add", cmd_user_add, "create a staff account (password: $SIMPUL_USER_PASSWORD)", usub)
    p.add_argument("name", metavar="NAME")
    p.add_argument("--role", required=True, choices=ROLES)

    p = add("import", cmd_import, "import bundle files; write receipts and return bundles")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument(
        "--out", metavar="DIR", help="where to write receipts (default: beside each file)"
    )
    json_flag(p)

    records = add("records", None, "records held by the district")
    rsub = records.add_subparsers(dest="records_command", metavar="ACTION", required=True)
    p = add("list", cmd_records_list, "list records (categorical columns only)", rsub)
    p.add_argument("--kind", choices=("case", "outreach"))
    p.add_argument("--village", metavar="CODE")
    p.add_argument("--kecamatan", metavar="CODE")
    p.add_argument("--status", metavar="CODE")
    p.add_argument("--limit", type=int, default=1000, metavar="N")
    p.add_argument("--offset", type=int, default=0, metavar="N")
    json_flag(p)

    p = add("backup", cmd_backup, "write an encrypted backup of the database (SQLite)")
    p.add_argument("--out", required=True, metavar="FILE")

    p = add("restore", cmd_restore, "replace the database with a backup (SQLite)")
    p.add_argument("file", metavar="FILE")
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
    parser = build_parser()
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
