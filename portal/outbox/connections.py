"""The mail provider's limits, kept by all worker processes together: how many SMTP connections
are open at once (leased SmtpSlot rows) and how fast each one sends (Pacer).

A worker leases a slot before it connects and gives it back after its batch. The lease has an
end (OUTBOX_LEASE_SECONDS, renewed while the worker works), so a killed worker's slot frees
itself. Rows 1..MAIL_MAX_CONNECTIONS are made on first use; rows above the setting are ignored,
so lowering it takes effect at once. The database arbitrates: SELECT ... FOR UPDATE SKIP LOCKED
on PostgreSQL, BEGIN IMMEDIATE (one writer at a time) on SQLite.
"""
import datetime as dt
import logging
import random
import time

from flask import current_app
from sqlalchemy import insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..clock import utcnow
from ..database import writing
from ..extensions import db
from .models import SmtpSlot

log = logging.getLogger(__name__)


def lease_duration() -> dt.timedelta:
    return dt.timedelta(seconds=float(current_app.config["OUTBOX_LEASE_SECONDS"]))


def max_connections() -> int:
    return max(1, int(current_app.config["MAIL_MAX_CONNECTIONS"]))


def _insert_ignoring_duplicates(ids: list[int]):
    dialect = db.session.get_bind().dialect.name
    rows = [{"id": slot_id} for slot_id in ids]
    if dialect == "postgresql":
        return postgresql.insert(SmtpSlot).values(rows).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite.insert(SmtpSlot).values(rows).on_conflict_do_nothing()
    return insert(SmtpSlot).values(rows)  # other databases: one worker at a time creates them


def try_acquire_slot(holder: str) -> int | None:
    """Lease a free SMTP slot to `holder` (committed) and return its number, or None."""
    count = max_connections()
    now = utcnow()
    with writing():
        existing = set(db.session.scalars(select(SmtpSlot.id).where(SmtpSlot.id <= count)))
        missing = [slot_id for slot_id in range(1, count + 1) if slot_id not in existing]
        if missing:
            db.session.execute(_insert_ignoring_duplicates(missing))
        free = or_(SmtpSlot.holder.is_(None), SmtpSlot.lease_until.is_(None), SmtpSlot.lease_until < now)
        query = select(SmtpSlot.id).where(SmtpSlot.id <= count, free).order_by(SmtpSlot.id).limit(1)
        if db.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        slot_id = db.session.scalar(query)
        if slot_id is not None:
            taken = db.session.execute(
                update(SmtpSlot).where(SmtpSlot.id == slot_id, free)
                .values(holder=holder, lease_until=now + lease_duration()))
            if taken.rowcount != 1:
                slot_id = None
    return slot_id


def acquire_slot(holder: str, wait: float) -> int | None:
    """Lease a slot, trying again for up to `wait` seconds while all are taken."""
    deadline = time.monotonic() + wait
    while True:
        slot_id = try_acquire_slot(holder)
        if slot_id is not None:
            return slot_id
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            log.info("All %d SMTP connection slots are taken; will try again", max_connections())
            return None
        time.sleep(min(remaining, random.uniform(0.05, 0.25)))  # jitter: waiters do not move in step


def renew_slot(slot_id: int, holder: str) -> bool:
    """Extend the lease (in the caller's transaction); False when the slot is no longer ours."""
    renewed = db.session.execute(
        update(SmtpSlot).where(SmtpSlot.id == slot_id, SmtpSlot.holder == holder)
        .values(lease_until=utcnow() + lease_duration()))
    return renewed.rowcount == 1


def release_slot(slot_id: int, holder: str) -> None:
    """Give the slot back; on a database error its lease simply runs out."""
    try:
        db.session.rollback()
        with writing():
            db.session.execute(
                update(SmtpSlot).where(SmtpSlot.id == slot_id, SmtpSlot.holder == holder)
                .values(holder=None, lease_until=None))
    except Exception:
        log.exception("Could not release SMTP slot %s; its lease will expire", slot_id)


def connection_rate() -> float:
    """Messages per second for one connection: OUTBOX_RATE_PER_SECOND shared by the connections."""
    rate = float(current_app.config.get("OUTBOX_RATE_PER_SECOND") or 0)
    return rate / max_connections() if rate > 0 else 0.0


class Pacer:
    """Spaces the messages sent by one worker at 1 / per_second seconds at least (0: no limit).

    It paces the start of each message, without catching up after a pause (no bursts). The clock
    and sleep are attributes so that tests can run it on a fake clock.
    """
    clock = staticmethod(time.monotonic)
    sleep = staticmethod(time.sleep)

    def __init__(self, per_second: float):
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self._next: float | None = None

    def wait(self, keep_alive=None, chunk: float = 10.0) -> None:
        """Block until the next message may go; call keep_alive() every `chunk` seconds of waiting."""
        if not self.interval:
            return
        if self._next is not None:
            while (remaining := self._next - self.clock()) > 0:
                self.sleep(min(remaining, chunk))
                if keep_alive is not None:
                    keep_alive()
            self._next = max(self.clock(), self._next) + self.interval
        else:
            self._next = self.clock() + self.interval
