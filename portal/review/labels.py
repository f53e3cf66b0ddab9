"""Words shown for the stored values, in the page's language (filters, table, participant page)."""
from flask_babel import lazy_gettext as _l

from ..geo.queries import all_regions, province_choices
from ..i18n import localized
from ..registration.forms import ACCESS_NEED_LABELS, AGE_BAND_LABELS, GENDER_LABELS, ORGANIZATION_TYPE_LABELS
from ..registration.models import STATUSES

STATUS_LABELS = {"pending": _l("En attente"), "approved": _l("Approuvée"), "waitlisted": _l("Liste d'attente"),
                 "rejected": _l("Non retenue"), "cancelled": _l("Annulée")}
SUPPORT_LABELS = {"travel": _l("Déplacement demandé"), "accommodation": _l("Hébergement demandé")}
OUT_OF_REGION_LABELS = {"yes": _l("Hors des régions de l'événement"), "no": _l("Des régions de l'événement")}
NEED_LABELS = {"any": _l("Au moins un besoin déclaré"), **ACCESS_NEED_LABELS}

LABELS = {"status": STATUS_LABELS, "gender": GENDER_LABELS, "age_band": AGE_BAND_LABELS,
          "organization_type": ORGANIZATION_TYPE_LABELS, "need": NEED_LABELS, "support": SUPPORT_LABELS,
          "out_of_region": OUT_OF_REGION_LABELS}


def filter_groups(event, can_see_health: bool) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(parameter, legend, [(value, label)]) for each checkbox filter of the list."""
    groups = [
        ("status", _l("Statut"), [(s, STATUS_LABELS[s]) for s in STATUSES]),
        ("gender", _l("Genre"), list(GENDER_LABELS.items())),
        ("age_band", _l("Tranche d'âge"), list(AGE_BAND_LABELS.items())),
        ("organization_type", _l("Type d'organisation"), list(ORGANIZATION_TYPE_LABELS.items())),
        ("workshop", _l("Atelier"), [(str(w.id), localized(w, "title")) for w in event.workshops]),
        ("region", _l("Région d'origine"), [(r.code, localized(r, "name")) for r in all_regions()]),
        ("support", _l("Prise en charge"), list(SUPPORT_LABELS.items())),
        ("out_of_region", _l("Origine"), list(OUT_OF_REGION_LABELS.items())),
    ]
    if can_see_health:
        groups.insert(5, ("need", _l("Besoin d'accessibilité"), list(NEED_LABELS.items())))
    return groups


def province_options():
    return province_choices()
