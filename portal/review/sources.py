"""Where an event's registrations come from (issue 11, item 2): each organiser's registration link
(`/events/<slug>/register?via=<code>`, the code kept on `events.models.EventOrganizer`) and the
answers to "how did you hear of this event". Every registration received counts once in each table,
whatever its status (cancelled ones too: they still say where people came from); so each table's
rows add up to the number of registrations received."""
from dataclasses import dataclass

from sqlalchemy import func, select

from ..events.models import Event, Organization
from ..extensions import db
from ..registration.models import Registration
from ..registration.vocabularies import HEARD_FROM
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
    of_event = Registration.event_id == event.id
    total = db.session.scalar(select(func.count(Registration.id)).where(of_event))
    per_organization = dict(db.session.execute(
        select(Registration.source_organization_id, func.count(Registration.id)).where(of_event)
        .group_by(Registration.source_organization_id)).all())
    per_answer = dict(db.session.execute(
        select(Registration.heard_from, func.count(Registration.id)).where(of_event)
        .group_by(Registration.heard_from)).all())
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
