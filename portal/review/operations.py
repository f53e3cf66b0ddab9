"""The coordinators' changes: decisions on registrations (within capacity and reserved seats),
internal notes, reserved seats. Each is called inside the view's writing() transaction."""
import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from ..database import for_update
from ..events.models import Event
from ..extensions import db
from ..registration.models import Registration
from ..registration.seats import SeatBook, lock_event, set_reservation
from ..registration.waitlist import withdraw_open_offer
from .models import InternalNote
from .vocabularies import DECISION

__all__ = ["Outcome", "add_note", "decide", "keep_seats"]


@dataclass
class Outcome:
    registration: Registration
    changed: bool
    message: str


def decide(event_id: int, registration_ids: list[int], decision: str, actor_id: int | None, reason: str,
           now: dt.datetime) -> list[Outcome]:
    """Apply one decision to registrations of one event; each gets an Outcome (changed or why not)."""
    if decision not in DECISION:
        raise ValueError(decision)
    event = lock_event(event_id)
    book = SeatBook(event, now)
    registrations = db.session.scalars(for_update(
        select(Registration).where(Registration.event_id == event_id, Registration.id.in_(registration_ids))
        .order_by(Registration.id))).all()
    # A seat freed by a coordinator's own decision is theirs to give (by hand); only a
    # participant's cancellation passes it to the waiting list automatically.
    return [_decide_one(registration, decision, book, actor_id, reason, now) for registration in registrations]


def _decide_one(registration, decision, book: SeatBook, actor_id, reason, now) -> Outcome:
    name = registration.full_name
    target = DECISION.status(decision)
    if registration.status == "cancelled":
        return Outcome(registration, False, _("%(name)s a annulé son inscription : aucune décision possible.", name=name))
    if registration.status == target:
        return Outcome(registration, False, _("%(name)s : déjà dans cet état.", name=name))
    if target == "approved":
        why = book.refusal(registration)
        if why:
            return Outcome(registration, False, _("%(name)s n'est pas approuvé(e). %(why)s", name=name, why=why))
        book.approve(registration)
    elif registration.status == "approved":
        book.release(registration)
    withdraw_open_offer(registration, now)
    registration.change_status(target, now, actor_id=actor_id, reason=reason)
    return Outcome(registration, True, _("%(name)s : %(status)s.", name=name, status=DECISION.label(decision)))


def add_note(registration: Registration, author_id: int, body: str, now: dt.datetime) -> InternalNote:
    note = InternalNote(registration_id=registration.id, author_id=author_id, body=body, created_at=now)
    db.session.add(note)
    return note


def keep_seats(event: Event, group: str, seats: int, until_day: dt.date | None) -> None:
    """Reserve seats for a group until the end of `until_day` (the event's day when None)."""
    until_day = until_day or event.starts_on
    until = dt.datetime.combine(until_day + dt.timedelta(days=1), dt.time())  # end of that day
    set_reservation(lock_event(event.id), group, seats, until)
