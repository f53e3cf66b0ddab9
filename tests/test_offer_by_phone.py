"""A freed seat offered to a wait-listed person without an e-mail: the coordinators see it on the
participants page, call the person and record the answer (accepted or declined)."""
import datetime as dt
import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.registration.models import Registration, StatusChange, WaitlistOffer
from tests.support.data import cancel_through_manage_link, make_registrations, outbox, set_capacity
from tests.support.web import csrf_token

SLUG = "oriental"


@pytest.fixture
def coordinator(auth, events):
    return auth.sign_in("coordinator", SLUG)


def decide(client, event_id, ids, decision):
    page = client.get(f"/review/events/{event_id}/participants").get_data(as_text=True)
    client.post(f"/review/events/{event_id}/decisions", data={
        "csrf_token": csrf_token(page), "decision": decision, "reason": "", "return_query": "",
        "registration": [str(i) for i in ids]})


def statuses(app, ids):
    with app.app_context():
        return [db.session.get(Registration, i).status for i in ids]


def offers(app):
    with app.app_context():
        return [(o.registration_id, o.status) for o in
                db.session.scalars(select(WaitlistOffer).order_by(WaitlistOffer.id))]


@pytest.fixture
def offered(app, client, coordinator, events):
    """Capacity 1: `first` approved cancels; `phoned` (no e-mail) is offered the seat, `next_one`
    (with an e-mail) waits behind."""
    event_id = events[SLUG]
    set_capacity(app, event_id, 1)
    [first] = make_registrations(app, event_id, 1)
    [phoned] = make_registrations(app, event_id, 1, email="", phone="+212 661 23 45 67",
                                  first_name="Khadija", last_name="Sans-Courriel")
    [next_one] = make_registrations(app, event_id, 1)
    decide(coordinator, event_id, [first], "approve")
    decide(coordinator, event_id, [phoned], "waitlist")
    decide(coordinator, event_id, [next_one], "waitlist")
    cancel_through_manage_link(app, client, first)
    return {"event_id": event_id, "phoned": phoned, "next_one": next_one}


def offer_section(html):
    match = re.search(r'<section[^>]*aria-labelledby="phone-offers-title".*?</section>', html, re.DOTALL)
    return match.group(0) if match else ""


def answer(client, event_id, action):
    page = client.get(f"/review/events/{event_id}/participants").get_data(as_text=True)
    url = re.search(rf'action="(/review/events/{event_id}/offers/\d+/{action})"', page).group(1)
    return client.post(url, data={"csrf_token": csrf_token(page)}, follow_redirects=True)


def test_the_offer_nobody_could_mail_is_shown_with_the_phone(app, coordinator, offered):
    assert offers(app) == [(offered["phoned"], "open")]
    assert not [m for m in outbox(app) if "place s'est libérée" in m.subject]  # no address: nothing mailed
    section = offer_section(coordinator.get(f"/review/events/{offered['event_id']}/participants")
                            .get_data(as_text=True))
    assert "À proposer par téléphone" in section and "Khadija Sans-Courriel" in section
    assert '<span dir="ltr">+212 661 23 45 67</span>' in section
    assert re.search(r"\d{4}", section)  # the offer's end


def test_accepted_by_phone_approves_and_the_history_says_so(app, coordinator, offered):
    page = answer(coordinator, offered["event_id"], "accepted").get_data(as_text=True)
    assert "a accepté la place" in page and offer_section(page) == ""
    assert statuses(app, [offered["phoned"], offered["next_one"]]) == ["approved", "waitlisted"]
    assert offers(app) == [(offered["phoned"], "accepted")]
    with app.app_context():
        change = db.session.scalars(select(StatusChange).where(StatusChange.registration_id == offered["phoned"])
                                    .order_by(StatusChange.id.desc())).first()
        assert change.to_status == "approved" and "par téléphone" in change.reason and change.actor_id
    assert re.search(r"Places restantes</dt><dd>0 / 1", page)
    history = coordinator.get(f"/review/events/{offered['event_id']}/participants/{offered['phoned']}")
    assert "acceptée par téléphone" in history.get_data(as_text=True)


def test_declined_passes_the_seat_to_the_next_person(app, coordinator, offered):
    page = answer(coordinator, offered["event_id"], "declined").get_data(as_text=True)
    assert "a décliné la place" in page
    assert statuses(app, [offered["phoned"], offered["next_one"]]) == ["waitlisted", "waitlisted"]
    assert offers(app) == [(offered["phoned"], "declined"), (offered["next_one"], "open")]
    [mail] = [m for m in outbox(app) if "place s'est libérée" in m.subject]
    assert mail.to_address.startswith("person")
    assert offer_section(page) == ""  # the next person was mailed: nothing to phone


def test_a_stale_offer_is_refused_with_a_message(app, coordinator, offered):
    event_id = offered["event_id"]
    page = coordinator.get(f"/review/events/{event_id}/participants").get_data(as_text=True)
    url = re.search(rf'action="(/review/events/{event_id}/offers/\d+/accepted)"', page).group(1)
    with app.app_context():
        db.session.execute(WaitlistOffer.__table__.update().values(status="expired"))
        db.session.commit()
    answer_page = coordinator.post(url, data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert "plus ouverte" in answer_page.get_data(as_text=True)
    assert statuses(app, [offered["phoned"]]) == ["waitlisted"]


def test_a_coordinator_of_another_event_cannot_answer(app, auth, client, offered):
    page = client.get(f"/review/events/{offered['event_id']}/participants").get_data(as_text=True)
    url = re.search(r'action="(/review/events/\d+/offers/\d+/accepted)"', page).group(1)
    other = auth.sign_in("coordinator", organization="ADFM", client=app.test_client())  # not of this event
    token = csrf_token(other.get("/review/").get_data(as_text=True))
    assert other.post(url, data={"csrf_token": token}).status_code in (403, 404)
    assert other.post(url.replace("accepted", "declined"), data={"csrf_token": token}).status_code in (403, 404)
    assert statuses(app, [offered["phoned"]]) == ["waitlisted"]


def test_an_offer_whose_time_ran_out_is_not_accepted_and_passes_on(app, coordinator, offered):
    event_id = offered["event_id"]
    with app.app_context():
        db.session.execute(WaitlistOffer.__table__.update().values(expires_at=dt.datetime(2000, 1, 1)))
        db.session.commit()
    page = coordinator.get(f"/review/events/{event_id}/participants").get_data(as_text=True)
    assert "(expirée)" in offer_section(page)  # the mail worker has not ended it yet
    html = answer(coordinator, event_id, "accepted").get_data(as_text=True)
    assert "a expiré" in html
    assert statuses(app, [offered["phoned"], offered["next_one"]]) == ["waitlisted", "waitlisted"]
    assert offers(app) == [(offered["phoned"], "expired"), (offered["next_one"], "open")]
