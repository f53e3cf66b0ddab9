"""Changes to an event's people and their roles. One Person row per person across events: an
e-mail already known reuses that person ("a person confirmed in two events is one person").
Called inside the caller's writing(); each raises program.Refused before changing anything."""
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..forms import Refused
from .models import Event, EventRole, Person
from .program import agenda_item_of, next_position, workshop_of
from .vocabularies import PERSON_ROLE, PERSON_STATUS

PERSON_FIELDS = ("name_fr", "name_ar", "organization", "phone")


def role_of(event: Event, role_id: int) -> EventRole | None:
    """The role link, if it belongs to that event."""
    link = db.session.get(EventRole, role_id)
    return link if link is not None and link.event_id == event.id else None


def person_by_email(email: str | None) -> Person | None:
    email = normalize(email)
    return db.session.scalar(select(Person).where(Person.email == email)) if email else None


def normalize(email: str | None) -> str | None:
    return (email or "").strip().lower() or None


def add_person(event: Event, person_values: dict, role_values: dict,
               known: Person | None = None) -> tuple[EventRole, bool]:
    """Add someone to the event with a role; returns (the role link, True when an existing person,
    found by e-mail or given as `known`, was reused: their name and details are then left as they
    are, unless empty)."""
    role_values = _checked_role(event, role_values)
    person = known or person_by_email(person_values.get("email"))
    reused = person is not None
    if person is None:
        person = Person(email=normalize(person_values.get("email")))
        _assign_person(person, person_values)
        db.session.add(person)
    else:
        for field in PERSON_FIELDS:  # fill what the known person lacks, never overwrite
            if not getattr(person, field) and person_values.get(field):
                setattr(person, field, person_values[field])
    link = EventRole(person=person, position=next_position(event.roles), **role_values)
    event.roles.append(link)
    return link, reused


def update_person_role(event: Event, link: EventRole, person_values: dict, role_values: dict) -> None:
    """Change the person (their details are the same in every event) and this role link."""
    role_values = _checked_role(event, role_values)
    email = normalize(person_values.get("email"))
    other = person_by_email(email)
    if other is not None and other.id != link.person_id:
        raise Refused({"email": [_("Cette adresse est celle d'une autre personne (%(name)s). Pour lui donner un "
                                   "rôle, ajoutez-la avec cette adresse.", name=other.name_fr)]})
    link.person.email = email
    _assign_person(link.person, person_values)
    for field, value in role_values.items():
        setattr(link, field, value)


def set_status(link: EventRole, status: str) -> None:
    if status not in PERSON_STATUS:
        raise Refused({"status": [_("Choisissez un statut dans la liste.")]})
    link.status = status


def remove_role(event: Event, link: EventRole) -> None:
    """The role leaves the event; the person stays (other events, campaigns)."""
    event.roles.remove(link)


def _checked_role(event: Event, values: dict) -> dict:
    problems = {}
    if values.get("role") not in PERSON_ROLE:
        problems["role"] = [_("Choisissez un rôle dans la liste.")]
    if values.get("status") not in PERSON_STATUS:
        problems["status"] = [_("Choisissez un statut dans la liste.")]
    workshop_id, item_id = values.get("workshop_id"), values.get("agenda_item_id")
    if workshop_id and workshop_of(event, workshop_id) is None:
        problems["workshop_id"] = [_("Choisissez un atelier de cet événement.")]
    if item_id and agenda_item_of(event, item_id) is None:
        problems["agenda_item_id"] = [_("Choisissez une séquence du programme de cet événement.")]
    if problems:
        raise Refused(problems)
    return {"role": values["role"], "status": values["status"], "workshop_id": workshop_id or None,
            "agenda_item_id": item_id or None}


def _assign_person(person: Person, values: dict) -> None:
    for field in PERSON_FIELDS:
        if field in values:
            setattr(person, field, values[field] or "")
