"""The seats of an event: capacity, seats reserved for inclusion groups, seats held by offers.

Changes to one event's seats are serialised: the event row is locked (SELECT ... FOR UPDATE on
PostgreSQL; on SQLite the write lock that writing() takes does the same), so two coordinators
approving at the same instant cannot overfill it. Open waiting-list offers hold their seat until
accepted or expired.
"""
import datetime as dt

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from ..bidi import join_list
from ..database import for_update
from ..events.models import Event, Workshop
from ..extensions import db
from ..i18n import format_date
from .groups import GROUP, groups_of, in_group_sql
from .models import Registration, SeatReservation, WaitlistOffer
from .vocabularies import ACTIVE_STATUSES


def lock_event(event_id: int) -> Event:
    return db.session.scalar(for_update(select(Event).where(Event.id == event_id)))


class SeatBook:
    """The seat situation of one locked event, kept up to date as decisions are applied."""

    def __init__(self, event: Event, now: dt.datetime):
        self.event, self.now = event, now
        self.approved = self._count(Registration.status == "approved")
        self.open_offers = open_offer_count(event.id)
        self.reservations = list(db.session.scalars(select(SeatReservation).where(
            SeatReservation.event_id == event.id, SeatReservation.until > now)))
        self.approved_in = {r.group: self._count((Registration.status == "approved") & in_group_sql(r.group))
                            for r in self.reservations}

    def _count(self, condition) -> int:
        return db.session.scalar(select(func.count()).select_from(Registration).where(
            Registration.event_id == self.event.id, condition))

    def refusal(self, registration: Registration, holding_offer: bool = False) -> str | None:
        """Why this person cannot be approved now, or None when a seat is there for them."""
        held_by_offers = self.open_offers - (1 if holding_offer else 0)
        taken = self.approved + held_by_offers
        if taken >= self.event.capacity:
            return ngettext("Complet : %(num)d place, déjà attribuée.", "Complet : les %(num)d places sont attribuées.",
                            self.event.capacity)
        groups = groups_of(registration)
        kept = [r for r in self.reservations if r.group not in groups]
        still_reserved = sum(max(0, r.seats - self.approved_in[r.group]) for r in kept)
        if taken + 1 + still_reserved > self.event.capacity:
            names = join_list(GROUP.label(r.group) for r in kept if r.seats > self.approved_in[r.group])
            until = min(r.until for r in kept)
            return _("Les places restantes sont réservées (%(groups)s) jusqu'au %(date)s.",
                     groups=names, date=format_date(until, "date"))
        return None

    def approve(self, registration: Registration) -> None:
        self.approved += 1
        for group in groups_of(registration) & set(self.approved_in):
            self.approved_in[group] += 1

    def release(self, registration: Registration) -> None:
        self.approved -= 1
        for group in groups_of(registration) & set(self.approved_in):
            self.approved_in[group] -= 1


def open_offer_count(event_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(WaitlistOffer).where(
        WaitlistOffer.event_id == event_id, WaitlistOffer.status == "open"))


def reservations_of(event_id: int) -> list[SeatReservation]:
    return list(db.session.scalars(select(SeatReservation).where(SeatReservation.event_id == event_id)
                                   .order_by(SeatReservation.group)))


def set_reservation(event: Event, group: str, seats: int, until: dt.datetime) -> None:
    """Keep `seats` for `group` until `until` (0 seats: no reservation)."""
    if group not in GROUP:
        raise ValueError(group)
    reservation = db.session.scalar(select(SeatReservation).where(
        SeatReservation.event_id == event.id, SeatReservation.group == group))
    if seats <= 0:
        if reservation is not None:
            db.session.delete(reservation)
        return
    if reservation is None:
        reservation = SeatReservation(event_id=event.id, group=group)
        db.session.add(reservation)
    reservation.seats, reservation.until = seats, until


# --- a workshop's own seat limit ------------------------------------------------------------------
# A workshop's seats are counted like the event's "registered" figure: the registrations that hold
# a seat or may still get one (pending, approved, waitlisted: ACTIVE_STATUSES). Counting only the
# approved would let a workshop fill past its room once the pending ones are approved.
def workshop_seats_taken(workshop_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Registration).where(
        Registration.workshop_id == workshop_id, Registration.status.in_(ACTIVE_STATUSES)))


def workshop_choices_count(workshop_id: int) -> int:
    """Every registration naming the workshop, cancelled ones included (their history keeps it)."""
    return db.session.scalar(select(func.count()).select_from(Registration).where(
        Registration.workshop_id == workshop_id))


def full_workshop_ids(event: Event) -> set[int]:
    """The event's workshops whose seat limit is reached."""
    limited = {w.id: w.seat_limit for w in event.workshops if w.seat_limit is not None}
    if not limited:
        return set()
    counts = dict(db.session.execute(
        select(Registration.workshop_id, func.count()).where(
            Registration.workshop_id.in_(limited), Registration.status.in_(ACTIVE_STATUSES))
        .group_by(Registration.workshop_id)).all())
    return {workshop_id for workshop_id, limit in limited.items() if counts.get(workshop_id, 0) >= limit}


def workshop_refusal(workshop_id: int) -> str | None:
    """Why one more person cannot join this workshop, or None. The workshop row is locked first
    (PostgreSQL; SQLite's write lock does the same), so two people taking its last seat at the same
    instant are counted one after the other: call it inside writing(), right before the change."""
    workshop = db.session.scalar(for_update(select(Workshop).where(Workshop.id == workshop_id)))
    if workshop is None:
        return None
    return workshop_limit_refusal(workshop_id, workshop.seat_limit)


def workshop_limit_refusal(workshop_id: int, seat_limit: int | None) -> str | None:
    """workshop_refusal() for a workshop whose row the caller locked and read (its seat limit)."""
    if seat_limit is None:
        return None
    if workshop_seats_taken(workshop_id) >= seat_limit:
        return ngettext("Cet atelier est complet (%(num)d place) : choisissez-en un autre.",
                        "Cet atelier est complet (%(num)d places) : choisissez-en un autre.", seat_limit)
    return None
