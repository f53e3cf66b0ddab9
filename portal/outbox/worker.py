"""Delivering the outbox: claim due messages, send them over one connection, record each result.

Guarantee: a message is marked sent only after the server accepted it, and claims are leases,
so several workers never hold the same message. A worker killed between the server's "250" and
the mark re-sends, after the lease, at most the messages it had in flight (at-least-once).
"""
import datetime as dt
import logging
import os
import smtplib
import socket
import threading
import uuid

from flask import current_app
from sqlalchemy import or_, select, update

from ..database import begin_write
from ..extensions import db
from .delivery import open_transport
from .models import OutboxMessage

log = logging.getLogger(__name__)

# Minutes to wait after each temporary failure: about six hours in all before giving up.
BACKOFF_MINUTES = (1, 2, 5, 10, 20, 30, 60, 60, 60, 60, 60)
LEASE = dt.timedelta(minutes=5)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def claim_batch(worker: str, size: int) -> list[OutboxMessage]:
    """Lease up to `size` due messages to `worker` and return them (committed)."""
    now = utcnow()
    due = or_(
        (OutboxMessage.status == "queued") & (OutboxMessage.next_attempt_at <= now),
        (OutboxMessage.status == "sending") & (OutboxMessage.claimed_until < now),  # a dead worker's
    )
    begin_write()
    query = select(OutboxMessage.id).where(due).order_by(OutboxMessage.id).limit(size)
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    ids = list(db.session.scalars(query))
    rows = []
    if ids:
        db.session.execute(
            update(OutboxMessage).where(OutboxMessage.id.in_(ids))
            .values(status="sending", claimed_by=worker, claimed_until=now + LEASE))
        rows = list(db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)))
        for row in rows:
            db.session.expunge(row)  # a snapshot to send from, without going back to the database
    db.session.commit()
    return rows


def _record(row_id: int, worker: str, **values) -> None:
    begin_write()
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id, OutboxMessage.claimed_by == worker)
        .values(claimed_until=None, **values))
    db.session.commit()


def _record_sent(row: OutboxMessage, worker: str) -> None:
    _record(row.id, worker, status="sent", sent_at=utcnow(), last_error=None)


def _record_temporary_failure(row: OutboxMessage, worker: str, error: str) -> None:
    attempts = row.attempts + 1
    if attempts > len(BACKOFF_MINUTES):
        _record(row.id, worker, status="failed", attempts=attempts, last_error=error)
        return
    _record(row.id, worker, status="queued", attempts=attempts, last_error=error,
            next_attempt_at=utcnow() + dt.timedelta(minutes=BACKOFF_MINUTES[attempts - 1]))


def _record_permanent_failure(row: OutboxMessage, worker: str, error: str) -> None:
    _record(row.id, worker, status="failed", attempts=row.attempts + 1, last_error=error)


def _smtp_answer(error: Exception) -> tuple[int | None, str]:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()))
        return code, f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        return error.smtp_code, f"{error.smtp_code} {text}"
    return None, f"{type(error).__name__}: {error}"


def deliver_batch(worker: str, size: int) -> dict:
    """Claim and send one batch. Returns counts of sent, retried and failed messages."""
    counts = {"claimed": 0, "sent": 0, "retry": 0, "failed": 0}
    rows = claim_batch(worker, size)
    counts["claimed"] = len(rows)
    if not rows:
        return counts
    pending = list(rows)
    try:
        with open_transport() as transport:
            while pending:
                row = pending[0]
                try:
                    transport.send(row)
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as error:
                    code, answer = _smtp_answer(error)
                    if code is not None and code >= 500:
                        _record_permanent_failure(row, worker, answer)
                        counts["failed"] += 1
                    else:
                        _record_temporary_failure(row, worker, answer)
                        counts["retry"] += 1
                    pending.pop(0)
                    continue
                _record_sent(row, worker)
                counts["sent"] += 1
                pending.pop(0)
    except (smtplib.SMTPException, OSError) as error:
        # The connection failed: whatever is left waits for the next attempt; nothing is lost.
        _, answer = _smtp_answer(error)
        log.warning("Mail delivery interrupted (%s); %d message(s) will be retried", answer, len(pending))
        for row in pending:
            _record_temporary_failure(row, worker, answer)
            counts["retry"] += 1
    return counts


def deliver_due(limit: int | None = None) -> dict:
    """Deliver every due message (or up to `limit`), batch after batch, in this process."""
    worker = worker_name()
    size = current_app.config["OUTBOX_BATCH_SIZE"]
    totals = {"claimed": 0, "sent": 0, "retry": 0, "failed": 0}
    while limit is None or totals["claimed"] < limit:
        batch_size = size if limit is None else min(size, limit - totals["claimed"])
        counts = deliver_batch(worker, batch_size)
        for key in totals:
            totals[key] += counts[key]
        if counts["claimed"] == 0 or counts["retry"]:
            break  # nothing due, or the server is failing: leave the rest for later
    return totals


def run_housekeeping(app) -> None:
    """Periodic jobs other packages register in app.extensions["portal.housekeeping"] (the
    waiting list's expiring offers): the worker's loop is the one clock the portal has."""
    for job in app.extensions.get("portal.housekeeping", []):
        try:
            job()
        except Exception:
            db.session.rollback()
            log.exception("Housekeeping job %s failed; will try again", getattr(job, "__name__", job))


# --- the embedded worker: a thread in the web process, for `make run` ---------------------------
_wake = threading.Event()


def wake_worker() -> None:
    """Tell the embedded worker (if any) that mail is waiting; cheap when there is none."""
    _wake.set()


def start_embedded_worker_on_first_request(app) -> None:
    """Serving processes deliver mail; CLI commands (db upgrade, seed-demo) do not."""
    started = threading.Lock()

    @app.before_request
    def _start_once():
        if not getattr(app, "_outbox_worker", None) and started.acquire(blocking=False):
            app._outbox_worker = start_embedded_worker(app)
            wake_worker()  # mail queued while nothing was serving


def start_embedded_worker(app) -> threading.Thread:
    def loop():
        while True:
            _wake.wait(timeout=app.config["OUTBOX_POLL_SECONDS"])
            _wake.clear()
            with app.app_context():
                try:
                    run_housekeeping(app)
                    deliver_due()
                except Exception:  # keep the thread alive; the rows stay queued
                    log.exception("Embedded outbox worker failed; will try again")
                finally:
                    db.session.remove()

    thread = threading.Thread(target=loop, name="outbox-worker", daemon=True)
    thread.start()
    return thread
