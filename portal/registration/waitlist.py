"""The waiting list: a seat freed by a participant's cancellation is offered, by mail with an
accept link, to the first wait-listed person who may take it; an offer not accepted in time
passes to the next one (a housekeeping job of the mail worker).

A seat freed by a coordinator's own decision is theirs to give by hand: only cancellations
(and erasures) offer seats automatically.
"""
import datetime as dt

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from ..clock import utcnow
from ..database import writing
from ..events.models import Event
from ..extensions import db
from ..tokens import plausible, token_hash
from .models import Registration, WaitlistOffer
from .notifications import queue_waitlist_offer
from .seats import SeatBook, lock_event


def offer_validity() -> dt.timedelta:
    return dt.timedelta(hours=current_app.config["WAITLIST_OFFER_HOURS"])


def withdraw_open_offer(registration: Registration, now: dt.datetime) -> None:
    """The person's status changes otherwise: an offer they had no longer holds a seat."""
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
        queue_waitlist_offer(registration, offer, token)
        offered.append(offer)
    return offered


def seat_freed(registration: Registration, previous_status: str, now: dt.datetime) -> None:
    """A participant cancelled (or erased) their registration: pass the seat to the waiting list."""
    withdraw_open_offer(registration, now)
    if previous_status in ("approved", "waitlisted"):
        offer_free_seats(lock_event(registration.event_id), now)


def find_offer(token: str) -> WaitlistOffer | None:
    if not plausible(token):
        return None
    return db.session.scalar(select(WaitlistOffer).where(WaitlistOffer.token_hash == token_hash(token)))


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


def expire_waitlist_offers() -> int:
    """The housekeeping job: offers whose time is up pass their seat to the next person."""
    with writing():
        return expire_offers(utcnow())
