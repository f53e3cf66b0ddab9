"""An event's programme, set up by its organisers (issue 9, items 3-5): workshops (seat limits,
facilitator and rapporteur, a full workshop on the registration form, moving a participant),
the agenda (the public page and the .ics follow it; htmx editing in place) and the people."""
import html
import re

import pytest
from icalendar import Calendar
from sqlalchemy import select

from portal.events.models import AgendaItem, Event, EventRole, Person, Workshop
from portal.extensions import db
from portal.registration.models import Registration
from tests.support.data import make_registrations
from tests.support.web import csrf_token, post_registration, submit_form, valid_registration


@pytest.fixture
def oriental(events):
    return events["oriental"]


@pytest.fixture
def coordinator(auth, oriental):
    return auth.sign_in("coordinator", organization="ACODEC")


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def workshops_of(app, event_id) -> list[Workshop]:
    with app.app_context():
        rows = db.session.scalars(select(Workshop).where(Workshop.event_id == event_id)
                                  .order_by(Workshop.position)).all()
        db.session.expunge_all()
        return rows


def agenda_of(app, event_id) -> list[tuple]:
    with app.app_context():
        return [(item.id, item.title_fr, item.starts_at.strftime("%H:%M"), item.ends_at.strftime("%H:%M"))
                for item in db.session.scalars(select(AgendaItem).where(AgendaItem.event_id == event_id)
                                               .order_by(AgendaItem.position))]


def add_person(client, event_id, **values):
    data = {"name_fr": "Salma Bennani", "name_ar": "سلمى بناني", "organization": "ACODEC", "email": "",
            "phone": "", "role": "rapporteur", "status": "to_invite", "workshop_id": "", "agenda_item_id": "",
            **values}
    return submit_form(client, f"/organizing/events/{event_id}/people/new", data)


def workshop_data(workshop, **values):
    return {"title_fr": workshop.title_fr, "title_ar": workshop.title_ar, "description_fr": "",
            "description_ar": "", "room": "", "seat_limit": "", "facilitator": "", "rapporteur": "", **values}


# --- workshops ---------------------------------------------------------------------------------
def test_a_workshop_is_added_edited_with_its_rapporteur_and_reordered(app, coordinator, oriental):
    base = f"/organizing/events/{oriental}/workshops"
    answer = submit_form(coordinator, f"{base}/new", {"title_fr": "Jeunesse et emploi", "title_ar": "الشباب والتشغيل",
                                                      "description_fr": "", "description_ar": "", "room": "Salle B",
                                                      "seat_limit": "25", "facilitator": "", "rapporteur": ""})
    assert answer.status_code == 303
    assert add_person(coordinator, oriental, name_fr="Karim Alaoui", email="karim@example.org").status_code == 303
    with app.app_context():
        karim = db.session.scalar(select(Person).where(Person.email == "karim@example.org")).id
    added = workshops_of(app, oriental)[-1]
    assert (added.title_fr, added.room, added.seat_limit) == ("Jeunesse et emploi", "Salle B", 25)
    answer = submit_form(coordinator, f"{base}/{added.id}",
                         workshop_data(added, room="Salle B", seat_limit="30", rapporteur=str(karim)))
    assert answer.status_code == 303
    listing = page(coordinator, base)
    assert "Karim Alaoui" in listing and "0 sur 30" in listing
    with app.app_context():
        link = db.session.scalar(select(EventRole).where(EventRole.workshop_id == added.id))
        assert (link.role, link.person_id) == ("rapporteur", karim)
    # Up one place: it now comes before the workshop that preceded it, on the registration form too.
    before = [w.title_fr for w in workshops_of(app, oriental)]
    token = csrf_token(listing)
    assert coordinator.post(f"{base}/{added.id}/move", data={"csrf_token": token, "direction": "up"}).status_code == 303
    after = [w.title_fr for w in workshops_of(app, oriental)]
    assert after == before[:-2] + [before[-1], before[-2]]
    form = page(app.test_client(), "/events/oriental/register")
    assert form.index("Jeunesse et emploi") < form.index(before[-2])


def test_a_refused_workshop_says_why_on_the_field(app, coordinator, oriental):
    answer = submit_form(coordinator, f"/organizing/events/{oriental}/workshops/new",
                         {"title_fr": "", "seat_limit": "١٢", "facilitator": "", "rapporteur": ""})
    assert answer.status_code == 422
    text = answer.get_data(as_text=True)
    assert "Il y a un problème" in text and "Indiquez le titre" in text and "nombre entier de places" in text


def test_a_workshop_chosen_by_registrants_cannot_be_deleted(app, coordinator, oriental):
    chosen, free = workshops_of(app, oriental)[0], None
    make_registrations(app, oriental, 1, status="cancelled")
    base = f"/organizing/events/{oriental}/workshops"
    token = csrf_token(page(coordinator, base))
    answer = coordinator.post(f"{base}/{chosen.id}/delete", data={"csrf_token": token}, follow_redirects=True)
    assert "ne peut pas être supprimé" in answer.get_data(as_text=True)
    assert chosen.id in [w.id for w in workshops_of(app, oriental)]
    submit_form(coordinator, f"{base}/new", {"title_fr": "Atelier de trop", "facilitator": "", "rapporteur": ""})
    free = workshops_of(app, oriental)[-1]
    answer = coordinator.post(f"{base}/{free.id}/delete", data={"csrf_token": token}, follow_redirects=True)
    assert "Atelier supprimé" in answer.get_data(as_text=True)
    assert free.id not in [w.id for w in workshops_of(app, oriental)]


def test_a_workshop_of_another_event_is_not_found(app, auth, events):
    admin = auth.sign_in("admin")
    other = workshops_of(app, events["fes-meknes"])[0]
    assert admin.get(f"/organizing/events/{events['oriental']}/workshops/{other.id}").status_code == 404
    item = agenda_of(app, events["fes-meknes"])[0][0]
    assert admin.get(f"/organizing/events/{events['oriental']}/agenda/{item}").status_code == 404
    with app.app_context():
        role = db.session.scalar(select(EventRole.id).where(EventRole.event_id == events["fes-meknes"]))
    assert admin.get(f"/organizing/events/{events['oriental']}/people/{role}").status_code == 404
    token = csrf_token(page(admin, f"/organizing/events/{events['oriental']}/people"))
    answer = admin.post(f"/organizing/events/{events['oriental']}/people/{role}/remove", data={"csrf_token": token})
    assert answer.status_code == 404


def test_a_seat_limit_below_the_seats_taken_is_refused(app, coordinator, oriental):
    first = workshops_of(app, oriental)[0]
    make_registrations(app, oriental, 3)
    answer = submit_form(coordinator, f"/organizing/events/{oriental}/workshops/{first.id}",
                         workshop_data(first, seat_limit="2"))
    assert answer.status_code == 422
    assert "3 inscriptions choisissent déjà cet atelier" in html.unescape(answer.get_data(as_text=True))
    assert workshops_of(app, oriental)[0].seat_limit is None


def set_seat_limit(app, workshop_id, limit):
    with app.app_context():
        db.session.get(Workshop, workshop_id).seat_limit = limit
        db.session.commit()


def test_a_full_workshop_is_shown_as_full_and_its_last_seat_goes_once(app, client, oriental):
    first, second = workshops_of(app, oriental)[:2]
    set_seat_limit(app, first.id, 2)
    make_registrations(app, oriental, 1)  # pending: it may hold a seat, so it counts
    make_registrations(app, oriental, 3, status="cancelled")  # these do not
    form = page(client, "/events/oriental/register")
    assert not re.search(rf'<input[^>]*value="{first.id}"[^>]*disabled', form)
    # Two people send the form for the last seat: the first gets it, the second is told on the field.
    one = post_registration(client, "oriental", valid_registration(app, "oriental", email="one@example.org",
                                                                   workshop=str(first.id)))
    two = post_registration(client, "oriental", valid_registration(app, "oriental", email="two@example.org",
                                                                   workshop=str(first.id)))
    assert one.status_code == 303
    assert two.status_code == 422
    assert "Cet atelier est complet" in two.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Registration).where(Registration.email == "two@example.org")) is None
    form = page(client, "/events/oriental/register")
    assert re.search(rf'<input[^>]*value="{first.id}"[^>]*disabled', form)
    assert re.search(re.escape(first.title_fr) + r"\s*<strong[^>]*>\(complet\)", html.unescape(form))
    assert not re.search(rf'<input[^>]*value="{second.id}"[^>]*disabled', form)


def test_the_last_seat_is_refused_at_submit_even_when_the_form_showed_it_free(app, client, oriental, monkeypatch):
    """The check that counts is the one made under the workshop's lock, in register()."""
    first = workshops_of(app, oriental)[0]
    set_seat_limit(app, first.id, 1)
    for module in ("forms", "public"):  # what the form is checked against before the lock
        monkeypatch.setattr(f"portal.registration.{module}.full_workshop_ids", lambda event: set())
    assert post_registration(client, "oriental", valid_registration(
        app, "oriental", email="one@example.org", workshop=str(first.id))).status_code == 303
    late = post_registration(client, "oriental", valid_registration(
        app, "oriental", email="late@example.org", workshop=str(first.id)))
    assert late.status_code == 422 and "Cet atelier est complet (1 place)" in late.get_data(as_text=True)


def test_a_coordinator_moves_a_participant_within_the_seat_limits(app, coordinator, oriental):
    first, second = workshops_of(app, oriental)[:2]
    moved, other = make_registrations(app, oriental, 2)
    make_registrations(app, oriental, 1, workshop_id=second.id)
    set_seat_limit(app, second.id, 2)
    url = f"/review/events/{oriental}/participants/{moved}"
    answer = submit_form(coordinator, url, {"workshop": str(second.id)}, action=f"{url}/workshop")
    assert answer.status_code == 303
    history = html.unescape(page(coordinator, url))
    assert f"Atelier : {first.title_fr} → {second.title_fr}" in history and "Changement d'atelier (" in history
    with app.app_context():
        assert db.session.get(Registration, moved).workshop_id == second.id
        assert db.session.get(Registration, moved).status == "pending"
    full = submit_form(coordinator, f"/review/events/{oriental}/participants/{other}", {"workshop": str(second.id)},
                       action=f"/review/events/{oriental}/participants/{other}/workshop")
    assert full.status_code == 422 and "Cet atelier est complet" in full.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Registration, other).workshop_id == first.id


# --- agenda ------------------------------------------------------------------------------------
def test_editing_an_agenda_item_changes_the_public_page_and_the_ics(app, coordinator, oriental):
    item_id = agenda_of(app, oriental)[0][0]
    url = f"/organizing/events/{oriental}/agenda/{item_id}"
    answer = submit_form(coordinator, url, {"starts_at": "08:15", "ends_at": "09:00", "kind": "welcome",
                                            "title_fr": "Café d'accueil", "title_ar": "قهوة الاستقبال",
                                            "details_fr": "", "details_ar": ""})
    assert answer.status_code == 303
    public = page(app.test_client(), "/events/oriental")
    assert "Café d&#39;accueil" in public and "08:15" in public
    from portal.campaigns.calendar import event_ics
    from portal.clock import utcnow
    with app.test_request_context():
        entry = Calendar.from_ical(event_ics(db.session.get(Event, oriental), utcnow())).walk("VEVENT")[0]
    assert entry.decoded("dtstart").strftime("%H:%M") == "08:15"
    assert entry.decoded("dtend").strftime("%H:%M") == "17:00"


def test_an_agenda_item_ends_after_it_starts(app, coordinator, oriental):
    answer = submit_form(coordinator, f"/organizing/events/{oriental}/agenda/new",
                         {"starts_at": "11:00", "ends_at": "10:30", "kind": "plenary", "title_fr": "Table ronde"})
    assert answer.status_code == 422
    assert "L'heure de fin doit être après l'heure de début" in html.unescape(answer.get_data(as_text=True))
    answer = submit_form(coordinator, f"/organizing/events/{oriental}/agenda/new",
                         {"starts_at": "9h", "ends_at": "10:30", "kind": "plenary", "title_fr": "Table ronde"})
    assert answer.status_code == 422 and "format HH:MM" in answer.get_data(as_text=True)


def test_items_are_added_moved_and_removed(app, coordinator, oriental):
    base = f"/organizing/events/{oriental}/agenda"
    assert submit_form(coordinator, f"{base}/new", {"starts_at": "17:00", "ends_at": "17:30", "kind": "closing",
                                                    "title_fr": "Photo de groupe"}).status_code == 303
    titles = [title for _, title, *_ in agenda_of(app, oriental)]
    assert titles[-1] == "Photo de groupe"
    new_id = agenda_of(app, oriental)[-1][0]
    token = csrf_token(page(coordinator, base))
    coordinator.post(f"{base}/{new_id}/move", data={"csrf_token": token, "direction": "up"})
    assert [title for _, title, *_ in agenda_of(app, oriental)][-2] == "Photo de groupe"
    coordinator.post(f"{base}/{new_id}/remove", data={"csrf_token": token})
    assert [title for _, title, *_ in agenda_of(app, oriental)] == titles[:-1]


def test_an_empty_agenda_starts_from_the_unified_agenda(app, coordinator, oriental):
    from portal.events.demo_data import UNIFIED_AGENDA
    with app.app_context():
        for item in db.session.scalars(select(AgendaItem).where(AgendaItem.event_id == oriental)):
            db.session.delete(item)
        db.session.commit()
    base = f"/organizing/events/{oriental}/agenda"
    listing = page(coordinator, base)
    assert "Partir du programme unifié" in listing
    coordinator.post(f"{base}/start", data={"csrf_token": csrf_token(listing)})
    assert [title for _, title, *_ in agenda_of(app, oriental)] == [row[3] for row in UNIFIED_AGENDA]
    coordinator.post(f"{base}/start", data={"csrf_token": csrf_token(listing)})
    assert len(agenda_of(app, oriental)) == len(UNIFIED_AGENDA)


def test_htmx_edits_one_item_in_place_and_announces_it(app, coordinator, oriental):
    item_id = agenda_of(app, oriental)[2][0]
    url = f"/organizing/events/{oriental}/agenda/{item_id}"
    htmx = {"HX-Request": "true", "HX-Target": f"item-{item_id}"}
    fragment = coordinator.get(url, headers=htmx).get_data(as_text=True)
    assert fragment.lstrip().startswith(f'<li id="item-{item_id}"') and "<html" not in fragment
    assert "<html" in page(coordinator, url)  # the same URL, without htmx: a whole page
    token = csrf_token(fragment)
    data = {"csrf_token": token, "starts_at": "10:15", "ends_at": "12:45", "kind": "plenary",
            "title_fr": "Plénière", "title_ar": "", "details_fr": "", "details_ar": ""}
    saved = coordinator.post(url, data=data, headers=htmx)
    text = saved.get_data(as_text=True)
    assert saved.status_code == 200 and "12:45" in text and "Programme mis à jour" in text
    assert 'hx-swap-oob="innerHTML"' in text and "<html" not in text
    refused = coordinator.post(url, data={**data, "ends_at": "10:00"}, headers=htmx)
    assert refused.status_code == 422 and f'<li id="item-{item_id}"' in refused.get_data(as_text=True)


# --- people ------------------------------------------------------------------------------------
def test_people_by_role_and_status_on_the_public_page_without_their_contacts(app, coordinator, oriental):
    add_person(coordinator, oriental, name_fr="Nadia Rapporteure", email="nadia@example.org", phone="0612345678",
               role="rapporteur", status="confirmed")
    add_person(coordinator, oriental, name_fr="Omar Pasencore", role="expert", status="to_invite")
    public = page(app.test_client(), "/events/oriental")
    assert "Nadia Rapporteure" in public and "Rapporteur(e)" in public
    assert "Omar Pasencore" not in public
    assert "nadia@example.org" not in public and "0612345678" not in public
    organisers = coordinator.get(f"/organizing/events/{oriental}/people")
    assert "nadia@example.org" in organisers.get_data(as_text=True)
    assert organisers.headers["Cache-Control"] == "no-store"


def test_a_person_known_by_email_is_one_person_across_events(app, auth, events):
    admin = auth.sign_in("admin")
    for slug in ("oriental", "fes-meknes"):
        answer = add_person(admin, events[slug], name_fr="Leila Experte", email="Leila@Example.org",
                            role="expert", status="confirmed")
        assert answer.status_code == 303
    with app.app_context():
        people = db.session.scalars(select(Person).where(Person.email == "leila@example.org")).all()
        assert len(people) == 1
        assert {link.event_id for link in db.session.scalars(
            select(EventRole).where(EventRole.person_id == people[0].id))} == {events["oriental"], events["fes-meknes"]}


def test_status_changes_quickly_and_a_role_is_removed(app, coordinator, oriental):
    add_person(coordinator, oriental, name_fr="Youssef Interprète", role="interpreter", status="to_invite")
    with app.app_context():
        link = db.session.scalar(select(EventRole).join(Person).where(Person.name_fr == "Youssef Interprète"))
        link_id, person_id = link.id, link.person_id
    base = f"/organizing/events/{oriental}/people"
    token = csrf_token(page(coordinator, base))
    assert coordinator.post(f"{base}/{link_id}/status", data={"csrf_token": token, "status": "confirmed"}).status_code == 303
    assert "Youssef Interprète" in page(app.test_client(), "/events/oriental")
    coordinator.post(f"{base}/{link_id}/remove", data={"csrf_token": token})
    assert "Youssef Interprète" not in page(app.test_client(), "/events/oriental")
    with app.app_context():
        assert db.session.get(EventRole, link_id) is None and db.session.get(Person, person_id) is not None


def test_an_edit_cannot_take_the_email_of_another_person(app, coordinator, oriental):
    add_person(coordinator, oriental, name_fr="Première", email="first@example.org")
    add_person(coordinator, oriental, name_fr="Seconde", email="second@example.org")
    with app.app_context():
        second = db.session.scalar(select(EventRole).join(Person).where(Person.name_fr == "Seconde")).id
    url = f"/organizing/events/{oriental}/people/{second}"
    answer = submit_form(coordinator, url, {"name_fr": "Seconde", "email": "FIRST@example.org", "role": "rapporteur",
                                            "status": "invited", "workshop_id": "", "agenda_item_id": ""})
    assert answer.status_code == 422 and "une autre personne" in answer.get_data(as_text=True)
