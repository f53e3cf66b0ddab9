"""The figures of an event's logistics sheet, computed live from the approvals, the confirmed roles,
the institutions' answers and the declared needs; with the rooms, meals and overrides that the
event's own data (`portal.events.logistics`) holds.

Here on the top floor because it reads registrations and campaigns' invitations. The needs (health
data) are counted only for registrations whose consent to keep them was given; only the sheet's
readers (admins and the event's coordinators, who may see health data) get these counts.

The diets are counted per meal among the approved participants (the people the meal counts from
registrations): vegetarian always; the health diets (registration.vocabularies.HEALTH_DIETS) only for
a reader who may see health data, and only for registrations whose consent to keep them was given."""
from dataclasses import dataclass

from sqlalchemy import distinct, func, select

from ..campaigns.models import Invitation
from ..events.logistics import meals_of, overrides_of, rooms_of, team_count_of
from ..events.models import AgendaItem, Event, EventRole, Workshop
from ..extensions import db
from ..registration.models import Registration, RegistrationAccessNeed, RegistrationDiet
from ..registration.vocabularies import DIET, HEALTH_DIETS

# The invitations' answers of institutions that come (themselves or through a delegate).
COMING_ANSWERS = ("attends", "delegates")
# The needs that ask for documents in another format, counted on the sheet.
DOCUMENT_NEEDS = ("large_print", "braille")


@dataclass
class Room:
    workshop: Workshop | None  # None: the plenary
    name: str
    seats: int | None
    equipment: list[str]
    participants: int  # approved registrations choosing this workshop (every approved one for the plenary)

    @property
    def overflows(self) -> bool:
        return self.seats is not None and self.participants > self.seats


@dataclass
class Meal:
    item: AgendaItem
    computed: int
    override: int | None
    diets: dict[str, int]  # diet -> approved participants who declared it (the diets the reader may see)

    @property
    def head_count(self) -> int:
        return self.computed if self.override is None else self.override


@dataclass
class Sheet:
    approved: int
    roles: int  # distinct persons with a confirmed role
    team: int
    institutions: int  # invited institutions that said they come
    rooms: list[Room]
    meals: list[Meal]
    large_print: int
    braille: int
    diets_shown: tuple[str, ...] = ()  # the diets this reader may see, in the vocabulary's order

    @property
    def expected(self) -> int:
        """Everyone expected at the event: the computed head count of each meal."""
        return self.approved + self.roles + self.team + self.institutions

    @property
    def badges(self) -> int:
        return self.approved + self.roles

    @property
    def printed_agendas(self) -> int:
        return self.expected


def _approved(event_id: int):
    return (Registration.event_id == event_id, Registration.status == "approved")


def approved_count(event_id: int) -> int:
    return db.session.scalar(select(func.count(Registration.id)).where(*_approved(event_id)))


def approved_per_workshop(event_id: int) -> dict[int, int]:
    return dict(db.session.execute(select(Registration.workshop_id, func.count(Registration.id)).where(
        *_approved(event_id)).group_by(Registration.workshop_id)).all())


def confirmed_role_count(event_id: int) -> int:
    """Persons with at least one confirmed role (a person with two roles eats once)."""
    return db.session.scalar(select(func.count(distinct(EventRole.person_id))).where(
        EventRole.event_id == event_id, EventRole.status == "confirmed"))


def coming_institution_count(event_id: int) -> int:
    """Institutions that answered they come or send a delegate (once, whatever the campaigns)."""
    return db.session.scalar(select(func.count(distinct(Invitation.institution_id))).where(
        Invitation.event_id == event_id, Invitation.answer.in_(COMING_ANSWERS)))


def document_need_counts(event_id: int) -> dict[str, int]:
    """Approved participants who declared each document need, with their consent to keep needs."""
    rows = db.session.execute(select(RegistrationAccessNeed.need, func.count(Registration.id)).join(
        Registration, Registration.id == RegistrationAccessNeed.registration_id).where(
        *_approved(event_id), Registration.consent_needs_at.is_not(None),
        RegistrationAccessNeed.need.in_(DOCUMENT_NEEDS)).group_by(RegistrationAccessNeed.need)).all()
    return {need: 0 for need in DOCUMENT_NEEDS} | dict(rows)


def diets_seen(can_see_health: bool) -> tuple[str, ...]:
    return tuple(diet for diet in DIET if can_see_health or diet not in HEALTH_DIETS)


def diet_counts(event_id: int, can_see_health: bool) -> dict[str, int]:
    """Approved participants per declared diet; the health diets are not even read without the right
    to see health data, and are counted only where the consent to keep them was given."""
    shown = diets_seen(can_see_health)
    consented = Registration.consent_needs_at.is_not(None)
    rows = db.session.execute(select(RegistrationDiet.diet, func.count(Registration.id)).join(
        Registration, Registration.id == RegistrationDiet.registration_id).where(
        *_approved(event_id), RegistrationDiet.diet.in_(shown),
        (RegistrationDiet.diet.not_in(HEALTH_DIETS)) | consented).group_by(RegistrationDiet.diet)).all()
    return {diet: 0 for diet in shown} | dict(rows)


def logistics_sheet(event: Event, can_see_health: bool = False) -> Sheet:
    approved = approved_count(event.id)
    per_workshop = approved_per_workshop(event.id)
    rooms = [Room(workshop=workshop,
                  name=(workshop.room if workshop else (saved.name if saved else "")),
                  seats=saved.seats if saved else None, equipment=saved.equipment if saved else [],
                  participants=per_workshop.get(workshop.id, 0) if workshop else approved)
             for workshop, saved in rooms_of(event)]
    sheet = Sheet(approved=approved, roles=confirmed_role_count(event.id), team=team_count_of(event.id),
                  institutions=coming_institution_count(event.id), rooms=rooms, meals=[],
                  **document_need_counts(event.id), diets_shown=diets_seen(can_see_health))
    overrides = overrides_of(event.id)
    diets = diet_counts(event.id, can_see_health)
    # Every meal counts all the approved participants: each shows the same diets, counted once per meal.
    sheet.meals = [Meal(item, sheet.expected, overrides.get(item.id), dict(diets)) for item in meals_of(event.id)]
    return sheet
