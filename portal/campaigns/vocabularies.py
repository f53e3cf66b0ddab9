"""Who a template is written for, and what it is for."""
from flask_babel import lazy_gettext as _l

from ..i18n import CONTENT_LANGUAGES, language_name
from ..vocabulary import Vocabulary

AUDIENCE = Vocabulary(("participants", _l("Participantes et participants d'un événement")),
                      ("institutions", _l("Institutions")),
                      ("people", _l("Intervenantes et intervenants des événements")),
                      # Those who took part (approved registrations; to be narrowed to those present once
                      # attendance is recorded): told what became of the proposals.
                      ("event_participants", _l("Participantes et participants de cet événement (les personnes "
                                                "présentes, ou approuvées tant que la présence n'est pas relevée)")))
PURPOSE = Vocabulary(("confirmation", _l("Confirmation")), ("waitlist", _l("Liste d'attente")),
                     ("regrets", _l("Regrets")), ("invitation", _l("Invitation")), ("other", _l("Autre")))
# An invited institution's answer, given through its personal link.
INVITATION_ANSWER = Vocabulary(("attends", _l("Sera présente")), ("declines", _l("Ne sera pas présente")),
                               ("delegates", _l("Se fera représenter")))
# The languages a message template is written in (subject_fr/body_fr, subject_ar/body_ar): a
# recipient whose language has no version of its own (a language added later) gets the French one.
TEMPLATE_LANGUAGE = Vocabulary(*((code, language_name(code)) for code in CONTENT_LANGUAGES))
