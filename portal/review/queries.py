"""The participant list: filters (from the query string), sorting, pagination, counters.

Filters are plain data parsed from request.args, so a filtered list is a URL that can be
bookmarked, shared and reopened. Each filter takes several values (any of them matches) and can
be negated with `<name>_not=1`.
"""
import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from sqlalchemy import exists, func, not_, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from ..accounts.models import User
from ..extensions import db
from ..geo.models import Province
from ..geo.queries import all_provinces
from ..pagination import Page
from ..params import parse_date, parse_int, parse_text
from ..registration.groups import in_group_sql
from ..registration.models import Registration, RegistrationAccessNeed, StatusChange
from ..registration.search import REGISTRATION_TEXT
from ..registration.tally import Tally
from ..registration.vocabularies import AGE_BAND, GENDER, HEARD_FROM, ORGANIZATION_TYPE, STATUS
from .models import InternalNote
from .vocabularies import NEED_FILTER, ORIGIN, SUPPORT

PAGE_SIZE = 50
SORTS = {
    "name": (Registration.last_name, Registration.first_name, Registration.id),
    "created": (Registration.created_at, Registration.id),
    "province": (Registration.province_code, Registration.last_name, Registration.id),
    "status": (Registration.status, Registration.last_name, Registration.id),
    "organization": (Registration.organization, Registration.last_name, Registration.id),
}
MULTI_FILTERS = ("status", "region", "province", "gender", "age_band", "organization_type", "workshop", "need",
                 "support", "out_of_region", "source", "heard_from")
# The "source" and "heard_from" filters' value for "no association's link" / "no answer".
NO_SOURCE = "none"
HEALTH_FILTERS = ("need",)
NON_HEALTH_FILTERS = tuple(name for name in MULTI_FILTERS if name not in HEALTH_FILTERS)


@dataclass
class ListFilters:
    values: dict[str, list[str]] = field(default_factory=dict)
    negated: set[str] = field(default_factory=set)
    q: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sort: str = "created"
    descending: bool = False
    page: int = 1
    problems: list[str] = field(default_factory=list)

    @classmethod
    def from_args(cls, args, event, can_see_health: bool) -> "ListFilters":
        """Unknown values are dropped (and reported), never passed to the database. Without the
        right to see health data, the filters on it are not read at all: the page is the same
        as without them, so it tells nothing about who declared what."""
        allowed = _allowed_values(event)
        filters = cls()
        for name in MULTI_FILTERS if can_see_health else NON_HEALTH_FILTERS:
            wanted = [value for value in args.getlist(name) if value]
            kept = [value for value in wanted if value in allowed[name]]
            if len(kept) != len(wanted):
                filters.problems.append(name)
            if kept:
                filters.values[name] = list(dict.fromkeys(kept))
                if args.get(f"{name}_not") == "1":
                    filters.negated.add(name)
        filters.q = parse_text(args.get("q"), 100)
        filters.date_from = _date(args.get("from"), filters.problems, "from")
        filters.date_to = _date(args.get("to"), filters.problems, "to")
        sort = args.get("sort") or "created"
        # An unknown sort (one on health data for instance) is dropped whole, its direction too.
        known = sort.removeprefix("-") in SORTS
        filters.descending = known and sort.startswith("-")
        filters.sort = sort.removeprefix("-") if known else "created"
        page = args.get("page", "1")
        filters.page = parse_int(page, 1, 99999) or 1
        return filters

    def to_args(self, **changes) -> dict:
        """The query-string arguments of these filters, with `changes` applied (for links)."""
        args: dict[str, list[str] | str] = {}
        for name, values in self.values.items():
            args[name] = values
            if name in self.negated:
                args[f"{name}_not"] = "1"
        if self.q:
            args["q"] = self.q
        if self.date_from:
            args["from"] = self.date_from.isoformat()
        if self.date_to:
            args["to"] = self.date_to.isoformat()
        args["sort"] = ("-" if self.descending else "") + self.sort
        if self.page != 1:
            args["page"] = str(self.page)
        args.update({key: value for key, value in changes.items() if value is not None})
        for key in [key for key, value in changes.items() if value is None]:
            args.pop(key, None)
        return args

    def query_string(self, **changes) -> str:
        return urlencode(self.to_args(**changes), doseq=True)

    def sort_link_args(self, column: str) -> str:
        descending = self.sort == column and not self.descending
        return self.query_string(sort=("-" if descending else "") + column, page=None)

    @property
    def active(self) -> bool:
        return bool(self.values or self.q or self.date_from or self.date_to)


def _date(value, problems, name):
    if not value:
        return None
    date = parse_date(value)
    if date is None:
        problems.append(name)
    return date


def _allowed_values(event) -> dict[str, set[str]]:
    provinces = {p.code for p in all_provinces()}
    regions = {code[:2] for code in provinces}
    return {
        "status": set(STATUS), "region": regions, "province": provinces, "gender": set(GENDER),
        "age_band": set(AGE_BAND), "organization_type": set(ORGANIZATION_TYPE),
        "workshop": {str(w.id) for w in event.workshops}, "need": set(NEED_FILTER),
        "support": set(SUPPORT), "out_of_region": set(ORIGIN),
        "source": {str(link.organization_id) for link in event.organizers} | {NO_SOURCE},
        "heard_from": set(HEARD_FROM) | {NO_SOURCE},
    }


# Filters that are "this column is one of the values".
_COLUMN_FILTERS = {
    "status": Registration.status, "region": Province.region_code, "province": Registration.province_code,
    "gender": Registration.gender, "age_band": Registration.age_band,
    "organization_type": Registration.organization_type,
}


def _condition(name: str, values: list[str]):
    if name in _COLUMN_FILTERS:
        return _COLUMN_FILTERS[name].in_(values)
    if name == "workshop":
        return Registration.workshop_id.in_([int(value) for value in values])
    if name == "need":
        if "any" in values:
            return in_group_sql("disability")
        return exists(select(RegistrationAccessNeed.need).where(
            RegistrationAccessNeed.registration_id == Registration.id, RegistrationAccessNeed.need.in_(values)))
    if name == "support":
        columns = {"travel": Registration.travel_support, "accommodation": Registration.accommodation_support}
        return or_(*[columns[value].is_(True) for value in values])
    if name == "out_of_region":
        return or_(*[Registration.out_of_region.is_(value == "yes") for value in values])
    if name == "source":
        ids = [int(value) for value in values if value != NO_SOURCE]
        conditions = [Registration.source_organization_id.in_(ids)] if ids else []
        if NO_SOURCE in values:
            conditions.append(Registration.source_organization_id.is_(None))
        return or_(*conditions)
    if name == "heard_from":
        return Registration.heard_from.in_(["" if value == NO_SOURCE else value for value in values])
    raise ValueError(name)


def filtered_query(event_id: int, filters: ListFilters):
    """SELECT of the event's registrations matching the filters (province joined for regions)."""
    query = (select(Registration).join(Registration.province)
             .where(Registration.event_id == event_id))
    for name, values in filters.values.items():
        condition = _condition(name, values)
        query = query.where(not_(condition) if name in filters.negated else condition)
    if filters.q:  # name, e-mail, organisation, phone or reference, through the search index
        query = query.where(REGISTRATION_TEXT.matches(filters.q))
    if filters.date_from:
        query = query.where(Registration.created_at >= dt.datetime.combine(filters.date_from, dt.time()))
    if filters.date_to:
        query = query.where(Registration.created_at < dt.datetime.combine(filters.date_to, dt.time()) + dt.timedelta(days=1))
    return query


def ordered(query, filters: ListFilters):
    columns = SORTS[filters.sort]
    return query.order_by(*[column.desc() if filters.descending else column.asc() for column in columns])


# Filters whose matching rows the counters (registration.tally) know: filter -> counter's dimension.
_COUNTED_FILTERS = {"gender": "gender", "age_band": "age_band", "organization_type": "organization_type",
                    "province": "province", "workshop": "workshop", "source": "source", "heard_from": "heard_from"}


def _counted_total(event_id: int, filters: ListFilters) -> int | None:
    """The number of matching rows from the counters, when the filters are statuses and at most one
    counted filter, none negated (the default view among them); else None (counted in SQL)."""
    others = [name for name in filters.values if name != "status"]
    if filters.q or filters.date_from or filters.date_to or filters.negated or len(others) > 1 \
            or any(name not in _COUNTED_FILTERS for name in others):
        return None
    statuses = filters.values.get("status", list(STATUS))
    tally = Tally(event_id)
    if not others:
        return tally.count(statuses)
    return sum(tally.count(statuses, _COUNTED_FILTERS[others[0]], value) for value in filters.values[others[0]])


def list_page(event_id: int, filters: ListFilters, size: int = PAGE_SIZE) -> Page:
    base = filtered_query(event_id, filters)
    total = _counted_total(event_id, filters)
    if total is None:
        total = db.session.scalar(select(func.count()).select_from(base.with_only_columns(Registration.id).subquery()))
    number = min(filters.page, max(1, -(-total // size)))
    rows = db.session.scalars(
        ordered(base, filters).options(contains_eager(Registration.province), selectinload(Registration.needs),
                                       selectinload(Registration.workshop))
        .limit(size).offset((number - 1) * size)).all()
    return Page(rows=list(rows), total=total, number=number, size=size)


def status_history(registration_id: int) -> list[tuple]:
    """(StatusChange, User or None) of one registration, oldest first."""
    return db.session.execute(
        select(StatusChange, User).outerjoin(User, User.id == StatusChange.actor_id)
        .where(StatusChange.registration_id == registration_id).order_by(StatusChange.id)).all()


def notes_of(registration_id: int) -> list[tuple]:
    """(InternalNote, User or None) of one registration, oldest first."""
    return db.session.execute(
        select(InternalNote, User).outerjoin(User, User.id == InternalNote.author_id)
        .where(InternalNote.registration_id == registration_id).order_by(InternalNote.id)).all()


def registration_of(event_id: int, registration_id: int) -> Registration | None:
    """The registration, if it belongs to that event."""
    registration = db.session.get(Registration, registration_id)
    return registration if registration is not None and registration.event_id == event_id else None
