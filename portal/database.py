"""Database behaviour that SQLAlchemy leaves to us: SQLite pragmas and write transactions.

`writing()` is the one way to change data (views, CLI commands, the mail worker, housekeeping):
it opens the write transaction, commits when the block (or the decorated view) ends normally,
rolls back when it raises. Nothing else calls begin_write() or commits.

SQLite allows one writer at a time. A transaction that reads and then writes can fail at once
with "database is locked" when another writer got in between, whatever the busy timeout. So
write requests call begin_write() first: on SQLite it opens the transaction with
BEGIN IMMEDIATE (take the write lock, waiting up to the busy timeout); on PostgreSQL it is a
plain transaction and the code relies on constraints and row locks.

The writers of one process also queue in arrival order before BEGIN IMMEDIATE (_FairLock).
SQLite's busy handler does not queue: a waiting writer sleeps and polls, its sleeps growing to
100 ms, so newcomers polling every millisecond keep getting in first. Under a burst of writes
(300 registrations at once, tests/test_concurrency.py, on 2 busy cores) the median writer
waited 40 ms for BEGIN IMMEDIATE and the unluckiest 14 s, and now and then one passed the 15 s
busy timeout: a 500, "database is locked". Queued, a writer finds the database free.
"""
import collections
import fcntl
import logging
import os
import sqlite3
import threading
from functools import wraps

from flask import current_app, has_request_context, request
from sqlalchemy import event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import MANYTOONE, ONETOMANY

from .extensions import db

log = logging.getLogger(__name__)

_WRITE_OPTION = "portal_write"
_DEPTH = "portal_write_depth"  # key in Session.info: how many writing() blocks are open
_HELD_LOCK = "portal_write_lock"  # key in Session.info: the _FairLock this session holds


# RETURNING (insert_new) came with SQLite 3.35; FTS5's trigram tokenizer (text_search) with 3.34.
SQLITE_NEEDED = (3, 35, 0)


def check_sqlite_version(database_uri: str) -> None:
    """Refuse to start on a SQLite library too old for the portal's statements, naming both
    versions, rather than fail on the first registration."""
    if not database_uri.startswith("sqlite"):
        return
    found = sqlite3.sqlite_version_info
    if found < SQLITE_NEEDED:
        needed, have = ".".join(map(str, SQLITE_NEEDED)), ".".join(map(str, found))
        raise RuntimeError(f"The portal needs SQLite {needed} or later; this Python's sqlite3 module has "
                           f"SQLite {have}. Use a newer Python build, or PostgreSQL (README, Running in production).")


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


class _FairLock:
    """A lock handed to its waiters first come, first served; acquire() may time out."""

    def __init__(self):
        self._mutex = threading.Lock()
        self._waiters: collections.deque[threading.Lock] = collections.deque()
        self._locked = False

    def acquire(self, timeout: float) -> bool:
        with self._mutex:
            if not self._locked:
                self._locked = True
                return True
            waiter = threading.Lock()
            waiter.acquire()
            self._waiters.append(waiter)
        if waiter.acquire(timeout=timeout):
            return True  # release() handed the lock over to us
        with self._mutex:
            try:
                self._waiters.remove(waiter)
            except ValueError:
                return True  # handed over just as we gave up: it is ours
            return False

    def busy(self) -> bool:
        """Held or waited for (tests: every request let go of it)."""
        with self._mutex:
            return self._locked or bool(self._waiters)

    def release(self) -> None:
        with self._mutex:
            if self._waiters:
                self._waiters.popleft().release()  # stays locked, for the next in line
            else:
                self._locked = False


class _FileGate:
    """The writers of all processes on one SQLite file, queued on an advisory lock of the file
    "<database>-writers" beside it (flock): when it is released the kernel wakes the process
    waiting for it, where SQLite's busy handler sleeps and polls and lets the other process's
    writers in first, again and again (two gunicorn workers, registrations posted 32 at a time:
    66 a second and a p99 of 1.7 s with the busy handler alone; about 100 and 0.5 s queued).

    Only the head of each process's queue waits here, in flock() itself: a helper thread waiting
    in its place (flock() has no timeout) made each turn wait for the GIL twice more and lost
    the gain. So this wait has no timeout: the holder is one of our write transactions, which
    never waits on the network and ends with its request, and the kernel releases the lock of a
    process that dies. A writer from elsewhere (a migration, the sqlite3 shell) does not queue
    here; BEGIN IMMEDIATE still waits for it, up to the busy timeout."""

    def __init__(self, path: str):
        self.path = path
        self._fd = None
        self._pid = None  # the descriptor is this process's own (opened again after a fork)
        self._guard = threading.Lock()

    def acquire(self) -> bool:
        with self._guard:
            if self._pid != os.getpid():
                try:
                    self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
                except OSError as error:  # a read-only folder: BEGIN IMMEDIATE alone, as before
                    log.warning("No writers' queue between processes (%s): %s", self.path, error)
                    return False
                self._pid = os.getpid()
        fcntl.flock(self._fd, fcntl.LOCK_EX)  # releases the GIL while it waits
        return True

    def release(self) -> None:
        fcntl.flock(self._fd, fcntl.LOCK_UN)


class _WriterQueue:
    """This process's writers in arrival order (_FairLock), then the other processes' (_FileGate,
    for a database file). acquire() False: the queue was not obtained within the timeout."""

    def __init__(self, database: str | None):
        self.local = _FairLock()
        self.gate = _FileGate(database + "-writers") if database and database != ":memory:" else None
        self._gated = False

    def acquire(self, timeout: float) -> bool:
        if not self.local.acquire(timeout):
            return False
        # Only the head of this process's queue asks the gate: one writer of the process at a time.
        self._gated = self.gate is not None and self.gate.acquire()
        return True

    def busy(self) -> bool:
        return self.local.busy()

    def release(self) -> None:
        if self._gated:
            self._gated = False
            self.gate.release()
        self.local.release()


_write_locks: dict[str, _WriterQueue] = {}
_write_locks_guard = threading.Lock()


def _write_lock(engine) -> _WriterQueue:
    key = str(engine.url)  # one queue per database file, whichever app of the process writes
    with _write_locks_guard:
        queue_ = _write_locks.get(key)
        if queue_ is None:
            queue_ = _write_locks[key] = _WriterQueue(engine.url.database)
        return queue_


def _release_write_lock(session) -> None:
    lock = session.info.pop(_HELD_LOCK, None)
    if lock is not None:
        lock.release()


@event.listens_for(Session, "after_transaction_end")
def _on_transaction_end(session, transaction):
    # After the commit or rollback and after the connection went back to the pool.
    if transaction.parent is None:
        _release_write_lock(session)


def begin_write() -> None:
    """Start this request's transaction as a writer, before it changes anything.

    On SQLite, a transaction that has only read so far is ended and begun again as a writer:
    the objects read are expired and re-read under the write lock, so no decision rests on a
    stale read. PostgreSQL needs nothing here.
    """
    session = db.session()  # the request's Session itself, not its scoped proxy
    engine = session.get_bind()
    if engine.dialect.name != "sqlite":
        return
    if session.in_transaction():
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("begin_write() must come before the first change of the transaction")
        session.rollback()
    # Queue behind this process's other writers (released when the transaction ends). After the
    # busy timeout, go on without the queue: BEGIN IMMEDIATE then waits on its own, as before.
    lock = _write_lock(engine)
    if lock.acquire(timeout=getattr(install_sqlite_behaviour, "timeout", 15000) / 1000):
        session.info[_HELD_LOCK] = lock
    try:
        session.connection(execution_options={_WRITE_OPTION: True})
    except BaseException:
        _release_write_lock(session)
        raise


_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class writing:
    """The one write helper: `with writing():` around a change, or `@writing()` on a view.

    - Opens the write transaction first (BEGIN IMMEDIATE on SQLite), so no decision rests on a
      read made before the lock; commits at the end; rolls back if anything raises (abort()
      included), so a refused request changes nothing.
    - On a view it writes for POST (and other unsafe methods) only: a GET never takes the lock.
      A view that refuses input must therefore check before it changes anything, or raise.
    - Nested blocks join the outer one: only the outermost commits.
    - After the commit, mail queued in the transaction is handed to the outbox worker by the
      outbox's own after-commit hook: no caller wakes it.
    """

    def __enter__(self):
        session = db.session()
        depth = session.info.get(_DEPTH, 0)
        if depth == 0:
            begin_write()
        session.info[_DEPTH] = depth + 1
        return session

    def __exit__(self, exc_type, *_details):
        session = db.session()
        depth = session.info.get(_DEPTH, 1) - 1
        session.info[_DEPTH] = depth
        if depth > 0:
            return False
        if exc_type is not None:
            session.rollback()
            return False
        try:
            session.commit()
        except BaseException:
            session.rollback()
            raise
        return False

    def __call__(self, view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if has_request_context() and request.method in _SAFE_METHODS:
                return view(*args, **kwargs)
            with writing():
                return view(*args, **kwargs)
        return wrapper


class WriteTogether:
    """`write(*args)` inside writing(), together with the calls of the same app that arrive while
    it waits for or holds the write lock: one transaction for all of them (a "group commit").

    For one busy kind of small write (the public form's registrations when a call goes viral).
    Alone, each call costs a turn of the writers' queue, a BEGIN and a COMMIT, and on SQLite it
    holds the database's one write lock while its thread also waits for the GIL, which the
    process's other threads, validating and rendering, hold most of the time: under a burst the
    lock was held four times as long as the work in it. Together, the first call to arrive (the
    leader) takes the lock once and writes the others' rows after its own; they wait, then
    return or raise in their own threads as if each had written alone.

    `write` must raise the exceptions listed in `refusals` before it changes anything (the others
    of the transaction are kept); any other exception fails the transaction, which is then run
    again one call at a time, so that one call's failure stays its own. Calls of one app only:
    the leader writes through its own app's session. On SQLite only; elsewhere each call is its
    own writing() transaction."""

    def __init__(self, name: str, write, refusals: tuple = (), limit: int = 32):
        self.name, self.write, self.refusals, self.limit = name, write, refusals, limit

    def __call__(self, *args):
        session = db.session()
        if session.info.get(_DEPTH, 0):  # inside a writing() block already: its transaction, alone
            return self.write(*args)
        if session.get_bind().dialect.name != "sqlite":
            # PostgreSQL has no one write lock to share, and the writes of one transaction would take
            # their row locks (a workshop, the counters) in an order another transaction may cross.
            with writing():
                return self.write(*args)
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("WriteTogether() must come before the first change of the transaction")
        # Its reads are over: the connection goes back to the pool while it waits (as in begin_write()),
        # or the callers waiting for a leader would hold every connection the leader needs.
        session.rollback()
        state = self._state()
        turn = _Turn(args)
        with state.mutex:
            state.queue.append(turn)
            if not state.leading:
                state.leading = turn.leads = True
        if not turn.leads:
            turn.done.wait()  # until written by a leader, or asked to lead
        if not turn.finished:
            self._lead(state)
        if turn.error is not None:
            raise turn.error
        return turn.result

    def _state(self) -> "_Together":
        together = current_app.extensions.setdefault("portal.write_together", {})
        state = together.get(self.name)
        if state is None:
            with _write_locks_guard:
                state = together.setdefault(self.name, _Together())
        return state

    def _lead(self, state: "_Together") -> None:
        with state.mutex:
            batch = state.queue[:self.limit]
            del state.queue[:self.limit]
        try:
            self._write_all(batch)
        except BaseException as error:  # not an Exception (the process is stopping): nothing was committed
            for turn in batch:
                turn.result, turn.error = None, error
            raise
        finally:
            for turn in batch:
                turn.finished = True
                turn.done.set()
            with state.mutex:
                if state.queue:  # those who came meanwhile: the first of them leads the next transaction
                    state.queue[0].leads = True
                    state.queue[0].done.set()
                else:
                    state.leading = False

    def _write_all(self, batch: list["_Turn"]) -> None:
        try:
            with writing():
                for turn in batch:
                    self._write_one(turn)
        except Exception as error:  # noqa: BLE001 (raised in the caller's own thread)
            if len(batch) == 1:
                batch[0].result, batch[0].error = None, error
                return
            log.warning("%s: a transaction of %d writes failed (%r); written one by one", self.name, len(batch), error)
            for turn in batch:
                turn.result = turn.error = None
                try:
                    with writing():
                        self._write_one(turn)
                except Exception as own_error:  # noqa: BLE001 (raised in the caller's own thread)
                    turn.result, turn.error = None, own_error

    def _write_one(self, turn: "_Turn") -> None:
        try:
            turn.result = self.write(*turn.args)
        except self.refusals as refusal:
            turn.error = refusal


class _Together:
    """One app's calls of one WriteTogether: those waiting, and whether one of them leads."""

    def __init__(self):
        self.mutex = threading.Lock()
        self.queue: list[_Turn] = []
        self.leading = False


class _Turn:
    __slots__ = ("args", "done", "error", "finished", "leads", "result")

    def __init__(self, args: tuple):
        self.args, self.result, self.error = args, None, None
        self.leads = self.finished = False
        self.done = threading.Event()


def for_update(query, of=None):
    """The query, locking the rows it reads until the transaction ends (PostgreSQL); SQLite needs
    nothing, its write transaction being the only one. `of`: lock only that table's rows (a join
    that reads others)."""
    return query.with_for_update(of=of) if db.session.get_bind().dialect.name == "postgresql" else query


def add_unless_duplicate(row) -> bool:
    """Add `row` in a savepoint; False (and nothing added) when a unique constraint refuses it.
    The database decides, not a prior read: two requests racing each other cannot both add it.
    For a row the caller goes on using through the ORM; one that is only written: insert_new()."""
    session = db.session()
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError as error:
        if not is_unique_violation(error):
            raise
        return False
    return True


# --- new rows without the ORM's unit of work ---------------------------------------------------
_AFTER_INSERT_NEW: dict[type, list] = {}
_INSERT_OR_NOTHING: dict[tuple[str, str], object] = {}
_DIALECT_INSERTS = {"sqlite": sqlite_insert, "postgresql": postgresql_insert}


def after_insert_new(model: type, listener) -> None:
    """`listener(connection, row)` runs after insert_new() writes a `model` row, in the same
    transaction: what a flush listener keeps for the rows the ORM writes (the registrations'
    counters) is kept for these too. Registered once per process."""
    listeners = _AFTER_INSERT_NEW.setdefault(model, [])
    if listener not in listeners:
        listeners.append(listener)


def insert_new(row) -> bool:
    """Write a new object, and the objects of its one-to-many collections, with one INSERT per
    table, inside the caller's writing(); False, and nothing written, when a unique constraint or
    index of its table refuses it (INSERT ... ON CONFLICT DO NOTHING: the database decides, as in
    add_unless_duplicate(), without a savepoint).

    The ORM never sees these rows: the object stays out of the session, its primary key set, and
    nothing done to it afterwards is saved. For writes on the hot path whose objects are not used
    afterwards (the public form's registration, a queued mail), where the unit of work costs
    several times the statements themselves. Python-side column defaults and server defaults
    apply as for the ORM; name related rows by their foreign key, not by a many-to-one
    relationship (which would be left unsaved: refused)."""
    connection = db.session().connection()
    state = sa_inspect(row)
    if not state.transient:
        raise ValueError("insert_new() writes new objects only")
    mapper = state.mapper
    values = _column_values(mapper, state.dict, parent=None)
    key_column = mapper.primary_key[0]
    key = connection.execute(_insert_or_nothing(mapper.local_table, key_column, connection.dialect.name),
                             values).scalar()
    if key is None:
        return False
    setattr(row, mapper.get_property_by_column(key_column).key, key)
    values[key_column.key] = key
    for relationship in mapper.relationships:
        children = state.dict.get(relationship.key)
        if relationship.direction is not ONETOMANY or not children:
            continue
        rows = []
        for child in children:
            child_values = _column_values(relationship.mapper, sa_inspect(child).dict, parent=row)
            for local, remote in relationship.local_remote_pairs:
                child_values[remote.key] = values[local.key]
            rows.append(child_values)
        connection.execute(relationship.mapper.local_table.insert(), rows)
    for listener in _AFTER_INSERT_NEW.get(type(row), ()):
        listener(connection, row)
    return True


def _column_values(mapper, loaded: dict, parent) -> dict:
    """The values set on an object, by column; refuses what insert_new() would silently leave out."""
    for relationship in mapper.relationships:
        value = loaded.get(relationship.key)
        if not value or value is parent:
            continue
        if relationship.direction is MANYTOONE:
            raise ValueError(f"insert_new(): set {mapper.class_.__name__}'s foreign key, not .{relationship.key}")
        if parent is not None:
            raise ValueError(f"insert_new() writes one level of rows: {mapper.class_.__name__}.{relationship.key}")
    return {attribute.columns[0].key: loaded[attribute.key]
            for attribute in mapper.column_attrs if attribute.key in loaded}


def _insert_or_nothing(table, key_column, dialect: str):
    """INSERT ... ON CONFLICT DO NOTHING RETURNING the key: built once per table and dialect."""
    statement = _INSERT_OR_NOTHING.get((table.name, dialect))
    if statement is None:
        if dialect not in _DIALECT_INSERTS:
            raise NotImplementedError(f"insert_new() on {dialect}")
        statement = _INSERT_OR_NOTHING.setdefault(
            (table.name, dialect), _DIALECT_INSERTS[dialect](table).on_conflict_do_nothing().returning(key_column))
    return statement


def is_unique_violation(error) -> bool:
    """True when an IntegrityError comes from a unique constraint (SQLite or PostgreSQL)."""
    orig = getattr(error, "orig", None)
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate == "23505"
    return "UNIQUE constraint failed" in str(orig)
