"""The organisers' event screens: create, edit (rules, admin-only fields, two people at once),
clone, states (a draft is not public, cancelling mails each registrant once), venue facts."""
import datetime as dt
import re

from sqlalchemy import select

from portal.events.models import Event, EventRole
from portal.extensions import db
from portal.registration.models import Registration
from tests.support.data import make_registrations
from tests.support.outbox import deliver_until_done
from tests.support.web import csrf_token, submit_form, valid_registration


def event_row(app, event_id) -> Event:
    with app.app_context():
        event = db.session.get(Event, event_id)
        db.session.expunge_all()
        return event


def form_fields(html: str) -> dict:
    """The values a browser would send for the page's form (inputs, checked boxes, selects, textareas)."""
    data = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        kind = (re.search(r'type="([^"]+)"', tag) or [None, "text"])[1]
        value = (re.search(r'value="([^"]*)"', tag) or [None, ""])[1]
        if kind in ("checkbox", "radio"):
            if re.search(r"\schecked", tag):
                data.setdefault(name.group(1), []).append(value) if kind == "checkbox" else data.__setitem__(name.group(1), value)
        elif kind != "submit":
            data[name.group(1)] = value
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.DOTALL):
        data[name] = body
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.DOTALL):
        selected = re.search(r'<option value="([^"]*)" selected', body)
        data[name] = selected.group(1) if selected else ""
    return {k: v.replace("&#39;", "'").replace("&amp;", "&").replace("&#34;", '"') if isinstance(v, str) else v
            for k, v in data.items()}


def edit_form(client, event_id) -> dict:
    response = client.get(f"/organizing/events/{event_id}/edit")
    assert response.status_code == 200
    return form_fields(response.get_data(as_text=True))


def test_admin_creates_a_draft_that_the_public_cannot_see(app, auth, events, client):
    auth.sign_in("admin", organization="MTNRA")
    response = submit_form(client, "/organizing/events/new", {
        "title_fr": "Rencontre de Dakhla", "title_ar": "لقاء الداخلة", "starts_on": "2031-03-10",
        "start_time": "09:00", "end_time": "17:00", "city_fr": "Dakhla", "province_code": "",
        "regions": ["12"], "capacity": "50", "slug": ""})
    assert response.status_code == 303, response.get_data(as_text=True)
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.title_fr == "Rencontre de Dakhla"))
        assert event.status == "draft" and event.slug == "rencontre-de-dakhla"
        assert event.start_time == dt.time(9, 0) and [r.code for r in event.regions] == ["12"]
        assert [o.acronym for o in event.lead_organizers] == ["MTNRA"]  # the ministry organises what it creates
        slug = event.slug
    anonymous = app.test_client()
    assert anonymous.get(f"/events/{slug}").status_code == 404
    assert "Rencontre de Dakhla" not in anonymous.get("/").get_data(as_text=True)
    assert "Rencontre de Dakhla" in client.get("/organizing/").get_data(as_text=True)


def test_a_taken_slug_and_a_missing_title_are_refused_on_their_fields(app, auth, events, client):
    auth.sign_in("admin")
    response = submit_form(client, "/organizing/events/new", {
        "title_fr": "", "starts_on": "", "capacity": "50", "slug": "oriental"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "error-summary" in page and "Ce champ est obligatoire." in page and "Indiquez la date" in page
    response = submit_form(client, "/organizing/events/new", {
        "title_fr": "Autre", "starts_on": "2031-03-10", "capacity": "50", "slug": "oriental"})
    assert response.status_code == 422
    assert "déjà celle d&#39;un autre événement" in response.get_data(as_text=True)
    for bad in ("berkane 2027", "berkane-2027/..", "berkane-"):  # a valid start is not enough
        response = submit_form(client, "/organizing/events/new", {
            "title_fr": "Autre", "starts_on": "2031-03-10", "capacity": "50", "slug": bad})
        assert response.status_code == 422 and "Lettres minuscules sans accent" in response.get_data(as_text=True)


def test_closing_after_the_event_and_opening_after_closing_are_refused(app, auth, events, client):
    auth.sign_in("admin")
    event_id = events["oriental"]
    before = event_row(app, event_id)
    data = edit_form(client, event_id)
    late = (before.starts_on + dt.timedelta(days=1)).isoformat()
    response = client.post(f"/organizing/events/{event_id}/edit", data={**data, "closes_on": late})
    assert response.status_code == 422
    assert "La clôture des inscriptions doit précéder le début" in response.get_data(as_text=True)
    data = edit_form(client, event_id)
    response = client.post(f"/organizing/events/{event_id}/edit", data={
        **data, "opens_on": data["closes_on"], "opens_time": "23:59", "closes_time": "08:00"})
    assert response.status_code == 422
    assert "L&#39;ouverture des inscriptions doit précéder leur clôture." in response.get_data(as_text=True)
    assert event_row(app, event_id).version == before.version


def test_capacity_never_below_the_approved_seats(app, auth, events, client):
    event_id = events["oriental"]
    approved = make_registrations(app, event_id, 3)
    with app.app_context():
        for registration_id in approved:
            db.session.get(Registration, registration_id).status = "approved"
        db.session.commit()
    auth.sign_in("admin")
    response = client.post(f"/organizing/events/{event_id}/edit", data={**edit_form(client, event_id), "capacity": "2"})
    assert response.status_code == 422
    assert "3 places sont déjà approuvées" in response.get_data(as_text=True)
    response = client.post(f"/organizing/events/{event_id}/edit", data={**edit_form(client, event_id), "capacity": "3"})
    assert response.status_code == 303
    assert event_row(app, event_id).capacity == 3


def test_registration_window_is_typed_in_casablanca_time_and_kept_in_utc(app, auth, events, client):
    auth.sign_in("admin")
    event_id = events["oriental"]
    starts_on = event_row(app, event_id).starts_on
    day = (starts_on - dt.timedelta(days=5)).isoformat()
    response = client.post(f"/organizing/events/{event_id}/edit", data={
        **edit_form(client, event_id), "closes_on": day, "closes_time": "18:00"})
    assert response.status_code == 303
    closes = event_row(app, event_id).registration_closes_at
    assert closes.time() in (dt.time(17, 0), dt.time(18, 0))  # UTC+1 (or UTC during Ramadan)
    assert edit_form(client, event_id)["closes_time"] == "18:00"


def test_a_coordinator_edits_the_content_but_not_the_admin_fields(app, auth, events, client):
    event_id = events["oriental"]
    before = event_row(app, event_id)
    auth.sign_in("coordinator", "oriental")
    page = client.get(f"/organizing/events/{event_id}/edit").get_data(as_text=True)
    assert 'name="capacity"' not in page and "Ces informations sont fixées par le ministère." in page
    data = {**form_fields(page), "title_fr": "Titre revu", "capacity": "5", "closes_on": "2000-01-01",
            "co_organizers": []}
    response = client.post(f"/organizing/events/{event_id}/edit", data=data)
    assert response.status_code == 303
    after = event_row(app, event_id)
    assert after.title_fr == "Titre revu"
    assert (after.capacity, after.registration_closes_at) == (before.capacity, before.registration_closes_at)
    with app.app_context():
        assert db.session.get(Event, event_id).co_organizers  # still co-organised: ACODEC kept its link
    assert client.post(f"/organizing/events/{event_id}/status", data={
        "csrf_token": data["csrf_token"], "status": "cancelled", "confirmed": "yes"}).status_code == 403


def test_the_second_of_two_concurrent_saves_is_refused_and_keeps_what_was_typed(app, auth, events):
    event_id = events["oriental"]
    first, second = app.test_client(), app.test_client()
    auth.sign_in("admin", client=first)
    auth.sign_in("coordinator", "oriental", client=second)
    first_form, second_form = edit_form(first, event_id), edit_form(second, event_id)
    assert first.post(f"/organizing/events/{event_id}/edit",
                      data={**first_form, "city_fr": "Oujda centre"}).status_code == 303
    response = second.post(f"/organizing/events/{event_id}/edit", data={**second_form, "summary_fr": "Mon texte à moi"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert re.search(r"Modifié par admin à \d{1,2}\xa0h\xa0\d\d depuis que vous l&#39;avez ouvert", page)
    assert "Mon texte à moi" in page
    after = event_row(app, event_id)
    assert after.summary_fr != "Mon texte à moi" and after.city_fr == "Oujda centre"
    # Saving again, knowingly, goes through; every save moves the version on.
    again = form_fields(page)
    assert second.post(f"/organizing/events/{event_id}/edit", data=again).status_code == 303
    final = event_row(app, event_id)
    assert final.summary_fr == "Mon texte à moi" and final.version == after.version + 1
    assert final.updated_by_id is not None and final.updated_at is not None


def test_a_published_event_whose_date_changes_offers_a_prefilled_campaign(app, auth, events, client):
    auth.sign_in("admin")
    event_id = events["oriental"]
    data = edit_form(client, event_id)
    response = client.post(f"/organizing/events/{event_id}/edit", data={**data, "start_time": "10:30"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    link = re.search(r'href="(/campaigns/new\?[^"]+)"', page).group(1).replace("&amp;", "&")
    assert f"event={event_id}" in link and "template=" in link
    campaign = client.get(link).get_data(as_text=True)
    assert re.search(rf'<option value="{event_id}" selected', campaign)
    assert re.search(r'<option value="\d+" selected>Changement de date, d&#39;horaire ou de lieu', campaign)
    assert re.search(r'name="status" value="approved"\s+checked', campaign)
    # Only once; and a change that concerns no registrant (the title) offers nothing.
    assert "Prévenir les personnes inscrites" not in client.get(response.headers["Location"]).get_data(as_text=True)
    response = client.post(f"/organizing/events/{event_id}/edit", data={**edit_form(client, event_id), "title_fr": "Autre titre"})
    assert "Prévenir les personnes inscrites" not in client.get(response.headers["Location"]).get_data(as_text=True)


def test_clone_copies_the_programme_and_people_but_no_registration(app, auth, events, client):
    source_id = events["oriental"]
    make_registrations(app, source_id, 2)
    auth.sign_in("admin")
    response = submit_form(client, f"/organizing/events/{source_id}/clone", {
        "title_fr": "Rencontre de l'Oriental 2", "starts_on": "2031-06-01", "slug": "oriental-2"})
    assert response.status_code == 303
    with app.app_context():
        source = db.session.get(Event, source_id)
        copy = db.session.scalar(select(Event).where(Event.slug == "oriental-2"))
        assert copy.status == "draft" and copy.registration_opens_at is None
        assert [w.title_fr for w in copy.workshops] == [w.title_fr for w in source.workshops]
        assert [a.title_fr for a in copy.agenda] == [a.title_fr for a in source.agenda]
        assert {r.person_id for r in copy.roles} == {r.person_id for r in source.roles}
        assert {r.status for r in copy.roles} == {"to_invite"}
        assert copy.region_codes == source.region_codes
        assert {o.id for o in copy.co_organizers} == {o.id for o in source.co_organizers}
        assert db.session.scalar(select(db.func.count()).select_from(Registration)
                                 .where(Registration.event_id == copy.id)) == 0
        assert db.session.scalar(select(db.func.count()).select_from(EventRole)
                                 .where(EventRole.event_id == source_id)) == len(source.roles)


def test_states_move_one_step_at_a_time_and_registration_follows(app, auth, events, client):
    auth.sign_in("admin")
    event_id = events["oriental"]
    token = csrf_token(client.get(f"/organizing/events/{event_id}").get_data(as_text=True))
    url = f"/organizing/events/{event_id}/status"
    assert client.post(url, data={"csrf_token": token, "status": "archived"}).status_code == 303
    assert event_row(app, event_id).status == "published"  # not a next state: refused
    assert client.post(url, data={"csrf_token": token, "status": "registration_closed"}).status_code == 303
    assert event_row(app, event_id).status == "registration_closed"
    anonymous = app.test_client()
    token = csrf_token(anonymous.get("/login").get_data(as_text=True))
    refused = anonymous.post("/events/oriental/register",
                             data={**valid_registration(app, "oriental"), "csrf_token": token})
    assert refused.status_code == 403
    assert "closes" in refused.get_data(as_text=True) or "clos" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Registration)) == 0


def test_cancelling_asks_first_then_mails_each_registrant_once_in_their_language(app, auth, events, client,
                                                                              smtp_server):
    event_id = events["oriental"]
    make_registrations(app, event_id, 1, language="fr", email="fatima@example.org")
    make_registrations(app, event_id, 1, language="ar", email="youssef@example.org")
    make_registrations(app, event_id, 1, status="cancelled", email="gone@example.org")
    auth.sign_in("admin")
    token = csrf_token(client.get(f"/organizing/events/{event_id}").get_data(as_text=True))
    url = f"/organizing/events/{event_id}/status"
    confirm = client.post(url, data={"csrf_token": token, "status": "cancelled"})
    assert confirm.status_code == 200 and "2 personnes inscrites recevront" in confirm.get_data(as_text=True)
    assert event_row(app, event_id).status == "published"
    for _ in range(2):  # a repeated request (double click, reload) mails nobody twice
        assert client.post(url, data={"csrf_token": token, "status": "cancelled", "confirmed": "yes"}).status_code == 303
    assert event_row(app, event_id).status == "cancelled"
    deliver_until_done(app)
    received = {message["To"].addresses[0].addr_spec: message for _, message in smtp_server.messages}
    assert sorted(received) == ["fatima@example.org", "youssef@example.org"]
    assert len(smtp_server.messages) == 2
    assert "annulé" in received["fatima@example.org"]["Subject"]
    arabic = received["youssef@example.org"]
    assert re.search(r"[\u0600-\u06ff]", arabic["Subject"])
    assert re.search(r"[\u0600-\u06ff]", arabic.get_body(("plain",)).get_content())


def test_venue_facts_show_on_the_public_page_as_entered_and_nothing_else(app, auth, events, client):
    event_id = events["oriental"]
    public = app.test_client()
    assert "Lieu à confirmer." in public.get("/events/oriental").get_data(as_text=True)
    auth.sign_in("coordinator", "oriental")
    facts = {fact: "unknown" for fact in ("step_free_entrance", "lift", "accessible_toilets", "hearing_loop",
                                          "sign_language", "reserved_seating", "quiet_room",
                                          "accessible_parking", "public_transport")}
    bad = submit_form(client, f"/organizing/events/{event_id}/venue", {
        **facts, "name_fr": "Palais des congrès", "map_url": "javascript:alert(1)"})
    assert bad.status_code == 422 and "commençant par http" in bad.get_data(as_text=True)
    response = submit_form(client, f"/organizing/events/{event_id}/venue", {
        **facts, "name_fr": "Palais des congrès", "address_fr": "Boulevard Mohammed V, Oujda",
        "map_url": "https://www.openstreetmap.org/#map=17/34.68/-1.90", "step_free_entrance": "yes", "lift": "no"})
    assert response.status_code == 303
    page = public.get("/events/oriental").get_data(as_text=True)
    assert "Palais des congrès, Boulevard Mohammed V, Oujda" in page
    assert re.search(r'<div class="fact-yes"><dt>Entrée de plain-pied</dt><dd>Oui</dd>', page)
    assert re.search(r'<div class="fact-no"><dt>Ascenseur</dt><dd>Non</dd>', page)
    assert re.search(r'<div class="fact-unknown"><dt>Boucle magnétique</dt><dd>Pas encore connu</dd>', page)
    assert page.count('class="fact-yes"') == 1 and page.count('class="fact-no"') == 1


def test_the_public_page_shows_the_local_partners(app, auth, events, client):
    from portal.directory.models import Institution
    with app.app_context():
        wilaya = Institution(kind="wilaya", name_fr="Wilaya de la région de l'Oriental", region_code="02")
        db.session.add(wilaya)
        db.session.commit()
        wilaya_id = wilaya.id
    auth.sign_in("coordinator", "oriental")
    event_id = events["oriental"]
    data = edit_form(client, event_id)
    assert f'value="{wilaya_id}"' in client.get(f"/organizing/events/{event_id}/edit").get_data(as_text=True)
    assert client.post(f"/organizing/events/{event_id}/edit",
                       data={**data, "partners": [str(wilaya_id)]}).status_code == 303
    page = app.test_client().get("/events/oriental").get_data(as_text=True)
    assert "Partenaires locaux" in page and "Wilaya de la région de l&#39;Oriental" in page


def test_the_index_lists_the_events_each_may_edit(app, auth, events, client):
    auth.sign_in("coordinator", "oriental")
    page = client.get("/organizing/").get_data(as_text=True)
    assert f'/organizing/events/{events["oriental"]}"' in page
    assert f'/organizing/events/{events["fes-meknes"]}"' not in page
    assert "Nouvel événement" not in page
