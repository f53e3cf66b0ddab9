"""Capacity under concurrency: 20 coordinators' sessions approving 100 applicants of a 70-seat
event at once, through the live server: exactly 70 approved, the rest refused with a message."""
import html
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import requests
from sqlalchemy import func, select

from portal.extensions import db
from portal.registration.models import Registration, StatusChange
from tests.support.data import make_registrations
from tests.support.web import csrf_token


def test_twenty_sessions_approving_100_applicants_fill_exactly_70_seats(app, auth, events, live_server):
    event_id = events["oriental"]
    # Twenty coordinators of the co-organising association (a second factor's code is used once:
    # one account each), made before the threads sign them in.
    emails = [f"coordinator{n}@example.org" for n in range(20)]
    for email in emails:
        auth.make("coordinator", event_id, email=email)
    ids = make_registrations(app, event_id, 100)
    chunks = [ids[i::20] for i in range(20)]
    barrier = threading.Barrier(20, timeout=300)  # a thread that fails must not leave the others waiting

    def approve(chunk, email):
        session = auth.sign_in("coordinator", event_id, client=requests.Session(), base_url=live_server,
                               email=email)
        page = session.get(f"{live_server}/review/events/{event_id}/participants").text
        token = csrf_token(page)
        barrier.wait()
        answers = []
        for registration_id in chunk:
            response = session.post(
                f"{live_server}/review/events/{event_id}/participants/{registration_id}/decision",
                data={"csrf_token": token, "decision": "approve", "return_query": ""},
                headers={"HX-Request": "true"})
            answers.append((response.status_code, re.search(r'id="announce".*?<p[^>]*>(.*?)</p>', response.text, re.DOTALL)))
        return answers

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = [answer for chunk in pool.map(approve, chunks, emails) for answer in chunk]

    assert [status for status, _ in answers] == [200] * 100
    messages = [html.unescape(match.group(1)) for _, match in answers]
    assert sum("approuvé(e)." in message and "n'est pas" not in message for message in messages) == 70
    assert sum("Complet : les 70 places sont attribuées" in message for message in messages) == 30
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Registration).where(
            Registration.event_id == event_id, Registration.status == "approved")) == 70
        assert db.session.scalar(select(func.count()).select_from(StatusChange).where(
            StatusChange.to_status == "approved")) == 70
