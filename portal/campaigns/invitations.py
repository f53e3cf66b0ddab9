"""Invitations of institutions to an event: one per institution a campaign writes to, with a
personal link (only its hash is stored) where the institution answers once, until the end of the
event's day (Casablanca time)."""
import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..database import for_update
from ..directory.models import Institution
from ..extensions import db
from ..tokens import new_token, plausible, token_hash
from ..urls import public_url
from .models import Invitation
from .vocabularies import INVITATION_ANSWER

LOCAL = ZoneInfo("Africa/Casablanca")


def expiry_of(event) -> dt.datetime:
    """The end of the event's day in Casablanca, as naive UTC."""
    midnight = dt.datetime.combine(event.starts_on + dt.timedelta(days=1), dt.time(0), tzinfo=LOCAL)
    return midnight.astimezone(dt.UTC).replace(tzinfo=None)


def invited_institution_ids(campaign_id: int) -> set[int]:
    return set(db.session.scalars(select(Invitation.institution_id).where(Invitation.campaign_id == campaign_id)))


def issue_invitation(campaign, institution, now: dt.datetime) -> tuple[Invitation, str]:
    """A new invitation and the link for its mail (the token is in the link only)."""
    token, hashed = new_token()
    invitation = Invitation(campaign_id=campaign.id, institution_id=institution.id, event_id=campaign.event_id,
                            token_hash=hashed, expires_at=expiry_of(campaign.event), created_at=now)
    invitation.institution, invitation.event, invitation.campaign = institution, campaign.event, campaign
    db.session.add(invitation)
    return invitation, public_url("invitations.answer", token=token)


def find_invitation(token: str | None, lock: bool = False) -> Invitation | None:
    if not plausible(token):
        return None
    query = select(Invitation).where(Invitation.token_hash == token_hash(token))
    return db.session.scalar(for_update(query) if lock else query)


class AlreadyAnswered(Exception):
    """The invitation was answered before: the first answer stands."""


class Expired(Exception):
    """The event's day is over: the link no longer takes an answer."""


def record_answer(invitation: Invitation, answer: str, delegate_name: str, delegate_title: str,
                  now: dt.datetime) -> None:
    """The institution's answer, once; the delegate's name and title only when it delegates."""
    if invitation.answer is not None:
        raise AlreadyAnswered()
    if now >= invitation.expires_at:
        raise Expired()
    if answer not in INVITATION_ANSWER:
        raise ValueError(answer)
    invitation.answer = answer
    invitation.delegate_name = delegate_name if answer == "delegates" else ""
    invitation.delegate_title = delegate_title if answer == "delegates" else ""
    invitation.answered_at = now


def _with_institutions(query):
    return query.join(Institution).options(selectinload(Invitation.institution).selectinload(Institution.region),
                                           selectinload(Invitation.institution).selectinload(Institution.province))


def campaign_invitations(campaign_id: int) -> list[Invitation]:
    return list(db.session.scalars(_with_institutions(select(Invitation).where(Invitation.campaign_id == campaign_id))
                                   .order_by(Institution.name_fr, Invitation.id)))


def event_invitations(event_id: int) -> list[Invitation]:
    """The protocol list: every institution invited to the event (by any campaign), once, with its
    latest invitation's answer."""
    rows = db.session.scalars(_with_institutions(select(Invitation).where(Invitation.event_id == event_id))
                              .order_by(Invitation.id))
    latest = {}
    for invitation in rows:
        latest[invitation.institution_id] = invitation
    return sorted(latest.values(), key=lambda i: (i.institution.kind, i.institution.name_fr.lower()))
