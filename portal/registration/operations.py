"""State changes of a registration: check, change, queue the mail, inside the caller's writing()."""
import datetime as dt
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import bindparam, select

from ..database import insert_new
from ..events.models import Event, Workshop
from ..extensions import db
from ..geo.queries import province as province_of
from ..outbox import queue_message
from ..urls import public_url
from .links import retention_end
from .models import ManageLink, Registration, StatusChange, new_reference
from .notifications import (
    about,
    acknowledgement,
    queue_cancellation,
    queue_event_cancelled,
    queue_manage_link_reminder,
)
from .queries import active_registrations, find_registration, normalize_email
from .seats import workshop_limit_refusal, workshop_refusal
from .vocabularies import ACTIVE_STATUSES, HEALTH_DIETS, HEARD_FROM
from .waitlist import seat_freed


class WorkshopFull(Exception):
    """The workshop chosen has no seat left (its message says so)."""


class RegistrationClosed(Exception):
    """The event stopped taking registrations while the form was being filled in."""

    def __init__(self, state: str):
        super().__init__(state)
        self.state = state  # Event.registration_state()


class DuplicateRegistration(Exception):
    def __init__(self, existing: Registration):
        super().__init__("already registered")
        self.existing = existing


@dataclass
class PreparedRegistration:
    """A registration from the public form, made ready before the write transaction: the row (not
    yet in the session) with its history, needs, diets and manage link, and its acknowledgement
    rendered. All of it depends on the answers and on the event as published, nothing on a
    decision that needs the write lock."""
    registration: Registration
    acknowledgement: dict  # queue_message()'s arguments but `about`


def prepare(event, form, now: dt.datetime) -> PreparedRegistration:
    """Everything of a registration that can be done before the write lock (public.py calls it
    outside writing(), then register() inside)."""
    registration = new_registration(event, form, now)
    link, token = ManageLink.issue(now, retention_end(event))
    registration.manage_links.append(link)
    workshop = next(w for w in event.workshops if w.id == registration.workshop_id)
    return PreparedRegistration(registration, acknowledgement(
        registration, event, workshop, public_url("manage.show", token=token)))


def register(prepared: PreparedRegistration, now: dt.datetime) -> bool:
    """The write of a registration from the public form, inside writing(): the event still open
    and the workshop's seat (under its lock), then the row (the unique index on the address
    decides between racing requests), its history and link, and its acknowledgement, all in the
    caller's one transaction. Returns False for an address registered already: nothing is added
    but the manage-link reminder to that address (at most one an hour). Raises RegistrationClosed
    or WorkshopFull, having changed nothing.

    The rows are written by insert_new(), around the ORM's unit of work, which cost more than all
    the statements of the transaction together (the counters follow: tally.py)."""
    registration = prepared.registration
    _check_seat(registration.event_id, registration.workshop_id, now)
    if not insert_new(registration):
        existing = find_registration(registration.event_id, registration.email)
        if existing is None:  # a reference or token collision: astronomically rare
            raise RuntimeError("a new registration's reference or token is already taken")
        queue_manage_link_reminder(existing, now)
        return False
    queue_message(**prepared.acknowledgement, about=about(registration))
    return True


# Built once (for each dialect: PostgreSQL's locks the workshop's row): it runs inside the write
# lock, where every millisecond is every writer's. It reads the columns that decide the event's
# state, not the Event: no object to build, and the one read before the lock (still in the
# session on PostgreSQL) is left alone.
_SEAT_CHECK = (select(Event.status, Event.starts_on, Event.registration_opens_at, Event.registration_closes_at,
                      Workshop.seat_limit)
               .join(Workshop, Workshop.event_id == Event.id)
               .where(Event.id == bindparam("event_id"), Workshop.id == bindparam("workshop_id")))
_SEAT_CHECK_LOCKING = _SEAT_CHECK.with_for_update(of=Workshop)


def _check_seat(event_id: int, workshop_id: int, now: dt.datetime) -> None:
    """One statement for the event's state and the workshop's limit, the workshop row locked
    (PostgreSQL; SQLite's write lock does the same), then the count when the workshop has a limit."""
    connection = db.session.connection()  # a Core statement: the ORM's execute adds nothing but its cost
    found = connection.execute(_SEAT_CHECK_LOCKING if connection.dialect.name == "postgresql" else _SEAT_CHECK,
                               {"event_id": event_id, "workshop_id": workshop_id}).one_or_none()
    if found is None:  # the workshop was removed meanwhile
        raise WorkshopFull(_("Choisissez un atelier de cet événement."))
    state = Event.registration_state(found, now)  # the row has the attributes the rule reads
    if state != "open":
        raise RegistrationClosed(state)
    refusal = workshop_limit_refusal(workshop_id, found.seat_limit)
    if refusal:
        raise WorkshopFull(refusal)


def new_registration(event, form, now: dt.datetime, actor_id: int | None = None, reason: str = "") -> Registration:
    """A pending registration from the registration form's answers (not yet added to the session):
    the public form's, and the coordinators' (assisted.py) with the history's actor and reason.
    It names its event and workshop by id and has its reference already (the acknowledgement
    quotes it before the row is written)."""
    province = province_of(form.province.data)
    email = form.email.data or ""
    registration = Registration(
        event_id=event.id, reference=new_reference(),
        first_name=form.first_name.data, last_name=form.last_name.data,
        email=email, email_normalized=normalize_email(email),
        phone=form.phone.data or "", gender=form.gender.data, age_band=form.age_band.data,
        organization=form.organization.data or "", organization_type=form.organization_type.data,
        province_code=province.code, city=form.city.data, workshop_id=int(form.workshop.data),
        language=form.language.data, travel_support=form.travel_support.data,
        accommodation_support=form.accommodation_support.data,
        out_of_region=province.region_code not in event.region_codes,
        consent_at=now,
        consent_version=current_app.config["PRIVACY_NOTICE_VERSION"],
        status="pending",
    )
    registration.change_status("pending", now, actor_id=actor_id, reason=reason)
    _set_needs(registration, form, now)
    _set_source(registration, event, form)
    return registration


def _set_source(registration: Registration, event, form) -> None:
    """The association whose link was followed (an unknown code: none, silently) and the answer."""
    code = (getattr(form, "via", None) and form.via.data or "").strip().upper()
    registration.source_organization_id = next(
        (link.organization_id for link in event.organizers if link.source_code == code), None) if code else None
    answer = getattr(form, "heard_from", None) and form.heard_from.data
    registration.heard_from = answer if answer in HEARD_FROM else ""


def _set_needs(registration: Registration, form, now: dt.datetime) -> None:
    """Health data (access needs, the health diets) is kept only with its own consent; without it
    none is stored. A vegetarian diet is not health data: kept as declared."""
    diets = list(getattr(form, "diets", None) and form.diets.data or [])
    declares_health_diet = any(diet in HEALTH_DIETS for diet in diets)
    consented = bool(form.consent_needs.data) and (form.declares_needs() or declares_health_diet)
    if consented and form.declares_needs():
        registration.access_needs = form.access_needs.data or []
        registration.access_needs_details = form.access_needs_details.data or ""
    else:
        registration.access_needs = []
        registration.access_needs_details = ""
    registration.diets = [diet for diet in diets if consented or diet not in HEALTH_DIETS]
    registration.diet_details = (form.diet_details.data or "") if consented and "other" in diets else ""
    registration.consent_needs_at = (registration.consent_needs_at or now) if consented else None


def update_needs(registration: Registration, form, now: dt.datetime) -> None:
    _set_needs(registration, form, now)
    registration.travel_support = form.travel_support.data
    registration.accommodation_support = form.accommodation_support.data
    registration.updated_at = now


def cancel(registration: Registration, now: dt.datetime) -> bool:
    """Cancel (idempotent). Returns False when it was cancelled already."""
    if registration.status == "cancelled":
        return False
    release_seat(registration, now, reason="annulée par la personne (lien de gestion)")
    queue_cancellation(registration)
    return True


def release_seat(registration: Registration, now: dt.datetime, reason: str) -> None:
    """Cancelled: the seat it held (or might have had) goes to the waiting list."""
    previous = registration.status
    registration.change_status("cancelled", now, reason=reason)
    registration.cancelled_at = now
    registration.updated_at = now
    seat_freed(registration, previous, now)  # offered to the waiting list, in this same transaction


def personal_data(registration: Registration) -> dict:
    """All that the portal keeps about this registration, for the person's own copy."""
    return {
        "reference": registration.reference,
        "event": registration.event.title_fr,
        "event_date": registration.event.starts_on.isoformat(),
        "status": registration.status,
        "first_name": registration.first_name, "last_name": registration.last_name,
        "email": registration.email, "phone": registration.phone,
        "gender": registration.gender, "age_band": registration.age_band,
        "organization": registration.organization, "organization_type": registration.organization_type,
        "province": registration.province_code, "city": registration.city,
        "workshop": registration.workshop.title_fr, "language": registration.language,
        "access_needs": registration.access_needs, "access_needs_details": registration.access_needs_details,
        "diets": registration.diets, "diet_details": registration.diet_details,
        "source_organization": registration.source_organization.name if registration.source_organization else None,
        "heard_from": registration.heard_from,
        "travel_support": registration.travel_support, "accommodation_support": registration.accommodation_support,
        "consent_at": registration.consent_at.isoformat() if registration.consent_at else None,
        "consent_version": registration.consent_version,
        "consent_needs_at": registration.consent_needs_at.isoformat() if registration.consent_needs_at else None,
        "channel": registration.channel, "consent_given_orally": registration.consent_given_orally,
        "registered_by": registration.registered_by_name,
        "registered_at": registration.created_at.isoformat() if registration.created_at else None,
        "status_history": [{"at": change.changed_at.isoformat(), "from": change.from_status, "to": change.to_status}
                           for change in registration.history],
        # Only the mark: the answer itself is anonymous, kept apart and not linked (feedback.py).
        "answered_questionnaire": registration.feedback_given,
    }


def change_workshop(registration: Registration, workshop, actor_id: int | None, now: dt.datetime) -> bool:
    """Move a registration to another workshop of its event, within that workshop's seat limit
    (raises WorkshopFull). Kept in the registration's history as a row with the same status and
    the move as its reason; the status's own date is left alone (it orders the waiting list).
    Returns False when it is already there."""
    if workshop.event_id != registration.event_id or registration.status == "cancelled":
        raise ValueError("not a workshop this registration can move to")
    if workshop.id == registration.workshop_id:
        return False
    refusal = workshop_refusal(workshop.id) if registration.status in ACTIVE_STATUSES else None
    if refusal:
        raise WorkshopFull(refusal)
    reason = f"Atelier : {registration.workshop.title_fr} → {workshop.title_fr}"
    registration.history.append(StatusChange(from_status=registration.status, to_status=registration.status,
                                             changed_at=now, actor_id=actor_id, reason=reason))
    registration.workshop = workshop
    registration.updated_at = now
    return True


def tell_registrants_event_cancelled(event) -> int:
    """Queue the cancellation notice to every active registrant of the event, in their language,
    once each; returns how many registrants it concerns."""
    registrations = active_registrations(event.id)
    for registration in registrations:
        queue_event_cancelled(registration)
    return len(registrations)
