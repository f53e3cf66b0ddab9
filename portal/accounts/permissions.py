"""Who may do what on which event. Checked on every object in the views, not only in menus.

- admin: every event, every action.
- coordinator: the events their organisation organises or co-organises: view, decide, export.
- observer: the events they are given: view and export the partners' list, no health data.
- edit (an event's content: texts, venue, workshops, agenda, people): admins, and coordinators of
  the event; administer (capacity, registration window, co-organisers, states): admins only.
An event the user may not see answers 404 (its existence is not revealed); a visible event on
which the action is not allowed answers 403.
"""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import select

from ..events.models import Event, EventOrganizer
from ..extensions import db
from .models import observer_event

VIEW, DECIDE, EXPORT, SEE_HEALTH_DATA = "view", "decide", "export", "see_health_data"
EDIT, ADMINISTER = "edit", "administer"
_ALLOWED = {
    "admin": {VIEW, DECIDE, EXPORT, SEE_HEALTH_DATA, EDIT, ADMINISTER},
    "coordinator": {VIEW, DECIDE, EXPORT, SEE_HEALTH_DATA, EDIT},
    "observer": {VIEW, EXPORT},
}


def visible_events_query(user):
    """A SELECT of the events this user may see."""
    query = select(Event)
    if user.role == "admin":
        return query
    if user.role == "coordinator" and user.organization_id:
        organized = select(EventOrganizer.event_id).where(EventOrganizer.organization_id == user.organization_id)
        return query.where(Event.id.in_(organized))
    if user.role == "observer":
        given = select(observer_event.c.event_id).where(observer_event.c.user_id == user.id)
        return query.where(Event.id.in_(given))
    return query.where(False)


def visible_events(user) -> list[Event]:
    """The events this user may see, soonest first."""
    return list(db.session.scalars(visible_events_query(user).order_by(Event.starts_on, Event.id)))


def visible_event(user, event_id: int) -> Event | None:
    return db.session.scalar(visible_events_query(user).where(Event.id == event_id))


def may(user, action: str) -> bool:
    return action in _ALLOWED.get(user.role, set())


def event_permission(action: str):
    """Decorator for views taking `event_id`: loads the event as `event`, or answers 404/403."""
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(*args, event_id, **kwargs):
            event = visible_event(current_user, event_id) or abort(404)
            if not may(current_user, action):
                abort(403)
            return view(*args, event=event, **kwargs)
        return wrapper
    return decorator


def admin_required(view):
    """For the ministry's own tools (campaigns, directory): anonymous → sign-in page, others → 403."""
    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if current_user.role != "admin":
            abort(403)
        return view(*args, **kwargs)
    return wrapper
