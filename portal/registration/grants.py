"""The support granted to an event's approved participants (issue 10, item 3).

The proposals are computed on the fly from the event's support rules (events.support) and its
approved registrations, so they follow every approval, cancellation and rule change without a job:
only a coordinator's decisions are stored (a confirmation, or an override with a reason). A stored
decision counts while its registration stays approved since the decision: a registration that is
cancelled or rejected (then approved again) loses it, and the next eligible person is proposed.

Who is eligible: an approved participant whose province's zone gets travel (and who asked for
travel support) or accommodation (and who asked for accommodation). When the rules cap the number
of beneficiaries, the confirmed and overridden grants that give something hold their places first
(a decision is never taken back by a later approval); the other places go to the eligible persons
in the rules' order of priority, then by date of approval. A room is "single" when the person
declared an access need that asks for one (SINGLE_ROOM_NEEDS), otherwise "shared". A travel
grant's mode (TRAVEL_MODE) is "to_be_decided" until a coordinator sets it; its estimated amount is
the cost estimate's flat amount for the person's zone (None, "to estimate", when nobody priced it).
"""
import datetime as dt
from dataclasses import dataclass

from flask import g
from flask_babel import force_locale, lazy_ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, selectinload

from ..events.budget import priced_unit_costs, travel_flat_amount
from ..events.models import Event
from ..events.support import MAX_NIGHTS, event_zones, rules_of
from ..extensions import db
from ..forms import Refused
from .models import Registration, StatusChange
from .vocabularies import TRAVEL_MODE

# A wheelchair user needs an accessible room, and a person who comes with an accompanying person
# shares it with them: both ask for a room of their own. (Other needs concern the sessions.)
SINGLE_ROOM_NEEDS = ("wheelchair", "accompanying_person")

MAX_REASON = 500


class SupportDecision(db.Model):
    """A coordinator's decision on one registration's support: "confirmed" (the proposal as it
    stood) or "overridden" (travel and nights set by hand, with a reason)."""
    __tablename__ = "support_decision"

    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12))
    travel: Mapped[bool] = mapped_column(default=False)
    nights: Mapped[int] = mapped_column(default=0)
    room: Mapped[str] = mapped_column(String(8), default="")
    mode: Mapped[str] = mapped_column(String(16), default="", server_default="")  # TRAVEL_MODE value; "" = to be decided
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))


@dataclass
class Grant:
    registration: Registration
    zone: int | None
    travel: bool
    nights: int
    room: str  # ROOM value, "" without accommodation
    status: str  # GRANT_STATUS value
    room_for_need: bool = False  # single because of an access need (health data: not for everyone)
    reason: str = ""
    mode: str = "to_be_decided"  # TRAVEL_MODE value (meaningful with travel)
    amount: int | None = None  # estimated travel amount in MAD; None: no travel, or not priced

    @property
    def granted(self) -> bool:
        return self.status in ("proposed", "confirmed", "overridden") and (self.travel or self.nights > 0)


def _room(registration: Registration, nights: int) -> tuple[str, bool]:
    if nights <= 0:
        return "", False
    single = any(need in SINGLE_ROOM_NEEDS for need in registration.access_needs)
    return ("single" if single else "shared"), single


def _approved(event_id: int) -> list[Registration]:
    return list(db.session.scalars(
        select(Registration).where(Registration.event_id == event_id, Registration.status == "approved")
        .options(selectinload(Registration.needs), selectinload(Registration.province))
        .order_by(Registration.status_changed_at, Registration.id)))


def _decisions(event_id: int, registrations: list[Registration]) -> dict[int, SupportDecision]:
    """The decisions that still hold: taken since the registration's approval."""
    approved_at = {r.id: r.status_changed_at for r in registrations}
    rows = db.session.scalars(select(SupportDecision).where(SupportDecision.event_id == event_id))
    return {row.registration_id: row for row in rows if row.registration_id in approved_at
            and (approved_at[row.registration_id] is None or row.decided_at >= approved_at[row.registration_id])}


def _priority_key(registration: Registration, priorities: list[str], region_codes: set[str]):
    criteria = {
        "access_need": 0 if registration.needs else 1,
        "event_region": 0 if registration.province.region_code in region_codes else 1,
        "approval_order": registration.status_changed_at or dt.datetime.max,
    }
    return (*[criteria[name] for name in priorities], registration.status_changed_at or dt.datetime.max,
            registration.id)


def _amount(costs: dict[str, int], zone: int | None, travel: bool) -> int | None:
    return travel_flat_amount(costs, zone) if travel else None


def event_grants(event: Event) -> list[Grant] | None:
    """One Grant per approved participant, in the order of priority; None when the event has no
    rules saved or no venue province (no zones), so nothing can be proposed."""
    rules, zones = rules_of(event.id), event_zones(event)
    if rules is None or zones is None:
        return None
    registrations = _approved(event.id)
    decisions = _decisions(event.id, registrations)
    costs = priced_unit_costs(event.id)
    registrations.sort(key=lambda r: _priority_key(r, rules.priorities, event.region_codes))
    grants, candidates = [], []
    for registration in registrations:
        zone = zones.get(registration.province_code)
        decision = decisions.get(registration.id)
        if decision is not None:  # what the coordinator confirmed or set stays, whatever the rules became
            room, for_need = _room(registration, decision.nights)
            grants.append(Grant(registration, zone, decision.travel, decision.nights, decision.room or room,
                                decision.status, for_need, decision.reason, decision.mode or "to_be_decided",
                                _amount(costs, zone, decision.travel)))
            continue
        travel = registration.travel_support and zone in rules.travel
        nights = rules.nights if registration.accommodation_support and zone in rules.accommodation else 0
        room, for_need = _room(registration, nights)
        grant = Grant(registration, zone, travel, nights, room, "proposed" if travel or nights else "none", for_need,
                      amount=_amount(costs, zone, travel))
        grants.append(grant)
        if grant.status == "proposed":
            candidates.append(grant)
    if rules.cap is not None:
        places = rules.cap - sum(1 for grant in grants if grant.granted and grant.status != "proposed")
        for grant in candidates[max(places, 0):]:
            grant.status = "beyond_cap"
    return grants


def grant_of(registration: Registration) -> Grant | None:
    """This registration's grant (None: not approved, or the event proposes no support)."""
    if registration.status != "approved":
        return None
    grants = event_grants(registration.event) or []
    return next((grant for grant in grants if grant.registration.id == registration.id), None)


def support_of(registration: Registration) -> Grant | None:
    """grant_of, with the event's grants computed once per request or command (a campaign reads them
    for each of its recipients)."""
    if registration.status != "approved":
        return None
    cache = g.setdefault("_event_grants", {})
    if registration.event_id not in cache:
        cache[registration.event_id] = {grant.registration.id: grant for grant in event_grants(registration.event) or []}
    return cache[registration.event_id].get(registration.id)


def decided_support(registration: Registration) -> Grant | None:
    """The support a coordinator confirmed or set for this person (a mere proposal may still move
    with the cap: the participant is told once it is decided); None when there is none."""
    grant = grant_of(registration)
    return grant if grant is not None and grant.granted and grant.status != "proposed" else None


def beneficiary_ids(event: Event, benefit: str) -> set[int]:
    """The registrations granted support of this kind (BENEFIT value)."""
    wanted = {"any": lambda g: True, "travel": lambda g: g.travel, "accommodation": lambda g: g.nights > 0}[benefit]
    return {grant.registration.id for grant in event_grants(event) or [] if grant.granted and wanted(grant)}


# --- decisions (inside writing()) ----------------------------------------------------------------

def confirm_proposals(event: Event, actor_id: int, now: dt.datetime) -> int:
    """Confirm every proposal as it stands; returns how many were confirmed."""
    count = 0
    for grant in event_grants(event) or []:
        if grant.status == "proposed":
            _store(grant.registration, "confirmed", grant.travel, grant.nights, grant.room, grant.mode, "",
                   actor_id, now)
            count += 1
    return count


def override_grant(event: Event, registration: Registration, travel: bool, nights: int | None, reason: str,
                   actor_id: int, now: dt.datetime, mode: str = "to_be_decided") -> None:
    """Set one approved person's support (and travel mode) by hand, with a reason kept in the
    registration's history."""
    reason = (reason or "").strip()
    problems: dict[str, list] = {}
    if registration.event_id != event.id or registration.status != "approved":
        problems["registration_id"] = [_l("Seules les inscriptions approuvées reçoivent une prise en charge.")]
    if nights is None or not 0 <= nights <= MAX_NIGHTS:
        problems["nights"] = [_l("Indiquez un nombre de nuits entre 0 et %(max)d.", max=MAX_NIGHTS)]
    if mode not in TRAVEL_MODE:
        problems["mode"] = [_l("Choisissez un mode de déplacement de la liste.")]
    if not reason:
        problems["reason"] = [_l("Indiquez la raison de cette décision.")]
    elif len(reason) > MAX_REASON:
        problems["reason"] = [lazy_ngettext("La raison tient en %(num)d caractère au plus.",
                                                  "La raison tient en %(num)d caractères au plus.", MAX_REASON)]
    if problems:
        raise Refused(problems)
    room, _ = _room(registration, nights)
    _store(registration, "overridden", travel, nights, room, mode, reason, actor_id, now)
    with force_locale("fr"):  # the history is written in French, as its other lines
        travel_words = f"oui ({TRAVEL_MODE[mode]})" if travel else "non"
    words = f"déplacement {travel_words}, {nights} nuit{'s' if nights > 1 else ''}"
    registration.history.append(StatusChange(from_status=registration.status, to_status=registration.status,
                                             changed_at=now, actor_id=actor_id,
                                             reason=f"Prise en charge : {words} ({reason})"))


def _store(registration, status, travel, nights, room, mode, reason, actor_id, now) -> None:
    decision = db.session.get(SupportDecision, registration.id)
    if decision is None:
        decision = SupportDecision(registration_id=registration.id, event_id=registration.event_id)
        db.session.add(decision)
    decision.status, decision.travel, decision.nights, decision.room = status, travel, nights, room
    decision.mode = mode
    decision.reason, decision.decided_at, decision.decided_by_id = reason, now, actor_id
