"""Reading registrations."""
import re

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from ..events.models import Event
from ..events.support import SupportRules
from ..extensions import db
from .models import Registration
from .tally import stored
from .vocabularies import ACTIVE_STATUSES


def normalize_email(email: str) -> str:
    """The key of the one-registration-per-email rule: addresses differ by case only in theory."""
    return email.strip().lower()


def normalize_phone(phone: str) -> str:
    """The key of the "same phone, same event" rule: digits only, Moroccan numbers in their national
    form (+212 6 12 34 56 78, 00212612345678 and 06 12 34 56 78 are one number)."""
    digits = re.sub(r"\D", "", phone or "")
    digits = digits.removeprefix("00")
    if digits.startswith("212") and len(digits) == 12:
        digits = "0" + digits[3:]
    return digits


def find_registration(event_id: int, email: str) -> Registration | None:
    return db.session.scalar(select(Registration).where(
        Registration.event_id == event_id, Registration.email_normalized == normalize_email(email),
        Registration.status != "cancelled"))


def active_counts(event_ids: list[int]) -> dict[int, int]:
    """Registrations not cancelled, per event: the 'N registered' shown on public pages (from the
    counters kept as registrations change: registration.tally)."""
    if not event_ids:
        return {}
    counts: dict[int, int] = {}
    for (event_id, status, dimension, _), number in stored(event_ids).items():
        if dimension == "all" and status in ACTIVE_STATUSES:
            counts[event_id] = counts.get(event_id, 0) + number
    return counts


def active_registrations(event_id: int) -> list[Registration]:
    """The registrations that hold or may get a seat (pending, approved, waitlisted)."""
    return list(db.session.scalars(select(Registration).where(
        Registration.event_id == event_id, Registration.status.in_(ACTIVE_STATUSES)).order_by(Registration.id)))


# Built once: building a statement with its joins costs more than running it (the form is the
# busiest page when a call to register goes viral).
_EVENT_FOR_FORM = (
    select(Event, SupportRules).where(Event.slug == bindparam("slug"), Event.is_public)
    .outerjoin(SupportRules, SupportRules.event_id == Event.id)
    .options(joinedload(Event.workshops), joinedload(Event.regions)))


def published_event_for_form(slug: str):
    """(event, its support rules or None) for the registration form, in one query: the event with
    its workshops and regions (the form's choices, the out-of-region mark) and the support rules
    that the form shows. None for an unknown or unpublished event."""
    row = db.session.execute(_EVENT_FOR_FORM, {"slug": slug}).unique().first()
    return None if row is None else (row[0], row[1])
