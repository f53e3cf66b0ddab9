"""The event report (issue 11, item 7): what an event gathered and what comes next, one function per
section, each with its template in templates/organizing/report/ (the page puts them in order):

- `texts(event)`: the introduction, conclusion and next steps that admins write (FR and AR);
- `figures(event, can_see_health)`: the day's figures, by column (registered, approved, and present
  once attendance was recorded at the door), read from the review's counts (`review.stats`,
  `review.distribution`), never recounted here;
- `workshops(event)`: each workshop with its facilitators and rapporteurs, and the proposals it
  holds (accepted ones: a workshop's own and registrants' accepted into it), with the ministry's
  response once published.

It sits on the top floor so that later sections can come from any floor below (attendance, each
workshop's proposals): add a column to `COLUMNS` (with its count in review.stats) or a function and a
template here.
"""
import datetime as dt
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..database import for_update
from ..events.models import EventReport
from ..events.operations import EditConflict
from ..extensions import db
from ..i18n import localized
from ..proposals.queries import event_proposals
from ..proposals.vocabularies import RESPONSE, THEME
from ..registration.attendance import attendance_recorded
from ..registration.groups import GROUP
from ..registration.vocabularies import ACCESS_NEED, ACTIVE_STATUSES, AGE_BAND, GENDER
from ..review.distribution import distribution
from ..review.stats import counts_by, need_counts_by, shares

# The figures' columns: name -> (heading, the statuses counted, only those marked present).
# Registered: the active registrations (as on the dashboard); approved: those given a seat; present:
# the approved marked present at the door, a column shown once attendance was recorded.
COLUMNS = {
    "registered": (_l("Inscrites"), ACTIVE_STATUSES, False),
    "approved": (_l("Approuvées"), ("approved",), False),
    "present": (_l("Présentes"), ("approved",), True),
}
TEXT_FIELDS = ("introduction", "conclusion", "next_steps")


@dataclass
class Row:
    label: str
    counts: dict[str, int]  # column -> count


@dataclass
class Figures:
    columns: list[tuple[str, object]]  # (name, heading)
    totals: dict[str, int]
    groups: list[Row]  # women, under 35 (and persons declaring a need, with SEE_HEALTH_DATA)
    gender: list[Row]
    age_band: list[Row]
    regions: list[Row]  # the regions participants come from, most registered first
    needs: list[Row] | None = field(default=None)  # None without SEE_HEALTH_DATA: not even counted


def texts(event) -> EventReport:
    """The admins' texts (empty ones when nothing was written yet)."""
    return db.session.get(EventReport, event.id) or EventReport(
        event_id=event.id, **{f"{name}_{language}": "" for name in TEXT_FIELDS for language in ("fr", "ar")})


def texts_version(report: EventReport) -> str:
    """What the form carries to tell whether the texts changed since it was opened."""
    return report.updated_at.isoformat() if report.updated_at else ""


def save_texts(event, values: dict, user_id: int, now: dt.datetime, seen_version: str) -> None:
    """Save the introduction, conclusion and next steps (called inside writing(); admins only).
    Texts saved by someone else since the form was opened (seen_version) are not overwritten:
    EditConflict, and the form keeps what was typed."""
    report = db.session.scalar(for_update(select(EventReport).where(EventReport.event_id == event.id))
                               .execution_options(populate_existing=True))
    if report is not None and texts_version(report) != seen_version:
        raise EditConflict(report, version=texts_version(report))
    if report is None:
        report = EventReport(event_id=event.id)
        db.session.add(report)
    for name in TEXT_FIELDS:
        for language in ("fr", "ar"):
            value = (values.get(f"{name}_{language}") or "").replace("\r\n", "\n").replace("\r", "\n")
            setattr(report, f"{name}_{language}", value)
    report.updated_at, report.updated_by_id = now, user_id


def figures(event, can_see_health: bool) -> Figures:
    ids = [event.id]
    recorded = bool(attendance_recorded(ids))
    columns = {name: (heading, statuses, ids if present_only else ())
               for name, (heading, statuses, present_only) in COLUMNS.items() if recorded or not present_only}
    counted = {name: shares(ids, statuses, present_in) for name, (_, statuses, present_in) in columns.items()}
    groups = [Row(GROUP[group], {name: getattr(counted[name], group) for name in columns})
              for group in ("women", "youth", "disability") if can_see_health or group != "disability"]

    def by(field):
        return {name: counts_by(ids, statuses, field, present_in) for name, (_, statuses, present_in) in columns.items()}
    return Figures(
        columns=[(name, heading) for name, (heading, _, _) in columns.items()],
        totals={name: counted[name].total for name in columns},
        groups=groups,
        gender=_by(GENDER, by("gender")),
        age_band=_by(AGE_BAND, by("age_band")),
        regions=_regions(ids, recorded),
        needs=_by(ACCESS_NEED, {name: need_counts_by(ids, statuses, present_in)
                                for name, (_, statuses, present_in) in columns.items()},
                  keep_empty=False) if can_see_health else None)


def _by(vocabulary, counts: dict[str, dict[str, int]], keep_empty: bool = True) -> list[Row]:
    rows = [Row(vocabulary[value], {name: counts[name].get(value, 0) for name in counts}) for value in vocabulary]
    return rows if keep_empty else [row for row in rows if any(row.counts.values())]


def _regions(ids, recorded: bool) -> list[Row]:
    """From the review's distribution (applicants are the active registrations, as `registered`; with
    `present_in`, its `approved` counts the approved marked present)."""
    rows = [Row(localized(line, "name"), {"registered": line.applicants, "approved": line.approved})
            for line in distribution(ids)]
    if recorded:
        for row, line in zip(rows, distribution(ids, present_in=ids), strict=True):
            row.counts["present"] = line.approved
    return rows


@dataclass
class ProposalLine:
    title: str
    theme: str
    response: str | None  # the published response's status; None while it is not published


@dataclass
class WorkshopSection:
    title: str
    room: str
    facilitators: list[str]
    rapporteurs: list[str]
    proposals: list[ProposalLine]


def workshops(event) -> list[WorkshopSection]:
    proposals: dict[int, list[ProposalLine]] = {}
    for proposal in event_proposals(event):
        if proposal.moderation == "accepted":
            proposals.setdefault(proposal.workshop_id, []).append(ProposalLine(
                localized(proposal, "title") or proposal.title, THEME[proposal.theme],
                RESPONSE[proposal.response] if proposal.published_at else None))
    return [WorkshopSection(localized(workshop, "title"), workshop.room,
                            [localized(person, "name") for person in workshop.people("facilitator")],
                            [localized(person, "name") for person in workshop.people("rapporteur")],
                            proposals.get(workshop.id, []))
            for workshop in event.workshops]
