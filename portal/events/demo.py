"""`seed-demo`: load the events of the minutes, idempotently (matched by slug, name, position)."""
import datetime as dt

from sqlalchemy import select

from ..extensions import db
from ..geo.models import Region
from . import demo_data as data
from .models import AgendaItem, Event, EventOrganizer, EventRole, Organization, Person, Workshop

CASABLANCA_UTC_OFFSET = dt.timedelta(hours=1)  # Morocco keeps UTC+1 outside Ramadan


def upcoming_date(month: int, day: int, today: dt.date) -> dt.date:
    """The same day and month in the first year where registration can still be open a week ahead."""
    year = today.year
    while dt.date(year, month, day) - dt.timedelta(days=7) <= today:
        year += 1
    return dt.date(year, month, day)


def registration_window(event_date: dt.date, as_recorded: bool) -> tuple[dt.datetime, dt.datetime]:
    """Naive UTC. Closes at 23:59 Casablanca time three days before; opens a year before (so
    that a demo event, always less than a year away, is open at once and stays so on re-seeding)."""
    closes_local = dt.datetime.combine(event_date - dt.timedelta(days=3), dt.time(23, 59))
    opens_local = dt.datetime.combine(event_date - dt.timedelta(days=45 if as_recorded else 365), dt.time(0, 0))
    return opens_local - CASABLANCA_UTC_OFFSET, closes_local - CASABLANCA_UTC_OFFSET


def _organization(key: str) -> Organization:
    name, name_ar, acronym, kind = data.ORGANIZATIONS[key]
    org = db.session.scalar(select(Organization).where(Organization.name == name))
    if org is None:
        org = Organization(name=name)
        db.session.add(org)
    org.name_ar, org.acronym, org.kind = name_ar, acronym, kind
    return org


def _person(name_fr: str, name_ar: str) -> Person:
    person = db.session.scalar(select(Person).where(Person.name_fr == name_fr, Person.email.is_(None)))
    if person is None:
        person = Person(name_fr=name_fr)
        db.session.add(person)
    person.name_ar = name_ar
    return person


def _sync_list(current: list, wanted: list[dict], factory) -> None:
    """Update rows by position, add missing ones, drop extras: rows referenced elsewhere
    (workshops chosen by registrants) keep their identity."""
    for index, values in enumerate(wanted):
        if index < len(current):
            row = current[index]
        else:
            row = factory()
            current.append(row)
        row.position = index
        for key, value in values.items():
            setattr(row, key, value)
    del current[len(wanted):]


def _hhmm(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


def seed_demo_events(now: dt.datetime, as_recorded: bool = False) -> list[Event]:
    events = []
    for spec in data.EVENTS:
        event = db.session.scalar(select(Event).where(Event.slug == spec["slug"]))
        if event is None:
            event = Event(slug=spec["slug"])
            db.session.add(event)
        starts_on = (dt.date(2023, spec["month"], spec["day"]) if as_recorded
                     else upcoming_date(spec["month"], spec["day"], now.date()))
        opens, closes = registration_window(starts_on, as_recorded)
        event.title_fr, event.title_ar = spec["title_fr"], spec["title_ar"]
        event.summary_fr, event.summary_ar = data.SUMMARY_FR, data.SUMMARY_AR
        event.city_fr, event.city_ar = spec["city_fr"], spec["city_ar"]
        event.starts_on, event.capacity, event.status = starts_on, 70, "published"
        event.registration_opens_at, event.registration_closes_at = opens, closes
        event.regions = [db.session.get(Region, code) for code in spec["regions"]]

        organizer_links = [("MTNRA", "organizer")] + [(key, "co_organizer") for key in spec["co_organizers"]]
        existing = {link.organization_id: link for link in event.organizers}
        links = []
        for key, role in organizer_links:
            org = _organization(key)
            db.session.flush()
            link = existing.get(org.id) or EventOrganizer(organization=org)
            link.role = role
            links.append(link)
        event.organizers = links

        _sync_list(event.workshops, [{"title_fr": fr, "title_ar": ar} for fr, ar in spec["workshops"]], Workshop)
        _sync_list(event.agenda, [
            {"starts_at": _hhmm(start), "ends_at": _hhmm(end), "kind": kind, "title_fr": fr, "title_ar": ar,
             "details_fr": dfr, "details_ar": dar}
            for start, end, kind, fr, ar, dfr, dar in data.UNIFIED_AGENDA], AgendaItem)
        people = []
        for speaker in spec["speakers"]:
            if isinstance(speaker, str):
                name, name_ar, acronym, _ = data.ORGANIZATIONS[speaker]
                label_fr = f"{name} ({acronym})" if acronym else name
                label_ar = f"{name_ar} ({acronym})" if acronym else name_ar
            else:
                label_fr, label_ar = speaker
            people.append(("speaker", "confirmed", label_fr, label_ar))
        people += [("expert", "to_invite", fr, ar) for fr, ar in spec["experts"]]
        _sync_list(event.roles, [{"role": role, "status": status, "person": _person(fr, ar)}
                                 for role, status, fr, ar in people], EventRole)
        events.append(event)
    db.session.flush()
    return events
