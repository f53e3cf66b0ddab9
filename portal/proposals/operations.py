"""Changes to proposals: recorded by a workshop (its rapporteur's link or a coordinator), submitted
by a registrant, moderated by the coordinators, answered and published by the ministry (admins).
Called inside the caller's writing(); each raises portal.forms.Refused before changing anything.
Every change leaves a line in the proposal's history."""
import datetime as dt

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from ..directory.models import Institution
from ..events.models import Event, EventRole, Workshop
from ..extensions import db
from ..forms import Refused
from ..registration.links import add_months
from ..registration.models import Registration
from ..tokens import plausible
from .models import NamingConsent, Proposal, ProposalChange, RapporteurLink, proposal_carrier
from .vocabularies import RESPONSE, THEME, WITH_COMMITMENT

TEXT_FIELDS = ("title_fr", "title_ar", "description_fr", "description_ar")
# How long after the event a registrant may still submit a proposal.
REGISTRANT_DAYS_AFTER = 7
# The history names people in French, whatever the language of whoever acts.
REGISTRANT_ACTOR = "Participant(e), par son lien de gestion"


def workshop_of(event: Event, workshop_id) -> Workshop | None:
    return next((w for w in event.workshops if w.id == workshop_id), None)


def proposal_of(event: Event, proposal_id: int, *, for_update: bool = False) -> Proposal | None:
    """The event's proposal; for_update locks its row until the transaction ends (PostgreSQL;
    SQLite's writers are one at a time already), so that two moderators deciding at once decide
    one after the other: no proposal merged into one being set aside at that moment."""
    proposal = db.session.get(Proposal, proposal_id, with_for_update=for_update or None)
    return proposal if proposal is not None and proposal.event_id == event.id else None


def _log(proposal: Proposal, actor: str, action: str, now: dt.datetime, detail: str = "") -> None:
    proposal.history.append(ProposalChange(changed_at=now, actor=actor[:300], action=action, detail=detail))


# --- the content ---------------------------------------------------------------------------------
def _checked(event: Event, values: dict) -> dict:
    """The proposal's content, checked: a title in French or Arabic (at least one) with its
    description, a theme of the list, institutions of the directory, carriers among the event's
    registrants who agreed to be named."""
    problems = {}
    clean = {field: (values.get(field) or "").strip() for field in TEXT_FIELDS}
    if not clean["title_fr"] and not clean["title_ar"]:
        problems["title_fr"] = [_("Donnez un titre en français ou en arabe (au moins l'un des deux).")]
    for lang in ("fr", "ar"):
        if clean[f"description_{lang}"] and not clean[f"title_{lang}"]:
            problems[f"title_{lang}"] = [_("Une description sans titre dans la même langue : ajoutez son titre.")]
    if values.get("theme") not in THEME:
        problems["theme"] = [_("Choisissez un thème dans la liste.")]
    institution_ids = set(values.get("institution_ids") or ())
    institutions = list(db.session.scalars(select(Institution).where(Institution.id.in_(institution_ids)))) \
        if institution_ids else []
    if len(institutions) != len(institution_ids):
        problems["institution_ids"] = [_("Choisissez des institutions de l'annuaire.")]
    carrier_ids = set(values.get("carrier_ids") or ())
    carriers = list(db.session.scalars(
        select(Registration).join(NamingConsent, NamingConsent.registration_id == Registration.id)
        .where(Registration.id.in_(carrier_ids), Registration.event_id == event.id))) if carrier_ids else []
    if len(carriers) != len(carrier_ids):
        problems["carrier_ids"] = [_("Seules les personnes inscrites qui ont accepté d'être nommées peuvent "
                                     "être citées.")]
    if problems:
        raise Refused(problems)
    return {**clean, "theme": values["theme"], "institutions": institutions, "carriers": carriers}


def _assign(proposal: Proposal, clean: dict) -> None:
    for field in (*TEXT_FIELDS, "theme", "institutions", "carriers"):
        setattr(proposal, field, clean[field])


def record_proposal(workshop: Workshop, values: dict, actor: str, now: dt.datetime) -> Proposal:
    """A proposal of the workshop's group (its rapporteur or a coordinator): in its list at once."""
    clean = _checked(workshop.event, values)
    proposal = Proposal(event_id=workshop.event_id, workshop=workshop, origin="workshop", moderation="accepted",
                        created_at=now)
    _assign(proposal, clean)
    db.session.add(proposal)
    _log(proposal, actor, "recorded", now)
    return proposal


def update_proposal(proposal: Proposal, values: dict, actor: str, now: dt.datetime) -> None:
    clean = _checked(proposal.event, values)
    _assign(proposal, clean)
    proposal.updated_at = now
    _log(proposal, actor, "edited", now)


# --- a registrant's proposal --------------------------------------------------------------------
def registrant_window_open(registration: Registration, now: dt.datetime) -> bool:
    """Before the event, or up to a week after it, while the registration stands."""
    return (registration.status != "cancelled"
            and now.date() <= registration.event.starts_on + dt.timedelta(days=REGISTRANT_DAYS_AFTER))


def submit_proposal(registration: Registration, values: dict, now: dt.datetime) -> Proposal:
    """A registrant's proposal, for their workshop, waiting for the coordinators."""
    if not registrant_window_open(registration, now):
        raise Refused({"title_fr": [_("Le dépôt de propositions est clos pour cet événement.")]})
    clean = _checked(registration.event, {**values, "carrier_ids": (), "institution_ids": ()})
    proposal = Proposal(event_id=registration.event_id, workshop_id=registration.workshop_id, origin="registrant",
                        registration=registration, moderation="pending", created_at=now)
    _assign(proposal, clean)
    db.session.add(proposal)
    _log(proposal, REGISTRANT_ACTOR, "submitted", now)
    return proposal


def own_proposals(registration: Registration) -> list[Proposal]:
    return list(db.session.scalars(select(Proposal).where(Proposal.registration_id == registration.id)
                                   .order_by(Proposal.id)))


# --- moderation (coordinators) -------------------------------------------------------------------
def accept(proposal: Proposal, workshop: Workshop | None, actor: str, now: dt.datetime) -> None:
    """Into the list of `workshop` (one of the event's)."""
    if workshop is None or workshop.event_id != proposal.event_id:
        raise Refused({"workshop_id": [_("Choisissez un atelier de cet événement.")]})
    proposal.workshop = workshop
    proposal.moderation, proposal.merged_into_id, proposal.set_aside_reason = "accepted", None, ""
    proposal.updated_at = now
    _log(proposal, actor, "accepted", now, workshop.title_fr)


def merge(proposal: Proposal, other: Proposal | None, actor: str, now: dt.datetime) -> None:
    """Merged with another accepted proposal of the same event (which carries it from now on)."""
    if other is None or other.id == proposal.id or other.event_id != proposal.event_id \
            or other.moderation != "accepted":
        raise Refused({"merged_into_id": [_("Choisissez une autre proposition acceptée de cet événement.")]})
    proposal.moderation, proposal.merged_into, proposal.set_aside_reason = "merged", other, ""
    proposal.published_at = None
    proposal.updated_at = now
    _log(proposal, actor, "merged", now, f"#{other.id} {other.title}")


def set_aside(proposal: Proposal, reason: str, actor: str, now: dt.datetime) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise Refused({"reason": [_("Donnez la raison pour laquelle la proposition est écartée.")]})
    proposal.moderation, proposal.merged_into_id, proposal.set_aside_reason = "set_aside", None, reason
    proposal.published_at = None
    proposal.updated_at = now
    _log(proposal, actor, "set_aside", now, reason)


# --- the reasoned response (admins) ------------------------------------------------------------
def answer(proposal: Proposal, values: dict, actor: str, now: dt.datetime) -> None:
    """The ministry's status and public reason (French and Arabic); a published response changes
    on the public page at once."""
    problems = {}
    status = values.get("response")
    commitment = (values.get("commitment") or "").strip()
    reasons = {lang: (values.get(f"reason_{lang}") or "").strip() for lang in ("fr", "ar")}
    if status not in RESPONSE:
        problems["response"] = [_("Choisissez un statut dans la liste.")]
    elif status in WITH_COMMITMENT and not commitment:
        problems["commitment"] = [_("Nommez l'engagement du plan d'action.")]
    for lang, label in (("fr", _("en français")), ("ar", _("en arabe"))):
        if not reasons[lang]:
            problems[f"reason_{lang}"] = [_("Donnez la raison publique %(language)s.", language=label)]
    if problems:
        raise Refused(problems)
    proposal.response, proposal.reason_fr, proposal.reason_ar = status, reasons["fr"], reasons["ar"]
    proposal.commitment = commitment if status in WITH_COMMITMENT else ""
    proposal.updated_at = now
    with force_locale("fr"):  # the history is written in French, whatever the admin's language
        detail = str(RESPONSE.label(status)) + (f" : {proposal.commitment}" if proposal.commitment else "")
    _log(proposal, actor, "answered", now, detail)


def publish(proposal: Proposal, actor: str, now: dt.datetime) -> None:
    """Explicit: the response appears on the public pages (an accepted proposal with its reasons)."""
    if proposal.moderation != "accepted":
        raise Refused({"publish": [_("Seule une proposition acceptée peut être publiée.")]})
    if not (proposal.reason_fr and proposal.reason_ar):
        raise Refused({"publish": [_("Donnez d'abord la réponse motivée en français et en arabe.")]})
    proposal.published_at = now
    _log(proposal, actor, "published", now)


def unpublish(proposal: Proposal, actor: str, now: dt.datetime) -> None:
    proposal.published_at = None
    _log(proposal, actor, "unpublished", now)


# --- consent to be named ------------------------------------------------------------------------
def named_consent(registration: Registration) -> NamingConsent | None:
    return db.session.get(NamingConsent, registration.id)


def set_naming_consent(registration: Registration, agreed: bool, now: dt.datetime) -> None:
    """Given or withdrawn on the manage link; withdrawn, the person's name leaves every proposal."""
    consent = named_consent(registration)
    if agreed and consent is None:
        db.session.add(NamingConsent(registration_id=registration.id, given_at=now))
    elif not agreed:
        if consent is not None:
            db.session.delete(consent)
        db.session.execute(delete(proposal_carrier).where(proposal_carrier.c.registration_id == registration.id))


def consenting_registrants(event: Event) -> list[Registration]:
    """The event's registrants who may be named as carrying a proposal."""
    return list(db.session.scalars(
        select(Registration).join(NamingConsent, NamingConsent.registration_id == Registration.id)
        .where(Registration.event_id == event.id).order_by(Registration.last_name, Registration.first_name)))


def forget_registration(registration: Registration) -> None:
    """Erasure or anonymisation: the person's name leaves the proposals, their consent goes; the
    proposals themselves stay (the group's work), no longer tied to them."""
    db.session.execute(delete(proposal_carrier).where(proposal_carrier.c.registration_id == registration.id))
    db.session.execute(delete(NamingConsent).where(NamingConsent.registration_id == registration.id))
    db.session.execute(update(Proposal).where(Proposal.registration_id == registration.id)
                       .values(registration_id=None))


# --- the rapporteurs' links --------------------------------------------------------------------
def rapporteurs(event: Event) -> list[EventRole]:
    """The event's rapporteurs linked to a workshop."""
    return [link for link in event.roles if link.role == "rapporteur" and link.workshop_id]


def link_expiry(event: Event) -> dt.datetime:
    """A month after the event (the end of that day, UTC)."""
    return dt.datetime.combine(add_months(event.starts_on, 1), dt.time()) + dt.timedelta(days=1)


def issue_rapporteur_link(link: EventRole, now: dt.datetime) -> str:
    """A new personal link for this rapporteur (earlier ones stop working); returns the token."""
    if link.role != "rapporteur" or not link.workshop_id:
        raise Refused({"role": [_("Cette personne n'est pas rapporteur(e) d'un atelier.")]})
    if not link.person.email:
        raise Refused({"role": [_("Ajoutez d'abord l'adresse e-mail de %(name)s.", name=link.person.name_fr)]})
    if now >= link_expiry(link.event):
        raise Refused({"role": [_("Le lien ne peut plus être envoyé : plus d'un mois a passé depuis l'événement.")]})
    db.session.execute(delete(RapporteurLink).where(RapporteurLink.event_role_id == link.id))
    row, token = RapporteurLink.issue(now, link_expiry(link.event), event_role_id=link.id)
    db.session.add(row)
    return token


def rapporteur_by_token(token: str, now: dt.datetime) -> EventRole | None:
    """The rapporteur's role (event, workshop, person) a link opens, while it is valid."""
    if not plausible(token):
        return None
    return db.session.scalar(
        select(EventRole).join(RapporteurLink, RapporteurLink.event_role_id == EventRole.id)
        .where(RapporteurLink.opened_by(token, now),
               EventRole.role == "rapporteur", EventRole.workshop_id.is_not(None)))


def sent_links(event: Event) -> dict[int, RapporteurLink]:
    """{event role id: its current link} for the event's rapporteurs."""
    ids = [link.id for link in rapporteurs(event)]
    rows = db.session.scalars(select(RapporteurLink).where(RapporteurLink.event_role_id.in_(ids))) if ids else []
    return {row.event_role_id: row for row in rows}
