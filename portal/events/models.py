"""Events and what hangs off them. Bilingual texts are stored as <name>_fr / <name>_ar."""
import datetime as dt
import secrets

from sqlalchemy import Column, Date, DateTime, ForeignKey, String, Table, Text, Time, UniqueConstraint, func
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..geo.models import Province, Region
from .vocabularies import PUBLIC_STATUSES, VENUE_FACT

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
    kind: Mapped[str] = mapped_column(String(20), default="association")  # vocabularies.ORGANIZATION_KIND


# The code of an organiser's registration link: short, read aloud or typed from a flyer, so no
# look-alike characters (no 0/O, 1/I/L, U).
SOURCE_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_source_code() -> str:
    return "".join(secrets.choice(SOURCE_CODE_ALPHABET) for _ in range(6))


class EventOrganizer(db.Model):
    """An organisation that organises an event, with the code of its own registration link
    (/events/<slug>/register?via=<code>): not secret, it tells which association brought a person."""
    __tablename__ = "event_organizer"
    __table_args__ = (UniqueConstraint("event_id", "source_code"),)

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), default="co_organizer")  # organizer | co_organizer
    source_code: Mapped[str] = mapped_column(String(8), default=new_source_code)

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
    # Local times (Africa/Casablanca) of the day; None: not yet set (the agenda may say).
    start_time: Mapped[dt.time | None] = mapped_column(Time)
    end_time: Mapped[dt.time | None] = mapped_column(Time)
    city_fr: Mapped[str] = mapped_column(String(120), default="")
    city_ar: Mapped[str] = mapped_column(String(120), default="")
    province_code: Mapped[str | None] = mapped_column(ForeignKey("province.code"))
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    capacity: Mapped[int] = mapped_column(default=70)
    # UTC, naive: the registration window.
    registration_opens_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    registration_closes_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(24), default="draft", index=True)  # EVENT_STATUS
    # Optimistic locking of the organisers' edit form: a save carries the version it was read at.
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    province: Mapped[Province | None] = relationship()
    regions: Mapped[list[Region]] = relationship(secondary=event_region, order_by=Region.code)
    organizers: Mapped[list[EventOrganizer]] = relationship(cascade="all, delete-orphan")
    venue: Mapped["Venue | None"] = relationship(cascade="all, delete-orphan", uselist=False)
    workshops: Mapped[list["Workshop"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Workshop.position")
    agenda: Mapped[list["AgendaItem"]] = relationship(
        cascade="all, delete-orphan", order_by="AgendaItem.position")
    roles: Mapped[list["EventRole"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventRole.position")

    @hybrid_property
    def is_public(self) -> bool:
        """Seen by the public: every state but draft."""
        return self.status in PUBLIC_STATUSES

    @is_public.inplace.expression
    @classmethod
    def _is_public_expression(cls):
        return cls.status.in_(PUBLIC_STATUSES)

    def registration_state(self, now: dt.datetime) -> str:
        """One of: unpublished, cancelled, not_yet_open, open, closed, past (now is naive UTC)."""
        if self.status == "draft":
            return "unpublished"
        if self.status == "cancelled":
            return "cancelled"
        if self.status in ("held", "archived") or self.starts_on < now.date():
            return "past"
        if self.status == "registration_closed":
            return "closed"
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

    def confirmed_people(self, role: str) -> list["Person"]:
        """The confirmed people of one role, each once (the public page shows only these)."""
        people = []
        for link in self.roles:
            if link.role == role and link.status == "confirmed" and link.person not in people:
                people.append(link.person)
        return people


class Venue(db.Model):
    """Where an event takes place, and what its accessibility is: each fact yes / no / unknown,
    typed, so that the public page says only what someone entered."""
    __tablename__ = "venue"

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    name_fr: Mapped[str] = mapped_column(String(200), default="")
    name_ar: Mapped[str] = mapped_column(String(200), default="")
    address_fr: Mapped[str] = mapped_column(String(300), default="")
    address_ar: Mapped[str] = mapped_column(String(300), default="")
    map_url: Mapped[str] = mapped_column(String(500), default="")
    step_free_entrance: Mapped[str] = mapped_column(String(8), default="unknown")
    lift: Mapped[str] = mapped_column(String(8), default="unknown")
    accessible_toilets: Mapped[str] = mapped_column(String(8), default="unknown")
    hearing_loop: Mapped[str] = mapped_column(String(8), default="unknown")
    sign_language: Mapped[str] = mapped_column(String(8), default="unknown")
    reserved_seating: Mapped[str] = mapped_column(String(8), default="unknown")
    quiet_room: Mapped[str] = mapped_column(String(8), default="unknown")
    accessible_parking: Mapped[str] = mapped_column(String(8), default="unknown")
    public_transport: Mapped[str] = mapped_column(String(8), default="unknown")

    @property
    def facts(self) -> list[tuple[str, str]]:
        """(fact, yes | no | unknown) in the vocabulary's order."""
        return [(fact, getattr(self, fact)) for fact in VENUE_FACT]


class Workshop(db.Model):
    """A thematic workshop (atelier) of an event; each registrant picks one."""
    __tablename__ = "workshop"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title_fr: Mapped[str] = mapped_column(String(300))
    title_ar: Mapped[str] = mapped_column(String(300), default="")
    description_fr: Mapped[str] = mapped_column(Text, default="")
    description_ar: Mapped[str] = mapped_column(Text, default="")
    room: Mapped[str] = mapped_column(String(120), default="")
    seat_limit: Mapped[int | None] = mapped_column()  # None: no limit of its own

    event: Mapped[Event] = relationship(back_populates="workshops")

    def people(self, role: str) -> list["Person"]:
        """Its facilitator(s) or rapporteur(s): the event's people linked to it with that role."""
        return [link.person for link in self.event.roles if link.workshop_id == self.id and link.role == role]


class AgendaItem(db.Model):
    """A time slot of the day's agenda; details hold one point per line."""
    __tablename__ = "agenda_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    starts_at: Mapped[dt.time] = mapped_column(Time)
    ends_at: Mapped[dt.time] = mapped_column(Time)
    kind: Mapped[str] = mapped_column(String(20), default="plenary")  # AGENDA_KIND
    title_fr: Mapped[str] = mapped_column(String(200))
    title_ar: Mapped[str] = mapped_column(String(200), default="")
    details_fr: Mapped[str] = mapped_column(Text, default="")
    details_ar: Mapped[str] = mapped_column(Text, default="")


class Person(db.Model):
    """Someone who speaks at or runs events: one row per person, whatever their events and roles
    (a person confirmed in two events is one person, and one recipient)."""
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_fr: Mapped[str] = mapped_column(String(300))
    name_ar: Mapped[str] = mapped_column(String(300), default="")
    organization: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(254), unique=True)  # lower-case; None: not known
    phone: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class EventRole(db.Model):
    """A person's role in one event (PERSON_ROLE), with its status (PERSON_STATUS), and the agenda
    item or workshop it belongs to (a workshop's facilitator and rapporteur are such links)."""
    __tablename__ = "event_role"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    role: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(12), default="to_invite")
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshop.id", ondelete="SET NULL"))
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_item.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship(back_populates="roles")
    person: Mapped[Person] = relationship()
    workshop: Mapped[Workshop | None] = relationship()
    agenda_item: Mapped[AgendaItem | None] = relationship()


class EventReport(db.Model):
    """What the ministry writes in an event's report (organizing.report): an introduction, a
    conclusion and the next steps, in French and Arabic. The figures and workshops are read live."""
    __tablename__ = "event_report"

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    introduction_fr: Mapped[str] = mapped_column(Text, default="")
    introduction_ar: Mapped[str] = mapped_column(Text, default="")
    conclusion_fr: Mapped[str] = mapped_column(Text, default="")
    conclusion_ar: Mapped[str] = mapped_column(Text, default="")
    next_steps_fr: Mapped[str] = mapped_column(Text, default="")
    next_steps_ar: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
