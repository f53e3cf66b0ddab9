"""The public catalogue: upcoming events and one event's page, with their registration state."""
import datetime as dt
from collections.abc import Callable

from flask import Blueprint, Flask, abort, current_app, render_template

from ..clock import utcnow
from ..public_cache import public_page, valid_until
from .queries import published_event_page, upcoming_published_events
from .vocabularies import FACT_VALUE, PERSON_ROLE, VENUE_FACT

bp = Blueprint("catalogue", __name__)

_COUNTER = "events.registration_counter"
RegistrationCounter = Callable[[list[int]], dict[int, int]]


def count_registrations_with(app: Flask, counter: RegistrationCounter) -> None:
    """How many people registered, per event id. Registration sits a floor above events (events
    cannot import it), so it plugs its count in here from its own init_app()."""
    app.extensions[_COUNTER] = counter


_PARTNERS = "events.partner_reader"
PartnerReader = Callable[[int], list]


def read_partners_with(app: Flask, reader: PartnerReader) -> None:
    """The local partners of an event (institutions of the directory, a floor above events): the
    directory plugs its reader in here from its own init_app()."""
    app.extensions[_PARTNERS] = reader


def _partners(event_id: int) -> list:
    reader = current_app.extensions.get(_PARTNERS)
    return reader(event_id) if reader else []


def _registered(event_ids: list[int]) -> dict[int, int]:
    counter = current_app.extensions.get(_COUNTER)
    return counter(event_ids) if counter and event_ids else {}


def _changes_with_time(events, now: dt.datetime) -> None:
    """A cached page shows these events' registration states, which change at their opening and
    closing minutes and at midnight (UTC: an event of yesterday is past, and leaves the list)."""
    moments = [dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time())]
    for event in events:
        moments += [moment for moment in (event.registration_opens_at, event.registration_closes_at)
                    if moment is not None and moment > now]
    valid_until(min(moments))


@bp.get("/")
@public_page
def home():
    """Upcoming published events: date, city, regions, seats and whether registration is open."""
    now = utcnow()
    events = upcoming_published_events(now.date())
    _changes_with_time(events, now)
    return render_template("events/index.html", events=events, now=now,
                           counts=_registered([event.id for event in events]))


@bp.get("/events/<slug>")
@public_page
def event(slug):
    """An event: agenda, workshops, co-organisers, speakers, venue, and how to register."""
    event = published_event_page(slug) or abort(404)
    now = utcnow()
    _changes_with_time([event], now)
    return render_template("events/event.html", event=event, now=now,
                           state=event.registration_state(now),
                           registered=_registered([event.id]).get(event.id, 0), partners=_partners(event.id),
                           VENUE_FACT=VENUE_FACT, FACT_VALUE=FACT_VALUE, PERSON_ROLE=PERSON_ROLE)
