"""The co-organising associations (and the ministry, other bodies) that events and coordinators
belong to: created and changed by administrators. The table is the events' (events.models)."""
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..events.models import Organization
from ..extensions import db
from ..forms import Refused


def save_organization(organization: Organization | None, values: dict) -> Organization:
    """Create (organization None) or change an organisation. Its name, and its acronym when it
    has one, are unique whatever the case: `flask users create --organization` finds it by either."""
    problems = {}
    if _taken(Organization.name, values["name"], organization):
        problems["name"] = [_("Une organisation porte déjà le nom « %(name)s ».", name=values["name"])]
    if values["acronym"] and _taken(Organization.acronym, values["acronym"], organization):
        problems["acronym"] = [_("Une organisation porte déjà le sigle « %(acronym)s ».", acronym=values["acronym"])]
    if problems:
        raise Refused(problems)
    if organization is None:
        organization = Organization()
        db.session.add(organization)
    for key, value in values.items():
        setattr(organization, key, value)
    db.session.flush()
    return organization


def _taken(column, value: str, organization: Organization | None) -> bool:
    query = select(Organization.id).where(func.lower(column) == value.lower())
    if organization is not None:
        query = query.where(Organization.id != organization.id)
    return db.session.scalar(query.limit(1)) is not None
