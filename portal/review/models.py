"""What the review adds to registrations: notes, reserved seats, waiting-list offers, export log."""
import datetime as dt
import hashlib
import secrets

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..registration.models import Registration

GROUPS = ("disability", "youth", "women")


class InternalNote(db.Model):
    """A coordinators' note on a participant; never shown to the participant."""
    __tablename__ = "internal_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    body: Mapped[str] = mapped_column(Text)


class SeatReservation(db.Model):
    """Seats kept for a group (e.g. 10 for persons declaring a disability need) until a date."""
    __tablename__ = "seat_reservation"
    __table_args__ = (UniqueConstraint("event_id", "group"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    group: Mapped[str] = mapped_column(String(20))
    seats: Mapped[int]
    until: Mapped[dt.datetime] = mapped_column(DateTime)  # naive UTC


class WaitlistOffer(db.Model):
    """A freed seat offered to a wait-listed person: accept by the emailed link before it expires."""
    __tablename__ = "waitlist_offer"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    offered_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)  # open|accepted|expired|withdrawn
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    registration: Mapped[Registration] = relationship()

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def make(cls, registration: Registration, now: dt.datetime, valid_for: dt.timedelta):
        token = secrets.token_urlsafe(32)
        offer = cls(event_id=registration.event_id, registration=registration, token_hash=cls.hash(token),
                    offered_at=now, expires_at=now + valid_for, status="open")
        return offer, token


class ExportLog(db.Model):
    """Every export: who, when, which event, which columns, which filters, how many rows."""
    __tablename__ = "export_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    file_format: Mapped[str] = mapped_column(String(4))
    column_set: Mapped[str] = mapped_column(String(10))
    query: Mapped[str] = mapped_column(Text, default="")
    row_count: Mapped[int | None]
