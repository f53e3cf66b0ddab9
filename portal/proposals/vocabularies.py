"""The values of a proposal's fields, with their labels: themes (the minutes' priority themes and
the workshops of the four events), origins, moderation, the ministry's response."""
from flask_babel import lazy_gettext as _l

from ..vocabulary import Vocabulary

# The priority themes chosen in the preparatory meetings (seed minutes), one per workshop subject.
THEME = Vocabulary(
    ("public_services", _l("Qualité, simplification et dématérialisation des services publics")),
    ("women_rights", _l("Égalité et droits des femmes")),
    ("access_to_information", _l("Droit d'accès à l'information")),
    ("civic_space", _l("Environnement et cadre juridique des associations, consultation publique")),
    ("digital", _l("Société civile et digitalisation")),
    ("open_local_government", _l("Collectivités territoriales ouvertes et inclusives")),
    ("inclusive_participation", _l("Participation inclusive des jeunes, des femmes et des personnes en "
                                   "situation de handicap")),
    ("climate", _l("Changements climatiques")),
    ("other", _l("Autre thème")),
)

# Who brought the proposal: the workshop (its rapporteur or a coordinator) or a registrant.
ORIGIN = Vocabulary(("workshop", _l("Atelier")), ("registrant", _l("Participant(e)")))

# A registrant's proposal waits for the coordinators; a workshop's is accepted as it is recorded.
MODERATION = Vocabulary(
    ("pending", _l("À modérer")), ("accepted", _l("Acceptée")),
    ("merged", _l("Fusionnée avec une autre")), ("set_aside", _l("Écartée")),
)

# The ministry's reasoned response (OGP standard 4).
RESPONSE = Vocabulary(
    ("under_study", _l("À l'étude")), ("retained", _l("Retenue comme engagement")),
    ("merged_commitment", _l("Fusionnée dans un engagement")), ("partly_retained", _l("Partiellement retenue")),
    ("not_retained", _l("Non retenue dans le plan")),
)
# The statuses that name a commitment of the plan.
WITH_COMMITMENT = ("retained", "merged_commitment", "partly_retained")

# The lines of a proposal's history (stored as these codes; the actor is stored as a name).
HISTORY_ACTION = Vocabulary(
    ("recorded", _l("Enregistrée")), ("submitted", _l("Déposée")), ("edited", _l("Modifiée")),
    ("accepted", _l("Acceptée")), ("merged", _l("Fusionnée")), ("set_aside", _l("Écartée")),
    ("answered", _l("Réponse donnée")), ("published", _l("Réponse publiée")), ("unpublished", _l("Réponse retirée")),
)
