"""Database behaviour that SQLAlchemy leaves to us: SQLite pragmas and write transactions.

SQLite allows one writer at a time. A transaction that reads and then writes can fail at once
with "database is locked" when another writer got in between, whatever the busy timeout. So
write requests call begin_write() first: on SQLite it opens the transaction with
BEGIN IMMEDIATE (take the write lock, waiting up to the busy timeout); on PostgreSQL it is a
plain transaction and the code relies on constraints and row locks.
"""
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db

_WRITE_OPTION = "portal_write"


def install_sqlite_behaviour(busy_timeout_ms: int) -> None:
    """Register the listeners once per process; they act on SQLite connections only."""
    if getattr(install_sqlite_behaviour, "_done", False):
        install_sqlite_behaviour.timeout = busy_timeout_ms
        return
    install_sqlite_behaviour._done = True
    install_sqlite_behaviour.timeout = busy_timeout_ms

    @event.listens_for(Engine, "connect")
    def _on_connect(dbapi_connection, _record):
        if not _is_sqlite_dbapi(dbapi_connection):
            return
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(install_sqlite_behaviour.timeout)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(Engine, "begin")
    def _on_begin(connection):
        if connection.dialect.name != "sqlite":
            return
        if connection.get_execution_options().get(_WRITE_OPTION):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


def _is_sqlite_dbapi(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")


def begin_write() -> None:
    """Start this request's transaction as a writer, before it changes anything.

    On SQLite, a transaction that has only read so far is ended and begun again as a writer:
    the objects read are expired and re-read under the write lock, so no decision rests on a
    stale read. PostgreSQL needs nothing here.
    """
    session = db.session()  # the request's Session itself, not its scoped proxy
    if session.get_bind().dialect.name != "sqlite":
        return
    if session.in_transaction():
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("begin_write() must come before the first change of the transaction")
        session.rollback()
    session.connection(execution_options={_WRITE_OPTION: True})


def is_unique_violation(error) -> bool:
    """True when an IntegrityError comes from a unique constraint (SQLite or PostgreSQL)."""
    orig = getattr(error, "orig", None)
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate == "23505"
    return "UNIQUE constraint failed" in str(orig)
