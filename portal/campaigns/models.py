"""Message templates and campaigns (a template sent to an audience)."""
import datetime as dt

from sqlalchemy import DateTime, ForeignKey, LargeBinary, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..directory.models import Institution
from ..events.models import Event
from ..extensions import db


class MessageTemplate(db.Model):
    """Subject and body in French and Arabic; the body is plain text with {{ placeholders }}, and
    its HTML part is made from it (paragraphs, links), every value escaped."""
    __tablename__ = "message_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    purpose: Mapped[str] = mapped_column(String(20), default="other")
    audience_kind: Mapped[str] = mapped_column(String(20))
    subject_fr: Mapped[str] = mapped_column(String(300))
    body_fr: Mapped[str] = mapped_column(Text)
    subject_ar: Mapped[str] = mapped_column(String(300))
    body_ar: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Campaign(db.Model):
    """A template sent to an audience. Its messages live in the outbox (batch_key "campaign:<id>"),
    one per recipient, which the database keeps unique (dedup_key)."""
    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("message_template.id"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id"), index=True)
    audience_kind: Mapped[str] = mapped_column(String(20))
    # The audience's criteria as a query string (audiences.Criteria: statuses, workshops, regions, kinds, roles...).
    audience: Mapped[str] = mapped_column(Text, default="")
    include_ics: Mapped[bool] = mapped_column(default=False)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    sent_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # when its messages were queued
    recipient_count: Mapped[int | None]

    template: Mapped[MessageTemplate] = relationship()
    event: Mapped[Event | None] = relationship()
    attachments: Mapped[list["CampaignAttachment"]] = relationship(
        cascade="all, delete-orphan", order_by="CampaignAttachment.id")

    @property
    def batch_key(self) -> str:
        return f"campaign:{self.id}"


class CampaignAttachment(db.Model):
    __tablename__ = "campaign_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Invitation(db.Model):
    """One institution invited to an event by a campaign, and its answer through a personal link
    (only the token's hash is stored). Answered once: the answer is then kept as given."""
    __tablename__ = "invitation"
    __table_args__ = (UniqueConstraint("campaign_id", "institution_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)  # the end of the event's day, Casablanca time
    answer: Mapped[str | None] = mapped_column(String(12))  # INVITATION_ANSWER
    delegate_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    delegate_title: Mapped[str] = mapped_column(String(200), default="", server_default="")
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    campaign: Mapped[Campaign] = relationship()
    institution: Mapped[Institution] = relationship()
    event: Mapped[Event] = relationship()
