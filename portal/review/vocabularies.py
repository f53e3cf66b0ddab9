"""The review's own vocabularies: the decisions a coordinator takes, and the list's extra filters."""
from flask_babel import lazy_gettext as _l

from ..registration.vocabularies import ACCESS_NEED
from ..vocabulary import Vocabulary


class Decisions(Vocabulary):
    """The decision buttons (name="decision", part of the interface), labelled by how the outcome
    is told ("Amina El Idrissi : approuvé(e)."), and the status each one sets."""

    def status(self, decision: str) -> str:
        return {"approve": "approved", "waitlist": "waitlisted", "reject": "rejected"}[decision]


DECISION = Decisions(
    ("approve", _l("approuvé(e)")), ("waitlist", _l("sur liste d'attente")), ("reject", _l("non retenu(e)")),
)
SUPPORT = Vocabulary(("travel", _l("Déplacement demandé")), ("accommodation", _l("Hébergement demandé")))
ORIGIN = Vocabulary(("yes", _l("Hors des régions de l'événement")), ("no", _l("Des régions de l'événement")))
# The list's filter on access needs (health data: only for roles allowed to see it).
NEED_FILTER = Vocabulary(("any", _l("Au moins un besoin déclaré")), *ACCESS_NEED.items())
