"""Periodic work of the review, run by the mail worker's loop (embedded or `flask outbox work`)."""
from ..database import begin_write
from ..events.queries import utcnow
from ..extensions import db
from .operations import expire_offers


def expire_waitlist_offers() -> int:
    """Offers whose time is up pass their seat to the next wait-listed person."""
    begin_write()
    expired = expire_offers(utcnow())
    db.session.commit()
    return expired
