"""The inclusion groups: seats can be reserved for them and the dashboard shows their shares."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from ..vocabulary import Vocabulary
from .models import Registration, RegistrationAccessNeed

GROUP = Vocabulary(
    ("disability", _l("Personnes déclarant un besoin d'accessibilité")),
    ("youth", _l("Moins de 35 ans")),
    ("women", _l("Femmes")),
)
YOUTH_AGE_BANDS = ("under_18", "18_24", "25_34")  # under 35


def in_group_sql(group: str):
    """A SQL condition on Registration for membership of `group`."""
    if group == "women":
        return Registration.gender == "female"
    if group == "youth":
        return Registration.age_band.in_(YOUTH_AGE_BANDS)
    if group == "disability":
        return exists(select(RegistrationAccessNeed.need).where(
            RegistrationAccessNeed.registration_id == Registration.id))
    raise ValueError(group)


def groups_of(registration: Registration) -> set[str]:
    return groups_of_values(registration.gender, registration.age_band, bool(registration.needs))


def groups_of_values(gender: str, age_band: str, has_needs: bool) -> set[str]:
    """The groups of a registration with these values (what in_group_sql says in SQL)."""
    groups = set()
    if gender == "female":
        groups.add("women")
    if age_band in YOUTH_AGE_BANDS:
        groups.add("youth")
    if has_needs:
        groups.add("disability")
    return groups
