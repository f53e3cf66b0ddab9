"""The values of an event's fields, with their labels: states, venue facts, agenda kinds, people's
roles and statuses, organisers' kinds."""
from flask_babel import lazy_gettext as _l

from ..vocabulary import Vocabulary

# draft → published → registration_closed → held → archived; cancelled from draft, published or
# registration_closed (NEXT_STATUSES).
EVENT_STATUS = Vocabulary(
    ("draft", _l("Brouillon")), ("published", _l("Publié")),
    ("registration_closed", _l("Inscriptions closes")), ("held", _l("Tenu")),
    ("archived", _l("Archivé")), ("cancelled", _l("Annulé")),
)
# The organisers' moves between states (admins only): the buttons of the event's page, and the check.
NEXT_STATUSES = {
    "draft": ("published", "cancelled"),
    "published": ("registration_closed", "cancelled"),
    "registration_closed": ("held", "cancelled"),
    "held": ("archived",),
    "archived": (),
    "cancelled": (),
}
# The states shown to the public (a draft answers 404).
PUBLIC_STATUSES = ("published", "registration_closed", "held", "archived", "cancelled")

# The venue's accessibility facts: each is yes, no or not yet known; the public page says only these.
VENUE_FACT = Vocabulary(
    ("step_free_entrance", _l("Entrée de plain-pied")), ("lift", _l("Ascenseur")),
    ("accessible_toilets", _l("Toilettes accessibles")), ("hearing_loop", _l("Boucle magnétique")),
    ("sign_language", _l("Interprétation en langue des signes réservée")),
    ("reserved_seating", _l("Places réservées")), ("quiet_room", _l("Salle calme")),
    ("accessible_parking", _l("Stationnement accessible")),
    ("public_transport", _l("Transports en commun à proximité")),
)
FACT_VALUE = Vocabulary(("yes", _l("Oui")), ("no", _l("Non")), ("unknown", _l("Pas encore connu")))

AGENDA_KIND = Vocabulary(
    ("welcome", _l("Accueil")), ("plenary", _l("Plénière")), ("workshops", _l("Ateliers")),
    ("break", _l("Pause")), ("meal", _l("Repas")), ("closing", _l("Clôture")),
)

PERSON_ROLE = Vocabulary(
    ("main_facilitator", _l("Animateur ou animatrice principal(e)")), ("speaker", _l("Intervenant(e)")),
    ("expert", _l("Expert(e)")), ("facilitator", _l("Facilitateur ou facilitatrice")),
    ("co_facilitator", _l("Co-facilitateur ou co-facilitatrice")), ("rapporteur", _l("Rapporteur(e)")),
    ("administration", _l("Représentant(e) de l'administration")), ("interpreter", _l("Interprète")),
    ("organizing_team", _l("Équipe d'organisation")),
)
# A workshop's own people: chosen on the workshop's form.
WORKSHOP_ROLES = ("facilitator", "rapporteur")

PERSON_STATUS = Vocabulary(
    ("to_invite", _l("À inviter")), ("invited", _l("Invité(e)")),
    ("confirmed", _l("Confirmé(e)")), ("declined", _l("A décliné")),
)

ORGANIZATION_KIND = Vocabulary(
    ("association", _l("Association")), ("ministry", _l("Ministère")), ("other", _l("Autre organisme")),
)

# Travel and accommodation support: who comes first when the cap on beneficiaries bites (an event's
# rules order all three; the order of approval always settles what the others leave equal).
SUPPORT_PRIORITY = Vocabulary(
    ("access_need", _l("Les personnes qui ont déclaré un besoin d'accessibilité")),
    ("event_region", _l("Les personnes des régions concernées par l'événement")),
    ("approval_order", _l("L'ordre d'acceptation des inscriptions")),
)
# The travel zones, relative to the venue (portal.geo.borders computes the default one).
TRAVEL_ZONE = Vocabulary(
    ("0", _l("Zone 0 : province du lieu")), ("1", _l("Zone 1 : autres provinces de la région")),
    ("2", _l("Zone 2 : régions voisines")), ("3", _l("Zone 3 : reste du Maroc")),
)
# A province moved to another zone, in plain words ("... is counted as ...").
ZONE_AS = Vocabulary(
    ("0", _l("la province du lieu")), ("1", _l("la région du lieu")),
    ("2", _l("une région voisine")), ("3", _l("le reste du Maroc")),
)

# The equipment of a room on the logistics sheet (issue 10, item 5): each is there or not.
ROOM_EQUIPMENT = Vocabulary(
    ("projector", _l("Vidéoprojecteur")), ("screen", _l("Écran")), ("microphones", _l("Microphones")),
    ("sound", _l("Sonorisation")), ("interpretation_booth", _l("Cabine d'interprétation")),
    ("internet", _l("Connexion internet")), ("flip_charts", _l("Tableaux de conférence (paperboards)")),
)
# The agenda items that are meals on the logistics sheet, with a head count each.
MEAL_KINDS = ("break", "meal")

# The unit costs of the cost estimate (MAD): a price for the whole plan, which an event may override.
# "break" and "meal" follow MEAL_KINDS (a coffee break, a lunch), per person.
COST_ITEM = Vocabulary(
    ("room_day", _l("Salle, par jour")),
    *((f"equipment_{value}", label) for value, label in ROOM_EQUIPMENT.items()),
    ("meal_break", _l("Pause-café, par personne")), ("meal_meal", _l("Déjeuner, par personne")),
    ("travel_zone_1", _l("Déplacement, forfait zone 1")), ("travel_zone_2", _l("Déplacement, forfait zone 2")),
    ("travel_zone_3", _l("Déplacement, forfait zone 3")),
    ("night", _l("Nuitée d'hébergement")), ("interpreter_day", _l("Interprète en langue des signes, par jour")),
    ("printing", _l("Impression, par participant")),
)
