"""SQLite engine set-up shared by the desktop store and the district server (SQLAlchemy only).

Transactions are begun by SQLAlchemy, not by pysqlite; a session made for writing begins
``IMMEDIATE`` so two writers wait for each other instead of one failing half-way with
"database is locked", and reads begin deferred and never wait for the write lock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

__all__ = ["WRITE_OPTION", "configure_sqlite", "make_sessions"]

WRITE_OPTION = "simpul_write"


def configure_sqlite(engine: sa.Engine, pragmas: Callable[[], Sequence[str]]) -> None:
    """Apply ``pragmas()`` to every new connection and take over transaction begins.

    ``pragmas`` is called per connection, so a caller may change its list (tests do, to
    simulate a full disk) before a connection is made.
    """

    def on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # SQLAlchemy pysqlite docs, "Serializable isolation / Savepoints / Transactional DDL".
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in pragmas():
            cursor.execute(pragma)
        cursor.close()

    def on_begin(conn: sa.Connection) -> None:
        if conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    sa.event.listen(engine, "connect", on_connect)
    sa.event.listen(engine, "begin", on_begin)


def make_sessions(engine: sa.Engine, *, write: bool = False) -> sessionmaker[Session]:
    """Session factory; a session's scope is one user action (``with sessions.begin() as s:``).

    ``write=True`` gives sessions whose transactions begin IMMEDIATE on SQLite.
    """
    bind = engine.execution_options(**{WRITE_OPTION: True}) if write else engine
    return sessionmaker(bind, expire_on_commit=False)
