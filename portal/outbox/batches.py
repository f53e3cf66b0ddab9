"""Following a batch of messages (a campaign's, say): how far it went, what failed, retrying.

The outbox owns the states of its messages: nothing outside this package writes them.
"""
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, update

from ..extensions import db
from .models import OutboxMessage


@dataclass
class Progress:
    queued: int
    sending: int
    sent: int
    failed: int

    @property
    def total(self) -> int:
        return self.queued + self.sending + self.sent + self.failed

    @property
    def done(self) -> int:
        return self.sent + self.failed

    @property
    def finished(self) -> bool:
        return self.total > 0 and self.done == self.total

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


def progress(batch_key: str) -> Progress:
    counts = dict(db.session.execute(select(OutboxMessage.status, func.count()).where(
        OutboxMessage.batch_key == batch_key).group_by(OutboxMessage.status)).all())
    return Progress(*(counts.get(status, 0) for status in ("queued", "sending", "sent", "failed")))


def failures(batch_key: str, limit: int = 200) -> list[OutboxMessage]:
    """The failed messages of the batch, with the server's answer in last_error."""
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.batch_key == batch_key, OutboxMessage.status == "failed")
        .order_by(OutboxMessage.id).limit(limit)))


def retry_failed(batch_key: str, now: dt.datetime) -> int:
    """Failed messages go back to the queue for a fresh series of attempts. Returns how many."""
    result = db.session.execute(
        update(OutboxMessage).where(OutboxMessage.batch_key == batch_key, OutboxMessage.status == "failed")
        .values(status="queued", attempts=0, next_attempt_at=now, last_error=None))
    return result.rowcount
