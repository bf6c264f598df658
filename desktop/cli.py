"""The headless ``simpul`` command: the same operations the desktop screens call.

Expected failures (wrong passphrase, unknown village, invalid input, full disk) print one clear
line in the user's language and exit non-zero; only a bug shows a traceback.
"""

from __future__ import annotations

import argparse
import errno
import getpass
import json
import os
import sys
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from desktop.i18n import current_language, translate
from desktop.problem_messages import problem_text
from desktop.storage.errors import DiskFullError, StorageError, WriteFailedError
from desktop.storage.profile import resolve_profile_dir
from desktop.storage.sealing import CorruptDataError
from desktop.storage.store import RecordView, Store, UnknownRecordError, ValidationFailedError
from simpul.errors import UserError

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2

MAX_INPUT_BYTES = 5 * 1024 * 1024
"""Largest JSON input accepted: a case with 500 victims and long texts is well under 1 MB."""

MAX_INPUT_DEPTH = 32
"""Deepest nesting accepted; a record is at most 4 levels deep (perpetrators/<id>/
relationships/<victim id>). Deeper input would exhaust the stack of recursive code."""

KINDS = ("case", "outreach")

_DISK_FULL = frozenset(e for e in (errno.ENOSPC, getattr(errno, "EDQUOT", None)) if e is not None)
_NO_PERMISSION = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})
_NOT_A_DIRECTORY = frozenset({errno.ENOTDIR, errno.EEXIST, errno.EISDIR})


class CliError(Exception):
    """An expected failure, already phrased by code; ``main`` prints it and exits."""

    def __init__(self, code: str, exit_code: int = EXIT_ERROR, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.exit_code = exit_code
        self.params = params


class _Context:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.lang = current_language(args.lang)
        self.profile = resolve_profile_dir(args.profile)

    def t(self, msg: str, /, **params: object) -> str:
        return translate(msg, self.lang, params)

    def say(self, msg: str, /, **params: object) -> None:
        print(self.t(msg, **params))

    def passphrase(self, env: str = "SIMPUL_PASSPHRASE") -> str:
        value = os.environ.get(env)
        if value:
            return value
        if not sys.stdin.isatty():
            raise CliError("no_passphrase")
        return getpass.getpass(self.t("prompt_passphrase"))

    def recovery_code(self) -> str:
        """``--code``, else ``SIMPUL_RECOVERY_CODE``, else a prompt without echo.

        ``--code`` stays for scripts, but a code on the command line shows in ``ps`` and in the
        shell history; the environment or the prompt does not.
        """
        value = self.args.code or os.environ.get("SIMPUL_RECOVERY_CODE")
        if value:
            return str(value)
        if not sys.stdin.isatty():
            raise CliError("no_recovery_code")
        return getpass.getpass(self.t("prompt_recovery_code"))

    def new_passphrase(self, env: str = "SIMPUL_NEW_PASSPHRASE") -> str:
        value = os.environ.get(env)
        if value:
            return value
        if not sys.stdin.isatty():
            raise CliError("no_passphrase")
        first = getpass.getpass(self.t("prompt_new_passphrase"))
        second = getpass.getpass(self.t("prompt_repeat_passphrase"))
        if first != second:
            raise CliError("passphrase_mismatch")
        return first

    def open_store(self) -> Store:
        Store.load_vault(self.profile)  # says "no profile" before asking for a passphrase
        return Store.open(self.profile, passphrase=self.passphrase())


def _print_json(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True))


def _read_limited(source: str) -> bytes:
    """The bytes of a file (or of stdin for ``-``), refusing more than ``MAX_INPUT_BYTES``."""
    if source == "-":
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    else:
        with open(source, "rb") as f:
            data = f.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise CliError("input_too_large", max_mb=MAX_INPUT_BYTES // (1024 * 1024))
    return data


def _too_deep(value: object) -> bool:
    """Whether parsed JSON nests deeper than ``MAX_INPUT_DEPTH`` (checked without recursion)."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children: Sequence[object] = ()
        if isinstance(node, dict):
            children = list(node.values())
        elif isinstance(node, list):
            children = node
        if children and depth >= MAX_INPUT_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _read_document(source: str) -> dict[str, Any]:
    try:
        raw = _read_limited(source)
        # utf-8-sig: Notepad on Windows starts a UTF-8 file with a byte order mark
        text = raw.decode("utf-8-sig")
    except OSError as exc:
        raise CliError("file_unreadable", path=source, detail=exc.strerror or str(exc)) from exc
    except UnicodeDecodeError as exc:
        raise CliError("file_unreadable", path=source, detail=str(exc)) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CliError("invalid_json", line=exc.lineno, column=exc.colno, detail=exc.msg) from exc
    except RecursionError as exc:
        raise CliError("input_too_deep") from exc
    if not isinstance(data, dict):
        raise CliError("not_an_object")
    if _too_deep(data):
        raise CliError("input_too_deep")
    return data


# --------------------------------------------------------------------------- commands


def cmd_init(ctx: _Context) -> int:
    from simpul.records.wilayah import load_regions

    village = load_regions().village(ctx.args.village)
    if (ctx.profile / "vault.json").exists():
        raise CliError("profile_exists")
    passphrase = ctx.new_passphrase("SIMPUL_PASSPHRASE")
    store, code = Store.create(
        ctx.profile, village=village.code, user=ctx.args.user, passphrase=passphrase
    )
    with store:
        if ctx.args.json:
            _print_json(
                {"recovery_code": code, "device_id": store.device_id, "village": village.code}
            )
        else:
            ctx.say(
                "init_done", village_name=village.name, village=village.code, device=store.device_id
            )
            ctx.say("recovery_code_shown_once")
            print(f"\n    {code}\n")
    return EXIT_OK


def cmd_record_template(ctx: _Context) -> int:
    from simpul.synthetic import make_template

    _print_json(make_template(ctx.args.kind, seed=ctx.args.seed))
    return EXIT_OK


def _kind_mismatch(ctx: _Context, found: str, wanted: str) -> CliError:
    return CliError("kind_mismatch", found=ctx.t(f"kind_{found}"), wanted=ctx.t(f"kind_{wanted}"))


def cmd_record_add(ctx: _Context) -> int:
    doc = _read_document(ctx.args.file)
    wanted: str | None = ctx.args.kind
    found = doc.get("kind")
    if wanted and found not in (None, wanted):
        if found in KINDS:
            raise _kind_mismatch(ctx, str(found), wanted)
        raise CliError("unknown_kind", kind=str(found))
    if not (found or wanted):
        raise CliError("kind_missing")
    with ctx.open_store() as store:
        record_id = doc.get("id")
        claimed = found or wanted
        if isinstance(record_id, str) and claimed in KINDS:
            try:
                existing = store.get(record_id)
            except UnknownRecordError:
                existing = None  # store.save says so
            if existing is not None and existing.kind != claimed:
                raise _kind_mismatch(ctx, existing.kind, str(claimed))
        try:
            result = store.save(doc, kind=ctx.args.kind)
        except ValidationFailedError as exc:
            _print_problems(ctx, exc)
            return EXIT_ERROR
        view = result.record
        if ctx.args.json:
            _print_json(
                {
                    "id": view.record_id,
                    "code": view.code,
                    "kind": view.kind,
                    "created": result.created,
                }
            )
        elif result.change_id is None:
            ctx.say("record_unchanged", code=view.code)
        else:
            ctx.say(
                "record_saved",
                kind=ctx.t(f"kind_{view.kind}"),
                code=view.code,
                record_id=view.record_id,
            )
    return EXIT_OK


def _print_problems(ctx: _Context, exc: ValidationFailedError) -> None:
    problems = exc.problems
    if ctx.args.json:
        _print_json(
            {
                "error": "invalid_record",
                "problems": [
                    {
                        "path": p.path,
                        "code": p.code,
                        "message": problem_text(
                            p.code, p.params, lang=ctx.lang, fallback=p.message
                        ),
                    }
                    for p in problems
                ],
            }
        )
        return
    print(ctx.t("invalid_record", count=len(problems)), file=sys.stderr)
    for p in problems:
        text = problem_text(p.code, p.params, lang=ctx.lang, fallback=p.message)
        print(f"  - {p.path or '/'}: {text}", file=sys.stderr)


def _summary(view: RecordView) -> dict[str, Any]:
    """A list row from the view's summary: a list never decrypts whole documents."""
    summary = view.summary
    out: dict[str, Any] = {
        "id": view.record_id,
        "kind": view.kind,
        "code": view.code,
        "date": view.main_date,
        "needs_review": list(view.conflicts),
    }
    if view.kind == "case":
        out.update(
            violence_types=list(summary.get("violence_types") or []),
            victims=int(summary.get("victims") or 0),
            status=summary.get("status"),
            tppo=bool(summary.get("tppo")),
        )
    else:
        out.update(
            title=summary.get("title"),
            type=summary.get("type"),
            topics=list(summary.get("topics") or []),
            participants=int(summary.get("participants") or 0),
        )
    return out


def cmd_record_list(ctx: _Context) -> int:
    with ctx.open_store() as store:
        views = store.records(ctx.args.kind)
        rows = [_summary(v) for v in views]
    if ctx.args.json:
        _print_json(rows)
        return EXIT_OK
    if not rows:
        ctx.say("no_records")
    for row in rows:
        flag = f"  [{ctx.t('needs_review')}]" if row["needs_review"] else ""
        if row["kind"] == "case":
            detail = f"{','.join(row['violence_types'])}  {row['victims']}  {row['status'] or ''}"
        else:
            detail = f"{row['title'] or ''}  {','.join(row['topics'])}  {row['participants']}"
        kind = ctx.t("kind_" + row["kind"])
        print(f"{row['code']}  {row['date'] or '-'}  {kind}  {detail}{flag}  {row['id']}")
    return EXIT_OK


def cmd_record_show(ctx: _Context) -> int:
    with ctx.open_store() as store:
        view = store.read(ctx.args.ref)
        history = store.history(view.record_id)
        doc = view.doc  # decrypted while the store is open: closing it drops the keys
    # "record" is a document `record add` takes back as an edit of this version: the id says
    # which record, "_base" which version (the changes it shows; docs/record-format.md).
    record = {
        **doc,
        "id": view.record_id,
        "kind": view.kind,
        "_base": list(getattr(view, "base", ())),
    }
    data: dict[str, Any] = {
        "id": view.record_id,
        "kind": view.kind,
        "code": view.code,
        "record": record,
        "needs_review": list(view.conflicts),
        "history": [
            {
                "change": str(h.change_id),
                "at": h.at.isoformat(timespec="seconds"),
                "author": h.author,
                "fields": [e.path for e in h.edits],
            }
            for h in history
        ],
    }
    if ctx.args.json:
        _print_json(data)
        return EXIT_OK
    print(f"{view.code}  ({ctx.t('kind_' + view.kind)}, {view.record_id})")
    print(json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True))
    if view.conflicts:
        print(f"\n{ctx.t('conflicts_heading')}: {', '.join(view.conflicts)}")
    print(f"\n{ctx.t('history_heading')}:")
    for h in data["history"]:
        print(f"  {h['at']}  {h['author']}  {h['change']}  {', '.join(h['fields'])}")
    return EXIT_OK


def cmd_demo_data(ctx: _Context) -> int:
    from simpul.synthetic import generate_cases, generate_outreach

    with ctx.open_store() as store:
        cases = generate_cases(ctx.args.cases, seed=ctx.args.seed, village=store.village)
        outreach = generate_outreach(ctx.args.outreach, seed=ctx.args.seed, village=store.village)
        store.save_many(list(cases) + list(outreach))
    if ctx.args.json:
        _print_json({"cases": ctx.args.cases, "outreach": ctx.args.outreach})
    else:
        ctx.say("demo_done", cases=ctx.args.cases, outreach=ctx.args.outreach)
    return EXIT_OK


def cmd_status(ctx: _Context) -> int:
    from simpul.records.wilayah import load_regions

    with ctx.open_store() as store:
        st = store.status()
    if ctx.args.json:
        _print_json(
            {
                "village": st.village,
                "device_id": st.device_id,
                "user": st.user,
                "cases": st.cases,
                "outreach": st.outreach,
                "deleted": st.deleted,
                "changes": st.changes,
                "pending_changes": st.pending_changes,
                "needs_review": st.needs_review,
                "profile": str(ctx.profile),
            }
        )
        return EXIT_OK
    village = load_regions().village(st.village)
    rows = [
        ("status_village", f"{village.name}, {village.kecamatan_name} ({st.village})"),
        ("status_device", st.device_id),
        ("status_user", st.user or "-"),
        ("status_cases", str(st.cases)),
        ("status_outreach", str(st.outreach)),
        ("status_changes", str(st.changes)),
        ("status_pending", str(st.pending_changes)),
        ("status_review", str(st.needs_review)),
    ]
    width = max(len(ctx.t(k)) for k, _ in rows)
    for key, value in rows:
        print(f"{ctx.t(key):<{width}}  {value}")
    return EXIT_OK


def cmd_passphrase_change(ctx: _Context) -> int:
    with ctx.open_store() as store:
        new = ctx.new_passphrase()
        store.vault.change_passphrase(new)
        user = store.vault.user or ""
        store.audit_action("passphrase_change")
    ctx.say("passphrase_changed", user=user)
    return EXIT_OK


def _user_key(name: str) -> str:
    # The vault's own rule (vault._normalize_user, _same_user): NFC, trimmed, case-folded.
    return unicodedata.normalize("NFC", name).strip().casefold()


def _find_user(users: Sequence[str], name: str) -> str | None:
    """The stored name of the user ``name`` means, matched as the vault matches names."""
    key = _user_key(name)
    return next((u for u in users if _user_key(u) == key), None)


def cmd_recover(ctx: _Context) -> int:
    Store.load_vault(ctx.profile)
    code = ctx.recovery_code()
    with Store.open_with_recovery_code(ctx.profile, code=code) as store:
        users = store.vault.users()
        if ctx.args.user is None:
            if len(users) != 1:
                raise CliError("choose_user")
            user = users[0]
        else:
            found = _find_user(users, ctx.args.user)
            if found is None:
                raise CliError("unknown_user", user=ctx.args.user)
            user = found
        new = ctx.new_passphrase()
        store.vault.set_passphrase_after_recovery(user, new)
        store.audit_action("recover", detail=user)
    ctx.say("recovered", user=user)
    return EXIT_OK


def cmd_user_add(ctx: _Context) -> int:
    with ctx.open_store() as store:
        existing = _find_user(store.vault.users(), ctx.args.name)
        if existing is not None:
            raise CliError("user_exists", user=existing)
        new = ctx.new_passphrase()
        store.vault.add_user(ctx.args.name, new)
        store.audit_action("user_add")
    ctx.say("user_added", user=ctx.args.name)
    return EXIT_OK


def cmd_audit(ctx: _Context) -> int:
    with ctx.open_store() as store:
        entries = store.audit_log()
    rows = [
        {
            "at": e.at.isoformat(timespec="seconds"),
            "user": e.user,
            "action": e.action,
            "record_id": e.record_id,
        }
        for e in entries
    ]
    if ctx.args.json:
        _print_json(rows)
    else:
        for r in rows:
            print(f"{r['at']}  {r['user']}  {r['action']}  {r['record_id'] or ''}")
    return EXIT_OK


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="simpul",
        description="Simpul: catatan kasus dan sosialisasi desa (Kabupaten Pemalang).",
    )
    parser.add_argument(
        "--profile",
        metavar="DIR",
        help="profile directory (default: SIMPUL_PROFILE or the platform data dir)",
    )
    parser.add_argument("--lang", choices=("id", "en"), help="language of messages (default: id)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(
        name: str, func: Callable[[_Context], int], help_text: str, parent: Any = sub
    ) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = parent.add_parser(name, help=help_text)
        p.set_defaults(func=func)
        return p

    p = add("init", cmd_init, "create a profile (vault, database) and print the recovery code once")
    p.add_argument(
        "--village",
        required=True,
        metavar="CODE",
        help="Kemendagri village code, e.g. 33.27.08.2012",
    )
    p.add_argument(
        "--user", default="kader", help="user name of the first focal point (default: kader)"
    )
    p.add_argument("--json", action="store_true")

    record = sub.add_parser("record", help="add, list and show records")
    rsub = record.add_subparsers(dest="record_command", metavar="ACTION", required=True)
    p = add("template", cmd_record_template, "print a valid synthetic example as JSON", rsub)
    p.add_argument("--kind", choices=("case", "outreach"), required=True)
    p.add_argument("--seed", type=int, default=1)
    p = add("add", cmd_record_add, "validate a JSON document and save it", rsub)
    p.add_argument("--kind", choices=("case", "outreach"))
    p.add_argument("file", metavar="FILE", help="JSON file, or - for standard input")
    p.add_argument("--json", action="store_true")
    p = add("list", cmd_record_list, "list records", rsub)
    p.add_argument("--kind", choices=("case", "outreach"))
    p.add_argument("--json", action="store_true")
    p = add("show", cmd_record_show, "show one record and its history", rsub)
    p.add_argument("ref", metavar="ID", help="record id or case code")
    p.add_argument("--json", action="store_true")

    p = add("demo-data", cmd_demo_data, "add synthetic records (never real people)")
    p.add_argument("--cases", type=int, default=20)
    p.add_argument("--outreach", type=int, default=5)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", action="store_true")

    p = add("status", cmd_status, "village, device, record counts, pending changes")
    p.add_argument("--json", action="store_true")

    passphrase = sub.add_parser("passphrase", help="change your passphrase")
    psub = passphrase.add_subparsers(dest="passphrase_command", metavar="ACTION", required=True)
    add(
        "change",
        cmd_passphrase_change,
        "change the passphrase (new one from SIMPUL_NEW_PASSPHRASE or prompted)",
        psub,
    )

    p = add("recover", cmd_recover, "unlock with the recovery code and set a new passphrase")
    p.add_argument(
        "--code",
        help="the recovery code; better omitted: then SIMPUL_RECOVERY_CODE, else asked without "
        "echo (a code on the command line shows in ps and in the shell history)",
    )
    p.add_argument(
        "--user", help="whose passphrase to set (needed when the profile has several users)"
    )

    user = sub.add_parser("user", help="manage the users of this laptop")
    usub = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    p = add("add", cmd_user_add, "add a user with their own passphrase", usub)
    p.add_argument("name")

    p = add("audit", cmd_audit, "show the local audit log")
    p.add_argument("--json", action="store_true")
    return parser


def _fail(
    ctx_lang: str, code: str, params: dict[str, object], fallback: str, exit_code: int
) -> NoReturn:
    print(f"simpul: {translate(code, ctx_lang, params, fallback=fallback)}", file=sys.stderr)
    raise SystemExit(exit_code)


def _os_error_message(exc: OSError, profile: Path) -> tuple[str, dict[str, object]]:
    """The message of an OSError no lower layer turned into a typed error, by errno."""
    return _errno_message(exc.errno, exc.strerror or str(exc), profile)


def _errno_message(number: int | None, detail: str, profile: Path) -> tuple[str, dict[str, object]]:
    if number in _DISK_FULL:
        return "write_failed", {}
    if number in _NO_PERMISSION:
        return "no_permission", {}
    if number in _NOT_A_DIRECTORY:
        return "profile_not_a_directory", {"path": str(profile)}
    return "io_error", {"detail": detail}


def _user_error_message(exc: UserError, profile: Path) -> tuple[str, dict[str, object]]:
    """The message of a typed error; a write failure says why it failed, by its errno."""
    number = exc.params.get("errno")
    if (
        isinstance(exc, WriteFailedError)
        and not isinstance(exc, DiskFullError)
        and isinstance(number, int)
    ):
        return _errno_message(number, os.strerror(number), profile)
    return exc.code, dict(exc.params)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``simpul`` command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    lang = current_language(args.lang)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_OK
    ctx = _Context(args)
    try:
        return int(args.func(ctx))
    except CliError as exc:
        _fail(lang, exc.code, dict(exc.params), exc.code, exc.exit_code)
    except UserError as exc:
        code, params = _user_error_message(exc, ctx.profile)
        _fail(lang, code, params, str(exc), EXIT_ERROR)
    except CorruptDataError:
        _fail(lang, "corrupt_data", {}, "", EXIT_ERROR)
    except StorageError as exc:
        _fail(lang, "storage_failed", {"detail": str(exc)}, "", EXIT_ERROR)
    except KeyboardInterrupt:
        _fail(lang, "interrupted", {}, "", 130)
    except BrokenPipeError:
        # the reader of our output went away (``simpul record list | head``): not an error to
        # report; silence the interpreter's own flush on exit (Python docs, "Note on SIGPIPE").
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(141) from None
    except OSError as exc:
        code, params = _os_error_message(exc, ctx.profile)
        _fail(lang, code, params, "", EXIT_ERROR)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
