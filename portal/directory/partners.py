"""An event's local partners: institutions of the directory (a wilaya, a region council), kept in
the event_partner table. The event's page reads them through the events.public hook."""
from sqlalchemy import delete, insert, select

from ..extensions import db
from .models import Institution, event_partner


def partners_of(event_id: int) -> list[Institution]:
    return list(db.session.scalars(
        select(Institution).join(event_partner, event_partner.c.institution_id == Institution.id)
        .where(event_partner.c.event_id == event_id).order_by(Institution.kind, Institution.name_fr)))


def partner_candidates(region_codes, keep_ids=()) -> list[Institution]:
    """The institutions of these regions (and those already chosen), for the event's form."""
    query = select(Institution).where(Institution.region_code.in_(list(region_codes))
                                      | Institution.id.in_(list(keep_ids)))
    return list(db.session.scalars(query.order_by(Institution.region_code, Institution.kind, Institution.name_fr)))


def set_partners(event_id: int, institution_ids) -> None:
    wanted = set(institution_ids)
    existing = set(db.session.scalars(select(Institution.id).where(Institution.id.in_(wanted))))
    db.session.execute(delete(event_partner).where(event_partner.c.event_id == event_id))
    for institution_id in sorted(existing):
        db.session.execute(insert(event_partner).values(event_id=event_id, institution_id=institution_id))


def copy_partners(source_id: int, target_id: int) -> None:
    set_partners(target_id, [institution.id for institution in partners_of(source_id)])
