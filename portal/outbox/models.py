"""An outgoing message, stored in the same transaction as the change that caused it."""
import datetime as dt

from sqlalchemy import DateTime, Index, LargeBinary, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # At most one message per key (e.g. one per recipient per campaign), enforced by the database.
    dedup_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    to_address: Mapped[str] = mapped_column(String(320))
    to_name: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(400))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(16), default="fr")
    message_id: Mapped[str] = mapped_column(String(200))
    # Opaque to the outbox: a batch whose progress someone follows ("campaign:12"), and the key of
    # the attachments shared by the messages of that batch (see OutboxAttachment).
    batch_key: Mapped[str | None] = mapped_column(String(80), index=True)
    attachments_key: Mapped[str | None] = mapped_column(String(80))
    # Files of this message alone (an invitation letter addressed to one institution), on top of
    # the batch's: OutboxAttachment rows under this key, stored by queue_message(own_attachments=...).
    own_attachments_key: Mapped[str | None] = mapped_column(String(80))
    # Whose data the message carries ("registration:12"), so that it can be forgotten with them.
    about: Mapped[str | None] = mapped_column(String(80), index=True)

    status: Mapped[str] = mapped_column(String(10), default="queued")  # queued | sending | sent | failed
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claimed_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class OutboxAttachment(db.Model):
    """A file attached to every message whose attachments_key matches (stored once per batch)."""
    __tablename__ = "outbox_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class SmtpSlot(db.Model):
    """One row per SMTP connection the workers may hold at once (MAIL_MAX_CONNECTIONS): a worker
    leases a slot before it connects, so several processes never exceed the provider's limit."""
    __tablename__ = "smtp_slot"

    id: Mapped[int] = mapped_column(primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(80))
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
