"""Figures for the dashboard: statuses, seats, support requests, needs and inclusion shares."""
from dataclasses import dataclass

from sqlalchemy import case, distinct, func, select

from ..extensions import db
from ..geo.models import Province
from ..registration.groups import in_group_sql
from ..registration.models import Registration, RegistrationAccessNeed
from ..registration.seats import open_offer_count
from ..registration.vocabularies import ACTIVE_STATUSES
from .queries import status_counts


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


def shares(event_ids, statuses) -> Shares:
    """The inclusion groups (registration.groups) among the registrations of these events with these
    statuses: the one count behind the dashboard and the inclusion report."""
    row = db.session.execute(
        select(func.count(),
               func.coalesce(func.sum(case((in_group_sql("women"), 1), else_=0)), 0),
               func.coalesce(func.sum(case((in_group_sql("youth"), 1), else_=0)), 0),
               func.coalesce(func.sum(case((in_group_sql("disability"), 1), else_=0)), 0),
               func.count(distinct(Registration.province_code)),
               func.coalesce(func.sum(case((Registration.out_of_region.is_(True), 1), else_=0)), 0))
        .where(Registration.event_id.in_(event_ids), Registration.status.in_(statuses))).one()
    return Shares(*[int(value) for value in row])


def counts_by(event_ids, statuses, field: str) -> dict[str, int]:
    """value of the registration's `field` (gender, age_band) -> how many registrations of these
    events with these statuses have it: the one count by profile (the event report)."""
    column = getattr(Registration, field)
    rows = db.session.execute(select(column, func.count()).where(
        Registration.event_id.in_(event_ids), Registration.status.in_(statuses)).group_by(column))
    return {value: int(number) for value, number in rows}


def need_counts_by(event_ids, statuses) -> dict[str, int]:
    """access need -> how many registrations of these events with these statuses declared it (health
    data: call it only for SEE_HEALTH_DATA)."""
    rows = db.session.execute(
        select(RegistrationAccessNeed.need, func.count(distinct(Registration.id)))
        .join(Registration, Registration.id == RegistrationAccessNeed.registration_id)
        .where(Registration.event_id.in_(event_ids), Registration.status.in_(statuses))
        .group_by(RegistrationAccessNeed.need))
    return {need: int(number) for need, number in rows}


def event_figures(event) -> EventFigures:
    active = Registration.status.in_(ACTIVE_STATUSES)
    travel, accommodation, out_of_region = db.session.execute(
        select(func.coalesce(func.sum(case((Registration.travel_support.is_(True), 1), else_=0)), 0),
               func.coalesce(func.sum(case((Registration.accommodation_support.is_(True), 1), else_=0)), 0),
               func.coalesce(func.sum(case((Registration.out_of_region.is_(True), 1), else_=0)), 0))
        .where(Registration.event_id == event.id, active)).one()
    needs = db.session.scalar(select(func.count()).select_from(Registration).where(
        Registration.event_id == event.id, active, in_group_sql("disability")))
    region_provinces = db.session.scalar(select(func.count()).select_from(Province).where(
        Province.region_code.in_(event.region_codes)))
    return EventFigures(
        statuses=status_counts(event.id), capacity=event.capacity, open_offers=open_offer_count(event.id),
        travel=int(travel), accommodation=int(accommodation), needs=needs, out_of_region=int(out_of_region),
        applicants=shares([event.id], ACTIVE_STATUSES), approved=shares([event.id], ("approved",)),
        region_provinces=region_provinces)
