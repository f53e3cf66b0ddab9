"""Issue 11, item 1: registrations a coordinator enters for others. On their behalf (email optional,
a phone then), imported from a spreadsheet (all or nothing), walk-ins at the door (seats permitting),
the paper form; people without email get no mail and are listed for a call on the campaign page."""
import csv
import io
import re

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from portal.extensions import db
from portal.registration.models import Registration
from tests.support.data import count, make_registrations, outbox, set_capacity, set_venue
from tests.support.web import csrf_token, submit_form, valid_registration

SLUG = "oriental"


@pytest.fixture
def coordinator(auth, events):
    return auth.sign_in("coordinator", SLUG)


def assisted(app, **overrides):
    """The public form's answers, as a coordinator types them for someone without an email."""
    values = {"email": "", "phone": "06 61 23 45 67", "first_name": "Khadija", "last_name": "Ait Ali", **overrides}
    return valid_registration(app, SLUG, **values)


def register_for(client, event_id, data):
    url = f"/review/events/{event_id}/register"
    return submit_form(client, url, data)


def the_registration(app, **filters) -> Registration:
    with app.app_context():
        row = db.session.scalar(select(Registration).filter_by(**filters))
        db.session.expunge_all()
        return row


def test_a_person_without_email_is_registered_and_appears_everywhere_without_mail(app, coordinator, events):
    event_id = events[SLUG]
    response = register_for(coordinator, event_id, assisted(app, access_needs="wheelchair", consent_needs="y"))
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    person = the_registration(app, last_name="Ait Ali")
    assert (person.email, person.channel, person.status) == ("", "assisted", "pending")
    assert person.registered_by_id is not None and person.registered_by_name == "acodec"
    assert outbox(app) == []  # no acknowledgement, no manage link: nothing queued for them

    page = coordinator.get(response.headers["Location"]).get_data(as_text=True)
    assert "Sans adresse e-mail, elle ne recevra aucun message" in page
    assert "Aucune : la personne ne reçoit pas de message" in page
    assert "Inscription assistée – enregistrée par acodec" in page
    # The audit log: who registered them, and the oral consent with its date and the coordinator's name.
    assert "Donné oralement le" in page and "recueilli par acodec" in page
    history = page.split("Historique du statut")[1]
    assert "acodec" in history and "Inscription assistée, enregistrée par acodec" in history
    assert "traitement des besoins d&#39;accessibilité" in history

    listing = coordinator.get(f"/review/events/{event_id}/participants").get_data(as_text=True)
    assert "Ait Ali" in listing
    found = coordinator.get(f"/review/events/{event_id}/participants?q=06+61+23").get_data(as_text=True)
    assert "Résultats : 1 personne" in found and "Ait Ali" in found
    assert "Sans e-mail · <span dir=\"ltr\">06 61 23 45 67</span>" in found and "Inscription assistée</span>" in found
    exported = coordinator.get(f"/review/events/{event_id}/export.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(exported.lstrip("\ufeff"))))
    [row] = [r for r in rows if r["Nom"] == "Ait Ali"]
    assert (row["E-mail"], row["Téléphone"], row["Canal d'inscription"], row["Enregistrée par"]) == (
        "", "06 61 23 45 67", "Inscription assistée", "acodec")
    xlsx = coordinator.get(f"/review/events/{event_id}/export.xlsx")
    assert xlsx.status_code == 200 and b"Ait Ali" not in xlsx.data[:4]  # a zip; read below
    from openpyxl import load_workbook
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert any("Ait Ali" in [c.value for c in row] for row in sheet.iter_rows())
    assert coordinator.get(f"/review/events/{event_id}/distribution").status_code == 200


def test_without_email_a_phone_is_required_with_a_clear_message(app, coordinator, events):
    response = register_for(coordinator, events[SLUG], assisted(app, phone=""))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Sans adresse e-mail, indiquez un numéro de téléphone" in html
    assert count(app, Registration) == 0


def test_the_oral_consent_is_required(app, coordinator, events):
    response = register_for(coordinator, events[SLUG], assisted(app, consent=None))
    assert response.status_code == 422
    assert "Sans le consentement oral de la personne" in response.get_data(as_text=True)
    assert count(app, Registration) == 0


def test_with_an_email_the_person_gets_the_acknowledgement(app, coordinator, events):
    response = register_for(coordinator, events[SLUG], assisted(app, email="salma@example.org", phone=""))
    assert response.status_code == 303
    [message] = outbox(app)
    assert message.to_address == "salma@example.org" and message.subject.startswith("Accusé de réception de votre inscription : ")


def test_same_phone_same_event_is_a_duplicate(app, coordinator, events):
    assert register_for(coordinator, events[SLUG], assisted(app)).status_code == 303
    again = register_for(coordinator, events[SLUG], assisted(app, phone="+212 6 61 23 45 67", first_name="K."))
    html = again.get_data(as_text=True)
    assert again.status_code == 422 and "Déjà inscrite à cet événement" in html
    assert count(app, Registration) == 1
    # The same person may register for another event.
    assert register_for(coordinator, events[SLUG], assisted(app, phone="06 00 00 00 01")).status_code == 303


def test_an_email_already_registered_is_reported_to_the_coordinator(app, coordinator, events):
    make_registrations(app, events[SLUG], 1, email="known@example.org")
    response = register_for(coordinator, events[SLUG], assisted(app, email="Known@example.org"))
    assert response.status_code == 422 and "Déjà inscrite" in response.get_data(as_text=True)
    assert outbox(app) == []


def test_a_full_workshop_is_refused_as_on_the_public_form(app, coordinator, events):
    with app.app_context():
        from portal.events.models import Event
        event = db.session.get(Event, events[SLUG])
        workshop = event.workshops[0]
        workshop.seat_limit = 1
        db.session.commit()
    make_registrations(app, events[SLUG], 1)
    response = register_for(coordinator, events[SLUG], assisted(app))
    assert response.status_code == 422 and "complet" in response.get_data(as_text=True)


def test_campaign_page_lists_participants_without_email_with_their_phone(app, auth, coordinator, events):
    register_for(coordinator, events[SLUG], assisted(app))
    with app.app_context():
        db.session.scalar(select(Registration)).status = "approved"
        db.session.commit()
    make_registrations(app, events[SLUG], 2, status="approved")
    set_venue(app, events[SLUG])  # the template names the venue
    admin = auth.sign_in("admin", client=app.test_client())
    page = admin.get("/campaigns/new").get_data(as_text=True)
    with app.app_context():
        from portal.campaigns.models import MessageTemplate
        template = db.session.scalar(select(MessageTemplate.id).where(
            MessageTemplate.name == "Confirmation de participation"))
    response = admin.post("/campaigns/new", data={"csrf_token": csrf_token(page), "template": str(template),
                                                  "event": str(events[SLUG]), "status": "approved"},
                          content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    show = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "Destinataires : 2" in show
    assert "1 participant sans adresse e-mail : à appeler" in show
    assert "Khadija Ait Ali" in show and "06 61 23 45 67" in show
    send = admin.post(response.headers["Location"] + "/send", data={"csrf_token": csrf_token(show)})
    assert send.status_code == 303
    assert all(message.to_address for message in outbox(app))
    assert len(outbox(app)) == 2


def test_someone_without_email_is_checked_in_signs_the_sheet_and_is_called_back(app, auth, coordinator, events):
    """Registered by phone, approved: found on the check-in screen by their phone, on the attendance
    sheet, and, once present, on the "participants of this event" campaign's list of people to call."""
    register_for(coordinator, events[SLUG], assisted(app))
    person = the_registration(app, last_name="Ait Ali")
    with app.app_context():
        db.session.get(Registration, person.id).status = "approved"
        db.session.commit()
    event_id = events[SLUG]
    found = coordinator.get(f"/review/events/{event_id}/check-in?q=0661").get_data(as_text=True)
    assert "AIT ALI Khadija" in found
    tapped = coordinator.post(f"/review/events/{event_id}/check-in/{person.id}/present",
                              data={"csrf_token": csrf_token(found)})
    assert tapped.status_code == 303 and the_registration(app, id=person.id).checked_in_at is not None
    sheet = coordinator.get(f"/review/events/{event_id}/attendance-sheet").get_data(as_text=True)
    assert "AIT ALI" in sheet.upper() and "Khadija" in sheet
    with app.app_context():
        from portal.campaigns.defaults import PROPOSALS_FEEDBACK_NAME
        from portal.campaigns.models import MessageTemplate
        template = db.session.scalar(select(MessageTemplate.id).where(MessageTemplate.name == PROPOSALS_FEEDBACK_NAME))
    admin = auth.sign_in("admin", client=app.test_client())
    created = admin.post("/campaigns/new", data={"csrf_token": csrf_token(admin.get("/campaigns/new").get_data(
        as_text=True)), "template": str(template), "event": str(event_id)}, content_type="multipart/form-data")
    show = admin.get(created.headers["Location"]).get_data(as_text=True)
    assert "Destinataires : 0" in show
    assert "1 participant sans adresse e-mail : à appeler" in show and "06 61 23 45 67" in show


def test_personal_data_of_someone_without_email_is_found_by_phone_and_erased(app, auth, coordinator, events):
    register_for(coordinator, events[SLUG], assisted(app))
    make_registrations(app, events[SLUG], 1, phone="0661234567")  # has an email: not found by phone
    admin = auth.sign_in("admin", client=app.test_client())
    page = admin.get("/people/?phone=%2B212661234567").get_data(as_text=True)
    assert "1 inscription" in page and "Khadija Ait Ali" in page
    data = admin.get("/people/data.json?phone=0661234567").get_json()
    assert data[0]["channel"] == "assisted" and data[0]["registered_by"] == "acodec"
    assert data[0]["consent_given_orally"] is True
    assert admin.post("/people/erase", data={"phone": "06 61 23 45 67", "csrf_token": csrf_token(page)}).status_code == 303
    assert the_registration(app, last_name="Ait Ali") is None
    assert count(app, Registration) == 1


# --- walk-ins ---------------------------------------------------------------------------------------
def walk_in_data(app, **overrides):
    base = valid_registration(app, SLUG)
    data = {"first_name": "Youssef", "last_name": "Amrani", "gender": "male", "age_band": "18_24",
            "province": base["province"], "organization": "", "phone": "", "workshop": base["workshop"],
            "consent": "y", "next": "/review/"}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_a_walk_in_is_approved_and_marked(app, coordinator, events):
    url = f"/review/events/{events[SLUG]}/walk-in?next=/review/"
    response = submit_form(coordinator, url, walk_in_data(app), action=f"/review/events/{events[SLUG]}/walk-in")
    assert response.status_code == 303 and response.headers["Location"] == "/review/"
    person = the_registration(app, last_name="Amrani")
    assert (person.status, person.channel, person.email, person.registered_by_name) == (
        "approved", "walk_in", "", "acodec")
    assert outbox(app) == []


def test_a_walk_in_beyond_the_seats_is_refused_with_a_message(app, coordinator, events):
    set_capacity(app, events[SLUG], 2)
    make_registrations(app, events[SLUG], 2, status="approved")
    url = f"/review/events/{events[SLUG]}/walk-in"
    response = submit_form(coordinator, url, walk_in_data(app))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Inscription impossible" in html and "Complet : les 2 places sont attribuées." in html
    assert the_registration(app, last_name="Amrani") is None


def test_a_walk_in_under_18_needs_a_guardians_agreement(app, coordinator, events):
    url = f"/review/events/{events[SLUG]}/walk-in"
    response = submit_form(coordinator, url, walk_in_data(app, age_band="under_18"))
    assert response.status_code == 422 and "La personne a moins de 18 ans" in response.get_data(as_text=True)
    response = submit_form(coordinator, url, walk_in_data(app, age_band="under_18", guardian_consent="y"))
    assert response.status_code == 303


def test_the_walk_in_back_link_stays_on_the_site(app, coordinator, events):
    url = f"/review/events/{events[SLUG]}/walk-in"
    response = submit_form(coordinator, url, walk_in_data(app, next="https://evil.example.org/"))
    assert response.status_code == 303
    assert response.headers["Location"] == f"/review/events/{events[SLUG]}/participants"


# --- import ------------------------------------------------------------------------------------------
HEADER = ["first_name", "last_name", "email", "phone", "gender", "age_band", "organization_type", "organization",
          "province", "city", "workshop", "language", "consent"]


def rows(app):
    base = valid_registration(app, SLUG)
    with app.app_context():
        from portal.events.models import Workshop
        title = db.session.get(Workshop, int(base["workshop"])).title_fr
    return [
        ["Aicha", "Bennani", "", "0612345601", "female", "25_34", "association", "Amal", base["province"], "Oujda",
         title, "ar", "oui"],
        ["Omar", "Tazi", "omar@example.org", "", "male", "35_49", "individual", "", base["province"], "Berkane",
         base["workshop"], "", "oui"],
        ["Nadia", "Alaoui", "", "612345603", "Femme", "50_64", "association", "Tawasol", base["province"], "Nador",
         title, "fr", "oui"],
    ]


def csv_bytes(records) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(records)
    return ("\ufeff" + out.getvalue()).encode()


def xlsx_bytes(records) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for record in records:
        sheet.append(record)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(client, event_id, content: bytes, name="liste.csv"):
    url = f"/review/events/{event_id}/import"
    token = csrf_token(client.get(url).get_data(as_text=True))
    return client.post(url, content_type="multipart/form-data",
                       data={"csrf_token": token, "file": (io.BytesIO(content), name)})


@pytest.mark.parametrize("make", [csv_bytes, xlsx_bytes], ids=["csv", "xlsx"])
def test_a_good_list_is_imported_whole_and_marked(app, coordinator, events, make):
    response = upload(coordinator, events[SLUG], make([HEADER, *rows(app)]))
    assert response.status_code == 303, response.get_data(as_text=True).split("<h2")[2][:3000]
    assert "3 inscriptions importées" in coordinator.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        people = {r.last_name: r for r in db.session.scalars(select(Registration))}
        assert {r.channel for r in people.values()} == {"imported"}
        assert {r.registered_by_name for r in people.values()} == {"acodec"}
        assert people["Alaoui"].phone == "0612345603" and people["Alaoui"].gender == "female"
        assert people["Bennani"].language == "ar" and people["Tazi"].organization_type == "individual"
        assert "importée d'un tableur, enregistrée par acodec" in people["Tazi"].history[0].reason
    # Only the one with an email gets the acknowledgement.
    assert [m.to_address for m in outbox(app)] == ["omar@example.org"]


@pytest.mark.parametrize("make", [csv_bytes, xlsx_bytes], ids=["csv", "xlsx"])
def test_one_bad_row_imports_nothing_and_says_which_row(app, coordinator, events, make):
    good = rows(app)
    bad = list(good[1])
    bad[5] = "centenaire"  # row 3: an age band that does not exist
    response = upload(coordinator, events[SLUG], make([HEADER, good[0], bad, good[2]]))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Le fichier contient 1 erreur : rien n&#39;a été importé" in html
    assert '<tr><td>3</td><td dir="ltr"><code>age_band</code></td>' in html.split('id="report"')[1]
    assert count(app, Registration) == 0 and outbox(app) == []


def test_duplicates_in_the_file_and_in_the_event_are_reported(app, coordinator, events):
    make_registrations(app, events[SLUG], 1, email="omar@example.org")
    good = rows(app)
    twice = list(good[0])
    twice[3] = "+212 6 12 34 56 01"  # row 4: the same phone as row 2
    response = upload(coordinator, events[SLUG], csv_bytes([HEADER, good[0], good[1], twice]))
    report = response.get_data(as_text=True).split('id="report"')[1]
    assert response.status_code == 422
    assert '<tr><td>3</td><td dir="ltr"><code>email</code></td><td>Doublon : déjà inscrite à cet événement' in report
    assert ('<tr><td>4</td><td dir="ltr"><code>phone</code></td><td>Doublon : la même personne est déjà à la '
            'ligne 2') in report
    assert count(app, Registration) == 1


def test_a_wrong_header_is_refused_whole(app, coordinator, events):
    response = upload(coordinator, events[SLUG], csv_bytes([["nom", "prenom"], ["a", "b"]]))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "colonnes manquantes" in html and "colonnes inconnues : nom, prenom" in html


def test_the_template_has_the_expected_columns(coordinator, events):
    response = coordinator.get(f"/review/events/{events[SLUG]}/import/template.csv")
    header = response.get_data(as_text=True).lstrip("\ufeff").splitlines()[0].split(",")
    assert response.status_code == 200 and header[:4] == ["first_name", "last_name", "email", "phone"]
    assert "consent" in header and "workshop" in header


def test_the_import_checks_the_csrf_token(app, coordinator, events):
    response = coordinator.post(f"/review/events/{events[SLUG]}/import", content_type="multipart/form-data",
                                data={"file": (io.BytesIO(csv_bytes([HEADER, *rows(app)])), "a.csv")})
    assert response.status_code == 400 and count(app, Registration) == 0


# --- the paper form ------------------------------------------------------------------------------------
def test_the_paper_form_mirrors_the_online_questions_in_both_languages(app, coordinator, events):
    html = coordinator.get(f"/review/events/{events[SLUG]}/paper-form").get_data(as_text=True).replace("&#39;", "'")
    online = coordinator.get(f"/events/{SLUG}/register").get_data(as_text=True).replace("&#39;", "'")
    for label in ("Prénom", "Tranche d'âge", "Besoins d'accessibilité (facultatif)", "Moins de 18 ans",
                  "Documents en braille", "Association", "Réservé à l'équipe"):
        assert label in html
    # Every workshop offered online is on paper.
    for title in re.findall(r'name="workshop" value="\d+"[^>]*>\s*<label[^>]*>([^<]+)', online):
        assert title.strip() in html
    coordinator.get("/language/ar?next=/")
    arabic = coordinator.get(f"/review/events/{events[SLUG]}/paper-form").get_data(as_text=True)
    assert 'lang="ar" dir="rtl"' in arabic and "Prénom" not in arabic


def test_a_cancelled_event_takes_no_entries(app, coordinator, events):
    with app.app_context():
        from portal.events.models import Event
        db.session.get(Event, events[SLUG]).status = "cancelled"
        db.session.commit()
    assert coordinator.get(f"/review/events/{events[SLUG]}/register").status_code == 409
    assert coordinator.get(f"/review/events/{events[SLUG]}/walk-in").status_code == 409


# --- who may --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("who, organization, expected", [
    ("observer", None, 403), ("coordinator", "ADFM", 404),  # observers cannot; coordinators of their events only
])
def test_only_coordinators_of_the_event_may_enter_registrations(app, auth, events, who, organization, expected):
    client = app.test_client()
    if who == "observer":
        auth.make("observer", events[SLUG])
        auth.sign_in("observer", events[SLUG], client=client)
    else:
        auth.sign_in("coordinator", organization=organization, client=client)
    token = csrf_token(client.get("/login").get_data(as_text=True))
    base = f"/review/events/{events[SLUG]}"
    assert client.post(f"{base}/register", data={**assisted(app), "csrf_token": token}).status_code == expected
    assert client.post(f"{base}/walk-in", data={**walk_in_data(app), "csrf_token": token}).status_code == expected
    response = client.post(f"{base}/import", content_type="multipart/form-data",
                           data={"csrf_token": token, "file": (io.BytesIO(csv_bytes([HEADER, *rows(app)])), "a.csv")})
    assert response.status_code == expected
    for path in ("register", "walk-in", "import", "import/template.csv", "paper-form"):
        assert client.get(f"{base}/{path}").status_code == expected
    assert count(app, Registration) == 0


def test_the_public_event_page_links_to_the_paper_form(client, events):
    page = client.get(f"/events/{SLUG}").get_data(as_text=True)
    assert f'href="/events/{SLUG}/paper-form"' in page
    paper = client.get(f"/events/{SLUG}/paper-form").get_data(as_text=True).replace("&#39;", "'")
    assert "Formulaire d'inscription" in paper and "Téléphone (obligatoire sans adresse e-mail)" in paper
    assert "Réservé à l'équipe" in paper
    assert client.get("/events/no-such-event/paper-form").status_code == 404
