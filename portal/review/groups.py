"""The inclusion groups used by reserved seats and the dashboard's shares."""
from sqlalchemy import exists, select

from ..registration.models import Registration, RegistrationAccessNeed

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
    groups = set()
    if registration.gender == "female":
        groups.add("women")
    if registration.age_band in YOUTH_AGE_BANDS:
        groups.add("youth")
    if registration.needs:
        groups.add("disability")
    return groups
