"""Reads for the proposals' screens: an event's lists for the coordinators, and the published
responses for the public pages and the open-data export (exactly the public fields)."""
from dataclasses import dataclass

from sqlalchemy import func, select

from ..events.models import Event
from ..extensions import db
from ..i18n import localized
from .models import NamingConsent, Proposal
from .vocabularies import HISTORY_ACTION, MODERATION, ORIGIN, RESPONSE, THEME

LICENCE = "Licence Ouverte / Open Licence 2.0 (Etalab) – https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


def event_proposals(event: Event) -> list[Proposal]:
    return list(db.session.scalars(select(Proposal).where(Proposal.event_id == event.id)
                                   .order_by(Proposal.workshop_id, Proposal.id)))


def workshop_proposal_count(workshop_id: int) -> int:
    """The proposals recorded for a workshop (the workspace keeps such a workshop from removal)."""
    return db.session.scalar(select(func.count()).select_from(Proposal).where(Proposal.workshop_id == workshop_id))


@dataclass(frozen=True)
class PublicFilters:
    """The public pages' filters, all in the URL: theme, response status, event (its slug)."""
    theme: str = ""
    status: str = ""
    event: str = ""

    @classmethod
    def from_args(cls, args, event_slug: str = "") -> "PublicFilters":
        theme, status = args.get("theme", ""), args.get("status", "")
        return cls(theme=theme if theme in THEME else "", status=status if status in RESPONSE else "",
                   event=event_slug or (args.get("event", "") or "")[:80])

    def args(self) -> dict:
        return {key: value for key, value in (("theme", self.theme), ("status", self.status),
                                              ("event", self.event)) if value}


def public_events() -> list[Event]:
    """Public events with at least one published response (the filter's choices)."""
    published = select(Proposal.event_id).where(Proposal.published_at.is_not(None))
    return list(db.session.scalars(select(Event).where(Event.is_public, Event.id.in_(published))
                                   .order_by(Event.starts_on)))


def published(filters: PublicFilters) -> list[Proposal]:
    """The published responses of accepted proposals of public events, by theme, then event."""
    query = (select(Proposal).join(Event, Event.id == Proposal.event_id)
             .where(Proposal.published_at.is_not(None), Proposal.moderation == "accepted", Event.is_public))
    if filters.theme:
        query = query.where(Proposal.theme == filters.theme)
    if filters.status:
        query = query.where(Proposal.response == filters.status)
    if filters.event:
        query = query.where(Event.slug == filters.event)
    rows = list(db.session.scalars(query.order_by(Event.starts_on, Proposal.workshop_id, Proposal.id)))
    order = {theme: index for index, theme in enumerate(THEME)}
    return sorted(rows, key=lambda proposal: order[proposal.theme])


def named_carriers(proposal: Proposal) -> list[str]:
    """The carriers' names, only while each still agrees to be named."""
    consenting = set(db.session.scalars(select(NamingConsent.registration_id).where(
        NamingConsent.registration_id.in_([r.id for r in proposal.carriers])))) if proposal.carriers else set()
    return [f"{r.first_name} {r.last_name}" for r in proposal.carriers if r.id in consenting]


# The open-data export's columns: exactly the public fields, in this order.
PUBLIC_FIELDS = (
    "id", "event", "event_date", "workshop_fr", "workshop_ar", "theme", "title_fr", "title_ar",
    "description_fr", "description_ar", "institutions", "carried_by", "status", "commitment",
    "reason_fr", "reason_ar", "published_on",
)


def public_record(proposal: Proposal) -> dict:
    """What the public may know of a published proposal (never an e-mail; a name only by consent)."""
    return {
        "id": proposal.id,
        "event": proposal.event.slug,
        "event_date": proposal.event.starts_on.isoformat(),
        "workshop_fr": proposal.workshop.title_fr,
        "workshop_ar": proposal.workshop.title_ar,
        "theme": proposal.theme,
        "title_fr": proposal.title_fr,
        "title_ar": proposal.title_ar,
        "description_fr": proposal.description_fr,
        "description_ar": proposal.description_ar,
        "institutions": [localized(i, "name") for i in proposal.institutions],
        "carried_by": named_carriers(proposal),
        "status": proposal.response,
        "commitment": proposal.commitment,
        "reason_fr": proposal.reason_fr,
        "reason_ar": proposal.reason_ar,
        "published_on": proposal.published_at.date().isoformat(),
    }


def labels() -> dict:
    return {"THEME": THEME, "RESPONSE": RESPONSE, "MODERATION": MODERATION, "ORIGIN": ORIGIN,
            "HISTORY_ACTION": HISTORY_ACTION}
