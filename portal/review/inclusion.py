"""The inclusion report: who the approved participants are (groups, regions, provinces, origin),
beside the targets that admins set for the plan or for one event.

Before the event the report counts the approved participants; after the day, for an event where
attendance was recorded (issue 11, registration.attendance), it counts the approved people marked
present instead. The page says which (`Report.attended_events`): the plan's report adds up each
event on its own basis.
"""
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from ..clock import utcnow
from ..events.local_time import utc_to_local
from ..events.models import Event
from ..extensions import db
from ..registration.attendance import attendance_counts
from ..registration.groups import GROUP
from .distribution import Line, distribution
from .models import InclusionTarget
from .stats import Shares, shares

COUNTED_STATUSES = ("approved",)


@dataclass
class GroupLine:
    group: str
    count: int
    share: int  # percent of the participants counted, rounded
    target: int | None  # percent aimed at, None when nobody set one

    @property
    def reached(self) -> bool | None:
        return None if self.target is None else self.share >= self.target


@dataclass
class Report:
    total: int
    groups: list[GroupLine]
    out_of_region: int
    regions: list[Line]  # with their provinces, most participants first
    events: int = 1  # events counted
    attended_events: int = 0  # of which counted by attendance (the present), the others by approval

    @property
    def province_count(self) -> int:
        return sum(len(region.provinces) for region in self.regions)


def plan_events() -> list[Event]:
    """The events of the plan: all but the cancelled ones (nobody took part in those)."""
    return list(db.session.scalars(select(Event).where(Event.status != "cancelled")
                                   .order_by(Event.starts_on, Event.id)))


def plan_targets() -> dict[str, int]:
    return _targets(None)


def event_targets(event_id: int) -> dict[str, int]:
    """The plan's targets, with the event's own where it has one."""
    return plan_targets() | _targets(event_id)


def _targets(event_id: int | None) -> dict[str, int]:
    condition = (InclusionTarget.event_id.is_(None) if event_id is None
                 else InclusionTarget.event_id == event_id)
    return dict(db.session.execute(select(InclusionTarget.group_name, InclusionTarget.percent).where(condition)).all())


def report(event_ids: list[int], targets: dict[str, int], can_see_health: bool) -> Report:
    """The figures of these events. Without the right to see health data, the group of persons
    declaring a need is left out (not even counted on the page)."""
    events = list(db.session.scalars(select(Event).where(Event.id.in_(event_ids))))
    present_in = attendance_counts(events, utc_to_local(utcnow()).date())
    counted: Shares = shares(event_ids, COUNTED_STATUSES, present_in)
    groups = [GroupLine(group, getattr(counted, group), counted.percent(getattr(counted, group)), targets.get(group))
              for group in GROUP if can_see_health or group != "disability"]
    return Report(total=counted.total, groups=groups, out_of_region=counted.out_of_region,
                  regions=_approved_regions(event_ids, present_in), events=len(events),
                  attended_events=len(present_in))


def _approved_regions(event_ids: list[int], present_in=()) -> list[Line]:
    regions = [region for region in distribution(event_ids, present_in) if region.approved]
    for region in regions:
        region.provinces = sorted((p for p in region.provinces if p.approved), key=lambda p: (-p.approved, p.code))
    return sorted(regions, key=lambda line: (-line.approved, line.code))


def set_targets(event_id: int | None, wanted: dict[str, int | None], user_id: int, now: dt.datetime) -> None:
    """Save the targets of the plan (event_id None) or of one event; None removes one (an event then
    follows the plan's). Called inside writing()."""
    for group, percent in wanted.items():
        if group not in GROUP:
            raise ValueError(group)
        condition = (InclusionTarget.event_id.is_(None) if event_id is None
                     else InclusionTarget.event_id == event_id)
        target = db.session.scalar(select(InclusionTarget).where(condition, InclusionTarget.group_name == group))
        if percent is None:
            if target is not None:
                db.session.delete(target)
            continue
        if target is None:
            target = InclusionTarget(event_id=event_id, group_name=group)
            db.session.add(target)
        target.percent, target.updated_at, target.updated_by_id = percent, now, user_id
