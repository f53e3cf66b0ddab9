"""Who a campaign goes to, and the placeholder values of each recipient.

Participants: the registrations of one event by status, workshop and region of origin (one
message per registration); participants of this event: its approved registrations (to hear back
about the proposals). Institutions: by kind and region (one message per address). People
(speakers, experts, rapporteurs...): by event (or every event), role and status, one message per
person whatever the number of their matching roles and events; those without an address are
listed, never dropped silently.
"""
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..directory.models import Institution
from ..events.models import Event, EventRole, Person
from ..events.vocabularies import PERSON_ROLE
from ..extensions import db
from ..geo.models import Province
from ..i18n import CONTENT_LANGUAGES, content_language, localized, offered_or_default
from ..params import parse_id
from ..registration.attendance import attendance_recorded
from ..registration.grants import beneficiary_ids
from ..registration.models import Registration
from ..registration.vocabularies import BENEFIT
from .placeholders import EVENT_PARTICIPANTS, INSTITUTIONS, PARTICIPANTS, PEOPLE, Source, values_for

# The query-string key of each list of criteria. A person's statuses are not a registration's: their own key.
CRITERIA_KEYS = {"statuses": "status", "workshops": "workshop", "regions": "region", "kinds": "kind",
                 "roles": "role", "person_statuses": "person_status", "benefits": "benefit"}


@dataclass
class Criteria:
    statuses: list[str] = field(default_factory=list)  # registrations' (registration STATUS)
    workshops: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)  # people's (PERSON_ROLE)
    person_statuses: list[str] = field(default_factory=list)  # people's (PERSON_STATUS)
    # Participants granted support (registration BENEFIT: any, travel, accommodation); none: everyone.
    benefits: list[str] = field(default_factory=list)
    # "Participants of this event" once attendance was recorded: those marked present only (never
    # read from a query string: set by event_participants_criteria).
    present_only: bool = False
    # People: the language they are written in. A person has no language of their own (no such
    # column): the organiser chooses it for the campaign; French unless chosen.
    language: str = ""

    @classmethod
    def parse(cls, query: str) -> "Criteria":
        values = parse_qs(query or "")
        return cls(**{name: values.get(key, []) for name, key in CRITERIA_KEYS.items()},
                   language=(values.get("language") or [""])[0])

    def to_query(self) -> str:
        pairs = {key: getattr(self, name) for name, key in CRITERIA_KEYS.items()}
        return urlencode({**pairs, "language": [self.language] if self.language else []}, doseq=True)

    @property
    def people_language(self) -> str:
        return self.language if self.language in CONTENT_LANGUAGES else "fr"


@dataclass
class Recipient:
    key: str  # unique within the campaign: the database refuses a second message with it
    email: str
    name: str
    language: str
    values: dict[str, str | None]  # None: this placeholder has no value for this recipient
    registration: Registration | None = None  # participants: whose manage link a message carries
    institution: Institution | None = None  # institutions: who is invited (one invitation for its addresses)
    person: Person | None = None  # people


def participant_query(event_id: int, criteria: Criteria):
    query = (select(Registration).where(Registration.event_id == event_id)
             .options(selectinload(Registration.workshop)).order_by(Registration.id))
    if criteria.statuses:
        query = query.where(Registration.status.in_(criteria.statuses))
    else:
        query = query.where(Registration.status != "cancelled")
    if criteria.present_only:
        query = query.where(Registration.checked_in_at.is_not(None))
    if criteria.workshops:
        query = query.where(Registration.workshop_id.in_([w for w in map(parse_id, criteria.workshops) if w]))
    if criteria.regions:
        query = query.where(Registration.province_code.in_(
            select(Province.code).where(Province.region_code.in_(criteria.regions))))
    benefits = [benefit for benefit in criteria.benefits if benefit in BENEFIT]
    if benefits:
        event = db.session.get(Event, event_id)
        ids = set().union(*(beneficiary_ids(event, benefit) for benefit in benefits)) if event else set()
        query = query.where(Registration.id.in_(ids))
    return query


def _event_values(audience_kind: str, event) -> dict[str, dict[str, str | None]]:
    """The event's placeholder values, read once per language for all the recipients."""
    return {language: values_for(audience_kind, Source(language, event), about="event") for language in CONTENT_LANGUAGES}


def participant_recipients(event, criteria: Criteria) -> list[Recipient]:
    shared = _event_values(PARTICIPANTS, event)
    recipients = []
    for registration in db.session.scalars(participant_query(event.id, criteria)):
        if not registration.email:
            continue  # registered by a coordinator without an address: listed by participants_without_address
        # Written in the template's version for the registrant's language (French for a language without one).
        language = content_language(offered_or_default(registration.language))
        own = values_for(PARTICIPANTS, Source(language, event, registration=registration), about="recipient")
        recipients.append(Recipient(key=f"registration:{registration.id}", email=registration.email,
                                    name=registration.full_name, language=language,
                                    values={**shared[language], **own}, registration=registration))
    return recipients


def institution_query(criteria: Criteria):
    query = select(Institution).options(selectinload(Institution.emails)).order_by(Institution.id)
    if criteria.kinds:
        query = query.where(Institution.kind.in_(criteria.kinds))
    if criteria.regions:
        query = query.where(Institution.region_code.in_(criteria.regions))
    return query


def institution_recipients(event, criteria: Criteria) -> list[Recipient]:
    shared = _event_values(INSTITUTIONS, event)
    recipients = []
    for institution in db.session.scalars(institution_query(criteria)):
        language = content_language(offered_or_default(institution.language))
        values = {**shared[language],
                  **values_for(INSTITUTIONS, Source(language, event, institution=institution), about="recipient")}
        for address in institution.addresses:
            recipients.append(Recipient(key=f"institution:{institution.id}:{address.lower()}", email=address,
                                        name=institution.contact_name or localized(institution, "name", language),
                                        language=language, values=dict(values), institution=institution))
    return recipients


def role_query(event_id: int | None, criteria: Criteria):
    """The role links that match: of one event (or every event), by role and status (none chosen:
    every status but "declined")."""
    query = (select(EventRole).join(EventRole.person).options(selectinload(EventRole.person))
             .order_by(Person.name_fr, Person.id))
    if event_id is not None:
        query = query.where(EventRole.event_id == event_id)
    if criteria.roles:
        query = query.where(EventRole.role.in_(criteria.roles))
    if criteria.person_statuses:
        query = query.where(EventRole.status.in_(criteria.person_statuses))
    else:
        query = query.where(EventRole.status != "declined")
    return query


def matching_people(event, criteria: Criteria) -> dict[Person, list[EventRole]]:
    """Each person with at least one matching role, once, with those role links."""
    found: dict[Person, list[EventRole]] = {}
    for link in db.session.scalars(role_query(event.id if event else None, criteria)):
        found.setdefault(link.person, []).append(link)
    return found


def _role_names(links: list[EventRole]) -> tuple[str, ...]:
    """The roles of these links, each once, in PERSON_ROLE's order."""
    roles = {link.role for link in links}
    return tuple(role for role in PERSON_ROLE if role in roles)


def people_recipients(event, criteria: Criteria) -> list[Recipient]:
    """One recipient per person with an address; the key is the person, so the outbox refuses a
    second message to someone confirmed in two events or in two roles."""
    language = criteria.people_language
    shared = _event_values(PEOPLE, event)[language]
    recipients = []
    for person, links in matching_people(event, criteria).items():
        if not person.email:
            continue
        own = values_for(PEOPLE, Source(language, event, person=person, roles=_role_names(links)), about="recipient")
        recipients.append(Recipient(key=f"person:{person.id}", email=person.email,
                                    name=localized(person, "name", language), language=language,
                                    values={**shared, **own}, person=person))
    return recipients


def without_address(campaign) -> list[tuple[Person, list]]:
    """The people a campaign to people matches but cannot reach (no e-mail address entered), each
    with the events where they match: where an organiser can add the address."""
    if campaign.audience_kind != PEOPLE:
        return []
    return [(person, list({link.event_id: link.event for link in links}.values()))
            for person, links in matching_people(campaign.event, Criteria.parse(campaign.audience)).items()
            if not person.email]


def event_participants_criteria(event) -> Criteria:
    """"Participants of this event", whatever the campaign's criteria: the approved registrations
    marked present once attendance was recorded at the door; until then, the approved ones."""
    return Criteria(statuses=["approved"], present_only=bool(attendance_recorded([event.id])))


def participants_without_address(campaign) -> list[Registration]:
    """The participants a campaign matches but cannot write to (registered by a coordinator without
    an email): the page lists them with their phone, so that a coordinator calls them instead."""
    if campaign.event is None or campaign.audience_kind not in (PARTICIPANTS, EVENT_PARTICIPANTS):
        return []
    criteria = (event_participants_criteria(campaign.event) if campaign.audience_kind == EVENT_PARTICIPANTS
                else Criteria.parse(campaign.audience))
    return [registration for registration in db.session.scalars(participant_query(campaign.event.id, criteria))
            if not registration.email]


def recipients_of(campaign) -> list[Recipient]:
    criteria = Criteria.parse(campaign.audience)
    if campaign.audience_kind == EVENT_PARTICIPANTS:
        return participant_recipients(campaign.event, event_participants_criteria(campaign.event))
    if campaign.audience_kind == PARTICIPANTS:
        return participant_recipients(campaign.event, criteria)
    if campaign.audience_kind == PEOPLE:
        return people_recipients(campaign.event, criteria)
    return institution_recipients(campaign.event, criteria)
