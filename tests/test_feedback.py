"""The questionnaire after an event (issue 11, item 8): refused before the event, accepted after it,
one answer per registration that can be changed, anonymous (the stored answer holds nothing that
leads back to the registration), results per event on the dashboard computed by hand, "needs met"
hidden from observers, and an erasure leaves the anonymous answer."""
import datetime as dt
import re
from html import unescape

import pytest
from sqlalchemy import inspect, select

from portal.events.models import Event
from portal.extensions import db
from portal.registration.models import FeedbackAnswer, Registration
from tests.support.data import count, issue_manage_path, make_registrations
from tests.support.web import csrf_token

SLUG = "oriental"


def text_of(html: str) -> str:
    text = unescape(re.sub(r"<[^>]+>", " ", html)).replace("\xa0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text)


def event_day(app, event_id) -> dt.datetime:
    with app.app_context():
        return dt.datetime.combine(db.session.get(Event, event_id).starts_on, dt.time(9))


def answer(client, manage, **values):
    url = f"{manage}/feedback"
    token = csrf_token(client.get(f"{manage}").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **values})


@pytest.fixture
def participants(app, events):
    """Four approved participants of the event, each with their manage link, and one pending."""
    ids = make_registrations(app, events[SLUG], 4, status="approved")
    pending = make_registrations(app, events[SLUG], 1)[0]
    return [issue_manage_path(app, i) for i in ids], ids, issue_manage_path(app, pending)


def test_refused_before_the_event_then_accepted_from_its_day(app, client, clock, events, participants):
    links, _ids, _ = participants
    page = client.get(f"{links[0]}/feedback")
    assert page.status_code == 200
    html = text_of(page.get_data(as_text=True))
    assert "pas encore ouvert" in html and "anonyme" in html
    assert "<form" not in page.get_data(as_text=True).split("<main")[1].split("</main>")[0]
    refused = answer(client, links[0], usefulness="5", accessibility="4", needs_met="yes")
    assert refused.status_code == 409
    assert count(app, FeedbackAnswer) == 0

    clock.now = event_day(app, events[SLUG]) + dt.timedelta(hours=8)  # the evening of the event
    done = answer(client, links[0], usefulness="5", accessibility="4", needs_met="yes", comment="Très utile")
    assert done.status_code == 303
    assert count(app, FeedbackAnswer) == 1
    assert "Merci" in client.get(done.headers["Location"]).get_data(as_text=True)


def test_the_questionnaire_closes_and_is_for_approved_participants(app, client, clock, events, participants):
    links, _, pending = participants
    clock.now = event_day(app, events[SLUG]) + dt.timedelta(days=1)
    assert answer(client, pending, usefulness="3", accessibility="3", needs_met="no").status_code == 409
    clock.now = event_day(app, events[SLUG]) + dt.timedelta(days=31)
    closed = client.get(f"{links[0]}/feedback").get_data(as_text=True)
    assert "fermé" in closed
    assert answer(client, links[0], usefulness="3", accessibility="3", needs_met="no").status_code == 409
    assert count(app, FeedbackAnswer) == 0


def test_once_attendance_is_recorded_only_those_present_answer(app, client, clock, events, participants):
    """The first participant was marked present at the door, the second never came."""
    links, ids, _ = participants
    with app.app_context():
        db.session.get(Registration, ids[0]).checked_in_at = event_day(app, events[SLUG])
        db.session.commit()
    clock.now = event_day(app, events[SLUG]) + dt.timedelta(days=1)
    absent = client.get(f"{links[1]}/feedback").get_data(as_text=True)
    assert "réservé aux personnes qui ont pris part" in text_of(absent)
    assert answer(client, links[1], usefulness="3", accessibility="3", needs_met="no").status_code == 409
    assert answer(client, links[0], usefulness="3", accessibility="3", needs_met="no").status_code == 303
    assert count(app, FeedbackAnswer) == 1


def test_a_missing_answer_is_named_in_the_error_summary(app, client, clock, events, participants):
    links, _, _ = participants
    clock.now = event_day(app, events[SLUG])
    refused = answer(client, links[0], usefulness="5")
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'href="#accessibility-0"' in html and 'href="#needs_met-0"' in html
    assert count(app, FeedbackAnswer) == 0


def test_one_answer_per_registration_changed_in_place_and_untraceable(app, client, clock, events, participants):
    links, ids, _ = participants
    clock.now = event_day(app, events[SLUG])
    answer(client, links[0], usefulness="2", accessibility="2", needs_met="no")
    changed = answer(client, links[0], usefulness="4", accessibility="5", needs_met="partly", comment="Mieux")
    assert changed.status_code == 303
    with app.app_context():
        [stored] = db.session.scalars(select(FeedbackAnswer)).all()
        assert (stored.usefulness, stored.accessibility, stored.needs_met, stored.comment) == (4, 5, "partly", "Mieux")
        # The table has no column that names a registration, a person or a time...
        columns = {column["name"] for column in inspect(db.engine).get_columns("feedback_answer")}
        assert columns == {"id", "event_id", "change_key", "usefulness", "accessibility", "needs_met", "comment"}
        # ...its id is random, not a sequence, and no value of the answer appears in the registration's rows
        registration = db.session.get(Registration, ids[0])
        assert re.fullmatch(r"[0-9a-f]{32}", stored.id)
        hashes = {link.token_hash for link in registration.manage_links}
        assert stored.change_key not in hashes and stored.id not in hashes
        # The registration keeps only the mark that the person answered
        assert registration.feedback_given is True
        assert [r.feedback_given for r in db.session.scalars(
            select(Registration).where(Registration.id.in_(ids[1:])))] == [False, False, False]
    # The person's copy of their data says they answered, and holds nothing of the answer
    copy = client.get(f"{links[0]}/data.json").get_data(as_text=True)
    assert '"answered_questionnaire": true' in copy and "Mieux" not in copy
    # The same person from a second link (another mail) cannot add a second answer
    second_link = issue_manage_path(app, ids[0])
    assert "déjà répondu depuis un autre lien" in client.get(f"{second_link}/feedback").get_data(as_text=True)
    assert answer(client, second_link, usefulness="1", accessibility="1", needs_met="no").status_code == 409
    assert count(app, FeedbackAnswer) == 1


def test_erasing_the_registration_leaves_the_anonymous_answer(app, client, clock, events, participants):
    links, ids, _ = participants
    clock.now = event_day(app, events[SLUG])
    answer(client, links[0], usefulness="5", accessibility="5", needs_met="yes", comment="Bravo")
    page = client.get(f"{links[0]}/erase").get_data(as_text=True)
    client.post(f"{links[0]}/erase", data={"csrf_token": csrf_token(page)})
    with app.app_context():
        assert db.session.get(Registration, ids[0]) is None
        assert db.session.scalars(select(FeedbackAnswer.comment)).all() == ["Bravo"]


def test_results_per_event_on_the_dashboard_computed_by_hand(app, client, auth, clock, events, participants):
    links, ids, _ = participants
    clock.now = event_day(app, events[SLUG]) + dt.timedelta(days=2)
    given = [("5", "4", "yes", "Très utile"), ("4", "2", "partly", ""), ("4", "3", "none_declared", "Salle trop loin"),
             ("2", "5", "no", "")]
    for link, (usefulness, accessibility, needs_met, comment) in zip(links, given):
        assert answer(client, link, usefulness=usefulness, accessibility=accessibility, needs_met=needs_met,
                      comment=comment).status_code == 303
    auth.sign_in("coordinator", SLUG)
    text = text_of(auth.client.get("/review/").get_data(as_text=True))
    assert "4 réponses anonymes" in text
    # usefulness: 1:0 2:1 3:0 4:2 5:1, average (5+4+4+2)/4 = 3.75 → 3,8
    assert "Utilité 0 1 0 2 1 3,8" in text
    # accessibility: 1:0 2:1 3:1 4:1 5:1, average (4+2+3+5)/4 = 3.5
    assert "Accessibilité 0 1 1 1 1 3,5" in text
    assert "Oui 1" in text and "En partie 1" in text and "Non 1" in text and "Je n'avais déclaré aucun besoin 1" in text
    assert "Très utile" in text and "Salle trop loin" in text
    for registration_id in ids:  # no identity beside the results
        with app.app_context():
            registration = db.session.get(Registration, registration_id)
            assert registration.last_name not in text and registration.email not in text


def test_observers_see_the_results_without_the_needs_met(app, client, auth, clock, events, participants):
    links, _, _ = participants
    clock.now = event_day(app, events[SLUG])
    answer(client, links[0], usefulness="5", accessibility="4", needs_met="partly", comment="Merci")
    auth.make("observer", events[SLUG])
    auth.sign_in("observer")
    html = auth.client.get("/review/").get_data(as_text=True)
    text = text_of(html)
    assert "1 réponse anonyme" in text and "Merci" in text
    assert "pris en compte" not in text and "En partie" not in text
