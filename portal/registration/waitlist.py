"""The waiting list: a seat freed by a participant's cancellation is offered, by mail with an
accept link, to the first wait-listed person who may take it; an offer not accepted in time
passes to the next one (a housekeeping job of the mail worker). A person without an e-mail
(registered by a coordinator) gets no mail: the coordinators offer the seat by phone and record
the answer (accepted, or declined: the seat passes to the next person).

A seat freed by a coordinator's own decision is theirs to give by hand: only cancellations
(and erasures) offer seats automatically.
"""
import datetime as dt

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from ..clock import utcnow
from ..database import writing
from ..events.models import Event
from ..extensions import db
from ..tokens import plausible, token_hash
from .models import Registration, WaitlistOffer
from .notifications import queue_waitlist_offer
from .seats import SeatBook, lock_event

# An offer that ended without the seat being taken: the person is not offered a seat again
# automatically (a coordinator may still approve them by hand).
ENDED_UNTAKEN = ("expired", "declined")


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
                                                          WaitlistOffer.status.in_(ENDED_UNTAKEN + ("open",)))
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
    """By the link: 'accepted' (now or before), or why not: 'expired', 'closed' (withdrawn,
    declined, status changed)."""
    result = record_acceptance(offer, now, None, _("place proposée sur liste d'attente, acceptée"))
    return "accepted" if result == "taken" else result


def record_acceptance(offer: WaitlistOffer, now: dt.datetime, actor_id: int | None, reason: str) -> str:
    """The person takes the seat: approved (the reason and actor in the history). 'accepted', or
    why not: 'taken' (accepted before), 'expired', 'closed'."""
    event = lock_event(offer.event_id)
    stale = _stale(offer, event, now)
    if stale:
        return stale
    offer.status, offer.resolved_at = "accepted", now
    offer.registration.change_status("approved", now, actor_id=actor_id, reason=reason)
    return "accepted"


def _stale(offer: WaitlistOffer, event: Event, now: dt.datetime) -> str | None:
    """Why the open offer can no longer be answered (closing it if its time is up), or None."""
    db.session.refresh(offer)  # as it is now that the event is locked
    if offer.status != "open":
        return "taken" if offer.status == "accepted" else "closed"
    if offer.expires_at <= now:
        offer.status, offer.resolved_at = "expired", now
        offer_free_seats(event, now)
        return "expired"
    if offer.registration.status != "waitlisted":
        offer.status, offer.resolved_at = "withdrawn", now
        return "closed"
    return None


def decline_offer(offer: WaitlistOffer, now: dt.datetime) -> str:
    """The person said no (on the phone): the offer ends, they stay on the waiting list without
    being offered again, and the seat passes to the next person. 'declined', or why not."""
    event = lock_event(offer.event_id)
    stale = _stale(offer, event, now)
    if stale:
        return stale
    offer.status, offer.resolved_at = "declined", now
    offer_free_seats(event, now)
    return "declined"


def phone_offers(event_id: int) -> list[WaitlistOffer]:
    """The open offers no mail could carry (the person has no e-mail), soonest to expire first."""
    return list(db.session.scalars(
        select(WaitlistOffer).join(Registration, WaitlistOffer.registration_id == Registration.id)
        .where(WaitlistOffer.event_id == event_id, WaitlistOffer.status == "open", Registration.email == "")
        .options(contains_eager(WaitlistOffer.registration))  # the page shows each person: no query per row
        .order_by(WaitlistOffer.expires_at, WaitlistOffer.id)))


def phone_offer_of(event_id: int, offer_id: int) -> WaitlistOffer | None:
    """An offer of this event to a person without an e-mail (any status: a stale one is answered)."""
    return db.session.scalar(
        select(WaitlistOffer).join(Registration, WaitlistOffer.registration_id == Registration.id)
        .where(WaitlistOffer.id == offer_id, WaitlistOffer.event_id == event_id, Registration.email == ""))


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
