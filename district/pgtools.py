"""PostgreSQL's own client programs (pg_dump, pg_restore, psql): finding and running them.

The backup of a PostgreSQL district is made by ``pg_dump`` and restored by ``pg_restore`` and
``psql``, the tools made for that job, of a version that matches the server. They are looked
up in ``SIMPUL_PG_BIN`` when it is set (and only there), else on ``PATH`` (Debian's
``/usr/bin`` entries are ``pg_wrapper`` links that pick the right version), else in
``/usr/lib/postgresql/<version>/bin``, newest version first; every tool of one job comes from
the same directory, so ``pg_restore`` never writes a script its ``psql`` cannot read.

The connection is the district's database URL turned into a libpq connection string; the
password, if the URL has one, goes to the child in ``PGPASSWORD`` rather than on its command
line (where every local user could read it in the process list). The server passphrase and
staff passwords never reach these programs.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final

import sqlalchemy as sa

from district.errors import BackupError

__all__ = ["PG_BIN_ENV", "conninfo", "find_tools", "quote_ident", "run_tool"]

PG_BIN_ENV: Final = "SIMPUL_PG_BIN"
"""A directory holding pg_dump, pg_restore and psql; when set, nothing else is searched."""

_DEBIAN_GLOB: Final = "/usr/lib/postgresql/*/bin"
_SECRET_ENV: Final = ("SIMPUL_DISTRICT_PASSPHRASE", "SIMPUL_USER_PASSWORD")
_DETAIL_CHARS: Final = 300


def _version_key(directory: Path) -> tuple[int, ...]:
    """``/usr/lib/postgresql/15/bin`` → ``(15,)``; unknown shapes sort last."""
    return tuple(int(part) for part in re.findall(r"\d+", directory.parent.name)) or (-1,)


def _candidates(names: Sequence[str]) -> list[Path]:
    override = os.environ.get(PG_BIN_ENV)
    if override:
        return [Path(override)]
    found: list[Path] = []
    for name in names:
        where = shutil.which(name)
        if where is not None:
            found += [Path(where).parent, Path(os.path.realpath(where)).parent]
    debian = sorted((Path(p) for p in glob.glob(_DEBIAN_GLOB)), key=_version_key, reverse=True)
    unique: list[Path] = []
    for directory in [*found, *debian]:
        if directory not in unique:
            unique.append(directory)
    return unique


def find_tools(names: Sequence[str]) -> dict[str, Path]:
    """Find PostgreSQL client programs, all in one directory.

    Args:
        names: Program names, e.g. ``("pg_restore", "psql")``.

    Returns:
        Each name with its full path.

    Raises:
        BackupError: ``pg_tools_missing`` when no searched directory holds all of them.
    """
    for directory in _candidates(names):
        paths = {name: shutil.which(name, path=str(directory)) for name in names}
        if all(paths.values()):
            return {name: Path(str(path)) for name, path in paths.items()}
    override = os.environ.get(PG_BIN_ENV)
    raise BackupError(
        "pg_tools_missing",
        "The PostgreSQL programs {tools} were not found (looked in {searched}).",
        tools=", ".join(names),
        searched=override if override else f"PATH, {_DEBIAN_GLOB}",
    )


def _quote_conninfo(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def conninfo(url: sa.URL) -> tuple[str, dict[str, str]]:
    """The libpq connection string of a SQLAlchemy PostgreSQL URL, and its extra environment.

    Query parameters of the URL (``sslmode``, ``options``, ``host`` of a socket directory…)
    are libpq parameters for psycopg too, so they are passed on as they are.

    Args:
        url: The database URL (``postgresql+psycopg://user:pw@host:port/db?...``).

    Returns:
        ``(conninfo, env)``: the connection string without the password, and ``PGPASSWORD``
        when the URL holds one.
    """
    params: dict[str, str] = {}
    if url.host:
        params["host"] = url.host
    if url.port:
        params["port"] = str(url.port)
    if url.username:
        params["user"] = url.username
    if url.database:
        params["dbname"] = url.database
    for key, value in url.query.items():
        params[key] = value if isinstance(value, str) else value[-1]
    params.setdefault("connect_timeout", "15")
    env = {"PGPASSWORD": url.password} if url.password else {}
    text = " ".join(f"{key}={_quote_conninfo(value)}" for key, value in params.items())
    return text, env


def quote_ident(name: str) -> str:
    """A PostgreSQL identifier in double quotes (also a literal pg_dump name pattern)."""
    return '"' + name.replace('"', '""') + '"'


def _problem(stderr: bytes) -> str:
    """The line of a tool's error output that says what went wrong, shortened.

    Only one line: a failing ``COPY`` quotes the row it choked on in its ``CONTEXT`` line,
    and that must not end up on the operator's screen or in a log.
    """
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines()]
    lines = [line for line in lines if line]
    for line in lines:
        if re.search(r"\b(error|fatal)\b", line, re.IGNORECASE) or re.search(r"\bfailed\b", line):
            return line[:_DETAIL_CHARS]
    return lines[0][:_DETAIL_CHARS] if lines else ""


def run_tool(
    tool: Path,
    args: Sequence[str],
    *,
    stdin: bytes | None = None,
    env: Mapping[str, str] | None = None,
) -> bytes:
    """Run a PostgreSQL program and return what it wrote to standard output.

    Args:
        tool: The program.
        args: Its arguments (never a password).
        stdin: Bytes for its standard input.
        env: Variables added to the (cleaned) environment.

    Returns:
        Its standard output.

    Raises:
        BackupError: ``pg_tool_failed`` with the program's name and the line that says why.
    """
    child_env = {k: v for k, v in os.environ.items() if k not in _SECRET_ENV}
    child_env.update(env or {})
    try:
        done = subprocess.run(
            [str(tool), *args],
            input=stdin if stdin is not None else b"",
            capture_output=True,
            env=child_env,
            check=False,
        )
    except OSError as exc:
        raise BackupError(
            "pg_tool_failed",
            "{tool} failed: {detail}",
            tool=tool.name,
            detail=exc.strerror or type(exc).__name__,
        ) from exc
    if done.returncode != 0:
        raise BackupError(
            "pg_tool_failed",
            "{tool} failed: {detail}",
            tool=tool.name,
            detail=_problem(done.stderr) or f"exit status {done.returncode}",
        )
    return done.stdout
