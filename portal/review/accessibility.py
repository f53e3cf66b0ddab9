"""An event's accessibility plan: the access needs that approved participants declared (with their
consent to keep health data) set against the venue's accessibility facts, as a checklist of actions
that coordinators tick when done.

ACTIONS is the one place that says which need asks for which venue fact and what to do: the page,
the tick and the tests all read it. Health data: only for roles with SEE_HEALTH_DATA (the views check).
"""
import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..accounts.models import User
from ..events.models import Venue
from ..events.vocabularies import FACT_VALUE, VENUE_FACT
from ..extensions import db
from ..forms import Refused
from ..registration.models import Registration, RegistrationAccessNeed
from ..registration.vocabularies import ACCESS_NEED
from .models import AccessibilityActionDone


@dataclass(frozen=True)
class Action:
    """One line of the plan. `fact`: the venue's fact that covers the need when it is "yes" (None:
    nothing at the venue covers it, the line stays to do until ticked). `missing`: what is not
    there yet; `todo`: what to do about it."""
    key: str
    need: str
    fact: str | None
    missing: object
    todo: object


ACTIONS = (
    Action("sign_language_interpreter", "sign_language", "sign_language",
           _l("Interprète en langue des signes non réservé(e)"),
           _l("Réserver un ou une interprète en langue des signes pour toute la journée")),
    Action("step_free_entrance", "wheelchair", "step_free_entrance",
           _l("Entrée de plain-pied non confirmée"),
           _l("Confirmer avec le lieu une entrée sans marche (ou une rampe)")),
    Action("accessible_toilets", "wheelchair", "accessible_toilets",
           _l("Toilettes accessibles non confirmées"),
           _l("Confirmer avec le lieu des toilettes accessibles en fauteuil roulant")),
    Action("hearing_loop", "hearing_loop", "hearing_loop",
           _l("Boucle magnétique non confirmée"),
           _l("Faire installer une boucle magnétique dans les salles")),
    Action("braille_copies", "braille", None,
           _l("Exemplaires en braille à imprimer"),
           _l("Imprimer en braille le programme et les documents de travail, un exemplaire par personne")),
    Action("large_print_copies", "large_print", None,
           _l("Exemplaires en gros caractères à imprimer"),
           _l("Imprimer en gros caractères le programme et les documents, un exemplaire par personne")),
    Action("easy_read_copies", "easy_read", None,
           _l("Documents faciles à lire (FALC) à préparer"),
           _l("Préparer une version facile à lire et à comprendre du programme et des documents")),
    Action("accompanying_person", "accompanying_person", None,
           _l("Personnes accompagnatrices à compter"),
           _l("Compter une place et un repas de plus par personne accompagnatrice")),
    Action("other_needs", "other", None,
           _l("Autres besoins à lire"),
           _l("Lire les précisions de chaque personne et prévoir ce qu'elles demandent")),
)
ACTION_KEYS = {action.key: action for action in ACTIONS}


@dataclass
class Line:
    """An action of the plan for one event: how many people need it, the venue's fact, and its state."""
    action: Action
    count: int
    fact_value: str | None  # yes | no | unknown, None when no fact covers it
    done_at: dt.datetime | None = None
    done_by: str = ""

    @property
    def need_label(self):
        return ACCESS_NEED[self.action.need]

    @property
    def fact_label(self):
        return VENUE_FACT[self.action.fact] if self.action.fact else None

    @property
    def fact_value_label(self):
        return FACT_VALUE[self.fact_value] if self.fact_value else None

    @property
    def covered(self) -> bool:
        """The venue already says yes: nothing to do."""
        return self.fact_value == "yes"

    @property
    def done(self) -> bool:
        return self.done_at is not None

    @property
    def state(self) -> str:
        return "covered" if self.covered else "done" if self.done else "todo"


def need_counts(event_id: int) -> dict[str, int]:
    """need -> how many approved participants declared it, counting only those who consented to
    their health data being kept."""
    rows = db.session.execute(
        select(RegistrationAccessNeed.need, func.count(func.distinct(Registration.id)))
        .join(Registration, Registration.id == RegistrationAccessNeed.registration_id)
        .where(Registration.event_id == event_id, Registration.status == "approved",
               Registration.consent_needs_at.is_not(None))
        .group_by(RegistrationAccessNeed.need))
    return {need: count for need, count in rows}


def plan(event_id: int) -> list[Line]:
    """The lines of the event's plan for the needs someone declared, in ACTIONS' order."""
    counts = need_counts(event_id)
    venue = db.session.get(Venue, event_id)
    done = {row.action: row for row in db.session.scalars(
        select(AccessibilityActionDone).where(AccessibilityActionDone.event_id == event_id))}
    names = _names({row.done_by_id for row in done.values()} - {None})
    lines = []
    for action in ACTIONS:
        if not counts.get(action.need):
            continue
        fact_value = (getattr(venue, action.fact) if venue else "unknown") if action.fact else None
        line = Line(action, counts[action.need], fact_value)
        if action.key in done:
            line.done_at = done[action.key].done_at
            line.done_by = names.get(done[action.key].done_by_id, "")
        lines.append(line)
    return lines


def _names(user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    return {user.id: user.name or user.email for user in db.session.scalars(select(User).where(User.id.in_(user_ids)))}


def mark(event_id: int, key: str, done: bool, user_id: int, now: dt.datetime) -> None:
    """Tick a line done (or undo it). Called inside writing(); refuses an unknown line."""
    if key not in ACTION_KEYS:
        raise Refused({"action": [_l("Cette action n'existe pas.")]})
    row = db.session.get(AccessibilityActionDone, (event_id, key))
    if done and row is None:
        db.session.add(AccessibilityActionDone(event_id=event_id, action=key, done_at=now, done_by_id=user_id))
    elif not done and row is not None:
        db.session.delete(row)
