"""Forgetting mail: a person's messages when their data is erased, old bodies when their time is up.

A sent message keeps its row (campaign progress counts it) but loses who it went to and what it
said; a message not sent yet is deleted, so nothing goes out about someone who was erased.
"""
import datetime as dt

from flask import current_app
from sqlalchemy import delete, update

from ..extensions import db
from .models import OutboxAttachment, OutboxMessage

ERASED_ADDRESS = "erased@invalid"  # .invalid: a name that can never receive mail (RFC 2606)
_BLANK = {"to_address": ERASED_ADDRESS, "to_name": "", "subject": "", "body_text": "", "body_html": None,
          "last_error": None}


def forget(about: str) -> int:
    """Delete the unsent messages carrying this person's data, blank the sent ones. Returns how
    many rows were touched."""
    deleted = db.session.execute(delete(OutboxMessage).where(
        OutboxMessage.about == about, OutboxMessage.status != "sent")).rowcount
    blanked = db.session.execute(update(OutboxMessage).where(
        OutboxMessage.about == about, OutboxMessage.status == "sent").values(**_BLANK, about=None)).rowcount
    return deleted + blanked


def blank_old_messages(sent_before: dt.datetime) -> int:
    """Sent or failed messages older than the date lose their addressee and content."""
    old = (OutboxMessage.status.in_(("sent", "failed"))) & (OutboxMessage.created_at < sent_before) \
        & (OutboxMessage.to_address != ERASED_ADDRESS)
    return db.session.execute(update(OutboxMessage).where(old).values(**_BLANK, about=None)).rowcount


def delete_old_attachments(sent_before: dt.datetime) -> int:
    """Files of batches whose every message was sent or failed before the date."""
    recent = (OutboxMessage.status.in_(("queued", "sending"))) | (OutboxMessage.created_at >= sent_before)
    pending = [db.session.query(column).filter(column.is_not(None), recent).scalar_subquery()
               for column in (OutboxMessage.attachments_key, OutboxMessage.own_attachments_key)]
    return db.session.execute(delete(OutboxAttachment).where(
        OutboxAttachment.key.not_in(pending[0]), OutboxAttachment.key.not_in(pending[1]))).rowcount


def _cutoff(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(days=int(current_app.config["MAIL_RETENTION_DAYS"]))


def purge_old_messages(now: dt.datetime) -> int:
    return blank_old_messages(_cutoff(now))


def purge_old_attachments(now: dt.datetime) -> int:
    return delete_old_attachments(_cutoff(now))
