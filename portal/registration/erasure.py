"""Erasure and retention of a registration's personal data.

- erase(): the person's right to erasure (their manage link, or an administrator on their
  request): the registration and everything attached to it go, its mail is forgotten.
- anonymise(): past the retention period (`flask purge`): personal fields are blanked and
  attachments deleted, while what the statistics count (status, gender, age band, province,
  workshop, support requests) stays.

Packages above keep data about registrations too (the review's notes and export logs): they
add what they forget with `also_forget(app, forget)` in their init_app.
"""
import datetime as dt
from collections.abc import Callable

from flask import Flask, current_app
from sqlalchemy import delete, select, update

from ..events.models import Event
from ..extensions import db
from ..outbox import forget
from .links import add_months
from .models import ManageLink, Registration, StatusChange, WaitlistOffer
from .notifications import about
from .operations import release_seat
from .queries import normalize_email, normalize_phone

_HOOKS = "registration.also_forget"
Forget = Callable[[Registration], None]


def also_forget(app: Flask, forget_registration: Forget) -> None:
    """`forget_registration(registration)` runs when a registration is erased or anonymised."""
    app.extensions.setdefault(_HOOKS, []).append(forget_registration)


def _forget_everywhere(registration: Registration) -> None:
    for forget_registration in current_app.extensions.get(_HOOKS, []):
        forget_registration(registration)
    forget(about(registration))


def erase(registration: Registration, now: dt.datetime) -> None:
    """The right to erasure: the seat passes on as for a cancellation, then the registration and
    everything attached to it (needs, history, links, offers, notes, its mail) are deleted."""
    if registration.status != "cancelled":
        release_seat(registration, now, reason="effacée à la demande de la personne")
    db.session.flush()
    _forget_everywhere(registration)
    db.session.delete(registration)


ANONYMOUS = "—"


def anonymise(registration: Registration, now: dt.datetime) -> None:
    _forget_everywhere(registration)
    registration.first_name = registration.last_name = ANONYMOUS
    registration.email = registration.email_normalized = f"anonyme-{registration.id}@invalid"
    registration.phone = registration.organization = registration.city = ""
    registration.access_needs = []
    registration.access_needs_details = ""
    registration.diets = []
    registration.diet_details = ""
    registration.consent_needs_at = None
    registration.anonymised_at = now
    db.session.execute(update(StatusChange).where(StatusChange.registration_id == registration.id)
                       .values(reason=""))
    db.session.execute(delete(ManageLink).where(ManageLink.registration_id == registration.id))


def purge_registrations(now: dt.datetime) -> int:
    """Anonymise the registrations of events whose retention period is over."""
    last_kept = add_months(now.date(), -int(current_app.config["RETENTION_MONTHS"]))
    old = db.session.scalars(
        select(Registration).join(Event, Event.id == Registration.event_id)
        .where(Event.starts_on < last_kept, Registration.anonymised_at.is_(None))).all()
    for registration in old:
        anonymise(registration, now)
    return len(old)


def purge_links(now: dt.datetime) -> int:
    """Manage links past their end, and waiting-list offers settled long ago."""
    settled_before = now - dt.timedelta(days=int(current_app.config["TOKEN_RETENTION_DAYS"]))
    links = db.session.execute(delete(ManageLink).where(ManageLink.expires_at < now)).rowcount
    offers = db.session.execute(delete(WaitlistOffer).where(
        WaitlistOffer.status != "open", WaitlistOffer.resolved_at < settled_before)).rowcount
    return links + offers


def registrations_of_person(email: str, phone: str = "") -> list[Registration]:
    """Every registration made with this address, all events, newest first; or, given a phone
    number instead, every registration made without an address (by a coordinator) with that phone."""
    query = select(Registration).where(Registration.anonymised_at.is_(None))
    if email:
        query = query.where(Registration.email_normalized == normalize_email(email))
    else:
        wanted = normalize_phone(phone)
        if not wanted:
            return []
        query = query.where(Registration.email_normalized == "", Registration.phone != "")
    found = db.session.scalars(query.order_by(Registration.created_at.desc(), Registration.id.desc()))
    return [r for r in found if email or normalize_phone(r.phone) == wanted]
