"""Changes to the directory. Each takes values already checked by InstitutionForm.values();
they run inside the caller's writing() transaction."""
import logging

from sqlalchemy import insert

from ..extensions import db
from .models import Institution, InstitutionEmail

log = logging.getLogger(__name__)
_FIELDS = ("kind", "name_fr", "name_ar", "region_code", "province_code", "contact_name", "contact_title",
           "salutation", "language", "notes")


def _new(values: dict) -> Institution:
    institution = Institution(**{name: values[name] for name in _FIELDS})
    institution.emails = [InstitutionEmail(email=address) for address in values["emails"]]
    db.session.add(institution)
    return institution


def add_institution(values: dict, actor_id: int) -> Institution:
    institution = _new(values)
    db.session.flush()
    log.info("institution %s added by user %s", institution.id, actor_id)
    return institution


def update_institution(institution: Institution, values: dict, actor_id: int) -> None:
    for name in _FIELDS:
        setattr(institution, name, values[name])
    # Keep the rows of addresses still there and add only the new ones: replacing the whole list
    # would insert before deleting and trip the (institution, email) unique constraint.
    wanted = values["emails"]
    institution.emails = [row for row in institution.emails if row.email in wanted] + [
        InstitutionEmail(email=address) for address in wanted if address not in institution.addresses]
    log.info("institution %s updated by user %s", institution.id, actor_id)


def import_institutions(rows: list[dict], actor_id: int) -> int:
    """Add every row (all checked before: the whole file or nothing). Two bulk INSERTs rather than
    thousands of ORM objects: the write lock is held a fraction of the time."""
    if not rows:
        return 0
    ids = db.session.scalars(insert(Institution).returning(Institution.id, sort_by_parameter_order=True),
                             [{name: values[name] for name in _FIELDS} for values in rows]).all()
    db.session.execute(insert(InstitutionEmail), [
        {"institution_id": institution_id, "email": address}
        for institution_id, values in zip(ids, rows) for address in values["emails"]])
    log.info("%d institutions imported by user %s", len(rows), actor_id)
    return len(rows)
