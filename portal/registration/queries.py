"""Reading registrations."""
import re

from sqlalchemy import func, null, select
from sqlalchemy.orm import joinedload

from ..events.models import Event
from ..events.support import SupportRules
from ..extensions import db
from .models import Registration
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
    """Registrations not cancelled, per event: the 'N registered' shown on public pages."""
    if not event_ids:
        return {}
    rows = db.session.execute(
        select(Registration.event_id, func.count())
        .where(Registration.event_id.in_(event_ids), Registration.status.in_(ACTIVE_STATUSES))
        .group_by(Registration.event_id))
    return dict(rows.all())


def active_registrations(event_id: int) -> list[Registration]:
    """The registrations that hold or may get a seat (pending, approved, waitlisted)."""
    return list(db.session.scalars(select(Registration).where(
        Registration.event_id == event_id, Registration.status.in_(ACTIVE_STATUSES)).order_by(Registration.id)))


def published_event_for_form(slug: str, with_support_rules: bool = False):
    """(event, its support rules or None) for the registration form, in one query: the event with
    its workshops and regions (the form's choices and the out-of-region mark), and its support
    rules when asked (the GET shows them). None for an unknown or unpublished event."""
    query = (select(Event).where(Event.slug == slug, Event.is_public)
             .options(joinedload(Event.workshops), joinedload(Event.regions)))
    if with_support_rules:
        query = query.add_columns(SupportRules).outerjoin(SupportRules, SupportRules.event_id == Event.id)
    else:
        query = query.add_columns(null())
    row = db.session.execute(query).unique().first()
    return None if row is None else (row[0], row[1])
