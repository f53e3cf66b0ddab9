"""Where an event's registrations come from (issue 11, item 2): each organiser's registration link
(`/events/<slug>/register?via=<code>`, the code kept on `events.models.EventOrganizer`) and the
answers to "how did you hear of this event". Every registration received counts once in each table,
whatever its status (cancelled ones too: they still say where people came from); so each table's
rows add up to the number of registrations received."""
from dataclasses import dataclass

from sqlalchemy import select

from ..events.models import Event, Organization
from ..extensions import db
from ..registration.tally import Tally
from ..registration.vocabularies import HEARD_FROM, STATUS
from ..urls import public_url


@dataclass
class LinkRow:
    organization: Organization
    code: str | None  # None: an association whose link was used but that no longer organises the event
    url: str | None
    registrations: int


@dataclass
class Sources:
    total: int
    links: list[LinkRow]
    without_link: int  # registrations through the plain link (or an unknown code)
    answers: list[tuple[str, object, int]]  # (value, label, count), the vocabulary's order
    unanswered: int


def registration_link(event: Event, code: str) -> str:
    """The public address of an organiser's registration link."""
    return public_url("registration.form", slug=event.slug, via=code)


def registration_sources(event: Event) -> Sources:
    tally = Tally(event.id)  # the counters kept as registrations change
    total = tally.count(STATUS)
    per_organization = {None if value == "none" else int(value): number
                        for value, number in tally.by_value(STATUS, "source").items()}
    per_answer = {"" if value == "none" else value: number
                  for value, number in tally.by_value(STATUS, "heard_from").items()}
    organizers = sorted(event.organizers, key=lambda link: (link.role != "organizer", link.organization.name.lower()))
    links = [LinkRow(link.organization, link.source_code, registration_link(event, link.source_code),
                     per_organization.get(link.organization_id, 0)) for link in organizers]
    former = [organization_id for organization_id in per_organization
              if organization_id is not None and organization_id not in {link.organization_id for link in organizers}]
    for organization in db.session.scalars(select(Organization).where(Organization.id.in_(former))
                                           .order_by(Organization.name)):
        links.append(LinkRow(organization, None, None, per_organization[organization.id]))
    answers = [(value, label, per_answer.get(value, 0)) for value, label in HEARD_FROM.items()]
    unanswered = total - sum(count for _, _, count in answers)
    return Sources(total=total, links=links, without_link=per_organization.get(None, 0), answers=answers,
                   unanswered=unanswered)
