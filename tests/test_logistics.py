"""The logistics sheet of an event (issue 10, item 5): rooms with seats and equipment and a warning
when a workshop's participants exceed its room; the meals' head counts (approved + confirmed roles +
organising team + institutions that come), replaced by a figure set by hand; the materials, with
large-print and braille copies counted from consenting approved participants only. Figures by hand."""
import datetime as dt
import re
from html import unescape

import pytest

from portal.campaigns.models import Campaign, Invitation, MessageTemplate
from portal.directory.models import Institution
from portal.events.models import AgendaItem, Event, EventRole, Person
from portal.extensions import db
from portal.registration.models import Registration
from portal.tokens import new_token
from tests.support.data import make_registrations
from tests.support.web import submit_form

SLUG = "oriental"
NOW = dt.datetime(2026, 11, 1, 9, 0)


def text_of(html: str) -> str:
    text = unescape(re.sub(r"<[^>]+>", " ", html)).replace("\xa0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text)


def sheet_text(client, event_id) -> str:
    response = client.get(f"/organizing/events/{event_id}/logistics")
    assert response.status_code == 200
    return text_of(response.get_data(as_text=True))


def post(client, event_id, action, data):
    base = f"/organizing/events/{event_id}/logistics"
    return submit_form(client, base, data, action=f"{base}/{action}")


@pytest.fixture
def event_world(app, events):
    """Oriental, with: workshop 1 chosen by 5 approved (+2 pending, 1 rejected), workshop 2 by 3
    approved; 3 persons with a confirmed role (one of them has two), 1 only invited; 3 institutions
    invited: one attends, one delegates, one declines (and the one that attends is invited twice)."""
    event_id = events[SLUG]
    with app.app_context():
        event = db.session.get(Event, event_id)
        first, second = event.workshops[0].id, event.workshops[1].id
        for role in list(event.roles):
            db.session.delete(role)
        people = [Person(name_fr=f"Personne {n}") for n in range(4)]
        db.session.add_all(people)
        db.session.flush()
        roles = [(people[0], "speaker", "confirmed"), (people[0], "expert", "confirmed"),
                 (people[1], "speaker", "confirmed"), (people[2], "rapporteur", "confirmed"),
                 (people[3], "speaker", "invited")]
        db.session.add_all([EventRole(event_id=event_id, person_id=person.id, role=role, status=status)
                            for person, role, status in roles])
        template = db.session.scalar(db.select(MessageTemplate.id).order_by(MessageTemplate.id))
        campaigns = [Campaign(template_id=template, event_id=event_id, audience_kind="institutions") for _ in range(2)]
        institutions = [Institution(kind="commune", name_fr=f"Commune {n}", region_code="02", province_code="02.411")
                        for n in range(3)]
        db.session.add_all(campaigns + institutions)
        db.session.flush()
        answers = [(campaigns[0], institutions[0], "attends"), (campaigns[1], institutions[0], "attends"),
                   (campaigns[0], institutions[1], "delegates"), (campaigns[0], institutions[2], "declines")]
        for campaign, institution, answer in answers:
            db.session.add(Invitation(campaign_id=campaign.id, institution_id=institution.id, event_id=event_id,
                                      token_hash=new_token()[1], expires_at=NOW + dt.timedelta(days=400),
                                      answer=answer, answered_at=NOW))
        lunch = db.session.scalar(db.select(AgendaItem.id).where(AgendaItem.event_id == event_id,
                                                                 AgendaItem.kind == "meal"))
        db.session.commit()
    make_registrations(app, event_id, 5, status="approved", workshop_id=first)
    make_registrations(app, event_id, 2, status="pending", workshop_id=first)
    make_registrations(app, event_id, 1, status="rejected", workshop_id=first)
    make_registrations(app, event_id, 3, status="approved", workshop_id=second)
    return {"event": event_id, "first": first, "second": second, "lunch": lunch}


def test_rooms_have_seats_and_equipment_and_an_overflowing_workshop_is_warned(app, auth, event_world):
    event_id = event_world["event"]
    auth.sign_in("coordinator", organization="ACODEC")
    client = auth.client
    key = str(event_world["first"])
    response = post(client, event_id, "rooms", {"room": key, f"room-{key}-seats": "4",
                                                f"room-{key}-equipment": ["projector", "flip_charts"]})
    assert response.status_code == 303, response.get_data(as_text=True)
    response = post(client, event_id, "rooms", {"room": "plenary", "room-plenary-name": "Grande salle",
                                                "room-plenary-seats": "120",
                                                "room-plenary-equipment": ["microphones", "interpretation_booth"]})
    assert response.status_code == 303
    other = str(event_world["second"])
    assert post(client, event_id, "rooms", {"room": other, f"room-{other}-seats": "3"}).status_code == 303

    text = sheet_text(client, event_id)
    assert "Plénière · Grande salle 120 8 Microphones, Cabine d'interprétation" in text
    # workshop 1: 5 approved for 4 seats (pending and rejected do not count); workshop 2: 3 for 3.
    assert "5 Attention : 1 participant de plus que de places Vidéoprojecteur, Tableaux de conférence" in text
    assert "Des salles ont moins de places que de participants" in text
    assert text.count("Attention :") == 1

    # More seats: the warning goes.
    assert post(client, event_id, "rooms", {"room": key, f"room-{key}-seats": "5"}).status_code == 303
    assert "Attention :" not in sheet_text(client, event_id)


def test_a_room_with_impossible_seats_or_equipment_is_refused_and_nothing_changes(app, auth, event_world):
    event_id = event_world["event"]
    auth.sign_in("admin")
    response = post(auth.client, event_id, "rooms", {"room": "plenary", "room-plenary-seats": "-3",
                                                     "room-plenary-equipment": ["piano"]})
    assert response.status_code == 422
    assert 'class="error-summary' in response.get_data(as_text=True)
    # A workshop of another event is not a room of this one.
    foreign = post(auth.client, event_id, "rooms", {"room": "999999", "room-999999-seats": "3"})
    assert foreign.status_code == 404
    assert "Grande salle" not in sheet_text(auth.client, event_id)


def test_lunch_counts_approved_roles_team_and_institutions_and_a_figure_set_by_hand_replaces_it(
        app, auth, event_world):
    event_id, lunch = event_world["event"], event_world["lunch"]
    auth.sign_in("coordinator", organization="ACODEC")
    client = auth.client
    assert post(client, event_id, "team", {"team_count": "6"}).status_code == 303
    # 8 approved + 3 persons with a confirmed role + 6 in the team + 2 institutions coming = 19
    text = sheet_text(client, event_id)
    assert "Participants approuvés 8" in text
    assert "Personnes ayant un rôle confirmé 3" in text
    assert "Institutions invitées qui viennent 2" in text
    assert "Total attendu 19" in text
    assert "Pause déjeuner (Repas) 15:30 – 17:00 19 — 19" in text
    assert "Pause-café (Pause) 12:30 – 13:00 19 — 19" in text

    assert post(client, event_id, "meals", {"meal": str(lunch), f"meal-{lunch}-head_count": "25"}).status_code == 303
    text = sheet_text(client, event_id)
    assert "Pause déjeuner (Repas) 15:30 – 17:00 19 25 25" in text  # computed, set by hand, to order
    assert "Pause-café (Pause) 12:30 – 13:00 19 — 19" in text

    # One more approval moves the computed figure, not the one set by hand.
    make_registrations(app, event_id, 1, status="approved")
    assert "Pause déjeuner (Repas) 15:30 – 17:00 20 25 25" in sheet_text(client, event_id)

    # Emptied, the computed figure counts again.
    assert post(client, event_id, "meals", {"meal": str(lunch), f"meal-{lunch}-head_count": ""}).status_code == 303
    assert "Pause déjeuner (Repas) 15:30 – 17:00 20 — 20" in sheet_text(client, event_id)


def test_a_meal_of_another_event_cannot_be_set(app, auth, events, event_world):
    with app.app_context():
        foreign = db.session.scalar(db.select(AgendaItem.id).where(AgendaItem.event_id != event_world["event"],
                                                                   AgendaItem.kind == "meal"))
    auth.sign_in("admin")
    response = post(auth.client, event_world["event"], "meals", {"meal": str(foreign),
                                                                 f"meal-{foreign}-head_count": "3"})
    assert response.status_code == 404


def test_badges_agendas_and_accessible_copies_count_consenting_approved_participants_only(app, auth, event_world):
    event_id = event_world["event"]
    # 2 approved with consent ask for braille, 1 of them also large print; 1 approved large print with consent;
    # not counted: 1 approved whose consent to keep needs is missing, 1 pending with consent.
    make_registrations(app, event_id, 2, status="approved", consent_needs_at=NOW,
                       access_needs=lambda i: ["braille", "large_print"] if i == 0 else ["braille"])
    make_registrations(app, event_id, 1, status="approved", consent_needs_at=NOW, access_needs=["large_print"])
    make_registrations(app, event_id, 1, status="approved", access_needs=["braille", "large_print"])
    make_registrations(app, event_id, 1, status="pending", consent_needs_at=NOW, access_needs=["braille"])
    with app.app_context():
        approved = db.session.scalar(db.select(db.func.count(Registration.id)).where(
            Registration.event_id == event_id, Registration.status == "approved"))
    assert approved == 12  # 8 of the world + 4 here
    auth.sign_in("admin")
    text = sheet_text(auth.client, event_id)
    assert "Badges 15 " in text  # 12 approved + 3 confirmed roles
    assert "Programmes imprimés 17 " in text  # + 0 team + 2 institutions
    assert "Documents en gros caractères 2 " in text
    assert "Documents en braille 2 " in text


def test_an_observer_of_the_event_may_not_open_the_sheet(app, auth, events):
    auth.sign_in("observer", events[SLUG])
    assert auth.client.get(f"/organizing/events/{events[SLUG]}/logistics").status_code == 403
