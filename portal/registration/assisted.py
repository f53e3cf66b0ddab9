"""Registrations a coordinator enters for someone else: on their behalf (by phone, from a paper form,
at an association's office), from a spreadsheet, or at the door on the day (walk-ins).

The same rules as the public form (workshop limits, duplicates; walk-ins: the event's seats) plus
what the audit log must say: who entered it, and that the person gave their consent orally, to
that coordinator, on that date. Email is optional; without one, a phone number identifies the
person (same phone, same event: a duplicate) and no mail is ever queued for them.

Called inside the caller's writing(); each function locks the event row first, so two
coordinators entering the same phone number at once are counted one after the other.
"""
import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from ..database import add_unless_duplicate
from ..extensions import db
from ..geo.queries import province as province_of
from .models import Registration
from .notifications import queue_acknowledgement
from .operations import DuplicateRegistration, WorkshopFull, new_registration
from .queries import find_registration, normalize_phone
from .seats import SeatBook, lock_event, workshop_refusal
from .vocabularies import ACTIVE_STATUSES, CHANNEL


class SeatsFull(Exception):
    """No seat left for a walk-in (its message says why)."""


@dataclass(frozen=True)
class Coordinator:
    """Who enters the registration: kept by id and by name (the history must outlive the account)."""
    id: int
    name: str

    @classmethod
    def of(cls, user) -> "Coordinator":
        return cls(user.id, (user.name or user.email or "").strip())


def find_by_phone(event_id: int, phone: str) -> Registration | None:
    """An active registration of the event with this phone number (any channel)."""
    wanted = normalize_phone(phone)
    if not wanted:
        return None
    candidates = db.session.scalars(select(Registration).where(
        Registration.event_id == event_id, Registration.phone != "", Registration.status.in_(ACTIVE_STATUSES))
        .order_by(Registration.id))
    return next((r for r in candidates if normalize_phone(r.phone) == wanted), None)


def find_duplicate(event_id: int, email: str, phone: str) -> Registration | None:
    """With an email: the public form's rule (the same address). Without: the same phone."""
    if email:
        return find_registration(event_id, email)
    return find_by_phone(event_id, phone)


def audit_reason(channel: str, coordinator: Coordinator, now: dt.datetime, needs_consent: bool) -> str:
    """The history's line, in French whatever the coordinator's language (as the rest of the log)."""
    how = {"assisted": "Inscription assistée", "imported": "Inscription importée d'un tableur",
           "walk_in": "Inscription sur place"}[channel]
    consents = "notice de confidentialité" + (" et traitement des besoins d'accessibilité" if needs_consent else "")
    return (f"{how}, enregistrée par {coordinator.name}. Consentement ({consents}) donné oralement "
            f"le {now:%d/%m/%Y à %H:%M} UTC, recueilli par {coordinator.name}.")


def _mark(registration: Registration, channel: str, coordinator: Coordinator) -> None:
    registration.channel = channel
    registration.registered_by_id = coordinator.id
    registration.registered_by_name = coordinator.name[:200]


def register_on_behalf(event, form, coordinator: Coordinator, now: dt.datetime,
                       channel: str = "assisted") -> Registration:
    """A pending registration from the registration form (the coordinators' version), as the public
    form makes it; raises DuplicateRegistration (nothing is queued: the coordinator is told) or
    WorkshopFull. With an email, the person gets the acknowledgement and their manage link."""
    if channel not in CHANNEL or channel == "online":
        raise ValueError(channel)
    lock_event(event.id)
    existing = find_duplicate(event.id, form.email.data or "", form.phone.data or "")
    if existing is not None:
        raise DuplicateRegistration(existing)
    refusal = workshop_refusal(int(form.workshop.data))
    if refusal:
        raise WorkshopFull(refusal)
    registration = new_registration(event, form, now, actor_id=coordinator.id,
                                    reason=audit_reason(channel, coordinator, now, form.declares_needs()))
    _mark(registration, channel, coordinator)
    if not add_unless_duplicate(registration):  # the same email registered on the public form meanwhile
        existing = find_duplicate(event.id, registration.email, registration.phone)
        if existing is None:  # a reference collision: astronomically rare
            raise RuntimeError("a new registration's reference is already taken")
        raise DuplicateRegistration(existing)
    queue_acknowledgement(registration)  # queues nothing without an email
    return registration


def register_walk_in(event, values: dict, coordinator: Coordinator, now: dt.datetime) -> Registration:
    """Someone at the door: approved at once and marked walk-in, seats permitting (the event's
    capacity, its reserved seats and the workshop's limit); raises SeatsFull or WorkshopFull.
    `values`: first_name, last_name, gender, age_band, province, organization, phone, workshop,
    language (WalkInForm.values()). The caller may set more on the returned row (e.g. the time of
    check-in) in the same transaction."""
    book = SeatBook(lock_event(event.id), now)
    province = province_of(values["province"])
    registration = Registration(
        event=event, first_name=values["first_name"], last_name=values["last_name"], email="", email_normalized="",
        phone=values.get("phone") or "", gender=values["gender"], age_band=values["age_band"],
        organization=values.get("organization") or "",
        organization_type="other" if values.get("organization") else "individual",
        province_code=province.code, city="", workshop_id=int(values["workshop"]),
        language=values.get("language") or "fr",
        out_of_region=province.region_code not in event.region_codes,
        consent_at=now, consent_version=current_app.config["PRIVACY_NOTICE_VERSION"], status="approved")
    refusal = book.refusal(registration)
    if refusal:
        raise SeatsFull(refusal)
    refusal = workshop_refusal(registration.workshop_id)
    if refusal:
        raise WorkshopFull(refusal)
    if registration.phone:
        existing = find_by_phone(event.id, registration.phone)
        if existing is not None:
            raise DuplicateRegistration(existing)
    registration.change_status("approved", now, actor_id=coordinator.id,
                               reason=audit_reason("walk_in", coordinator, now, needs_consent=False))
    _mark(registration, "walk_in", coordinator)
    db.session.add(registration)
    db.session.flush()
    book.approve(registration)
    return registration
