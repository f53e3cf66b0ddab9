"""Delivering the outbox: claim due messages, send them over one connection, record each result.

Guarantee: a message is marked sent only after the server accepted it, and claims are leases,
so several workers never hold the same message. A worker killed between the server's "250" and
the mark re-sends, after the lease, at most the messages it had in flight (at-least-once).

Results are committed in groups: the messages the server accepted are marked sent together, every
OUTBOX_RECORD_EVERY messages or every second, whichever comes first, and before anything else is
written (a failure, the end of the batch). So "in flight" is at most that group and the message
being sent; the bound stated in README.md is the batch (OUTBOX_BATCH_SIZE). Before it
connects, a worker leases one of MAIL_MAX_CONNECTIONS SMTP slots, shared by all processes
(connections.py), and it paces its messages at OUTBOX_RATE_PER_SECOND / MAIL_MAX_CONNECTIONS.
The leases on its messages and its slot are renewed while it works, so a batch that lasts
longer than OUTBOX_LEASE_SECONDS (a slow rate) keeps them.
"""
import datetime as dt
import logging
import os
import smtplib
import socket
import threading
import time
import uuid

from flask import current_app
from sqlalchemy import bindparam, or_, select, update

from ..clock import utcnow
from ..database import writing
from ..extensions import db
from ..housekeeping import run_jobs
from ..tokens import redact_tokens
from .connections import Pacer, acquire_slot, connection_rate, lease_duration, release_slot, renew_slot
from .delivery import open_transport, uses_smtp
from .models import OutboxAttachment, OutboxMessage
from .wakeup import wait_for_mail, wake_worker

log = logging.getLogger(__name__)

# Minutes to wait after each temporary failure (server down, 4xx answers): 6 h 8 min in all
# before giving up (tests/test_outbox_faults.py checks it stays above 5 hours).
BACKOFF_MINUTES = (1, 2, 5, 10, 20, 30, 60, 60, 60, 60, 60)
COUNTS = ("claimed", "sent", "retry", "failed", "no_slot", "interrupted")


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def _due(now: dt.datetime):
    return or_(
        (OutboxMessage.status == "queued") & (OutboxMessage.next_attempt_at <= now),
        (OutboxMessage.status == "sending") & (OutboxMessage.claimed_until < now),  # a dead worker's
    )


def anything_due() -> bool:
    """A cheap read, so that an idle worker does not lease an SMTP slot at every poll."""
    found = db.session.scalar(select(OutboxMessage.id).where(_due(utcnow())).limit(1)) is not None
    db.session.commit()
    return found


def claim_batch(worker: str, size: int) -> list[OutboxMessage]:
    """Lease up to `size` due messages to `worker` and return them (committed)."""
    now = utcnow()
    with writing():
        query = select(OutboxMessage.id).where(_due(now)).order_by(OutboxMessage.id).limit(size)
        if db.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        ids = list(db.session.scalars(query))
        rows = []
        if ids:
            db.session.execute(
                update(OutboxMessage).where(OutboxMessage.id.in_(ids))
                .values(status="sending", claimed_by=worker, claimed_until=now + lease_duration()))
            rows = list(db.session.scalars(
                select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)))
            for row in rows:
                db.session.expunge(row)  # a snapshot to send from, without going back to the database
    return rows


def _load_attachments(rows: list[OutboxMessage]) -> dict[str, list[OutboxAttachment]]:
    """The files of the batch's attachment keys, read once for the whole batch."""
    keys = {key for row in rows for key in (row.attachments_key, row.own_attachments_key) if key}
    found: dict[str, list[OutboxAttachment]] = {}
    if keys:
        query = select(OutboxAttachment).where(OutboxAttachment.key.in_(keys)).order_by(OutboxAttachment.id)
        for attachment in db.session.scalars(query):
            db.session.expunge(attachment)  # kept for the batch, like the rows
            found.setdefault(attachment.key, []).append(attachment)
        db.session.commit()
    return found


_OUTBOX = OutboxMessage.__table__


def _record(row_id: int, worker: str, **values) -> None:
    """One message's result, in a commit of its own (a Core UPDATE: the ORM's bookkeeping cost
    as much as the write itself, once per message)."""
    with writing():
        db.session.execute(
            _OUTBOX.update()
            .where(_OUTBOX.c.id == row_id, _OUTBOX.c.claimed_by == worker)
            .values(claimed_until=None, **values))


# Marking sent messages, many rows in one statement (executemany): the bound names differ from the
# columns', which SQLAlchemy keeps for its own SET parameters.
_MARK_SENT = (_OUTBOX.update()
              .where(_OUTBOX.c.id == bindparam("row_id"), _OUTBOX.c.claimed_by == bindparam("worker"))
              .values(status="sent", claimed_until=None, last_error=None, sent_at=bindparam("at"),
                      body_text=bindparam("text"), body_html=bindparam("html")))


class _SentGroup:
    """Messages the server accepted, not yet marked: marked together (one commit) when the group
    is full or a second old, and always before the worker writes anything else or stops. Their
    kept copy loses the secret links it carried (manage, offer, reset)."""

    def __init__(self, worker: str, size: int, seconds: float = 1.0):
        self.worker, self.size, self.seconds = worker, max(1, size), seconds
        self.rows: list[dict] = []
        self.started = 0.0

    def add(self, row: OutboxMessage) -> None:
        if not self.rows:
            self.started = time.monotonic()
        self.rows.append({"row_id": row.id, "worker": self.worker, "at": utcnow(),
                          "text": redact_tokens(row.body_text),
                          "html": redact_tokens(row.body_html) if row.body_html is not None else None})
        if len(self.rows) >= self.size or time.monotonic() - self.started >= self.seconds:
            self.mark()

    def mark(self) -> None:
        if not self.rows:
            return
        with writing():
            db.session.execute(_MARK_SENT, self.rows)
        self.rows = []


def _record_temporary_failure(row: OutboxMessage, worker: str, error: str) -> str:
    """Queue the message again after its backoff, or fail it when the retries are spent.
    Returns the count it belongs to: "retry" or "failed"."""
    attempts = row.attempts + 1
    if attempts > len(BACKOFF_MINUTES):
        _record(row.id, worker, status="failed", attempts=attempts, last_error=error)
        return "failed"
    _record(row.id, worker, status="queued", attempts=attempts, last_error=error,
            next_attempt_at=utcnow() + dt.timedelta(minutes=BACKOFF_MINUTES[attempts - 1]))
    return "retry"


def _record_permanent_failure(row: OutboxMessage, worker: str, error: str) -> None:
    _record(row.id, worker, status="failed", attempts=row.attempts + 1, last_error=error)


def _give_back(rows: list[OutboxMessage], worker: str) -> None:
    """Unsent messages return to the queue as they were (no attempt counted)."""
    if not rows:
        return
    with writing():
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_([row.id for row in rows]), OutboxMessage.claimed_by == worker,
                   OutboxMessage.status == "sending")
            .values(status="queued", claimed_by=None, claimed_until=None))


def _smtp_answer(error: Exception) -> tuple[int | None, str]:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()))
        return code, f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        return error.smtp_code, f"{error.smtp_code} {text}"
    return None, f"{type(error).__name__}: {error}"


class _Holding:
    """The leases a worker holds while it sends a batch (its messages, its SMTP slot), renewed
    every third of the lease so that a long batch keeps them."""

    def __init__(self, worker: str, slot: int | None):
        self.worker, self.slot = worker, slot
        self.every = lease_duration().total_seconds() / 3
        self.renewed_at = time.monotonic()
        self.lost = False

    def due(self) -> bool:
        return time.monotonic() - self.renewed_at >= self.every

    def keep(self, pending: list[OutboxMessage]) -> None:
        """Renew when due; drop from `pending` any message no longer ours; note a lost slot."""
        if not self.due():
            return
        with writing():
            mine = (OutboxMessage.claimed_by == self.worker) & (OutboxMessage.status == "sending")
            db.session.execute(update(OutboxMessage).where(mine).values(claimed_until=utcnow() + lease_duration()))
            ours = set(db.session.scalars(select(OutboxMessage.id).where(mine)))
            if self.slot is not None and not renew_slot(self.slot, self.worker):
                self.lost = True
        self.renewed_at = time.monotonic()
        if len(ours) < len(pending):
            log.warning("Worker %s lost the lease on %d message(s)", self.worker, len(pending) - len(ours))
        pending[:] = [row for row in pending if row.id in ours]


def deliver_batch(worker: str, size: int, pacer: Pacer | None = None, slot_wait: float | None = None) -> dict:
    """Lease an SMTP slot, claim and send one batch, give the slot back. Returns counts of
    claimed, sent, retried and failed messages (no_slot: every connection slot was taken;
    interrupted: the connection failed or the slot was lost, the rest waits)."""
    counts = dict.fromkeys(COUNTS, 0)
    slot = None
    if uses_smtp():
        if not anything_due():
            return counts
        wait = current_app.config["OUTBOX_POLL_SECONDS"] if slot_wait is None else slot_wait
        slot = acquire_slot(worker, wait)
        if slot is None:
            counts["no_slot"] = 1
            return counts
    try:
        rows = claim_batch(worker, size)
        counts["claimed"] = len(rows)
        if rows:
            _send(rows, worker, slot, pacer or Pacer(0), counts)
    finally:
        if slot is not None:
            release_slot(slot, worker)  # after the connection is closed
    return counts


def _send(rows: list[OutboxMessage], worker: str, slot: int | None, pacer: Pacer, counts: dict) -> None:
    attachments = _load_attachments(rows)
    pending = []
    for row in rows:
        missing = [key for key in (row.attachments_key, row.own_attachments_key) if key and key not in attachments]
        if missing:
            _record_permanent_failure(row, worker, f"no attachment stored under the key {missing[0]!r}")
            counts["failed"] += 1
        else:
            pending.append(row)
    if not pending:
        return
    holding = _Holding(worker, slot)
    sent = _SentGroup(worker, current_app.config["OUTBOX_RECORD_EVERY"])
    try:
        with open_transport() as transport:
            while pending:
                pacer.wait(keep_alive=lambda: (sent.mark(), holding.keep(pending)), chunk=holding.every)
                if holding.due():
                    sent.mark()
                holding.keep(pending)
                if holding.lost or not pending:
                    break
                row = pending[0]
                try:
                    transport.send(row, [*attachments.get(row.attachments_key, ()),
                                         *attachments.get(row.own_attachments_key, ())])
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as error:
                    sent.mark()
                    code, answer = _smtp_answer(error)
                    if code is not None and code >= 500:
                        _record_permanent_failure(row, worker, answer)
                        counts["failed"] += 1
                    else:
                        counts[_record_temporary_failure(row, worker, answer)] += 1
                    pending.pop(0)
                    continue
                except ValueError as error:  # a message that cannot be written out (a line break in a header)
                    sent.mark()
                    _record_permanent_failure(row, worker, f"{type(error).__name__}: {error}")
                    counts["failed"] += 1
                    pending.pop(0)
                    continue
                sent.add(row)
                counts["sent"] += 1
                pending.pop(0)
            sent.mark()
    except (smtplib.SMTPException, OSError) as error:
        # The connection failed: whatever is left waits for the next attempt; nothing is lost.
        sent.mark()
        _, answer = _smtp_answer(error)
        log.warning("Mail delivery interrupted (%s); %d message(s) will be retried", answer, len(pending))
        for row in pending:
            counts[_record_temporary_failure(row, worker, answer)] += 1
        counts["interrupted"] = 1
        return
    if holding.lost:
        log.warning("Worker %s lost its SMTP slot; %d message(s) go back to the queue", worker, len(pending))
        _give_back(pending, worker)
        counts["interrupted"] = 1


def deliver_due(limit: int | None = None, pacer: Pacer | None = None, slot_wait: float | None = None) -> dict:
    """Deliver every due message (or up to `limit`), batch after batch, in this process.

    Pass the same `pacer` to successive calls (a worker's loop) so the rate holds across them.
    """
    worker = worker_name()
    size = current_app.config["OUTBOX_BATCH_SIZE"]
    pacer = pacer or Pacer(connection_rate())
    totals = dict.fromkeys(COUNTS, 0)
    while limit is None or totals["claimed"] < limit:
        batch_size = size if limit is None else min(size, limit - totals["claimed"])
        counts = deliver_batch(worker, batch_size, pacer=pacer, slot_wait=slot_wait)
        for key in totals:
            totals[key] += counts[key]
        if counts["claimed"] == 0 or counts["interrupted"]:
            break  # nothing due (or no connection free), or the server is failing: leave the rest for later
    return totals


def deliver_due_side_by_side(pacers: list[Pacer]) -> dict:
    """deliver_due() over len(pacers) connections at once, one thread each (its own database
    session, its own SMTP slot among MAIL_MAX_CONNECTIONS): the time a connection waits for the
    server's answers, another uses. The claims keep them from sending the same message."""
    if len(pacers) == 1:
        return deliver_due(pacer=pacers[0])
    app = current_app._get_current_object()
    results: list[dict] = []

    def one_connection(pacer: Pacer) -> None:
        with app.app_context():
            try:
                results.append(deliver_due(pacer=pacer))
            except Exception:  # the others go on; this connection's messages are leased, then retried
                log.exception("Outbox connection failed")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=one_connection, args=(pacer,), name=f"outbox-{n}")
               for n, pacer in enumerate(pacers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {key: sum(result[key] for result in results) for key in COUNTS}


# --- the embedded worker: a thread in the web process, for `make run` ---------------------------
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
        with app.app_context():
            pacer = Pacer(connection_rate())
        while True:
            wait_for_mail(timeout=app.config["OUTBOX_POLL_SECONDS"])
            with app.app_context():
                try:
                    run_jobs(app)
                    deliver_due(pacer=pacer)
                except Exception:  # keep the thread alive; the rows stay queued
                    log.exception("Embedded outbox worker failed; will try again")
                finally:
                    db.session.remove()

    thread = threading.Thread(target=loop, name="outbox-worker", daemon=True)
    thread.start()
    return thread
