"""Decisions on registrations, within capacity and reserved seats, and the waiting list.

Decisions on one event are serialised: the event row is locked (SELECT ... FOR UPDATE on
PostgreSQL; the SQLite write lock, taken by begin_write(), does the same there), so two
coordinators approving at the same instant cannot overfill it. Open waiting-list offers hold
their seat until accepted or expired.
"""
import datetime as dt
from dataclasses import dataclass

from flask import current_app, render_template
from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..events.models import Event
from ..extensions import db
from ..i18n import localized
from ..outbox import queue_message
from ..registration.models import Registration
from ..registration.operations import registration_cancelled
from ..urls import public_url
from .groups import groups_of, in_group_sql
from .models import GROUPS, InternalNote, SeatReservation, WaitlistOffer

DECISIONS = {"approve": "approved", "waitlist": "waitlisted", "reject": "rejected"}


@dataclass
class Outcome:
    registration: Registration
    changed: bool
    message: str


def _for_update(query):
    return query.with_for_update() if db.session.get_bind().dialect.name == "postgresql" else query


def lock_event(event_id: int) -> Event:
    return db.session.scalar(_for_update(select(Event).where(Event.id == event_id)))


class SeatBook:
    """The seat situation of one locked event, kept up to date as decisions are applied."""

    def __init__(self, event: Event, now: dt.datetime):
        self.event, self.now = event, now
        self.approved = self._count(Registration.status == "approved")
        self.open_offers = db.session.scalar(select(func.count()).select_from(WaitlistOffer).where(
            WaitlistOffer.event_id == event.id, WaitlistOffer.status == "open"))
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
            return _("Complet : les %(capacity)d places sont attribuées.", capacity=self.event.capacity)
        groups = groups_of(registration)
        kept = [r for r in self.reservations if r.group not in groups]
        still_reserved = sum(max(0, r.seats - self.approved_in[r.group]) for r in kept)
        if taken + 1 + still_reserved > self.event.capacity:
            names = ", ".join(group_label(r.group) for r in kept if r.seats > self.approved_in[r.group])
            until = min(r.until for r in kept)
            return _("Les places restantes sont réservées (%(groups)s) jusqu'au %(date)s.",
                     groups=names, date=format_datetime(until, "d MMMM y"))
        return None

    def approve(self, registration: Registration) -> None:
        self.approved += 1
        for group in groups_of(registration) & set(self.approved_in):
            self.approved_in[group] += 1

    def release(self, registration: Registration) -> None:
        self.approved -= 1
        for group in groups_of(registration) & set(self.approved_in):
            self.approved_in[group] -= 1


def group_label(group: str) -> str:
    return {"disability": _("personnes déclarant un besoin d'accessibilité"), "youth": _("moins de 35 ans"),
            "women": _("femmes")}[group]


def decide(event_id: int, registration_ids: list[int], decision: str, actor_id: int | None, reason: str,
           now: dt.datetime) -> list[Outcome]:
    """Apply one decision to registrations of one event; each gets an Outcome (changed or why not)."""
    target = DECISIONS[decision]
    event = lock_event(event_id)
    book = SeatBook(event, now)
    registrations = db.session.scalars(_for_update(
        select(Registration).where(Registration.event_id == event_id, Registration.id.in_(registration_ids))
        .order_by(Registration.id))).all()
    # A seat freed by a coordinator's own decision is theirs to give (by hand); only a
    # participant's cancellation passes it to the waiting list automatically.
    return [_decide_one(registration, target, book, actor_id, reason, now) for registration in registrations]


def _decide_one(registration, target, book: SeatBook, actor_id, reason, now) -> Outcome:
    name = registration.full_name
    if registration.status == "cancelled":
        return Outcome(registration, False, _("%(name)s a annulé son inscription : aucune décision possible.", name=name))
    if registration.status == target:
        return Outcome(registration, False, _("%(name)s : déjà dans cet état.", name=name))
    if target == "approved":
        why = book.refusal(registration)
        if why:
            return Outcome(registration, False, _("%(name)s n'est pas approuvé·e. %(why)s", name=name, why=why))
        book.approve(registration)
    elif registration.status == "approved":
        book.release(registration)
    _withdraw_open_offer(registration, now)
    registration.change_status(target, now, actor_id=actor_id, reason=reason)
    return Outcome(registration, True, _("%(name)s : %(status)s.", name=name, status=status_label(target)))


def status_label(status: str) -> str:
    return {"pending": _("en attente"), "approved": _("approuvé·e"), "waitlisted": _("sur liste d'attente"),
            "rejected": _("non retenu·e"), "cancelled": _("annulé·e")}[status]


def add_note(registration: Registration, author_id: int, body: str, now: dt.datetime) -> InternalNote:
    note = InternalNote(registration_id=registration.id, author_id=author_id, body=body, created_at=now)
    db.session.add(note)
    return note


def set_reservation(event: Event, group: str, seats: int, until: dt.datetime) -> None:
    if group not in GROUPS:
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


# --- the waiting list -----------------------------------------------------------------------------
def offer_validity() -> dt.timedelta:
    return dt.timedelta(hours=current_app.config["WAITLIST_OFFER_HOURS"])


def _withdraw_open_offer(registration: Registration, now: dt.datetime) -> None:
    for offer in db.session.scalars(select(WaitlistOffer).where(
            WaitlistOffer.registration_id == registration.id, WaitlistOffer.status == "open")):
        offer.status, offer.resolved_at = "withdrawn", now


def offer_free_seats(event: Event, now: dt.datetime) -> list[WaitlistOffer]:
    """Offer each free seat to the first wait-listed person (in order of wait-listing) who may
    take it, by mail with an accept link; an open offer holds the seat until it ends."""
    book = SeatBook(event, now)
    offered = []
    already = select(WaitlistOffer.registration_id).where(WaitlistOffer.event_id == event.id,
                                                          WaitlistOffer.status.in_(("open", "expired")))
    candidates = db.session.scalars(
        select(Registration).where(Registration.event_id == event.id, Registration.status == "waitlisted",
                                   Registration.id.not_in(already))
        .order_by(Registration.status_changed_at, Registration.id)).all()
    for registration in candidates:
        if book.approved + book.open_offers >= event.capacity:
            break
        if book.refusal(registration):
            continue
        offer, token = WaitlistOffer.make(registration, now, offer_validity())
        db.session.add(offer)
        book.open_offers += 1
        _queue_offer_mail(registration, offer, token)
        offered.append(offer)
    return offered


def _queue_offer_mail(registration: Registration, offer: WaitlistOffer, token: str) -> None:
    link = public_url("offers.show", token=token)
    with force_locale(registration.language):
        title = localized(registration.event, "title", registration.language)
        context = {"registration": registration, "event": registration.event, "event_title": title,
                   "link": link, "expires_at": offer.expires_at}
        queue_message(to_address=registration.email, to_name=registration.full_name, language=registration.language,
                      subject=_("Une place s'est libérée : %(title)s", title=title),
                      body_text=render_template("emails/waitlist_offer.txt", **context),
                      body_html=render_template("emails/waitlist_offer.html", **context))


def find_offer(token: str) -> WaitlistOffer | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(WaitlistOffer).where(WaitlistOffer.token_hash == WaitlistOffer.hash(token)))


def accept_offer(offer: WaitlistOffer, now: dt.datetime) -> str:
    """'accepted', or why not: 'expired', 'closed' (withdrawn, already used, status changed)."""
    event = lock_event(offer.event_id)
    if offer.status != "open":
        return "accepted" if offer.status == "accepted" else "closed"
    registration = offer.registration
    if offer.expires_at <= now:
        offer.status, offer.resolved_at = "expired", now
        offer_free_seats(event, now)
        return "expired"
    if registration.status != "waitlisted":
        offer.status, offer.resolved_at = "withdrawn", now
        return "closed"
    offer.status, offer.resolved_at = "accepted", now
    registration.change_status("approved", now, reason=_("place proposée sur liste d'attente, acceptée"))
    return "accepted"


def expire_offers(now: dt.datetime) -> int:
    """End the offers whose time is up and pass their seats on. Returns how many expired."""
    expired = db.session.scalars(select(WaitlistOffer).where(
        WaitlistOffer.status == "open", WaitlistOffer.expires_at <= now)).all()
    events = set()
    for offer in expired:
        offer.status, offer.resolved_at = "expired", now
        events.add(offer.event_id)
    for event_id in sorted(events):
        offer_free_seats(lock_event(event_id), now)
    return len(expired)


@registration_cancelled.connect
def _seat_freed_by_cancellation(registration, previous_status, now, **_):
    """A participant cancelled through their manage link: pass the seat to the waiting list."""
    _withdraw_open_offer(registration, now)
    if previous_status in ("approved", "waitlisted"):
        offer_free_seats(lock_event(registration.event_id), now)
