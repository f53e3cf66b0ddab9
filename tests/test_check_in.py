"""Check-in at the door, badges and attendance sheets (issue 11, items 3 and 4), through the real stack."""
import html
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import requests
from sqlalchemy import func, select

from portal.extensions import db
from portal.registration.models import AttendanceChange
from tests.support.data import make_registrations, registrations
from tests.support.qr import decode, modules_from_svg
from tests.support.web import csrf_token

SLUG = "oriental"


def _present_ids(app, event_id):
    return {r.id for r in registrations(app, event_id=event_id) if r.checked_in_at is not None}


def test_three_sessions_checking_in_at_once_lose_nobody(app, auth, events, live_server):
    event_id = events[SLUG]
    ids = make_registrations(app, event_id, 30, status="approved")
    emails = [f"door{n}@example.org" for n in range(3)]
    for email in emails:
        auth.make("coordinator", event_id, email=email)
    # Each door marks its third of the people, and every door also taps the first person (a double tap
    # from three tablets at once): all 30 present, the first one once.
    chunks = [[ids[0]] + ids[1 + n::3] for n in range(3)]
    barrier = threading.Barrier(3, timeout=300)

    def door(chunk, email):
        session = auth.sign_in("coordinator", event_id, client=requests.Session(), base_url=live_server, email=email)
        token = csrf_token(session.get(f"{live_server}/review/events/{event_id}/check-in").text)
        barrier.wait()
        return [session.post(f"{live_server}/review/events/{event_id}/check-in/{rid}/present",
                             data={"csrf_token": token}, headers={"HX-Request": "true"}) for rid in chunk]

    with ThreadPoolExecutor(max_workers=3) as pool:
        answers = [answer for chunk in pool.map(door, chunks, emails) for answer in chunk]

    assert [answer.status_code for answer in answers] == [200] * len(answers)
    assert _present_ids(app, event_id) == set(ids)
    with app.app_context():
        logged = db.session.execute(select(AttendanceChange.registration_id, func.count())
                                    .group_by(AttendanceChange.registration_id)).all()
    assert dict(logged) == {rid: 1 for rid in ids}  # the first person's double taps wrote nothing more
    texts = [html.unescape(answer.text) for answer in answers]
    assert sum("était déjà présent(e)" in text for text in texts) == 2
    page = requests.Session()
    auth.sign_in("coordinator", event_id, client=page, base_url=live_server, email=emails[0])
    assert "Présents : 30 / 30 approuvés" in html.unescape(page.get(f"{live_server}/review/events/{event_id}/check-in").text)


def test_check_in_and_undo_without_javascript(app, auth, client, events):
    event_id = events[SLUG]
    amina, omar = make_registrations(app, event_id, 2, status="approved",
                                     first_name=lambda i: ["Amina", "Omar"][i],
                                     last_name=lambda i: ["Alaoui", "Bennani"][i],
                                     phone=lambda i: ["+212 6 11 22 33 44", "06-55-66-77-88"][i])
    make_registrations(app, event_id, 1, status="pending", first_name="Pending", last_name="Alaoui")
    auth.sign_in("coordinator", event_id)
    base = f"/review/events/{event_id}/check-in"
    page = client.get(base).get_data(as_text=True)
    assert "Présents : 0 / 2 approuvés" in html.unescape(page) and "ALAOUI" in page and "BENNANI" in page
    # The plain search form: by name, by phone whatever its spaces, by reference.
    found = client.get(f"{base}?q=benn").get_data(as_text=True)
    assert "BENNANI" in found and "ALAOUI" not in found
    assert "BENNANI" in client.get(f"{base}?q=0655667788").get_data(as_text=True)
    assert "BENNANI" not in client.get(f"{base}?q=cc-5566").get_data(as_text=True)  # a reference's digits
    reference = registrations(app, id=amina)[0].reference
    by_reference = client.get(f"{base}?q={reference.lower()}").get_data(as_text=True)
    assert "ALAOUI" in by_reference and "BENNANI" not in by_reference and "Pending" not in by_reference
    # One tap: a form and a button, back to the same search with the count.
    token = csrf_token(page)
    answer = client.post(f"{base}/{amina}/present?q=alaoui", data={"csrf_token": token})
    assert answer.status_code == 303 and "q=alaoui" in answer.headers["Location"]
    after = html.unescape(client.get(answer.headers["Location"]).get_data(as_text=True))
    assert "Amina Alaoui : présence enregistrée. Présents : 1 / 2 approuvés" in after
    assert "Annuler la présence" in after
    # A second tap changes nothing; undo puts the person back.
    again = client.post(f"{base}/{amina}/present", data={"csrf_token": token}, follow_redirects=True)
    assert "était déjà présent(e)" in html.unescape(again.get_data(as_text=True))
    undone = client.post(f"{base}/{amina}/undo", data={"csrf_token": token}, follow_redirects=True)
    assert "présence annulée. Présents : 0 / 2 approuvés" in html.unescape(undone.get_data(as_text=True))
    assert _present_ids(app, event_id) == set()
    with app.app_context():
        log = [(row.present, row.actor_id is not None) for row in db.session.scalars(
            select(AttendanceChange).where(AttendanceChange.registration_id == amina).order_by(AttendanceChange.id))]
    assert log == [(True, True), (False, True)]
    history = client.get(f"/review/events/{event_id}/participants/{amina}").get_data(as_text=True)
    assert "Historique des présences" in history
    assert history.index("Présence enregistrée") < history.index("Présence annulée")
    # Without CSRF: refused, nothing changes.
    assert client.post(f"{base}/{omar}/present", data={}).status_code == 400
    assert _present_ids(app, event_id) == set()


def test_only_approved_people_of_this_event_are_checked_in(app, auth, client, events):
    event_id = events[SLUG]
    pending = make_registrations(app, event_id, 1, status="pending")[0]
    foreign = make_registrations(app, events["fes-meknes"], 1, status="approved")[0]
    auth.sign_in("coordinator", event_id)
    token = csrf_token(client.get(f"/review/events/{event_id}/check-in").get_data(as_text=True))
    refused = client.post(f"/review/events/{event_id}/check-in/{pending}/present", data={"csrf_token": token},
                          follow_redirects=True)
    assert "n'est pas approuvé(e)" in html.unescape(refused.get_data(as_text=True))
    assert client.post(f"/review/events/{event_id}/check-in/{foreign}/present",
                       data={"csrf_token": token}).status_code == 404
    assert _present_ids(app, event_id) == set() and _present_ids(app, events["fes-meknes"]) == set()


def test_htmx_tap_answers_the_row_the_count_and_an_announcement(app, auth, client, events):
    event_id = events[SLUG]
    rid = make_registrations(app, event_id, 3, status="approved")[0]
    auth.sign_in("coordinator", event_id)
    token = csrf_token(client.get(f"/review/events/{event_id}/check-in").get_data(as_text=True))
    answer = client.post(f"/review/events/{event_id}/check-in/{rid}/present", data={"csrf_token": token},
                         headers={"HX-Request": "true", "HX-Target": f"row-{rid}"})
    text = html.unescape(answer.get_data(as_text=True))
    assert answer.status_code == 200 and text.lstrip().startswith(f'<li id="row-{rid}"')
    assert 'id="attendance-count"' in text and 'hx-swap-oob="true"' in text
    assert re.search(r'id="checkin-announce" role="status" aria-live="polite".*Présents : 1 / 3 approuvés', text, re.DOTALL)
    # Search as you type: htmx asks for the results only.
    partial = client.get(f"/review/events/{event_id}/check-in?q=Nom",
                         headers={"HX-Request": "true", "HX-Target": "checkin-results"}).get_data(as_text=True)
    assert partial.lstrip().startswith('<div id="checkin-results">') and "<html" not in partial


def test_a_walk_in_from_the_check_in_screen_comes_back_present(app, auth, client, events):
    """The screen links to the walk-in form, which returns to the screen with the person counted present."""
    from tests.support.web import valid_registration
    event_id = events[SLUG]
    make_registrations(app, event_id, 2, status="approved")
    auth.sign_in("coordinator", events[SLUG])
    screen = client.get(f"/review/events/{event_id}/check-in").get_data(as_text=True)
    assert "Présents : 0 / 2 approuvés" in screen
    [link] = re.findall(r'href="([^"]*walk-in[^"]*)"', screen)
    base = valid_registration(app, SLUG)
    response = client.post(html.unescape(link), data={
        "csrf_token": csrf_token(client.get(html.unescape(link)).get_data(as_text=True)),
        "first_name": "Youssef", "last_name": "Amrani", "gender": "male", "age_band": "18_24",
        "province": base["province"], "workshop": base["workshop"], "consent": "y"})
    assert response.status_code == 303 and response.headers["Location"] == f"/review/events/{event_id}/check-in"
    assert "Présents : 1 / 3 approuvés" in client.get(response.headers["Location"]).get_data(as_text=True)
    [walk_in] = registrations(app, last_name="Amrani")
    assert (walk_in.channel, walk_in.status) == ("walk_in", "approved") and walk_in.checked_in_at is not None


def test_the_badge_qr_code_decodes_to_the_reference(app, auth, client, events):
    event_id = events[SLUG]
    make_registrations(app, event_id, 3, status="approved", organization="Association Nour",
                       access_needs=["braille"], access_needs_details="Document en braille")
    auth.sign_in("coordinator", event_id)
    page = client.get(f"/review/events/{event_id}/badges").get_data(as_text=True)
    badges = re.findall(r'<li class="badge">(.*?)</li>', page, re.DOTALL)
    assert len(badges) == 3
    references = {r.reference for r in registrations(app, event_id=event_id)}
    decoded = set()
    for badge in badges:
        svg = re.search(r"<svg.*?</svg>", badge, re.DOTALL).group(0)
        value = decode(modules_from_svg(svg, border=2))
        assert value in badge  # the reference printed beside its code
        decoded.add(value)
    assert decoded == references
    assert "Association Nour" in page and "braille" not in page.lower()  # no health data on badges


def test_attendance_sheets_per_event_and_per_workshop_sorted_with_a_signature_column(app, auth, client, events):
    event_id = events[SLUG]
    with app.app_context():
        from portal.events.models import Event
        first, second = [w.id for w in db.session.get(Event, event_id).workshops[:2]]
    make_registrations(app, event_id, 3, status="approved", last_name=lambda i: ["Zeroual", "Amrani", "Moussaoui"][i],
                       workshop_id=lambda i: [first, second, first][i], access_needs=["wheelchair"],
                       access_needs_details="Fauteuil roulant")
    make_registrations(app, event_id, 1, status="rejected", last_name="Refusé")
    auth.sign_in("coordinator", event_id)
    whole = client.get(f"/review/events/{event_id}/attendance-sheet").get_data(as_text=True)
    names = re.findall(r'<th scope="row">([^<]+)</th>', whole)
    assert names == ["AMRANI", "MOUSSAOUI", "ZEROUAL"] and "Signature" in whole
    assert "REFUSÉ" not in whole  # only approved people sign
    assert "Fauteuil" not in whole and "wheelchair" not in whole  # no health data on sheets
    workshop = client.get(f"/review/events/{event_id}/attendance-sheet?workshop={first}").get_data(as_text=True)
    assert re.findall(r'<th scope="row">([^<]+)</th>', workshop) == ["MOUSSAOUI", "ZEROUAL"]
    foreign_workshop = 999999
    assert client.get(f"/review/events/{event_id}/attendance-sheet?workshop={foreign_workshop}").status_code == 404


def test_observers_may_not_check_in_and_coordinators_only_their_events(app, auth, events):
    own = events[SLUG]
    rid = make_registrations(app, own, 1, status="approved")[0]
    observer = app.test_client()
    auth.sign_in("observer", own, client=observer)
    for path in ("check-in", "badges", "attendance-sheet"):
        assert observer.get(f"/review/events/{own}/{path}").status_code == 403
    token = csrf_token(observer.get("/login").get_data(as_text=True))
    assert observer.post(f"/review/events/{own}/check-in/{rid}/present", data={"csrf_token": token}).status_code == 403
    other = app.test_client()
    auth.sign_in("coordinator", events["fes-meknes"], client=other)
    assert other.get(f"/review/events/{own}/check-in").status_code == 404
    assert _present_ids(app, own) == set()


def test_only_the_check_in_screen_may_use_the_camera(app, auth, client, events):
    auth.sign_in("coordinator", events[SLUG])
    screen = client.get(f"/review/events/{events[SLUG]}/check-in")
    policy = screen.headers["Permissions-Policy"]
    assert "camera=(self)" in policy and "microphone=()" in policy and "geolocation=()" in policy
    assert "no-store" in screen.headers["Cache-Control"]  # names and phones: never cached
    for path in ("badges", "attendance-sheet", "participants"):
        assert "camera=()" in client.get(f"/review/events/{events[SLUG]}/{path}").headers["Permissions-Policy"]
    # The links to the screen load it whole (a boosted swap would keep the camera off).
    dashboard = client.get("/review/").get_data(as_text=True)
    assert f'href="/review/events/{events[SLUG]}/check-in" hx-boost="false"' in dashboard


def test_the_event_workspace_links_to_the_day_itself_for_those_who_decide(app, auth, client, events):
    event_id = events[SLUG]
    auth.sign_in("coordinator", event_id)
    nav = client.get(f"/organizing/events/{event_id}/logistics").get_data(as_text=True)
    assert f'href="/review/events/{event_id}/check-in" hx-boost="false">Accueil et présences' in nav
    assert f'href="/review/events/{event_id}/badges"' in nav and f'href="/review/events/{event_id}/attendance-sheet"' in nav
    observer = app.test_client()
    auth.sign_in("observer", event_id, client=observer)
    protocol = observer.get(f"/organizing/events/{event_id}/protocol").get_data(as_text=True)
    assert "/check-in" not in protocol
