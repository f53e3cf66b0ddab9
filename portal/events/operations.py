"""Changes to an event by its organisers: create, edit (with optimistic locking), clone, move
between states, describe the venue. Called inside writing(); each checks everything first and
raises (Refused, EditConflict) before it changes anything.

What these rules need from the floors above (the seats already approved, who may administer) is
given by the caller, a screen of portal.organizing."""
import datetime as dt
import re
import unicodedata

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import select

from ..database import for_update
from ..extensions import db
from ..forms import Refused
from ..geo.models import Region
from .local_time import local_to_utc
from .models import AgendaItem, Event, EventOrganizer, EventRole, Organization, Venue, Workshop
from .vocabularies import NEXT_STATUSES, VENUE_FACT

# The fields of the edit form that everyone who may edit the event changes...
CONTENT_FIELDS = ("title_fr", "title_ar", "summary_fr", "summary_ar", "starts_on", "start_time", "end_time",
                  "city_fr", "city_ar", "province_code", "contact_email")
# ...and those that only admins change (ADMINISTER); co-organisers are `co_organizer_ids`.
ADMIN_FIELDS = ("capacity", "registration_opens_at", "registration_closes_at")
# A change of these on a published event concerns the registrants: the page offers to write to them.
NOTIFIABLE_FIELDS = ("starts_on", "start_time", "end_time")
VENUE_TEXTS = ("name_fr", "name_ar", "address_fr", "address_ar", "map_url")


class EditConflict(Exception):
    """Someone saved the event (or another edited row: its updated_at/_by_id) since the form was
    opened; `version` is what the form carries to save over it knowingly."""

    def __init__(self, saved, version=None):
        super().__init__(saved)
        self.updated_by_id, self.updated_at = saved.updated_by_id, saved.updated_at
        self.version = saved.version if version is None else version


def locked_event(event_id: int) -> Event:
    """The event row locked until the transaction ends (PostgreSQL), its values read afresh:
    the version compared is the committed one, not the one read before the lock."""
    query = for_update(select(Event).where(Event.id == event_id)).execution_options(populate_existing=True)
    return db.session.scalar(query)


# --- checks ----------------------------------------------------------------------------------
def event_problems(values: dict, approved_seats: int, current: Event | None = None) -> dict[str, list[str]]:
    """The rules of an event's fields; `values` may lack the admin fields (then the current ones
    count), so a coordinator who moves the date before the closing is told on the date."""
    def value(name):
        return values[name] if name in values else getattr(current, name, None)

    problems: dict[str, list[str]] = {}
    if not (values.get("title_fr") or "").strip():
        problems.setdefault("title_fr", []).append(_l("Indiquez le titre en français."))
    starts_on = value("starts_on")
    if starts_on is None:
        problems.setdefault("starts_on", []).append(_l("Indiquez la date de l'événement."))
    opens, closes = value("registration_opens_at"), value("registration_closes_at")
    window_field = "closes_on" if "registration_closes_at" in values else "starts_on"
    if starts_on is not None and closes is not None and closes > local_to_utc(starts_on, value("start_time")):
        problems.setdefault(window_field, []).append(
            _l("La clôture des inscriptions doit précéder le début de l'événement."))
    if opens is not None and closes is not None and opens >= closes:
        field = "opens_on" if "registration_opens_at" in values else "starts_on"
        problems.setdefault(field, []).append(_l("L'ouverture des inscriptions doit précéder leur clôture."))
    capacity = value("capacity")
    if capacity is not None and capacity < approved_seats:
        problems.setdefault("capacity", []).append(lazy_ngettext(
            "%(num)d place est déjà approuvée : la capacité ne peut pas descendre en dessous.",
            "%(num)d places sont déjà approuvées : la capacité ne peut pas descendre en dessous.", approved_seats))
    return problems


# --- addresses of the public pages -------------------------------------------------------------
def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")
    return slug or "evenement"


def _slug_taken(slug: str) -> bool:
    return db.session.scalar(select(Event.id).where(Event.slug == slug)) is not None


def free_slug(title: str) -> str:
    """An address made from the title, with -2, -3... when it is taken."""
    base, number = slugify(title), 1
    candidate = base
    while _slug_taken(candidate):
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _chosen_slug(wanted: str | None, title: str) -> str:
    if not wanted:
        return free_slug(title)
    if _slug_taken(wanted):
        raise Refused({"slug": [_l("Cette adresse est déjà celle d'un autre événement.")]})
    return wanted


# --- create and edit -------------------------------------------------------------------------
def _apply(event: Event, values: dict, user_id: int | None, now: dt.datetime) -> None:
    for name in CONTENT_FIELDS + ADMIN_FIELDS:
        if name in values:
            setattr(event, name, values[name])
    if "region_codes" in values:
        event.regions = [region for region in (db.session.get(Region, code) for code in values["region_codes"])
                         if region is not None]
    if "co_organizer_ids" in values:
        _set_co_organizers(event, values["co_organizer_ids"])
    event.updated_at, event.updated_by_id = now, user_id


def _set_co_organizers(event: Event, organization_ids) -> None:
    """The co-organising associations; the lead organisers (the ministry) stay as they are."""
    wanted = set(organization_ids)
    kept = [link for link in event.organizers if link.role != "co_organizer" or link.organization_id in wanted]
    present = {link.organization_id for link in kept}
    for organization_id in sorted(wanted - present):
        organization = db.session.get(Organization, organization_id)
        if organization is not None:
            kept.append(EventOrganizer(organization=organization, role="co_organizer"))
    event.organizers = kept


def create_event(values: dict, wanted_slug: str | None, user_id: int | None, now: dt.datetime,
                 lead: Organization | None = None) -> Event:
    """A new draft event (invisible to the public until it is published); `lead`: the organisation
    that organises it (the creating administrator's: the ministry), named first on its page."""
    problems = event_problems(values, approved_seats=0)
    if problems:
        raise Refused(problems)
    event = Event(slug=_chosen_slug(wanted_slug, values["title_fr"]), title_fr=values["title_fr"],
                  starts_on=values["starts_on"], status="draft", version=1)
    if lead is not None:
        event.organizers = [EventOrganizer(organization=lead, role="organizer")]
    db.session.add(event)
    _apply(event, values, user_id, now)
    db.session.flush()
    return event


def save_event(event: Event, values: dict, *, seen_version: int | None, approved_seats: int,
               user_id: int, now: dt.datetime) -> set[str]:
    """Save the edit form. Refused (EditConflict) when the event was saved by someone since the
    form was read at `seen_version`; returns the notifiable fields that changed (date, times)."""
    if seen_version != event.version:
        raise EditConflict(event)
    problems = event_problems(values, approved_seats, event)
    if problems:
        raise Refused(problems)
    changed = {name for name in NOTIFIABLE_FIELDS if name in values and values[name] != getattr(event, name)}
    _apply(event, values, user_id, now)
    event.version += 1
    return changed


# --- clone -----------------------------------------------------------------------------------
def clone_event(source: Event, title_fr: str, title_ar: str, starts_on: dt.date, wanted_slug: str | None,
                user_id: int, now: dt.datetime) -> Event:
    """A new draft with the source's texts, regions, organisers, venue, workshops, agenda and
    people; never its registrations (they belong to the source). Both titles are the caller's: a
    copy that kept the source's Arabic title under a new French one would show the old event's
    name to Arabic readers. The registration window is left
    empty (it depends on the new date) and each person is "to invite" again for the new date."""
    event = Event(slug=_chosen_slug(wanted_slug, title_fr), title_fr=title_fr, title_ar=title_ar or "",
                  starts_on=starts_on,
                  status="draft", version=1, updated_at=now, updated_by_id=user_id)
    for name in ("summary_fr", "summary_ar", "start_time", "end_time", "city_fr", "city_ar",
                 "province_code", "contact_email", "capacity"):
        setattr(event, name, getattr(source, name))
    event.regions = list(source.regions)
    event.organizers = [EventOrganizer(organization=link.organization, role=link.role) for link in source.organizers]
    if source.venue is not None:
        event.venue = Venue(**{name: getattr(source.venue, name) for name in VENUE_TEXTS + tuple(VENUE_FACT)})
    workshops = {w.id: Workshop(position=w.position, title_fr=w.title_fr, title_ar=w.title_ar,
                                description_fr=w.description_fr, description_ar=w.description_ar,
                                room=w.room, seat_limit=w.seat_limit) for w in source.workshops}
    agenda = {a.id: AgendaItem(position=a.position, starts_at=a.starts_at, ends_at=a.ends_at, kind=a.kind,
                               title_fr=a.title_fr, title_ar=a.title_ar, details_fr=a.details_fr,
                               details_ar=a.details_ar) for a in source.agenda}
    event.workshops, event.agenda = list(workshops.values()), list(agenda.values())
    event.roles = [EventRole(person=link.person, role=link.role, status="to_invite", position=link.position,
                             workshop=workshops.get(link.workshop_id), agenda_item=agenda.get(link.agenda_item_id))
                   for link in source.roles]
    db.session.add(event)
    db.session.flush()
    return event


# --- states ----------------------------------------------------------------------------------
def change_status(event: Event, target: str, user_id: int, now: dt.datetime) -> str:
    """Move the event to `target` if NEXT_STATUSES allows it; returns the state it left."""
    if target not in NEXT_STATUSES.get(event.status, ()):
        raise Refused({"status": [_l("Ce changement d'état n'est pas possible depuis l'état actuel.")]})
    previous, event.status = event.status, target
    event.updated_at, event.updated_by_id = now, user_id
    return previous


# --- venue -----------------------------------------------------------------------------------
def save_venue(event: Event, values: dict, user_id: int, now: dt.datetime) -> bool:
    """Name, address, map link and accessibility facts; True when the name or address changed
    (on a published event, the registrants should be told)."""
    for fact in VENUE_FACT:
        if values.get(fact) not in ("yes", "no", "unknown"):
            raise Refused({fact: [_l("Choisissez oui, non ou pas encore connu.")]})
    venue = event.venue
    if venue is None:
        venue = event.venue = Venue()
    before = tuple(getattr(venue, name) or "" for name in ("name_fr", "name_ar", "address_fr", "address_ar"))
    for name in VENUE_TEXTS + tuple(VENUE_FACT):
        setattr(venue, name, values.get(name) or ("" if name in VENUE_TEXTS else "unknown"))
    event.updated_at, event.updated_by_id = now, user_id
    after = tuple(getattr(venue, name) for name in ("name_fr", "name_ar", "address_fr", "address_ar"))
    return before != after
