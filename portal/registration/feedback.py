"""The questionnaire after an event, from the registrant's manage link: how useful, how accessible,
were the needs met, a comment. One answer per registration, which the person may change until the
questionnaire closes (FEEDBACK_DAYS after the event).

Anonymous in the results: the answer (FeedbackAnswer) holds no registration, no time and a random
id; the registration keeps only a "has answered" mark (Registration.feedback_given). To let the
person change their answer, it is found again by a hash of the manage link's token, which only the
person holds (the portal stores its links under another hash). Erasing the registration leaves the
anonymous answer in place.
"""
import datetime as dt
import hashlib

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..events.local_time import utc_to_local
from ..extensions import db
from ..forms import Refused
from .attendance import attendance_recorded
from .models import FeedbackAnswer, Registration
from .vocabularies import NEEDS_MET, SCORE

FEEDBACK_DAYS = 30  # the questionnaire stays open this many days after the event's date


def opens_on(event) -> dt.date:
    return event.starts_on


def closes_on(event) -> dt.date:
    """The last day an answer can be given or changed."""
    return event.starts_on + dt.timedelta(days=FEEDBACK_DAYS)


def period(event, now: dt.datetime) -> str:
    """"before", "open" or "closed", by the event's local date (Morocco)."""
    today = utc_to_local(now).date()
    if today < opens_on(event):
        return "before"
    return "open" if today <= closes_on(event) else "closed"


def may_answer(registration: Registration) -> bool:
    """Who took part: the approved participants; once attendance was recorded at the door, those
    marked present only."""
    if registration.status != "approved":
        return False
    return registration.checked_in_at is not None or not attendance_recorded([registration.event_id])


def change_key(token: str) -> str:
    return hashlib.sha256(("feedback:" + token).encode()).hexdigest()


def answer_of(token: str) -> FeedbackAnswer | None:
    """The answer given from this manage link, if any."""
    return db.session.scalar(select(FeedbackAnswer).where(FeedbackAnswer.change_key == change_key(token)))


def give_feedback(registration: Registration, token: str, values: dict, now: dt.datetime) -> None:
    """Record or change the person's answer. Called inside writing(); raises Refused (nothing changed)."""
    if not may_answer(registration):
        raise Refused({"": [_l("Le questionnaire est réservé aux personnes qui ont pris part à l'événement.")]})
    state = period(registration.event, now)
    if state == "before":
        raise Refused({"": [_l("Le questionnaire ouvre le jour de l'événement.")]})
    if state == "closed":
        raise Refused({"": [_l("Le questionnaire est fermé : les réponses ne sont plus reçues.")]})
    if values["usefulness"] not in SCORE or values["accessibility"] not in SCORE or values["needs_met"] not in NEEDS_MET:
        raise Refused({"": [_l("Choisissez une réponse dans chaque liste.")]})
    answer = answer_of(token)
    if answer is None:
        if registration.feedback_given:
            raise Refused({"": [_l("Vous avez déjà répondu depuis un autre lien : votre réponse ne peut être "
                                   "modifiée que depuis le lien utilisé pour répondre.")]})
        answer = FeedbackAnswer(event_id=registration.event_id, change_key=change_key(token))
        db.session.add(answer)
        registration.feedback_given = True
    answer.usefulness = int(values["usefulness"])
    answer.accessibility = int(values["accessibility"])
    answer.needs_met = values["needs_met"]
    answer.comment = values["comment"] or ""
