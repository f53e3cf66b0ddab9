"""An event's people (speakers, experts, rapporteurs...) as a campaign audience: chosen by event,
role and status; a person matching through several roles or events gets one mail; people with no
address are listed, not silently left out; their placeholders carry their name and roles."""
import pytest
from sqlalchemy import select

from portal.campaigns.models import MessageTemplate
from portal.events.models import Event, EventRole, Person
from portal.extensions import db
from tests.support.data import set_venue
from tests.support.web import csrf_token, submit_form

ORIENTAL, FES = "oriental", "fes-meknes"
THANKS = "Merci pour vos rôles"  # the template written to the people of every event


@pytest.fixture
def admin(app, auth, events):
    for event_id in events.values():
        set_venue(app, event_id)
    return auth.sign_in("admin", organization="MTNRA")


@pytest.fixture
def people(app, events):
    """Salma: confirmed speaker in two events and rapporteur in one. Karim: declined. Nadia:
    confirmed, no address. Youssef: rapporteur in Oriental, still to invite."""
    with app.app_context():
        oriental, fes = db.session.get(Event, events[ORIENTAL]), db.session.get(Event, events[FES])
        salma = Person(name_fr="Salma Bennani", name_ar="سلمى بناني", email="salma@example.org")
        karim = Person(name_fr="Karim Tazi", email="karim@example.org")
        nadia = Person(name_fr="Nadia Amrani", organization="Association Tafra")
        youssef = Person(name_fr="Youssef Idrissi", email="youssef@example.org")
        oriental.roles += [EventRole(person=salma, role="speaker", status="confirmed"),
                           EventRole(person=salma, role="rapporteur", status="confirmed"),
                           EventRole(person=karim, role="speaker", status="declined"),
                           EventRole(person=nadia, role="expert", status="confirmed"),
                           EventRole(person=youssef, role="rapporteur", status="to_invite")]
        fes.roles += [EventRole(person=salma, role="speaker", status="confirmed"),
                      EventRole(person=karim, role="expert", status="invited")]
        db.session.commit()


def template_id(app, name):
    with app.app_context():
        return db.session.scalar(select(MessageTemplate.id).where(MessageTemplate.name == name))


def new_campaign(app, admin, template_name, **fields):
    page = admin.get("/campaigns/new").get_data(as_text=True)
    response = admin.post("/campaigns/new", data={"csrf_token": csrf_token(page),
                                                  "template": str(template_id(app, template_name)), **fields},
                          content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return response.headers["Location"]


def send_and_deliver(app, admin, url, smtp_server):
    from portal.outbox.worker import deliver_due
    page = admin.get(url).get_data(as_text=True)
    assert admin.post(f"{url}/send", data={"csrf_token": csrf_token(page)}).status_code == 303
    with app.app_context():
        while deliver_due()["claimed"]:
            pass
        db.session.remove()
    return smtp_server.messages


def write_thanks_template(admin):
    """A template for people that names no event (so it can go to the people of every event)."""
    response = submit_form(admin, "/campaigns/templates/new", {
        "name": "Remerciements", "purpose": "other", "audience_kind": "people",
        "subject_fr": "Merci {{ person_name }}", "body_fr": f"Bonjour {{{{ person_name }}}},\n\n{THANKS} : {{{{ roles }}}}.",
        "subject_ar": "شكرًا {{ person_name }}", "body_ar": "مرحبًا {{ person_name }}،\n\nأدواركم: {{ roles }}."})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]


def test_the_screens_offer_the_people_audience_and_its_criteria(admin):
    editor = admin.get("/campaigns/templates/new").get_data(as_text=True)
    assert 'value="people"' in editor
    form = admin.get("/campaigns/new").get_data(as_text=True)
    assert "Invitation à intervenir (Intervenantes et intervenants des événements)" in form
    assert 'name="role" value="rapporteur"' in form and 'name="person_status" value="declined"' in form
    assert 'name="people_language" value="ar"' in form


def test_a_person_confirmed_in_two_events_and_two_roles_gets_one_mail(app, admin, events, people, smtp_server):
    write_thanks_template(admin)
    url = new_campaign(app, admin, "Remerciements", person_status="confirmed")  # no event: every event
    page = admin.get(url).get_data(as_text=True)
    assert "Destinataires : 1" in page
    assert "karim@example.org" not in page  # declined in Oriental, only invited in Fès
    # Nadia is confirmed but has no address: named on the page, not silently dropped.
    assert "personnes sans adresse e-mail ne recevront rien" in page
    nadia = page[page.index("Nadia Amrani"):].split("</li>")[0]
    assert "(Association Tafra) : pas d'adresse" in nadia
    assert f'href="/organizing/events/{events[ORIENTAL]}/people"' in nadia  # where to add it
    messages = send_and_deliver(app, admin, url, smtp_server)
    assert [envelope.rcpt_tos for envelope, _ in messages] == [["salma@example.org"]]
    [(_envelope, message)] = messages
    assert message["Subject"] == "Merci Salma Bennani"
    text = message.get_body(("plain",)).get_content()
    assert f"{THANKS} : Intervenant(e), Rapporteur(e)." in text  # each role once, whatever the events
    # Sending again writes to nobody: the outbox holds one message per person and campaign.
    assert len(send_and_deliver(app, admin, url, smtp_server)) == 1


def test_the_rapporteurs_of_one_event_in_arabic(app, admin, events, people, smtp_server):
    url = new_campaign(app, admin, "Invitation à intervenir", event=str(events[ORIENTAL]), role="rapporteur",
                       people_language="ar")
    page = admin.get(url).get_data(as_text=True)
    assert "Destinataires : 2" in page  # Salma (confirmed) and Youssef (to invite): no status chosen
    assert "sans adresse" not in page  # Nadia is an expert
    messages = send_and_deliver(app, admin, url, smtp_server)
    assert sorted(envelope.rcpt_tos[0] for envelope, _ in messages) == ["salma@example.org", "youssef@example.org"]
    [salma] = [message for envelope, message in messages if envelope.rcpt_tos == ["salma@example.org"]]
    assert salma["Subject"].startswith("دعوة للمساهمة: ")
    text = salma.get_body(("plain",)).get_content()
    # Her Arabic name, and only the role this campaign is about (not her speaker roles).
    assert text.startswith("مرحبًا \u2068سلمى بناني\u2069،") and "بصفتكم: \u2068مقرر(ة)\u2069." in text and "متدخل" not in text
    assert "بمدينة \u2068وجدة\u2069" in text


def test_the_speakers_of_every_event_not_declined(app, admin, people, smtp_server):
    write_thanks_template(admin)
    url = new_campaign(app, admin, "Remerciements", role="speaker")
    page = admin.get(url).get_data(as_text=True)
    assert "Destinataires : 1" in page and "salma@example.org" in page and "karim@example.org" not in page
    url = new_campaign(app, admin, "Remerciements", role="speaker", person_status="declined")
    page = admin.get(url).get_data(as_text=True)
    assert "Destinataires : 1" in page and "karim@example.org" in page and "salma@example.org" not in page


def test_an_event_placeholder_needs_an_event(app, admin, people, smtp_server):
    url = new_campaign(app, admin, "Invitation à intervenir", person_status="confirmed")
    page = admin.get(url).get_data(as_text=True)
    assert "pas de valeur pour" in page and "{{ event.title }}" in page
    assert admin.post(f"{url}/send", data={"csrf_token": csrf_token(page)}).status_code == 409
    assert smtp_server.messages == []
