"""Who a campaign goes to, and the placeholder values of each recipient.

Participants: the registrations of one event by status, workshop and region of origin (one
message per registration). Institutions: by kind and region (one message per address).
"""
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..directory.models import Institution
from ..extensions import db
from ..geo.models import Province
from ..i18n import LANGUAGES, localized
from ..params import parse_id
from ..registration.models import Registration
from .placeholders import INSTITUTIONS, PARTICIPANTS, Source, values_for


@dataclass
class Criteria:
    statuses: list[str] = field(default_factory=list)
    workshops: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, query: str) -> "Criteria":
        values = parse_qs(query or "")
        return cls(*(values.get(name, []) for name in ("status", "workshop", "region", "kind")))

    def to_query(self) -> str:
        return urlencode({"status": self.statuses, "workshop": self.workshops, "region": self.regions,
                          "kind": self.kinds}, doseq=True)


@dataclass
class Recipient:
    key: str  # unique within the campaign: the database refuses a second message with it
    email: str
    name: str
    language: str
    values: dict[str, str | None]  # None: this placeholder has no value for this recipient
    registration: Registration | None = None  # participants: whose manage link a message carries
    institution: Institution | None = None  # institutions: who is invited (one invitation for its addresses)


def participant_query(event_id: int, criteria: Criteria):
    query = (select(Registration).where(Registration.event_id == event_id)
             .options(selectinload(Registration.workshop)).order_by(Registration.id))
    if criteria.statuses:
        query = query.where(Registration.status.in_(criteria.statuses))
    else:
        query = query.where(Registration.status != "cancelled")
    if criteria.workshops:
        query = query.where(Registration.workshop_id.in_([w for w in map(parse_id, criteria.workshops) if w]))
    if criteria.regions:
        query = query.where(Registration.province_code.in_(
            select(Province.code).where(Province.region_code.in_(criteria.regions))))
    return query


def _event_values(audience_kind: str, event) -> dict[str, dict[str, str | None]]:
    """The event's placeholder values, read once per language for all the recipients."""
    return {language: values_for(audience_kind, Source(language, event), about="event") for language in LANGUAGES}


def participant_recipients(event, criteria: Criteria) -> list[Recipient]:
    shared = _event_values(PARTICIPANTS, event)
    recipients = []
    for registration in db.session.scalars(participant_query(event.id, criteria)):
        language = registration.language if registration.language in LANGUAGES else "fr"
        own = values_for(PARTICIPANTS, Source(language, event, registration=registration), about="recipient")
        recipients.append(Recipient(key=f"registration:{registration.id}", email=registration.email,
                                    name=registration.full_name, language=registration.language,
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
        language = institution.language if institution.language in LANGUAGES else "fr"
        values = {**shared[language],
                  **values_for(INSTITUTIONS, Source(language, event, institution=institution), about="recipient")}
        for address in institution.addresses:
            recipients.append(Recipient(key=f"institution:{institution.id}:{address.lower()}", email=address,
                                        name=institution.contact_name or localized(institution, "name", language),
                                        language=language, values=dict(values), institution=institution))
    return recipients


def recipients_of(campaign) -> list[Recipient]:
    criteria = Criteria.parse(campaign.audience)
    if campaign.audience_kind == PARTICIPANTS:
        return participant_recipients(campaign.event, criteria)
    return institution_recipients(campaign.event, criteria)
