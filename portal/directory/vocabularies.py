"""The kinds of institution the ministry invites (values are the CSV import's `kind` column)."""
from flask_babel import lazy_gettext as _l

from ..vocabulary import Vocabulary

INSTITUTION_KIND = Vocabulary(
    ("wilaya", _l("Wilaya")), ("region_council", _l("Conseil régional")), ("province", _l("Province")),
    ("prefecture", _l("Préfecture")), ("commune", _l("Commune")), ("consultative_body", _l("Instance consultative")),
    ("other", _l("Autre")),
)
