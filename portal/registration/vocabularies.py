"""The vocabularies of a registration's fields, with their labels: the one place that says which
values a field takes and how each is shown (form, list filters, participant page, exports).

The values are part of the portal's interface (pre-filled links and external checks rely on
them): change them only with a migration and a note to the partners.
"""
from flask_babel import lazy_gettext as _l

from ..i18n import LANGUAGES
from ..vocabulary import Vocabulary

GENDER = Vocabulary(("female", _l("Femme")), ("male", _l("Homme")), ("unspecified", _l("Je préfère ne pas le dire")))
AGE_BAND = Vocabulary(
    ("under_18", _l("Moins de 18 ans")), ("18_24", _l("18 à 24 ans")), ("25_34", _l("25 à 34 ans")),
    ("35_49", _l("35 à 49 ans")), ("50_64", _l("50 à 64 ans")), ("65_plus", _l("65 ans et plus")),
)
ORGANIZATION_TYPE = Vocabulary(
    ("association", _l("Association")), ("network", _l("Réseau ou coalition d'associations")),
    ("cooperative", _l("Coopérative")), ("academic", _l("Université ou recherche")), ("media", _l("Média")),
    ("private_sector", _l("Secteur privé")), ("individual", _l("Citoyen ou citoyenne, sans organisation")),
    ("other", _l("Autre")),
)
# Health data: kept only with its own consent (see operations._set_needs).
ACCESS_NEED = Vocabulary(
    ("wheelchair", _l("Accès en fauteuil roulant")),
    ("sign_language", _l("Interprétation en langue des signes")),
    ("braille", _l("Documents en braille")),
    ("large_print", _l("Documents en gros caractères")),
    ("easy_read", _l("Documents faciles à lire et à comprendre (FALC)")),
    ("hearing_loop", _l("Boucle magnétique pour appareils auditifs")),
    ("accompanying_person", _l("Je viens avec une personne accompagnatrice")),
    ("other", _l("Autre besoin (précisez ci-dessous)")),
)
# Dietary needs for the meals (optional). Some are health data (HEALTH_DIETS): kept only with the
# same consent as the access needs (operations._set_needs) and shown only to roles that may see health
# data. "No gluten" may reveal coeliac disease; "other" is free text that may say anything about
# health or beliefs. Vegetarian is not health data.
DIET = Vocabulary(
    ("vegetarian", _l("Végétarien")),
    ("gluten_free", _l("Sans gluten")),
    ("diabetic", _l("Adapté au diabète")),
    ("other", _l("Autre régime (précisez ci-dessous)")),
)
HEALTH_DIETS = ("gluten_free", "diabetic", "other")
# How a registrant heard of the event (optional question of the form).
HEARD_FROM = Vocabulary(
    ("partner", _l("Par une association partenaire")),
    ("social_networks", _l("Sur les réseaux sociaux")),
    ("ministry_website", _l("Sur le site du ministère")),
    ("word_of_mouth", _l("Par le bouche-à-oreille")),
    ("media", _l("Par la presse, la radio ou la télévision")),
    ("other", _l("Autrement")),
)
# How a registration came in: the public form, a coordinator on the person's behalf (phone, paper
# form, office), a spreadsheet imported by a coordinator, or at the door on the day.
CHANNEL = Vocabulary(
    ("online", _l("En ligne")), ("assisted", _l("Inscription assistée")), ("imported", _l("Importée")),
    ("walk_in", _l("Sur place")),
)
# The language of a registrant's mail: the portal's languages.
LANGUAGE = LANGUAGES
STATUS = Vocabulary(
    ("pending", _l("En cours d'examen")), ("approved", _l("Approuvée")), ("waitlisted", _l("Liste d'attente")),
    ("rejected", _l("Non retenue")), ("cancelled", _l("Annulée")),
)
# Statuses that hold or may get a seat (not cancelled, not rejected): "N registered" counts these.
ACTIVE_STATUSES = ("pending", "approved", "waitlisted")
# The support granted to an approved participant (grants.py).
GRANT_STATUS = Vocabulary(
    ("proposed", _l("Proposée")), ("confirmed", _l("Confirmée")), ("overridden", _l("Modifiée")),
    ("beyond_cap", _l("Au-delà du plafond")), ("none", _l("Pas de prise en charge")),
)
# How a supported participant travels: proposed "to_be_decided" until a coordinator sets it.
TRAVEL_MODE = Vocabulary(
    ("to_be_decided", _l("À déterminer")), ("bus", _l("Autocar")), ("train", _l("Train")),
    ("car", _l("Voiture (covoiturage)")), ("plane", _l("Avion")),
)
ROOM = Vocabulary(("shared", _l("Chambre partagée")), ("single", _l("Chambre individuelle")))
# What a hotel room needs for an access need (keyed by ACCESS_NEED value): health data, shown on the
# hotel list only when the person consented to the processing of their needs.
ROOM_NEED = Vocabulary(
    ("wheelchair", _l("Chambre accessible en fauteuil roulant")),
    ("accompanying_person", _l("Lit pour la personne accompagnatrice")),
    ("hearing_loop", _l("Alarme visuelle ou vibrante")),
    ("sign_language", _l("Alarme visuelle ou vibrante")),
)
# The audience criterion of a campaign: beneficiaries of any support, of travel, of accommodation.
BENEFIT = Vocabulary(
    ("any", _l("Bénéficiaires d'une prise en charge")), ("travel", _l("Bénéficiaires du déplacement")),
    ("accommodation", _l("Bénéficiaires de l'hébergement")),
)
# The questionnaire after an event (feedback.py): a score from 1 to 5, and whether the needs the
# person declared were met (health-adjacent: its results are shown only with SEE_HEALTH_DATA).
SCORE = Vocabulary(("1", _l("1 – pas du tout")), ("2", "2"), ("3", "3"), ("4", "4"), ("5", _l("5 – tout à fait")))
NEEDS_MET = Vocabulary(
    ("yes", _l("Oui")), ("partly", _l("En partie")), ("no", _l("Non")),
    ("none_declared", _l("Je n'avais déclaré aucun besoin")),
)
