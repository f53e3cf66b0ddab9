"""Queueing a message: a row in the caller's transaction, delivered after it commits."""
import uuid
from email.utils import make_msgid

from flask import current_app
from sqlalchemy import select

from ..clock import utcnow
from ..database import insert_new
from ..extensions import db
from .models import OutboxAttachment, OutboxMessage
from .wakeup import mark_queued


class HeaderInjectionError(ValueError):
    """A value meant for a mail header holds a line break."""


def _name_on_one_line(name: str) -> str:
    """A person's name typed over several lines is still their name: folded into one, where a line
    break in an address or a subject is refused."""
    return " ".join(name.split())


def _single_line(value: str, what: str) -> str:
    if "\r" in value or "\n" in value:
        raise HeaderInjectionError(f"{what} contains a line break")
    return value


def queue_message(*, to_address: str, subject: str, body_text: str, body_html: str | None = None,
                  to_name: str = "", language: str = "fr", dedup_key: str | None = None,
                  batch_key: str | None = None, attachments_key: str | None = None,
                  about: str | None = None,
                  own_attachments: list[tuple[str, str, bytes]] | None = None) -> OutboxMessage | None:
    """Add a message to the outbox in the current transaction (the caller commits).

    With a dedup_key already used, nothing is added and None is returned: the database, not a
    prior read, decides, so two requests racing each other cannot both queue it.

    batch_key groups messages whose progress someone follows ("campaign:12"); the outbox does
    not interpret it. attachments_key names OutboxAttachment rows (stored once, in the same
    transaction) attached to every message carrying that key. They must exist when the message
    is delivered: a message whose key has no file is marked failed, never sent without them.

    about names whose personal data the message carries ("registration:12"): erasing that
    person forgets the message (retention.forget).

    own_attachments: files (name, content type, bytes) for this message alone (a letter addressed
    to one recipient), sent with the batch's; stored only when the message itself is queued.
    """
    message = OutboxMessage(
        to_address=_single_line(to_address, "address"),
        to_name=_name_on_one_line(to_name),
        subject=_single_line(subject, "subject"),
        body_text=body_text,
        body_html=body_html,
        language=language,
        dedup_key=dedup_key,
        batch_key=batch_key,
        attachments_key=attachments_key,
        about=about,
        message_id=make_msgid(idstring=uuid.uuid4().hex[:12], domain=_sender_domain()),
        next_attempt_at=utcnow(),
    )
    if own_attachments:
        message.own_attachments_key = f"message:{uuid.uuid4().hex}"
    # Written around the ORM (insert_new): the returned message is a record of what was queued,
    # not an object to change. A used dedup_key: the database refuses the row, nothing is queued.
    if not insert_new(message):
        return None
    mark_queued(db.session())  # the worker is woken once the caller's transaction commits
    for filename, content_type, data in own_attachments or ():
        insert_new(OutboxAttachment(key=message.own_attachments_key, filename=filename,
                                    content_type=content_type, data=data))
    return message


def store_attachments(key: str, files: list[tuple[str, str, bytes]]) -> None:
    """Files (name, content type, bytes) attached to every message queued with attachments_key=key;
    stored once, in the caller's transaction. Nothing is stored twice under one key."""
    if attachments_stored(key):
        return
    for filename, content_type, data in files:
        insert_new(OutboxAttachment(key=key, filename=filename, content_type=content_type, data=data))


def attachments_stored(key: str) -> bool:
    return db.session.scalar(select(OutboxAttachment.id).where(OutboxAttachment.key == key).limit(1)) is not None


def queued_dedup_keys(batch_key: str) -> set[str]:
    """The dedup keys of the messages of a batch already in the outbox."""
    return set(db.session.scalars(select(OutboxMessage.dedup_key).where(OutboxMessage.batch_key == batch_key)))


def _sender_domain() -> str:
    sender = current_app.config.get("MAIL_DEFAULT_SENDER") or "portal@localhost"
    if isinstance(sender, (tuple, list)):
        sender = sender[1]
    return sender.rsplit("@", 1)[-1].strip(" >") or "localhost"
