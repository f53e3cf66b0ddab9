"""Campaign changes: checking templates, previewing, sending (queueing), retrying failures."""
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, update

from ..extensions import db
from ..outbox import queue_message
from ..outbox.models import OutboxAttachment, OutboxMessage
from .audiences import Recipient, recipients_of
from .calendar import event_ics
from .models import Campaign, MessageTemplate
from .placeholders import check, render_html, render_text

MAX_ATTACHMENTS_BYTES = 5 * 1024 * 1024
WARN_ATTACHMENTS_BYTES = 2 * 1024 * 1024


def template_problems(template: MessageTemplate) -> dict[str, list[str]]:
    """{field: [problems]} for the subjects and bodies of both languages."""
    problems = {}
    for field in ("subject_fr", "body_fr", "subject_ar", "body_ar"):
        found = check(getattr(template, field) or "", template.audience_kind)
        if found:
            problems[field] = found
    for field in ("subject_fr", "subject_ar"):
        if "\r" in (getattr(template, field) or "") or "\n" in (getattr(template, field) or ""):
            problems.setdefault(field, []).append("line break")
    return problems


@dataclass
class Rendered:
    subject: str
    text: str
    html: str


def render_for(template: MessageTemplate, recipient: Recipient) -> Rendered:
    language = recipient.language if recipient.language in ("fr", "ar") else "fr"
    subject = render_text(getattr(template, f"subject_{language}"), recipient.values)
    body = getattr(template, f"body_{language}")
    # A subject is one line, whatever a value holds.
    subject = " ".join(subject.split())
    return Rendered(subject=subject, text=render_text(body, recipient.values),
                    html=render_html(body, recipient.values, language))


def _lock(campaign_id: int) -> Campaign:
    query = select(Campaign).where(Campaign.id == campaign_id)
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return db.session.scalar(query)


def _store_attachments(campaign: Campaign, now: dt.datetime) -> str | None:
    """The campaign's files (and its .ics) stored once for all its messages."""
    key = campaign.batch_key
    if db.session.scalar(select(func.count()).select_from(OutboxAttachment).where(OutboxAttachment.key == key)):
        return key
    files = [(a.filename, a.content_type, a.data) for a in campaign.attachments]
    if campaign.include_ics and campaign.event is not None:
        files.append((f"{campaign.event.slug}.ics", "text/calendar", event_ics(campaign.event, now)))
    if not files:
        return None
    for filename, content_type, data in files:
        db.session.add(OutboxAttachment(key=key, filename=filename, content_type=content_type, data=data))
    return key


def send(campaign_id: int, actor_id: int | None, now: dt.datetime) -> int:
    """Queue one message per recipient not queued yet. Sending again adds only newcomers (the
    database refuses a second message for the same recipient). Returns how many were queued."""
    campaign = _lock(campaign_id)
    template = campaign.template
    already = set(db.session.scalars(select(OutboxMessage.dedup_key).where(
        OutboxMessage.batch_key == campaign.batch_key)))
    attachments_key = _store_attachments(campaign, now)
    queued = 0
    recipients = recipients_of(campaign)
    for recipient in recipients:
        dedup_key = f"{campaign.batch_key}:{recipient.key}"
        if dedup_key in already:
            continue
        rendered = render_for(template, recipient)
        message = queue_message(to_address=recipient.email, to_name=" ".join(recipient.name.split()),
                                subject=rendered.subject, body_text=rendered.text, body_html=rendered.html,
                                language=recipient.language, dedup_key=dedup_key, batch_key=campaign.batch_key,
                                attachments_key=attachments_key)
        queued += message is not None
    campaign.sent_at = campaign.sent_at or now
    campaign.sent_by = campaign.sent_by or actor_id
    campaign.recipient_count = len(already) + queued
    return queued


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


def progress(campaign: Campaign) -> Progress:
    counts = dict(db.session.execute(select(OutboxMessage.status, func.count()).where(
        OutboxMessage.batch_key == campaign.batch_key).group_by(OutboxMessage.status)).all())
    return Progress(*(counts.get(status, 0) for status in ("queued", "sending", "sent", "failed")))


def failures(campaign: Campaign, limit: int = 200) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.batch_key == campaign.batch_key, OutboxMessage.status == "failed")
        .order_by(OutboxMessage.id).limit(limit)))


def retry_failed(campaign: Campaign, now: dt.datetime) -> int:
    """Failed messages go back to the queue for a fresh series of attempts."""
    result = db.session.execute(
        update(OutboxMessage).where(OutboxMessage.batch_key == campaign.batch_key, OutboxMessage.status == "failed")
        .values(status="queued", attempts=0, next_attempt_at=now, last_error=None))
    return result.rowcount
