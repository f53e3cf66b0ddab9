"""The results of the questionnaire after an event (registration.feedback), for the dashboard:
counts per answer, averages, the comments. Answers are anonymous: nothing here reads a registration.
Whether the needs were met is health-adjacent: without SEE_HEALTH_DATA it is not even read."""
from dataclasses import dataclass

from sqlalchemy import func, select

from ..extensions import db
from ..registration.models import FeedbackAnswer
from ..registration.vocabularies import NEEDS_MET, SCORE


@dataclass
class Results:
    total: int
    usefulness: dict[str, int]  # SCORE value -> answers
    accessibility: dict[str, int]
    needs_met: dict[str, int] | None  # NEEDS_MET value -> answers; None without SEE_HEALTH_DATA
    comments: list[str]  # in no meaningful order (the answers' random ids)

    @staticmethod
    def average(counts: dict[str, int]) -> float | None:
        answers = sum(counts.values())
        return sum(int(score) * n for score, n in counts.items()) / answers if answers else None


def _counts(column, event_id: int, values) -> dict[str, int]:
    rows = db.session.execute(select(column, func.count()).where(FeedbackAnswer.event_id == event_id)
                              .group_by(column)).all()
    found = {str(value): count for value, count in rows}
    return {value: found.get(value, 0) for value in values}


def results(event_id: int, can_see_health: bool) -> Results:
    comments = db.session.scalars(select(FeedbackAnswer.comment).where(
        FeedbackAnswer.event_id == event_id, FeedbackAnswer.comment != "").order_by(FeedbackAnswer.id)).all()
    return Results(
        total=db.session.scalar(select(func.count()).select_from(FeedbackAnswer)
                                .where(FeedbackAnswer.event_id == event_id)),
        usefulness=_counts(FeedbackAnswer.usefulness, event_id, SCORE),
        accessibility=_counts(FeedbackAnswer.accessibility, event_id, SCORE),
        needs_met=_counts(FeedbackAnswer.needs_met, event_id, NEEDS_MET) if can_see_health else None,
        comments=list(comments))
