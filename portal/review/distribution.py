"""Where applicants come from: per region and province of origin, as a table and an SVG chart."""
from dataclasses import dataclass, field

from flask import Blueprint, render_template
from sqlalchemy import case, func, select

from ..accounts.permissions import VIEW, event_permission
from ..extensions import db
from ..geo.models import Province
from ..geo.queries import region as region_of
from ..registration.attendance import counted_sql
from ..registration.models import Registration
from ..registration.vocabularies import ACTIVE_STATUSES

bp = Blueprint("distribution", __name__, url_prefix="/review")


@dataclass
class Line:
    code: str
    name_fr: str
    name_ar: str
    applicants: int = 0
    approved: int = 0
    travel: int = 0
    accommodation: int = 0
    provinces: list["Line"] = field(default_factory=list)


def distribution(event_ids, present_in=()) -> list[Line]:
    """Regions (with their provinces) that applicants of these events come from, most applicants first.
    For the events in `present_in`, `approved` counts the approved people marked present only."""
    one = lambda condition: func.coalesce(func.sum(case((condition, 1), else_=0)), 0)
    counted = (Registration.status == "approved") & counted_sql(present_in) if present_in else (
        Registration.status == "approved")
    rows = db.session.execute(
        select(Province, func.count(),
               one(counted),
               one(Registration.travel_support.is_(True)),
               one(Registration.accommodation_support.is_(True)))
        .join(Registration, Registration.province_code == Province.code)
        .where(Registration.event_id.in_(event_ids), Registration.status.in_(ACTIVE_STATUSES))
        .group_by(Province.code).order_by(Province.code)).all()
    regions: dict[str, Line] = {}
    for province, applicants, approved, travel, accommodation in rows:
        region = regions.get(province.region_code)
        if region is None:
            r = region_of(province.region_code)
            region = regions[r.code] = Line(r.code, r.name_fr, r.name_ar)
        line = Line(province.code, province.name_fr, province.name_ar, applicants, approved, travel, accommodation)
        region.provinces.append(line)
        for attribute in ("applicants", "approved", "travel", "accommodation"):
            setattr(region, attribute, getattr(region, attribute) + getattr(line, attribute))
    for region in regions.values():
        region.provinces.sort(key=lambda line: (-line.applicants, line.code))
    return sorted(regions.values(), key=lambda line: (-line.applicants, line.code))


@bp.get("/events/<id:event_id>/distribution")
@event_permission(VIEW)
def page(event):
    """Printable; the table is the chart's text alternative."""
    lines = distribution([event.id])
    largest = max((line.applicants for line in lines), default=0)
    return render_template("review/distribution.html", event=event, lines=lines, largest=largest)
