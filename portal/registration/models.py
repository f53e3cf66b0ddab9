"""A person's registration for one event, its seat (reserved seats, waiting-list offers) and
its history. The values of its fields are in vocabularies.py."""
import datetime as dt
import secrets

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, UniqueConstraint, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..events.models import Event, Organization, Workshop
from ..extensions import db
from ..geo.models import Province
from ..tokens import HashedLink, new_token
from .vocabularies import ACCESS_NEED, DIET, HEALTH_DIETS

# Crockford's base32 without look-alikes: references are read aloud on the phone.
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference() -> str:
    return "CC-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))


class Registration(db.Model):
    __tablename__ = "registration"
    # One active registration per email per event, enforced by the database itself (a person
    # who cancelled may register again). People registered without an email ("") are told apart
    # by their phone instead (operations.find_by_phone), so the rule leaves them out.
    __table_args__ = (
        Index("uq_registration_event_email_active", "event_id", "email_normalized", unique=True,
              sqlite_where=text("status != 'cancelled' AND email_normalized != ''"),
              postgresql_where=text("status != 'cancelled' AND email_normalized != ''")),
        # The coordinators' list: one event's rows, sorted by date, name or status, page by page.
        Index("ix_registration_event_created", "event_id", "created_at", "id"),
        Index("ix_registration_event_name", "event_id", "last_name", "first_name", "id"),
        Index("ix_registration_event_status", "event_id", "status", "last_name"),
        # ...and by province or organisation at 100k applicants, without sorting the whole event (0027).
        Index("ix_registration_event_province", "event_id", "province_code", "last_name", "id"),
        Index("ix_registration_event_organization", "event_id", "organization", "last_name", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True, default=new_reference)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    # When the status last changed: orders the waiting list (first wait-listed, first offered).
    status_changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254))
    email_normalized: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str] = mapped_column(String(30), default="")
    gender: Mapped[str] = mapped_column(String(12))
    age_band: Mapped[str] = mapped_column(String(10))
    organization: Mapped[str] = mapped_column(String(200), default="")
    organization_type: Mapped[str] = mapped_column(String(20))
    province_code: Mapped[str] = mapped_column(ForeignKey("province.code"), index=True)
    city: Mapped[str] = mapped_column(String(100))
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"), index=True)
    language: Mapped[str] = mapped_column(String(16), default="fr")
    # Health data: kept only with consent_needs_at set; erased with the rest on request.
    access_needs_details: Mapped[str] = mapped_column(Text, default="")
    # The details of an "other" diet: health data, kept only with consent_needs_at set (like the needs).
    diet_details: Mapped[str] = mapped_column(String(200), default="")
    # Where the person heard of the event: the association whose registration link they followed
    # (None: the plain link, or a code that is no link of this event) and their answer (HEARD_FROM, or "").
    source_organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="SET NULL"), index=True)
    heard_from: Mapped[str] = mapped_column(String(20), default="")
    travel_support: Mapped[bool] = mapped_column(default=False)
    accommodation_support: Mapped[bool] = mapped_column(default=False)
    out_of_region: Mapped[bool] = mapped_column(default=False)

    # How the registration came in (CHANNEL: online, assisted, imported, walk_in) and, unless online,
    # the coordinator who entered it; then the consents (below) were given orally to that coordinator.
    channel: Mapped[str] = mapped_column(String(12), default="online", server_default="online", index=True)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    # Kept as written when entered: the history must still say who, should the account go.
    registered_by_name: Mapped[str] = mapped_column(String(200), default="", server_default="")

    consent_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # The version of the privacy notice the person agreed to (config PRIVACY_NOTICE_VERSION).
    consent_version: Mapped[str] = mapped_column(String(20), default="")
    consent_needs_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # Set by `flask purge` once the retention period is over: personal fields are blanked, the
    # figures (gender, age band, province, status...) stay for the statistics.
    anonymised_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # The "has answered" mark of the questionnaire after the event (feedback.py): only that, no
    # time and no link to the answer, which is stored apart (FeedbackAnswer) and stays anonymous.
    feedback_given: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # Attendance (attendance.py): when and by whom the person was marked present at the door.
    checked_in_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    checked_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    event: Mapped[Event] = relationship()
    workshop: Mapped[Workshop] = relationship()
    province: Mapped[Province] = relationship()
    needs: Mapped[list["RegistrationAccessNeed"]] = relationship(
        cascade="all, delete-orphan", order_by="RegistrationAccessNeed.need")
    diet_rows: Mapped[list["RegistrationDiet"]] = relationship(
        cascade="all, delete-orphan", order_by="RegistrationDiet.diet")
    source_organization: Mapped[Organization | None] = relationship()
    history: Mapped[list["StatusChange"]] = relationship(
        cascade="all, delete-orphan", order_by="StatusChange.id", back_populates="registration")
    manage_links: Mapped[list["ManageLink"]] = relationship(cascade="all, delete-orphan", passive_deletes=True)

    def change_status(self, new_status: str, now: dt.datetime, actor_id: int | None = None,
                      reason: str = "") -> "StatusChange":
        """Every change of status goes through here, so the audit log is complete."""
        change = StatusChange(from_status=self.status if self.id else None, to_status=new_status,
                              changed_at=now, actor_id=actor_id, reason=reason or "")
        self.history.append(change)
        self.status = new_status
        self.status_changed_at = now
        return change

    @property
    def access_needs(self) -> list[str]:
        """In the order of the vocabulary (the order of the form)."""
        declared = {row.need for row in self.needs}
        return [need for need in ACCESS_NEED if need in declared]

    @access_needs.setter
    def access_needs(self, values: list[str]) -> None:
        wanted = [value for value in ACCESS_NEED if value in set(values)]
        self.needs = [RegistrationAccessNeed(need=value) for value in wanted]

    @property
    def diets(self) -> list[str]:
        """In the order of the vocabulary (the order of the form)."""
        declared = {row.diet for row in self.diet_rows}
        return [diet for diet in DIET if diet in declared]

    @diets.setter
    def diets(self, values: list[str]) -> None:
        wanted = [value for value in DIET if value in set(values)]
        self.diet_rows = [RegistrationDiet(diet=value) for value in wanted]

    def diets_seen(self, can_see_health: bool) -> list[str]:
        """The diets a reader may see: the health ones only with the right to see health data."""
        return [diet for diet in self.diets if can_see_health or diet not in HEALTH_DIETS]

    @property
    def consent_given_orally(self) -> bool:
        """Entered by a coordinator: the person agreed aloud (by phone, at the office, at the door)."""
        return self.channel != "online"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class RegistrationAccessNeed(db.Model):
    """One declared access need: a row each, so coordinators can filter on them."""
    __tablename__ = "registration_access_need"

    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), primary_key=True)
    need: Mapped[str] = mapped_column(String(24), primary_key=True, index=True)


class RegistrationDiet(db.Model):
    """One declared diet: a row each, so the logistics sheet counts them per meal."""
    __tablename__ = "registration_diet"

    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), primary_key=True)
    diet: Mapped[str] = mapped_column(String(16), primary_key=True, index=True)


class StatusChange(db.Model):
    """The audit log of a registration's status: who (None: the registrant or the system), when,
    from what to what, and why."""
    __tablename__ = "status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(Text, default="")

    registration: Mapped[Registration] = relationship(back_populates="history")


class AttendanceChange(db.Model):
    """The audit log of attendance: who marked the person present (present=True) or undid it, and when."""
    __tablename__ = "attendance_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    present: Mapped[bool]


class SeatReservation(db.Model):
    """Seats kept for an inclusion group (e.g. 10 for persons declaring a need) until a date."""
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
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)  # open|accepted|expired|declined|withdrawn
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    registration: Mapped[Registration] = relationship()

    @classmethod
    def make(cls, registration: Registration, now: dt.datetime, valid_for: dt.timedelta):
        """The offer and the token of its link (only the hash is stored)."""
        token, stored = new_token()
        offer = cls(event_id=registration.event_id, registration=registration, token_hash=stored,
                    offered_at=now, expires_at=now + valid_for, status="open")
        return offer, token


class ManageLink(HashedLink, db.Model):
    """A link to the manage page, sent in one mail: only its token's hash is stored. Each mail
    carries a link of its own; all open the same registration until they expire (the retention
    period after the event), and erasing the registration erases them."""
    __tablename__ = "manage_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)


class FeedbackAnswer(db.Model):
    """An answer to the questionnaire after an event, anonymous: it holds no registration, no time
    and no sequential id (its id is random), so it cannot be traced back to the person. The person
    can still change it from the manage link they answered from: `change_key` is a hash of that
    link's token, which the portal never stores (the links are stored under another hash)."""
    __tablename__ = "feedback_answer"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: secrets.token_hex(16))
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    change_key: Mapped[str] = mapped_column(String(64), unique=True)
    usefulness: Mapped[int]  # 1 to 5
    accessibility: Mapped[int]  # 1 to 5
    needs_met: Mapped[str] = mapped_column(String(16))  # NEEDS_MET (health-adjacent)
    comment: Mapped[str] = mapped_column(Text, default="")
