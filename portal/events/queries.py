"""Reading events for the public pages."""
import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from .models import Event, EventOrganizer, Organization


def upcoming_published_events(today: dt.date) -> list[Event]:
    query = (
        select(Event)
        .where(Event.is_public, Event.status != "archived", Event.starts_on >= today)
        .order_by(Event.starts_on, Event.id)
        .options(selectinload(Event.regions),
                 selectinload(Event.organizers).selectinload(EventOrganizer.organization))
    )
    return list(db.session.scalars(query))


def published_event_or_none(slug: str) -> Event | None:
    return db.session.scalar(select(Event).where(Event.slug == slug, Event.is_public))


def published_co_organizers() -> list[Organization]:
    """The associations that co-organise at least one published event (the privacy notice names
    them: their coordinators see those events' registrations)."""
    linked = (select(EventOrganizer.organization_id).join(Event, Event.id == EventOrganizer.event_id)
              .where(Event.is_public, EventOrganizer.role == "co_organizer"))
    return list(db.session.scalars(select(Organization).where(Organization.id.in_(linked))
                                   .order_by(Organization.name)))
