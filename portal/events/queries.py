"""Reading events for the public pages."""
import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from .models import Event, EventOrganizer, EventRole, Organization


def upcoming_published_events(today: dt.date) -> list[Event]:
    """The home page's events with their regions (its cards show nothing else): two queries."""
    query = (
        select(Event)
        .where(Event.is_public, Event.status != "archived", Event.starts_on >= today)
        .order_by(Event.starts_on, Event.id)
        .options(selectinload(Event.regions))
    )
    return list(db.session.scalars(query))


def published_event_page(slug: str) -> Event | None:
    """A published event with all that its public page shows, loaded in a fixed number of queries
    (not one per organiser or speaker)."""
    query = (
        select(Event).where(Event.slug == slug, Event.is_public)
        .options(joinedload(Event.venue), joinedload(Event.province), selectinload(Event.regions),
                 selectinload(Event.workshops), selectinload(Event.agenda),
                 selectinload(Event.organizers).joinedload(EventOrganizer.organization),
                 selectinload(Event.roles).joinedload(EventRole.person))
    )
    return db.session.scalar(query)


def published_event_or_none(slug: str) -> Event | None:
    return db.session.scalar(select(Event).where(Event.slug == slug, Event.is_public))


def published_co_organizers() -> list[Organization]:
    """The associations that co-organise at least one published event (the privacy notice names
    them: their coordinators see those events' registrations)."""
    linked = (select(EventOrganizer.organization_id).join(Event, Event.id == EventOrganizer.event_id)
              .where(Event.is_public, EventOrganizer.role == "co_organizer"))
    return list(db.session.scalars(select(Organization).where(Organization.id.in_(linked))
                                   .order_by(Organization.name)))
