"""`seed-demo`: the events of the minutes, built through the operations the organisers' screens use;
idempotent (an event is matched by its slug, an organisation by its name)."""
import datetime as dt

from sqlalchemy import select

from ..extensions import db
from . import demo_data as data
from .models import Event, Organization, Person
from .operations import change_status, create_event, save_event
from .people import add_person
from .program import add_workshop, start_from_unified_agenda

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


def _create(spec: dict, values: dict, now: dt.datetime) -> Event:
    """A demo event built as an organiser would on the screens: create, workshops, the unified
    agenda of the minutes, people, then publish."""
    event = create_event(values, spec["slug"], user_id=None, now=now, lead=_organization("MTNRA"))
    for title_fr, title_ar in spec["workshops"]:
        add_workshop(event, {"title_fr": title_fr, "title_ar": title_ar}, people={})
    start_from_unified_agenda(event)
    for role, status, name_fr, name_ar in _people(spec):
        # The minutes name bodies, not people, and no address: the same body in several events
        # is one person all the same (found by its name).
        known = db.session.scalar(select(Person).where(Person.name_fr == name_fr, Person.email.is_(None)))
        add_person(event, {"name_fr": name_fr, "name_ar": name_ar},
                   {"role": role, "status": status, "workshop_id": None, "agenda_item_id": None}, known=known)
    change_status(event, "published", user_id=None, now=now)
    return event


def _people(spec: dict) -> list[tuple[str, str, str, str]]:
    """(role, status, name fr, name ar): the speakers the minutes agreed on (confirmed), and the
    experts they asked for, who are profiles to find, not yet people (to invite)."""
    people = []
    for speaker in spec["speakers"]:
        if isinstance(speaker, str):
            name, name_ar, acronym, _ = data.ORGANIZATIONS[speaker]
            label_fr, label_ar = (f"{name} ({acronym})", f"{name_ar} ({acronym})") if acronym else (name, name_ar)
        else:
            label_fr, label_ar = speaker
        people.append(("speaker", "confirmed", label_fr, label_ar))
    return people + [("expert", "to_invite", fr, ar) for fr, ar in spec["experts"]]


def seed_demo_events(now: dt.datetime, as_recorded: bool = False) -> list[Event]:
    """Create the events that are missing (by slug); for those already there, only move their date
    and registration window, so that seeding again never duplicates or undoes an organiser's work."""
    events = []
    for spec in data.EVENTS:
        starts_on = (dt.date(2023, spec["month"], spec["day"]) if as_recorded
                     else upcoming_date(spec["month"], spec["day"], now.date()))
        opens, closes = registration_window(starts_on, as_recorded)
        dates = {"starts_on": starts_on, "registration_opens_at": opens, "registration_closes_at": closes}
        event = db.session.scalar(select(Event).where(Event.slug == spec["slug"]))
        if event is None:
            organizers = [_organization(key) for key in spec["co_organizers"]]
            db.session.flush()
            event = _create(spec, {
                "title_fr": spec["title_fr"], "title_ar": spec["title_ar"],
                "summary_fr": data.SUMMARY_FR, "summary_ar": data.SUMMARY_AR, "capacity": 70,
                "region_codes": spec["regions"], "co_organizer_ids": [org.id for org in organizers],
                **dates}, now)
        else:
            save_event(event, {"title_fr": event.title_fr, **dates}, seen_version=event.version,
                       approved_seats=0, user_id=None, now=now)
        events.append(event)
    db.session.flush()
    return events
