"""Figures for the dashboard: statuses, seats, support requests, needs and inclusion shares."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, distinct, func, select

from ..extensions import db
from ..geo.models import Province, Region
from ..registration.attendance import counted_sql
from ..registration.groups import in_group_sql
from ..registration.models import Registration, RegistrationAccessNeed
from ..registration.seats import open_offer_count
from ..registration.tally import Tally
from ..registration.vocabularies import ACTIVE_STATUSES, AGE_BAND, GENDER, ORGANIZATION_TYPE, STATUS


@dataclass
class Shares:
    total: int
    women: int
    youth: int
    disability: int
    provinces: int
    out_of_region: int

    def percent(self, part: int) -> int:
        return round(100 * part / self.total) if self.total else 0


@dataclass
class EventFigures:
    statuses: dict[str, int]
    capacity: int
    open_offers: int
    travel: int
    accommodation: int
    needs: int
    out_of_region: int
    applicants: Shares
    approved: Shares
    region_provinces: int

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.statuses["approved"] - self.open_offers)


def shares(event_ids, statuses, present_in=()) -> Shares:
    """The inclusion groups (registration.groups) among the registrations of these events with these
    statuses (for the events in `present_in`, the people marked present only): the one count behind
    the dashboard and the inclusion report."""
    row = db.session.execute(
        select(func.count(),
               func.coalesce(func.sum(case((in_group_sql("women"), 1), else_=0)), 0),
               func.coalesce(func.sum(case((in_group_sql("youth"), 1), else_=0)), 0),
               func.coalesce(func.sum(case((in_group_sql("disability"), 1), else_=0)), 0),
               func.count(distinct(Registration.province_code)),
               func.coalesce(func.sum(case((Registration.out_of_region.is_(True), 1), else_=0)), 0))
        .where(Registration.event_id.in_(event_ids), Registration.status.in_(statuses), counted_sql(present_in))).one()
    return Shares(*[int(value) for value in row])


def counts_by(event_ids, statuses, field: str, present_in=()) -> dict[str, int]:
    """value of the registration's `field` (gender, age_band) -> how many registrations of these
    events with these statuses have it (for the events in `present_in`, the people marked present
    only): the one count by profile (the event report)."""
    column = getattr(Registration, field)
    rows = db.session.execute(select(column, func.count()).where(
        Registration.event_id.in_(event_ids), Registration.status.in_(statuses), counted_sql(present_in))
        .group_by(column))
    return {value: int(number) for value, number in rows}


def need_counts_by(event_ids, statuses, present_in=()) -> dict[str, int]:
    """access need -> how many registrations of these events with these statuses declared it (health
    data: call it only for SEE_HEALTH_DATA; `present_in` as in counts_by)."""
    rows = db.session.execute(
        select(RegistrationAccessNeed.need, func.count(distinct(Registration.id)))
        .join(Registration, Registration.id == RegistrationAccessNeed.registration_id)
        .where(Registration.event_id.in_(event_ids), Registration.status.in_(statuses), counted_sql(present_in))
        .group_by(RegistrationAccessNeed.need))
    return {need: int(number) for need, number in rows}


def event_figures(event) -> EventFigures:
    """The dashboard's and the list's figures, from the counters kept as registrations change
    (registration.tally): a few hundred rows whatever the number of applicants."""
    tally = Tally(event.id)
    region_provinces = db.session.scalar(select(func.count()).select_from(Province).where(
        Province.region_code.in_(event.region_codes)))
    return EventFigures(
        statuses={status: tally.count([status]) for status in STATUS}, capacity=event.capacity,
        open_offers=open_offer_count(event.id),
        travel=tally.count(ACTIVE_STATUSES, "support", "travel"),
        accommodation=tally.count(ACTIVE_STATUSES, "support", "accommodation"),
        needs=tally.count(ACTIVE_STATUSES, "group", "disability"),
        out_of_region=tally.count(ACTIVE_STATUSES, "out_of_region", "yes"),
        applicants=_tally_shares(tally, ACTIVE_STATUSES), approved=_tally_shares(tally, ("approved",)),
        region_provinces=region_provinces)


def _tally_shares(tally: Tally, statuses) -> Shares:
    """What shares() counts, for one event, from its counters."""
    return Shares(total=tally.count(statuses), women=tally.count(statuses, "group", "women"),
                  youth=tally.count(statuses, "group", "youth"),
                  disability=tally.count(statuses, "group", "disability"),
                  provinces=len(tally.by_value(statuses, "province")),
                  out_of_region=tally.count(statuses, "out_of_region", "yes"))


@dataclass
class RateLine:
    label: object  # a vocabulary label, or a region's row (localised in the template)
    present: int
    approved: int

    @property
    def percent(self) -> int:
        return round(100 * self.present / self.approved) if self.approved else 0


@dataclass
class AttendanceRates:
    """Present / approved of one event, overall and by profile (no health data: not by need)."""
    present: int
    approved: int
    by_profile: list[tuple[object, list[RateLine]]]  # (dimension's title, its lines)

    @property
    def percent(self) -> int:
        return round(100 * self.present / self.approved) if self.approved else 0


def attendance_rates(event_id: int) -> AttendanceRates | None:
    """The attendance rates of the event by gender, age band, type of organisation and region; None
    while nobody was marked present (no attendance recorded). From the counters (registration.tally)."""
    tally = Tally(event_id)
    approved = ("approved",)
    present = tally.count(approved, "present")
    if not present:
        return None

    def by(dimension, vocabulary, title):
        total, came = tally.by_value(approved, dimension), tally.by_value(approved, f"present_{dimension}")
        return title, [RateLine(vocabulary[value], came.get(value, 0), total[value])
                       for value in vocabulary if value in total]

    by_province = tally.by_value(approved, "province")
    came_by_province = tally.by_value(approved, "present_province")
    lines: dict[str, list[int]] = {}
    for code, region_code in db.session.execute(select(Province.code, Province.region_code)
                                                .where(Province.code.in_(list(by_province)))):
        line = lines.setdefault(region_code, [0, 0])
        line[0] += came_by_province.get(code, 0)
        line[1] += by_province[code]
    regions = db.session.scalars(select(Region).where(Region.code.in_(list(lines))).order_by(Region.code))
    return AttendanceRates(present, tally.count(approved), [
        by("gender", GENDER, _l("Genre")),
        by("age_band", AGE_BAND, _l("Tranche d'âge")),
        by("organization_type", ORGANIZATION_TYPE, _l("Type d'organisation")),
        (_l("Région de résidence"), [RateLine(region, *lines[region.code]) for region in regions]),
    ])
