"""Attendance at the door (issue 11, item 3): mark an approved participant present, or undo it.

Two or three people check in at once on tablets and phones: each operation locks the person's row
(SELECT ... FOR UPDATE on PostgreSQL; on SQLite the write lock that writing() takes does the same)
and decides on what it reads under that lock, so no mark is lost and a double tap changes nothing
the second time (it answers "already present"). Each change writes one line of the attendance log
(`AttendanceChange`). Called inside writing().

"Attendance exists" for an event once one person is marked present: from then on, after the day,
the inclusion report and the budget's committed figures count the present rather than the approved
(`attendance_recorded`, `counts`)."""
import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, or_, select, true

from ..accounts.models import User
from ..database import for_update
from ..extensions import db
from ..forms import Refused
from .models import AttendanceChange, Registration


@dataclass
class Outcome:
    registration: Registration
    changed: bool  # False: it was already so (a double tap), nothing written


def _locked(event_id: int, registration_id: int) -> Registration | None:
    return db.session.scalar(for_update(select(Registration).where(
        Registration.id == registration_id, Registration.event_id == event_id)))


def mark_present(event_id: int, registration_id: int, actor_id: int | None, now: dt.datetime) -> Outcome | None:
    """None when the person is not a registration of this event; refused (Refused) unless approved."""
    registration = _locked(event_id, registration_id)
    if registration is None:
        return None
    if registration.status != "approved":
        raise Refused({"": [_l("%(name)s n'est pas approuvé(e) : pas d'enregistrement de présence.",
                               name=registration.full_name)]})
    if registration.checked_in_at is not None:
        return Outcome(registration, False)
    registration.checked_in_at, registration.checked_in_by_id = now, actor_id
    db.session.add(AttendanceChange(registration_id=registration.id, changed_at=now, actor_id=actor_id, present=True))
    return Outcome(registration, True)


def undo(event_id: int, registration_id: int, actor_id: int | None, now: dt.datetime) -> Outcome | None:
    """Back to "not arrived" (a tap on the wrong name); None when not a registration of this event."""
    registration = _locked(event_id, registration_id)
    if registration is None:
        return None
    if registration.checked_in_at is None:
        return Outcome(registration, False)
    registration.checked_in_at, registration.checked_in_by_id = None, None
    db.session.add(AttendanceChange(registration_id=registration.id, changed_at=now, actor_id=actor_id, present=False))
    return Outcome(registration, True)


@dataclass
class Count:
    present: int
    approved: int


def count(event_id: int) -> Count:
    """Present / approved among the approved participants of the event."""
    present, approved = db.session.execute(
        select(func.coalesce(func.sum(case((Registration.checked_in_at.is_not(None), 1), else_=0)), 0), func.count())
        .where(Registration.event_id == event_id, Registration.status == "approved")).one()
    return Count(int(present), int(approved))


def attendance_recorded(event_ids) -> set[int]:
    """The events among these where at least one approved participant was marked present."""
    return set(db.session.scalars(select(Registration.event_id).where(
        Registration.event_id.in_(list(event_ids)), Registration.status == "approved",
        Registration.checked_in_at.is_not(None)).distinct()))


def attendance_log(registration_id: int) -> list[tuple]:
    """(AttendanceChange, User or None) of one registration, oldest first."""
    return db.session.execute(
        select(AttendanceChange, User).outerjoin(User, User.id == AttendanceChange.actor_id)
        .where(AttendanceChange.registration_id == registration_id).order_by(AttendanceChange.id)).all()


def present_ids(event_id: int) -> set[int]:
    """The registrations of the event marked present (approved ones)."""
    return set(db.session.scalars(select(Registration.id).where(
        Registration.event_id == event_id, Registration.status == "approved", Registration.checked_in_at.is_not(None))))


def counted_sql(present_in=()):
    """The condition that keeps, for the events in `present_in`, only the people marked present (the
    registrations of the other events all count)."""
    present_in = list(present_in)
    if not present_in:
        return true()
    return or_(Registration.event_id.not_in(present_in), Registration.checked_in_at.is_not(None))


def attendance_counts(events, today: dt.date) -> set[int]:
    """The events among these whose figures count attendance: the day is over and attendance was
    recorded (the inclusion report, the budget's committed figures)."""
    past = [event.id for event in events if event.starts_on < today]
    return attendance_recorded(past) if past else set()
