"""The public catalogue: upcoming events and one event's page, with their registration state."""
from flask import Blueprint, abort, render_template

from ..events.queries import published_event_or_none, upcoming_published_events, utcnow
from .queries import active_counts

bp = Blueprint("catalogue", __name__)


@bp.get("/")
def home():
    """Upcoming published events: date, city, regions, seats and whether registration is open."""
    now = utcnow()
    events = upcoming_published_events(now.date())
    return render_template("events/index.html", events=events, now=now,
                           counts=active_counts([event.id for event in events]))


@bp.get("/events/<slug>")
def event(slug):
    """An event: agenda, workshops, co-organisers, speakers, venue, and how to register."""
    event = published_event_or_none(slug) or abort(404)
    now = utcnow()
    return render_template("events/event.html", event=event, now=now,
                           state=event.registration_state(now),
                           registered=active_counts([event.id]).get(event.id, 0))
