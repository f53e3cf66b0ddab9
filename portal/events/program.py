"""Changes to an event's programme: its workshops (with their facilitator and rapporteur) and its
agenda. Called inside the caller's writing(); each raises Refused before changing anything."""
import datetime as dt

from flask_babel import gettext as _
from flask_babel import ngettext

from ..extensions import db
from ..forms import Refused
from .demo_data import UNIFIED_AGENDA
from .models import AgendaItem, Event, EventRole, Workshop
from .vocabularies import AGENDA_KIND, WORKSHOP_ROLES

UP, DOWN = "up", "down"


def workshop_of(event: Event, workshop_id: int) -> Workshop | None:
    """The workshop, if it belongs to that event (an id of another event is not found)."""
    workshop = db.session.get(Workshop, workshop_id)
    return workshop if workshop is not None and workshop.event_id == event.id else None


def agenda_item_of(event: Event, item_id: int) -> AgendaItem | None:
    item = db.session.get(AgendaItem, item_id)
    return item if item is not None and item.event_id == event.id else None


# --- workshops -------------------------------------------------------------------------------
WORKSHOP_FIELDS = ("title_fr", "title_ar", "description_fr", "description_ar", "room", "seat_limit")


def add_workshop(event: Event, values: dict, people: dict[str, int | None]) -> Workshop:
    """A new workshop, last of the list; `people`: {role: Person id or None} (facilitator, rapporteur)."""
    links = _workshop_links(event, people)
    workshop = Workshop(event=event, position=next_position(event.workshops))
    _assign(workshop, values, WORKSHOP_FIELDS)
    db.session.add(workshop)
    db.session.flush()
    _link_workshop_people(event, workshop, links)
    return workshop


def update_workshop(workshop: Workshop, values: dict, people: dict[str, int | None], seats_taken: int = 0) -> None:
    """Change a workshop. A seat limit below the registrations that hold or may hold a seat in
    it (`seats_taken`, counted by the registration package) is refused."""
    limit = values.get("seat_limit")
    if limit is not None and limit < seats_taken:
        raise Refused({"seat_limit": [ngettext(
            "%(num)d inscription choisit déjà cet atelier : la limite ne peut pas être inférieure.",
            "%(num)d inscriptions choisissent déjà cet atelier : la limite ne peut pas être inférieure.", seats_taken)]})
    links = _workshop_links(workshop.event, people)
    _assign(workshop, values, WORKSHOP_FIELDS)
    _link_workshop_people(workshop.event, workshop, links)


def delete_workshop(workshop: Workshop, chosen_by: int) -> None:
    """Remove a workshop nobody chose (`chosen_by`: the registrations, even cancelled, that name it:
    they keep their choice in their history, so the workshop stays)."""
    if chosen_by:
        raise Refused({"": [ngettext("« %(title)s » ne peut pas être supprimé : %(num)d inscription l'a choisi (même annulée, elle "
                                     "garde son choix dans son historique). Vous pouvez le renommer, ou déplacer cette "
                                     "personne vers un autre atelier depuis sa page.",
                                     "« %(title)s » ne peut pas être supprimé : %(num)d inscriptions l'ont choisi (y "
                                     "compris annulées, qui gardent leur choix dans leur historique). Vous pouvez le "
                                     "renommer, ou déplacer ces personnes vers un autre atelier depuis leur page.",
                                     chosen_by, title=workshop.title_fr)]})
    event = workshop.event
    for link in event.roles:
        if link.workshop_id == workshop.id:
            link.workshop_id = None
    event.workshops.remove(workshop)
    _renumber(event.workshops)


def move_workshop(workshop: Workshop, direction: str) -> bool:
    return _move(workshop.event.workshops, workshop, direction)


def _workshop_links(event: Event, people: dict[str, int | None]) -> dict[str, int | None]:
    """{role: Person id} checked to be people of the event, before anything changes."""
    known = {link.person_id for link in event.roles}
    problems = {role: [_("Choisissez une personne de cet événement.")]
                for role in WORKSHOP_ROLES if people.get(role) and people[role] not in known}
    if problems:
        raise Refused(problems)
    return {role: people.get(role) or None for role in WORKSHOP_ROLES}


def _link_workshop_people(event: Event, workshop: Workshop, links: dict[str, int | None]) -> None:
    """The workshop's facilitator and rapporteur are EventRole rows of that role linked to it: the
    person chosen gets (or keeps) such a row, with the status they have in the event; the one
    replaced loses the link (their row stays on the people's screen)."""
    for role in WORKSHOP_ROLES:
        person_id = links[role]
        for link in event.roles:
            if link.workshop_id == workshop.id and link.role == role and link.person_id != person_id:
                link.workshop_id = None
        if person_id is None:
            continue
        theirs = [r for r in event.roles if r.person_id == person_id]
        current = (next((r for r in theirs if r.role == role and r.workshop_id == workshop.id), None)
                   or next((r for r in theirs if r.role == role and r.workshop_id is None), None))
        if current is None:
            current = EventRole(person_id=person_id, role=role, status=theirs[0].status,
                                position=next_position(event.roles))
            event.roles.append(current)
        current.workshop_id = workshop.id


# --- agenda ----------------------------------------------------------------------------------
AGENDA_FIELDS = ("starts_at", "ends_at", "kind", "title_fr", "title_ar", "details_fr", "details_ar")


def check_agenda_values(values: dict) -> None:
    problems = {}
    if values.get("kind") not in AGENDA_KIND:
        problems["kind"] = [_("Choisissez un type dans la liste.")]
    starts, ends = values.get("starts_at"), values.get("ends_at")
    if starts is not None and ends is not None and ends <= starts:
        problems["ends_at"] = [_("L'heure de fin doit être après l'heure de début.")]
    if problems:
        raise Refused(problems)


def add_agenda_item(event: Event, values: dict) -> AgendaItem:
    check_agenda_values(values)
    item = AgendaItem(position=next_position(event.agenda))
    _assign(item, values, AGENDA_FIELDS)
    event.agenda.append(item)
    return item


def update_agenda_item(item: AgendaItem, values: dict) -> None:
    check_agenda_values(values)
    _assign(item, values, AGENDA_FIELDS)


def remove_agenda_item(event: Event, item: AgendaItem) -> None:
    for link in event.roles:
        if link.agenda_item_id == item.id:
            link.agenda_item_id = None
    event.agenda.remove(item)
    _renumber(event.agenda)


def move_agenda_item(event: Event, item: AgendaItem, direction: str) -> bool:
    return _move(event.agenda, item, direction)


def start_from_unified_agenda(event: Event) -> int:
    """Fill an empty agenda with the unified agenda of the minutes; returns the items added."""
    if event.agenda:
        raise Refused({"": [_("Le programme n'est pas vide : il n'a pas été remplacé.")]})
    for position, (start, end, kind, fr, ar, dfr, dar) in enumerate(UNIFIED_AGENDA):
        event.agenda.append(AgendaItem(
            position=position, starts_at=dt.time.fromisoformat(start), ends_at=dt.time.fromisoformat(end),
            kind=kind, title_fr=fr, title_ar=ar, details_fr=dfr, details_ar=dar))
    return len(UNIFIED_AGENDA)


def agenda_hours(event: Event) -> tuple[dt.time | None, dt.time | None]:
    """The day's start and end: the event's own times when set, else the agenda's first start and
    last end (whatever the order of its items), else None."""
    starts = event.start_time or min((item.starts_at for item in event.agenda), default=None)
    ends = event.end_time or max((item.ends_at for item in event.agenda), default=None)
    return starts, ends


# --- shared ------------------------------------------------------------------------------------
def _assign(row, values: dict, fields) -> None:
    for field in fields:
        if field in values:
            setattr(row, field, values[field])


def next_position(rows) -> int:
    return max((row.position for row in rows), default=-1) + 1


def _renumber(rows) -> None:
    for position, row in enumerate(rows):
        row.position = position


def _move(rows: list, row, direction: str) -> bool:
    """Swap a row with its neighbour (rows in display order); False at either end."""
    ordered = sorted(rows, key=lambda r: (r.position, r.id or 0))
    index = ordered.index(row)
    other = index - 1 if direction == UP else index + 1
    if direction not in (UP, DOWN) or not 0 <= other < len(ordered):
        return False
    ordered[index], ordered[other] = ordered[other], ordered[index]
    _renumber(ordered)
    return True


def people_choices(event: Event) -> list[tuple[str, str]]:
    """(Person id, name) of the event's people, each once, for the workshop form's selects."""
    seen, found = set(), []
    for link in event.roles:
        if link.person_id not in seen:
            seen.add(link.person_id)
            found.append((str(link.person_id), link.person.name_fr))
    return found


def workshop_person_id(workshop: Workshop, role: str) -> int | None:
    return next((link.person_id for link in workshop.event.roles
                 if link.workshop_id == workshop.id and link.role == role), None)
