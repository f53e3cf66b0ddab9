"""The words of the participant list: its filters (legend and options) and the labels of the
stored values shown in its table and on the participant page. Values and labels come from the
vocabularies of the packages that own them."""
from flask_babel import lazy_gettext as _l

from ..geo.queries import all_regions
from ..i18n import localized
from ..registration.vocabularies import AGE_BAND, CHANNEL, DIET, GENDER, HEARD_FROM, ORGANIZATION_TYPE, STATUS
from .queries import NO_SOURCE
from .vocabularies import NEED_FILTER, ORIGIN, SUPPORT

LABELS = {"status": STATUS, "gender": GENDER, "age_band": AGE_BAND, "organization_type": ORGANIZATION_TYPE,
          "need": NEED_FILTER, "support": SUPPORT, "out_of_region": ORIGIN, "diet": DIET, "heard_from": HEARD_FROM,
          "channel": CHANNEL}


def filter_groups(event, can_see_health: bool) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(parameter, legend, [(value, label)]) for each checkbox filter of the list."""
    groups = [
        ("status", _l("Statut"), STATUS.items()),
        ("gender", _l("Genre"), GENDER.items()),
        ("age_band", _l("Tranche d'âge"), AGE_BAND.items()),
        ("organization_type", _l("Type d'organisation"), ORGANIZATION_TYPE.items()),
        ("workshop", _l("Atelier"), [(str(w.id), localized(w, "title")) for w in event.workshops]),
        ("region", _l("Région de résidence"), [(r.code, localized(r, "name")) for r in all_regions()]),
        ("support", _l("Prise en charge"), SUPPORT.items()),
        ("out_of_region", _l("Origine"), ORIGIN.items()),
        ("source", _l("Lien d'inscription suivi"),
         [(str(link.organization_id), link.organization.name) for link in event.organizers]
         + [(NO_SOURCE, _l("Sans lien d'association"))]),
        ("heard_from", _l("Comment la personne a connu l'événement"), HEARD_FROM.items() + [(NO_SOURCE, _l("Sans réponse"))]),
    ]
    if can_see_health:
        groups.insert(5, ("need", _l("Besoin d'accessibilité"), NEED_FILTER.items()))
    return groups
