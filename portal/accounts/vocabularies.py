"""The accounts' vocabularies: the roles, and the states of an account shown to administrators."""
from flask_babel import lazy_gettext as _l

from ..vocabulary import Vocabulary

ROLE = Vocabulary(("admin", _l("Administration")), ("coordinator", _l("Coordination d'association")),
                  ("observer", _l("Observation")))

# Invited: the account exists but has never signed in (it may not have chosen its password yet).
ACCOUNT_STATUS = Vocabulary(("active", _l("Actif")), ("invited", _l("Invité, pas encore connecté")),
                            ("disabled", _l("Désactivé")))
