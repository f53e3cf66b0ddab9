"""Reading campaigns and templates for the screens."""
from sqlalchemy import select

from ..accounts.models import User
from ..events.models import Event
from ..extensions import db
from ..params import parse_id
from .models import Campaign, MessageTemplate


def recent_campaigns(limit: int = 200) -> list[Campaign]:
    return list(db.session.scalars(select(Campaign).order_by(Campaign.id.desc()).limit(limit)))


def authors_of(campaigns: list[Campaign]) -> dict[int, User]:
    """The users who created or sent these campaigns, by id."""
    ids = {c.sent_by for c in campaigns} | {c.created_by for c in campaigns}
    return {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(ids)))}


def all_templates() -> list[MessageTemplate]:
    return list(db.session.scalars(select(MessageTemplate).order_by(MessageTemplate.name)))


def all_events() -> list[Event]:
    return list(db.session.scalars(select(Event).order_by(Event.starts_on)))


def event_by_id(value: str) -> Event | None:
    """The event chosen in a form (its id as text), or None."""
    number = parse_id(value)
    return db.session.get(Event, number) if number else None


def template_by_id(value: str) -> MessageTemplate | None:
    number = parse_id(value)
    return db.session.get(MessageTemplate, number) if number else None


def campaign_by_id(campaign_id: int) -> Campaign | None:
    return db.session.get(Campaign, campaign_id)


def template_named(name: str) -> MessageTemplate | None:
    return db.session.scalar(select(MessageTemplate).where(MessageTemplate.name == name))
