"""Proposals of an event's workshops and registrants, their moderation, the ministry's response,
the rapporteurs' links and the registrants' consent to be named."""
import datetime as dt

from sqlalchemy import Column, DateTime, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..directory.models import Institution
from ..events.models import Event, Workshop
from ..extensions import db
from ..registration.models import Registration
from ..tokens import HashedLink

proposal_institution = Table(
    "proposal_institution",
    db.metadata,
    Column("proposal_id", ForeignKey("proposal.id", ondelete="CASCADE"), primary_key=True),
    Column("institution_id", ForeignKey("institution.id", ondelete="CASCADE"), primary_key=True, index=True),
)

# The participants who carried a proposal (only those who agreed to be named, `NamingConsent`).
proposal_carrier = Table(
    "proposal_carrier",
    db.metadata,
    Column("proposal_id", ForeignKey("proposal.id", ondelete="CASCADE"), primary_key=True),
    Column("registration_id", ForeignKey("registration.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Proposal(db.Model):
    __tablename__ = "proposal"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    origin: Mapped[str] = mapped_column(String(12), default="workshop")  # vocabularies.ORIGIN
    # The registrant who submitted it (None: the workshop's; or forgotten on erasure).
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration.id", ondelete="SET NULL"), index=True)
    title_fr: Mapped[str] = mapped_column(String(300), default="")
    title_ar: Mapped[str] = mapped_column(String(300), default="")
    description_fr: Mapped[str] = mapped_column(Text, default="")
    description_ar: Mapped[str] = mapped_column(Text, default="")
    theme: Mapped[str] = mapped_column(String(30), index=True)  # vocabularies.THEME
    moderation: Mapped[str] = mapped_column(String(12), default="accepted", index=True)  # MODERATION
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id", ondelete="SET NULL"))
    set_aside_reason: Mapped[str] = mapped_column(Text, default="")
    # The ministry's response (admins): status, the commitment it became, the public reason.
    response: Mapped[str] = mapped_column(String(20), default="under_study", index=True)  # RESPONSE
    commitment: Mapped[str] = mapped_column(String(200), default="")
    reason_fr: Mapped[str] = mapped_column(Text, default="")
    reason_ar: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    event: Mapped[Event] = relationship()
    workshop: Mapped[Workshop] = relationship()
    registration: Mapped[Registration | None] = relationship()
    merged_into: Mapped["Proposal | None"] = relationship(remote_side=[id])
    institutions: Mapped[list[Institution]] = relationship(secondary=proposal_institution,
                                                           order_by=Institution.name_fr)
    carriers: Mapped[list[Registration]] = relationship(secondary=proposal_carrier,
                                                        order_by=Registration.last_name)
    history: Mapped[list["ProposalChange"]] = relationship(
        cascade="all, delete-orphan", order_by="ProposalChange.id", back_populates="proposal")

    @property
    def title(self) -> str:
        """A title to name it by on the back office (French, else Arabic)."""
        return self.title_fr or self.title_ar


class ProposalChange(db.Model):
    """The history of a proposal: who recorded, moderated, answered or published it, and why."""
    __tablename__ = "proposal_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(300))  # "Coordinator X", "Rapporteur(e) Y", "Participant(e)"
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text, default="")

    proposal: Mapped[Proposal] = relationship(back_populates="history")


class RapporteurLink(HashedLink, db.Model):
    """A rapporteur's personal link to record their workshop's proposals (the token is mailed,
    only its hash kept); it expires a month after the event."""
    __tablename__ = "rapporteur_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_role_id: Mapped[int] = mapped_column(ForeignKey("event_role.id", ondelete="CASCADE"), index=True)


class NamingConsent(db.Model):
    """A registrant agreed to be named as carrying proposals (on their manage link; withdrawn there)."""
    __tablename__ = "proposal_naming_consent"

    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), primary_key=True)
    given_at: Mapped[dt.datetime] = mapped_column(DateTime)
