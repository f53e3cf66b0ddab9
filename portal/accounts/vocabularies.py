"""The accounts' vocabulary: the roles."""
from flask_babel import lazy_gettext as _l

from ..vocabulary import Vocabulary

ROLE = Vocabulary(("admin", _l("Administration")), ("coordinator", _l("Coordination d'association")),
                  ("observer", _l("Observation")))
