"""The accessibility plan (issue 10, item 6): declared needs of approved participants who consented,
against the venue's facts, as lines to tick. Figures computed by hand in the fixture."""
import re
from html import unescape

import pytest

from tests.support.data import make_registrations
from tests.support.web import csrf_token

SLUG = "oriental"


def text_of(html: str) -> str:
    text = unescape(re.sub(r"<[^>]+>", " ", html)).replace("\xa0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).strip()


def rows(html: str) -> dict[str, tuple[str, str]]:
    """action key -> (state, the row's text)."""
    found = re.findall(r'<tr id="action-([a-z_]+)" data-state="([a-z]+)">(.*?)</tr>', html, re.DOTALL)
    return {key: (state, text_of(body)) for key, state, body in found}


@pytest.fixture
def world(app, events, clock):
    """Approved and consenting: 3 use sign language (0, 1, 2), 2 wheelchair users (1, 3), 1 comes
    with an accompanying person (3), 1 reads braille (4), 1 uses a hearing loop (4), 1 declares
    nothing (5). Not counted: a pending and a rejected person with needs (and consent), and two
    approved people with needs but no health-data consent. Venue: sign language no, step-free
    entrance unknown, accessible toilets yes, hearing loop yes."""
    from portal.events.models import Venue
    from portal.extensions import db
    event_id = events[SLUG]
    needs = [["sign_language"], ["sign_language", "wheelchair"], ["sign_language"],
             ["wheelchair", "accompanying_person"], ["braille", "hearing_loop"], []]
    make_registrations(app, event_id, 6, status="approved", access_needs=lambda i: needs[i],
                       consent_needs_at=lambda i: clock.now if needs[i] else None)
    for status in ("pending", "rejected"):
        make_registrations(app, event_id, 1, status=status, access_needs=["sign_language", "wheelchair"],
                           consent_needs_at=clock.now)
    make_registrations(app, event_id, 2, status="approved", access_needs=["sign_language", "large_print"],
                       consent_needs_at=None)
    with app.app_context():
        venue = db.session.get(Venue, event_id) or Venue(event_id=event_id)
        venue.sign_language, venue.step_free_entrance = "no", "unknown"
        venue.accessible_toilets, venue.hearing_loop = "yes", "yes"
        db.session.add(venue)
        db.session.commit()
    return event_id


def test_the_plan_counts_consented_needs_of_approved_participants(client, auth, world):
    auth.sign_in("coordinator", SLUG)
    page = client.get(f"/review/events/{world}/accessibility")
    assert page.status_code == 200
    lines = rows(page.get_data(as_text=True))
    assert set(lines) == {"sign_language_interpreter", "step_free_entrance", "accessible_toilets", "hearing_loop",
                          "braille_copies", "accompanying_person"}  # no large print: not consented
    state, text = lines["sign_language_interpreter"]
    assert state == "todo" and " 3 " in f" {text} " and "Interprète en langue des signes non réservé(e)" in text
    assert "Non" in text  # what the venue says
    state, text = lines["step_free_entrance"]
    assert state == "todo" and " 2 " in f" {text} " and "Entrée de plain-pied non confirmée" in text
    assert lines["accessible_toilets"][0] == "covered" and "Couvert" in lines["accessible_toilets"][1]
    assert lines["hearing_loop"][0] == "covered" and " 1 " in f" {lines['hearing_loop'][1]} "
    state, text = lines["accompanying_person"]
    assert state == "todo" and " 1 " in f" {text} " and "Compter une place et un repas" in text
    state, text = lines["braille_copies"]
    assert state == "todo" and " 1 " in f" {text} " and "braille à imprimer" in text
    # The dashboard leads there.
    assert f'href="/review/events/{world}/accessibility"' in client.get("/review/").get_data(as_text=True)


def test_a_coordinator_ticks_a_line_and_the_plan_says_who(client, auth, world):
    auth.sign_in("coordinator", SLUG)
    url = f"/review/events/{world}/accessibility"
    token = csrf_token(client.get(url).get_data(as_text=True))
    answer = client.post(f"{url}/actions", data={"csrf_token": token, "action": "sign_language_interpreter",
                                                  "done": "1"})
    assert answer.status_code == 303 and answer.headers["Location"].endswith(url)
    page = client.get(url).get_data(as_text=True)
    state, text = rows(page)["sign_language_interpreter"]
    assert state == "done" and "Fait" in text and "acodec" in text and "Remettre à faire" in text
    assert rows(page)["step_free_entrance"][0] == "todo"  # the others stay as they were
    # Undone: to do again.
    client.post(f"{url}/actions", data={"csrf_token": token, "action": "sign_language_interpreter", "done": "0"})
    assert rows(client.get(url).get_data(as_text=True))["sign_language_interpreter"][0] == "todo"


def test_an_unknown_line_changes_nothing(client, auth, world, app):
    from portal.extensions import db
    from portal.review.models import AccessibilityActionDone
    auth.sign_in("admin")
    url = f"/review/events/{world}/accessibility"
    token = csrf_token(client.get(url).get_data(as_text=True))
    answer = client.post(f"{url}/actions", data={"csrf_token": token, "action": "nonexistent", "done": "1"},
                         follow_redirects=True)
    assert "Cette action n'existe pas." in unescape(answer.get_data(as_text=True))
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(AccessibilityActionDone)) == 0


def test_an_observer_may_neither_read_nor_tick(client, auth, world, app):
    from portal.extensions import db
    from portal.review.models import AccessibilityActionDone
    auth.sign_in("observer", world)
    url = f"/review/events/{world}/accessibility"
    assert client.get(url).status_code == 403
    token = csrf_token(client.get("/review/").get_data(as_text=True))
    assert client.post(f"{url}/actions", data={"csrf_token": token, "action": "braille_copies",
                                               "done": "1"}).status_code == 403
    assert "Plan d'accessibilité" not in client.get("/review/").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(AccessibilityActionDone)) == 0


def test_the_plan_in_arabic(client, auth, world):
    auth.sign_in("coordinator", SLUG)
    client.set_cookie("portal_lang", "ar")
    page = client.get(f"/review/events/{world}/accessibility").get_data(as_text=True)
    assert 'lang="ar"' in page and 'dir="rtl"' in page
    assert "Interprète en langue des signes" not in page
