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
from typing import TYPE_CHECKING, Any, NoReturn

from desktop.i18n import LANGUAGES, current_language, translate
from desktop.storage.errors import DiskFullError, StorageError, WriteFailedError
from desktop.storage.profile import resolve_profile_dir
from desktop.storage.sealing import CorruptDataError
from simpul.cli_language import argparse_language, lang_option
from simpul.errors import UserError

if TYPE_CHECKING:  # the store (SQLAlchemy) loads in the commands that use it, not for the GUI
    from desktop.storage.store import RecordView, Store, ValidationFailedError

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
        from desktop.storage.store import Store

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
    from desktop.storage.store import Store

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
    from desktop.storage.store import UnknownRecordError, ValidationFailedError

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
    from desktop.problem_messages import problem_text

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


def _label(ctx: _Context, list_name: str, code: object) -> str:
    """The display label of a taxonomy code in the user's language; "-" for none.

    A code this version's taxonomy does not know (a record from a newer Simpul) shows as is.
    """
    from simpul.records.taxonomy import UnknownCodeError, UnknownListError, load_taxonomy

    if code is None or code == "":
        return "-"
    try:
        return load_taxonomy().label(list_name, str(code), lang="en" if ctx.lang == "en" else "id")
    except (UnknownCodeError, UnknownListError):
        return str(code)


def _labels(ctx: _Context, list_name: str, codes: Sequence[object]) -> str:
    return ", ".join(_label(ctx, list_name, c) for c in codes) or "-"


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
            detail = "  ".join(
                (
                    _labels(ctx, "violence_type", row["violence_types"]),
                    ctx.t("list_victims", count=row["victims"]),
                    _label(ctx, "case_status", row["status"]),
                )
            )
        else:
            detail = "  ".join(
                (
                    _label(ctx, "outreach_type", row["type"]),
                    row["title"] or "-",
                    _labels(ctx, "outreach_topic", row["topics"]),
                    ctx.t("list_participants", count=row["participants"]),
                )
            )
        kind = ctx.t("kind_" + row["kind"])
        print(f"{row['code']}  {row['date'] or '-'}  {kind}  {detail}{flag}  {row['id']}")
    return EXIT_OK


def _summary_block(ctx: _Context, row: dict[str, Any]) -> list[tuple[str, str]]:
    """The readable head of ``record show``: labels, not codes, in the user's language."""
    rows = [
        ("show_code", str(row["code"])),
        ("show_id", str(row["id"])),
        ("show_kind", ctx.t("kind_" + row["kind"])),
    ]
    if row["kind"] == "case":
        rows += [
            ("show_reported_on", row["date"] or "-"),
            ("show_status", _label(ctx, "case_status", row["status"])),
            ("show_violence_types", _labels(ctx, "violence_type", row["violence_types"])),
            ("show_victims", str(row["victims"])),
        ]
    else:
        rows += [
            ("show_held_on", row["date"] or "-"),
            ("show_outreach_type", _label(ctx, "outreach_type", row["type"])),
            ("show_title", row["title"] or "-"),
            ("show_topics", _labels(ctx, "outreach_topic", row["topics"])),
            ("show_participants", str(row["participants"])),
        ]
    rows.append(("conflicts_heading", ", ".join(row["needs_review"]) or "-"))
    return rows


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
    head = [(ctx.t(key), value) for key, value in _summary_block(ctx, _summary(view))]
    width = max(len(key) for key, _ in head)
    for key, value in head:
        print(f"{key:<{width}}  {value}")
    print(f"\n{ctx.t('show_document')}:")
    print(json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True))
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
    from desktop.sync.status import sync_status
    from simpul.records.wilayah import load_regions

    with ctx.open_store() as store:
        st = store.status()
        sync = sync_status(store)
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
                "pending_changes": sync.pending_changes,
                "needs_review": st.needs_review,
                "profile": str(ctx.profile),
                "enrolled": sync.enrolled,
                "enrolled_via": sync.via or None,
                "enrollment_confirmed": sync.confirmed,
                "server_url": sync.server_url,
                "last_sync": sync.last_sync,
                "last_error": sync.last_error,
                "awaiting_receipt": [
                    {"bundle_id": b.bundle_id, "created_at": b.created_at, "changes": b.changes}
                    for b in sync.awaiting
                ],
                "refused_changes": [{"change": c, "reason": r} for c, r in sync.refused],
            }
        )
        return EXIT_OK
    village = load_regions().village(st.village)
    if not sync.enrolled:
        enrollment = ctx.t("status_not_enrolled")
    elif sync.via == "online":
        enrollment = ctx.t("status_enrolled_online", server=sync.server_url)
    elif sync.confirmed:
        enrollment = ctx.t("status_enrolled_file")
    else:
        enrollment = ctx.t("status_enrolled_unconfirmed")
    rows = [
        ("status_village", f"{village.name}, {village.kecamatan_name} ({st.village})"),
        ("status_device", st.device_id),
        ("status_user", st.user or "-"),
        ("status_cases", str(st.cases)),
        ("status_outreach", str(st.outreach)),
        ("status_changes", str(st.changes)),
        ("status_enrollment", enrollment),
        ("status_last_sync", sync.last_sync or ctx.t("status_never")),
        ("status_pending", str(sync.pending_changes)),
        ("status_awaiting", str(len(sync.awaiting))),
        ("status_refused", str(len(sync.refused))),
        ("status_review", str(st.needs_review)),
    ]
    if sync.last_error:
        rows.append(("status_last_error", ctx.t(sync.last_error)))
    width = max(len(ctx.t(k)) for k, _ in rows)
    for key, value in rows:
        print(f"{ctx.t(key):<{width}}  {value}")
    return EXIT_OK


# ----------------------------------------------------------------------------- sync


def _enrollment_summary(ctx: _Context, village_code: str) -> str:
    from simpul.records.wilayah import load_regions

    village = load_regions().village(village_code)
    return f"{village.name}, {village.kecamatan_name} ({village.code})"


def cmd_enroll(ctx: _Context) -> int:
    from desktop.sync.enroll import enroll_from_file, enroll_online

    args = ctx.args
    if bool(args.file) == bool(args.server):
        raise CliError("enroll_choose", EXIT_USAGE)
    if args.server and not args.code:
        raise CliError("enroll_needs_code", EXIT_USAGE)
    if args.file:
        data = _read_limited(args.file)
    with ctx.open_store() as store:
        if args.file:
            enrollment = enroll_from_file(store, data)
        else:
            try:
                enrollment = enroll_online(store, args.server, args.code)
            except ValueError:
                raise CliError("bad_server_url", EXIT_USAGE, url=args.server) from None
        if args.json:
            _print_json(
                {
                    "village": enrollment.village,
                    "via": enrollment.via,
                    "server_url": enrollment.server_url,
                    "device_id": store.device_id,
                    "district_key": enrollment.district_signing.key_id,
                }
            )
            return EXIT_OK
        place = _enrollment_summary(ctx, enrollment.village)
        if enrollment.via == "online":
            ctx.say("enrolled_online", village=place, server=enrollment.server_url)
        else:
            ctx.say("enrolled_file", village=place)
    return EXIT_OK


EXIT_OFFLINE = 3


def cmd_sync(ctx: _Context) -> int:
    from desktop.sync.engine import SyncEngine
    from desktop.sync.errors import OfflineError
    from desktop.sync.outbox import pending_ids

    with ctx.open_store() as store:
        engine = SyncEngine(store)
        try:
            report = engine.run_once()
        except OfflineError:
            waiting = len(pending_ids(store))
            if ctx.args.json:
                _print_json({"state": "offline", "pending_changes": waiting})
            else:
                ctx.say("sync_offline", pending=waiting)
            return EXIT_OFFLINE
        review = store.status().needs_review
    if ctx.args.json:
        _print_json(
            {
                "state": "synced",
                "pushed_changes": report.pushed_changes,
                "pushed_bundles": report.pushed_bundles,
                "received_changes": report.received_changes,
                "new_changes": report.new_changes,
                "rejected": [{"change": c, "reason": r} for c, r in report.rejected],
                "retries": report.retries,
                "needs_review": review,
                "finished_at": report.finished_at,
            }
        )
    else:
        ctx.say("sync_done", sent=report.pushed_changes, received=report.new_changes)
        if report.rejected:
            ctx.say("sync_refused", count=len(report.rejected))
        if review:
            ctx.say("sync_review", count=review)
    return EXIT_OK


def cmd_bundle_export(ctx: _Context) -> int:
    from desktop.sync.courier import export_bundles

    out = Path(ctx.args.out)
    if not out.is_dir():
        raise CliError("not_a_directory", path=str(out))
    with ctx.open_store() as store:
        result = export_bundles(store, out)
    if ctx.args.json:
        _print_json(
            {
                "bundles": [str(p) for p in result.bundles],
                "changes": result.changes,
                "enrollment_answer": str(result.answer) if result.answer else None,
            }
        )
        return EXIT_OK
    if not result.bundles:
        ctx.say("export_nothing")
    for path in result.bundles:
        print(path)
    if result.answer is not None:
        print(result.answer)
        ctx.say("export_answer_written", file=result.answer.name)
    return EXIT_OK


def cmd_bundle_apply(ctx: _Context) -> int:
    from desktop.sync.courier import apply_files

    with ctx.open_store() as store:
        outcomes = apply_files(store, [Path(p) for p in ctx.args.files])
        review = store.status().needs_review
    if ctx.args.json:
        _print_json(
            {
                "files": [
                    {
                        "file": str(o.path),
                        "kind": o.kind,
                        "status": o.status,
                        "reason": o.reason or None,
                        "changes": o.changes,
                        "new_changes": o.new_changes,
                        "acknowledged": o.acknowledged,
                    }
                    for o in outcomes
                ],
                "needs_review": review,
            }
        )
    else:
        for o in outcomes:
            if o.status == "rejected":
                line = ctx.t("apply_rejected", reason=ctx.t(o.reason))
            elif o.kind == "receipt":
                line = ctx.t(f"apply_receipt_{o.status}", count=o.acknowledged)
            else:
                line = ctx.t(f"apply_return_{o.status}", count=o.new_changes)
            print(f"{o.path.name}: {line}")
        if review:
            ctx.say("sync_review", count=review)
    return EXIT_ERROR if any(o.status == "rejected" for o in outcomes) else EXIT_OK


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
    from desktop.storage.store import Store

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


def build_parser(lang: str | None = None) -> argparse.ArgumentParser:
    """The parser of ``simpul``; help texts in ``lang`` (``--lang``, ``SIMPUL_LANG``, else id).

    argparse's own words ("usage:", "options", its errors) follow ``lang`` only inside
    ``argparse_language``, which ``main`` wraps around building and parsing.
    """
    lang = current_language(lang)

    def h(code: str) -> str:
        # argparse expands %-placeholders in help texts; the catalogue's texts have none
        return translate(code, lang).replace("%", "%%")

    parser = argparse.ArgumentParser(prog="simpul", description=h("help_description"))
    parser.add_argument("--profile", metavar=h("help_metavar_dir"), help=h("help_profile"))
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

    def seed(p: argparse.ArgumentParser) -> None:
        p.add_argument("--seed", type=int, default=1, metavar="N", help=h("help_seed"))

    p = add("init", cmd_init, "help_init")
    p.add_argument(
        "--village", required=True, metavar=h("help_metavar_code"), help=h("help_village")
    )
    p.add_argument(
        "--user", default="kader", metavar=h("help_metavar_name"), help=h("help_init_user")
    )
    json_flag(p)

    rsub = actions(add("record", None, "help_record"), "record_command")
    p = add("template", cmd_record_template, "help_template", rsub)
    p.add_argument("--kind", choices=KINDS, required=True, help=h("help_template_kind"))
    seed(p)
    p = add("add", cmd_record_add, "help_add", rsub)
    p.add_argument("--kind", choices=KINDS, help=h("help_add_kind"))
    p.add_argument("file", metavar=h("help_metavar_file"), help=h("help_file"))
    json_flag(p)
    p = add("list", cmd_record_list, "help_list", rsub)
    p.add_argument("--kind", choices=KINDS, help=h("help_list_kind"))
    json_flag(p)
    p = add("show", cmd_record_show, "help_show", rsub)
    p.add_argument("ref", metavar=h("help_metavar_id"), help=h("help_ref"))
    json_flag(p)

    p = add("demo-data", cmd_demo_data, "help_demo_data")
    p.add_argument("--cases", type=int, default=20, metavar="N", help=h("help_demo_cases"))
    p.add_argument("--outreach", type=int, default=5, metavar="N", help=h("help_demo_outreach"))
    seed(p)
    json_flag(p)

    json_flag(add("status", cmd_status, "help_status"))

    psub = actions(add("passphrase", None, "help_passphrase"), "passphrase_command")
    add("change", cmd_passphrase_change, "help_passphrase_change", psub)

    p = add("recover", cmd_recover, "help_recover")
    p.add_argument("--code", metavar=h("help_metavar_code"), help=h("help_recover_code"))
    p.add_argument("--user", metavar=h("help_metavar_name"), help=h("help_recover_user"))

    usub = actions(add("user", None, "help_user"), "user_command")
    p = add("add", cmd_user_add, "help_user_add", usub)
    p.add_argument("name", metavar=h("help_metavar_name"), help=h("help_user_name"))

    p = add("enroll", cmd_enroll, "help_enroll")
    p.add_argument("--server", metavar="URL", help=h("help_enroll_server"))
    p.add_argument("--code", metavar=h("help_metavar_code"), help=h("help_enroll_code"))
    p.add_argument("--file", metavar=h("help_metavar_file"), help=h("help_enroll_file"))
    json_flag(p)

    json_flag(add("sync", cmd_sync, "help_sync"))

    bsub = actions(add("bundle", None, "help_bundle"), "bundle_command")
    p = add("export", cmd_bundle_export, "help_bundle_export", bsub)
    p.add_argument("--out", required=True, metavar=h("help_metavar_dir"), help=h("help_out"))
    json_flag(p)
    p = add("apply", cmd_bundle_apply, "help_bundle_apply", bsub)
    p.add_argument("files", nargs="+", metavar=h("help_metavar_file"), help=h("help_apply_files"))
    json_flag(p)

    json_flag(add("audit", cmd_audit, "help_audit"))
    add("gui", cmd_gui, "help_gui")
    p = add("district", cmd_district, "help_district")
    p.add_argument("--server", metavar="URL", help=h("help_district_server"))
    return parser


def _display_available() -> bool:
    """Whether windows can be shown (no X11/Wayland display on a server's SSH session)."""
    if sys.platform in ("win32", "darwin"):
        return True
    return any(os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def _run_gui(profile: str | None, lang: str | None) -> int:
    # Imported here: the command line must work (and start fast) without loading Qt.
    from desktop.ui.app import main as gui_main

    return gui_main(profile=profile, lang=lang)


def cmd_gui(ctx: _Context) -> int:
    if not _display_available():
        raise CliError("gui_no_display")
    return _run_gui(ctx.args.profile, ctx.args.lang)


def cmd_district(ctx: _Context) -> int:
    """District mode: sign in to the district server (imports, follow-up, devices, reports)."""
    if not _display_available():
        raise CliError("gui_no_display")
    from desktop.ui.district.app import main as district_main

    return district_main(profile=ctx.args.profile, lang=ctx.args.lang, server=ctx.args.server)


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
    argv = sys.argv[1:] if argv is None else list(argv)
    lang = current_language(lang_option(argv))
    with argparse_language(lang):
        parser = build_parser(lang)
        args = parser.parse_args(argv)  # a usage error: usage and one line, exit 2
        if not getattr(args, "func", None):
            if args.command is not None or not _display_available():
                parser.print_help()
                return EXIT_OK
            args.func = cmd_gui  # `simpul` alone opens the desktop app
    lang = current_language(args.lang)
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
