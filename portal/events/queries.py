"""Reading events for the public pages."""
import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from .models import Event, EventOrganizer


def upcoming_published_events(today: dt.date) -> list[Event]:
    query = (
        select(Event)
        .where(Event.published.is_(True), Event.starts_on >= today)
        .order_by(Event.starts_on, Event.id)
        .options(selectinload(Event.regions),
                 selectinload(Event.organizers).selectinload(EventOrganizer.organization))
    )
    return list(db.session.scalars(query))


def published_event_or_none(slug: str) -> Event | None:
    return db.session.scalar(select(Event).where(Event.slug == slug, Event.published.is_(True)))
