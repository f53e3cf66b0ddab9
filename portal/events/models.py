"""Events and what hangs off them. Bilingual texts are stored as <name>_fr / <name>_ar."""
import datetime as dt

from sqlalchemy import Column, Date, DateTime, ForeignKey, String, Table, Text, Time, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..geo.models import Region

event_region = Table(
    "event_region",
    db.metadata,
    Column("event_id", ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column("region_code", ForeignKey("region.code"), primary_key=True),
)


class Organization(db.Model):
    """An association, a ministry or another body that co-organises events (and, later, has users)."""
    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    name_ar: Mapped[str] = mapped_column(String(200), default="")
    acronym: Mapped[str] = mapped_column(String(40), default="")
    kind: Mapped[str] = mapped_column(String(20), default="association")  # association | ministry | other


class EventOrganizer(db.Model):
    __tablename__ = "event_organizer"

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), default="co_organizer")  # organizer | co_organizer

    organization: Mapped[Organization] = relationship()


class Event(db.Model):
    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title_fr: Mapped[str] = mapped_column(String(200))
    title_ar: Mapped[str] = mapped_column(String(200), default="")
    summary_fr: Mapped[str] = mapped_column(Text, default="")
    summary_ar: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[dt.date] = mapped_column(Date, index=True)
    city_fr: Mapped[str] = mapped_column(String(120))
    city_ar: Mapped[str] = mapped_column(String(120), default="")
    venue_name: Mapped[str] = mapped_column(String(200), default="")
    venue_address: Mapped[str] = mapped_column(String(300), default="")
    venue_accessibility_fr: Mapped[str] = mapped_column(Text, default="")
    venue_accessibility_ar: Mapped[str] = mapped_column(Text, default="")
    capacity: Mapped[int] = mapped_column(default=70)
    # UTC, naive: the registration window.
    registration_opens_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    registration_closes_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    published: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    regions: Mapped[list[Region]] = relationship(secondary=event_region, order_by=Region.code)
    organizers: Mapped[list[EventOrganizer]] = relationship(cascade="all, delete-orphan")
    workshops: Mapped[list["Workshop"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Workshop.position")
    agenda: Mapped[list["AgendaItem"]] = relationship(
        cascade="all, delete-orphan", order_by="AgendaItem.position")
    contributors: Mapped[list["Contributor"]] = relationship(
        cascade="all, delete-orphan", order_by="Contributor.position")

    def registration_state(self, now: dt.datetime) -> str:
        """One of: unpublished, not_yet_open, open, closed, past (now is naive UTC)."""
        if not self.published:
            return "unpublished"
        if self.starts_on < now.date():
            return "past"
        if self.registration_opens_at is None or now < self.registration_opens_at:
            return "not_yet_open"
        if self.registration_closes_at is not None and now >= self.registration_closes_at:
            return "closed"
        return "open"

    @property
    def region_codes(self) -> set[str]:
        return {region.code for region in self.regions}

    @property
    def co_organizers(self) -> list[Organization]:
        return [link.organization for link in self.organizers if link.role == "co_organizer"]

    @property
    def lead_organizers(self) -> list[Organization]:
        return [link.organization for link in self.organizers if link.role == "organizer"]


class Workshop(db.Model):
    """A thematic workshop (atelier) of an event; each registrant picks one."""
    __tablename__ = "workshop"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title_fr: Mapped[str] = mapped_column(String(300))
    title_ar: Mapped[str] = mapped_column(String(300), default="")

    event: Mapped[Event] = relationship(back_populates="workshops")


class AgendaItem(db.Model):
    """A time slot of the day's agenda; details hold one point per line."""
    __tablename__ = "agenda_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    starts_at: Mapped[dt.time] = mapped_column(Time)
    ends_at: Mapped[dt.time] = mapped_column(Time)
    title_fr: Mapped[str] = mapped_column(String(200))
    title_ar: Mapped[str] = mapped_column(String(200), default="")
    details_fr: Mapped[str] = mapped_column(Text, default="")
    details_ar: Mapped[str] = mapped_column(Text, default="")


class Contributor(db.Model):
    """A speaker (intervenant) or an expert of an event."""
    __tablename__ = "contributor"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(20))  # speaker | expert
    name_fr: Mapped[str] = mapped_column(String(300))
    name_ar: Mapped[str] = mapped_column(String(300), default="")
