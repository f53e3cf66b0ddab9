"""Mail merge: templates that cannot reach the application, campaigns delivered once per recipient."""

import re

import icalendar
import pytest
from sqlalchemy import select

from portal.campaigns.models import Campaign, MessageTemplate
from portal.campaigns.placeholders import check, render_html, render_text
from portal.directory.models import Institution, InstitutionEmail
from portal.extensions import db
from portal.outbox.worker import deliver_due
from tests.support.data import make_registrations, set_venue
from tests.support.mail import RecordingHandler
from tests.support.outbox import Refusing
from tests.support.web import csrf_token, submit_form

SLUG = "oriental"
HOSTILE_TEMPLATES = [
    "{{ ''.__class__.__mro__ }}", "{{ config }}", "{{ self }}", "{{ first_name.__class__ }}",
    "{{ event.title.upper() }}", "{{ first_name|attr('__class__') }}", "{% import 'os' as os %}",
    "{% for x in range(3) %}x{% endfor %}", "{{ lipsum.__globals__ }}", "{{ request.environ }}", "{{ first_name",
    "{# hidden #}", "{{ cycler.__init__.__globals__.os }}",
]


@pytest.mark.parametrize("text", HOSTILE_TEMPLATES)
def test_hostile_templates_are_refused_when_checked(text):
    assert check(f"Bonjour {text}", "participants")


@pytest.mark.parametrize("text", HOSTILE_TEMPLATES)
def test_hostile_templates_render_inert_even_if_stored(text):
    values = {"first_name": "Amina"}
    rendered = render_text(f"Bonjour {text} !", values)
    assert "class" not in rendered and "SECRET" not in rendered and "os" not in rendered.replace("Bonjour", "")
    assert "{" not in rendered.replace("{{ first_name", "")


def test_unknown_placeholder_is_named_and_known_ones_pass():
    [problem] = check("Bonjour {{ frist_name }}", "participants")
    assert "frist_name" in str(problem)
    assert check("{{ first_name }} {{event.title}} {{ manage_link }}", "participants") == []
    assert check("{{ institution.name }}", "participants")  # not for participants
    assert check("{{ institution.name }} {{ contact.name }}", "institutions") == []


def test_values_are_escaped_in_the_html_part():
    html = render_html("Bonjour {{ first_name }},\n\n{{ manage_link }}", {
        "first_name": "<script>alert(1)</script> =cmd|' /C calc'!A0", "manage_link": "https://x.example/manage/a"}, "ar")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "=cmd|&#39; /C calc&#39;!A0" in html
    assert '<a href="https://x.example/manage/a">' in html and 'dir="rtl"' in html


@pytest.fixture
def admin(app, auth, events):
    for event_id in events.values():
        set_venue(app, event_id)
    return auth.sign_in("admin", organization="MTNRA")


def template_id(app, name):
    with app.app_context():
        return db.session.scalar(select(MessageTemplate.id).where(MessageTemplate.name == name))


def save_regrets(admin, tid, **texts):
    """Send the editor of the "Regrets" template (id `tid`) with its name and purpose and these texts."""
    return submit_form(admin, f"/campaigns/templates/{tid}", {
        "name": "Regrets", "purpose": "regrets", "audience_kind": "participants", "subject_ar": "x", "body_ar": "y",
        **texts})


def test_saving_a_template_with_a_bad_placeholder_is_refused_with_its_name(app, admin):
    tid = template_id(app, "Regrets")
    response = save_regrets(admin, tid, subject_fr="Objet {{ config }}", body_fr="Bonjour {{ prenom }}")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Balise inconnue : {{ prenom }}" in html and "{{ config }}" in html
    with app.app_context():
        assert "config" not in db.session.get(MessageTemplate, tid).subject_fr


def new_campaign(app, admin, template_name, **fields):
    page = admin.get("/campaigns/new").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "template": str(template_id(app, template_name)), **fields}
    response = admin.post("/campaigns/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def send(admin, campaign_id):
    page = admin.get(f"/campaigns/{campaign_id}").get_data(as_text=True)
    return admin.post(f"/campaigns/{campaign_id}/send", data={"csrf_token": csrf_token(page)})


def deliver_all(app):
    with app.app_context():
        while deliver_due()["claimed"]:
            pass
        db.session.remove()


def confirmation_reaches_each_approved_participant_once(app, admin, events, smtp_server, approved: int) -> None:
    """A confirmation campaign to `approved` participants (and 5 pending ones, left out): each gets
    one message in their name, with a manage link of their own that opens their registration."""
    ids = make_registrations(app, events[SLUG], approved, status="approved")
    make_registrations(app, events[SLUG], 5, status="pending")
    campaign_id = new_campaign(app, admin, "Confirmation de participation", event=str(events[SLUG]), status="approved")
    page = admin.get(f"/campaigns/{campaign_id}").get_data(as_text=True)
    assert f"Destinataires : {approved}" in page
    assert send(admin, campaign_id).status_code == 303
    assert send(admin, campaign_id).status_code == 303  # a second click sends nothing more
    deliver_all(app)
    messages = smtp_server.messages
    assert len(messages) == approved
    assert len({envelope.rcpt_tos[0] for envelope, _ in messages}) == approved
    with app.app_context():
        from portal.registration.models import Registration
        people = {r.email: r for r in db.session.scalars(select(Registration).where(Registration.id.in_(ids)))}
        links = {}
        for envelope, message in messages:
            person = people[envelope.rcpt_tos[0]]
            text = message.get_body(("plain",)).get_content()
            assert f"Bonjour {person.first_name}," in text
            links[person.last_name] = re.search(r"http://portal\.example\.org(/manage/[A-Za-z0-9_-]{40,})", text).group(1)
            assert "Droit d'accès à l'information" in text  # their workshop
        assert db.session.get(Campaign, campaign_id).recipient_count == approved
    assert len(set(links.values())) == approved  # a link of its own in each message
    visitor = app.test_client()
    for last_name, link in list(links.items())[:5]:  # and each opens its own registration
        assert last_name in visitor.get(link).get_data(as_text=True)


def test_confirmation_to_200_approved_participants_each_once(app, admin, events, smtp_server):
    """Four batches of the outbox; 1,000 participants: `make bench` (benchmarks/test_volume_bench.py)."""
    confirmation_reaches_each_approved_participant_once(app, admin, events, smtp_server, 200)


def test_invitation_reaches_every_address_of_every_selected_institution_once(app, admin, events, smtp_server):
    with app.app_context():
        for index, (kind, region) in enumerate([("wilaya", "02"), ("region_council", "02"), ("province", "02"),
                                                ("wilaya", "03"), ("consultative_body", "02")]):
            institution = Institution(kind=kind, name_fr=f"Institution {index}", name_ar=f"مؤسسة {index}",
                                      region_code=region, contact_name=f"Contact {index}", language="fr")
            institution.emails = [InstitutionEmail(email=f"inst{index}-{n}@example.org") for n in range(index % 3 + 1)]
            db.session.add(institution)
        db.session.commit()
    campaign_id = new_campaign(app, admin, "Invitation institutionnelle", event=str(events[SLUG]),
                               kind=["wilaya", "region_council", "province"], region="02")
    send(admin, campaign_id)
    send(admin, campaign_id)
    deliver_all(app)
    received = sorted(envelope.rcpt_tos[0] for envelope, _ in smtp_server.messages)
    assert received == ["inst0-0@example.org", "inst1-0@example.org", "inst1-1@example.org",
                        "inst2-0@example.org", "inst2-1@example.org", "inst2-2@example.org"]
    text = smtp_server.messages[0][1].get_body(("plain",)).get_content()
    assert "Institution" in text and "2e événement de co-création" in text


def test_arabic_message_with_its_calendar_invitation(app, admin, events, smtp_server):
    [_person] = make_registrations(app, events[SLUG], 1, status="approved", language="ar", first_name="فاطمة",
                                  last_name="الزهراء")
    campaign_id = new_campaign(app, admin, "Confirmation de participation", event=str(events[SLUG]),
                               status="approved", include_ics="y")
    send(admin, campaign_id)
    deliver_all(app)
    [(_envelope, message)] = smtp_server.messages
    # The inserted title is isolated (U+2068…U+2069): the template's colon stays on its side.
    assert message["Subject"] == "تأكيد مشاركتكم: \u2068لقاء الإعداد المشترك الثاني: جهة الشرق\u2069"
    assert "فاطمة الزهراء" in message["To"]
    text = message.get_body(("plain",)).get_content()
    assert text.startswith("مرحبًا \u2068فاطمة\u2069،") and "بمدينة \u2068وجدة\u2069" in text
    [ics] = [part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]
    calendar = icalendar.Calendar.from_ical(ics.get_content() if isinstance(ics.get_content(), str) else ics.get_content().decode())
    [event] = calendar.walk("VEVENT")
    start = event.decoded("dtstart")
    assert start.tzinfo is not None and str(start.tzinfo) == "Africa/Casablanca"
    assert (start.month, start.day, start.hour) == (10, 19, 9)
    # The invitation speaks the recipient's language: place, title and the day written in Arabic.
    assert "وجدة" in str(event.get("location")) and "Oujda" not in str(event.get("location"))
    assert str(event.get("summary")) == "لقاء الإعداد المشترك الثاني: جهة الشرق"
    assert re.match(r"\S+ 19 أكتوبر \d{4} على الساعة 09:00\n", str(event.get("description")))


def test_progress_panel_and_retry_of_failures(app, admin, events, smtp_server):
    make_registrations(app, events[SLUG], 4, status="rejected")
    campaign_id = new_campaign(app, admin, "Regrets", event=str(events[SLUG]), status="rejected")
    send(admin, campaign_id)
    panel = admin.get(f"/campaigns/{campaign_id}/progress?announced=", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'hx-trigger="every 2s"' in panel and '<progress' in panel and 'value="0"' in panel
    assert 'hx-swap-oob="true"' in panel  # the first step is announced
    again = admin.get(f"/campaigns/{campaign_id}/progress?announced=0", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "progress-announce" not in again  # nothing new to say

    smtp_server.start(Refusing(answer="550 5.1.1 Mailbox unavailable"))
    deliver_all(app)
    panel = admin.get(f"/campaigns/{campaign_id}/progress?announced=0", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "hx-trigger" not in panel  # finished: it stops polling
    assert "550 5.1.1 Mailbox unavailable" in panel and "Envoi terminé. Envoyés : 0 ; en échec : 4." in panel
    smtp_server.start(RecordingHandler())
    page = admin.get(f"/campaigns/{campaign_id}").get_data(as_text=True)
    admin.post(f"/campaigns/{campaign_id}/retry", data={"csrf_token": csrf_token(page)})
    deliver_all(app)
    assert len(smtp_server.messages) == 4


def test_preview_shows_a_chosen_recipients_real_data(app, admin, events):
    _a, b = make_registrations(app, events[SLUG], 2, status="approved", first_name=lambda i: ["Salma", "Youssef"][i])
    campaign_id = new_campaign(app, admin, "Confirmation de participation", event=str(events[SLUG]), status="approved")
    page = admin.get(f"/campaigns/{campaign_id}?preview=registration:{b}").get_data(as_text=True)
    assert "Bonjour Youssef," in page and "Aperçu pour Youssef" in page


def test_attachments_over_5_mb_are_refused(app, admin, events):
    import io
    page = admin.get("/campaigns/new").get_data(as_text=True)
    response = admin.post("/campaigns/new", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(page), "template": str(template_id(app, "Regrets")), "event": str(events[SLUG]),
        "attachments": (io.BytesIO(b"x" * (5 * 1024 * 1024 + 10)), "programme.pdf")})
    assert response.status_code == 422 and "5 Mo" in response.get_data(as_text=True)


def test_a_refused_tag_is_quoted_escaped_on_the_editor(app, admin):
    tid = template_id(app, "Regrets")
    response = save_regrets(admin, tid, subject_fr="{{ <img src=x onerror=alert(1)> }}", body_fr="x")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_hostile_names_arrive_escaped_in_the_html_part(app, admin, events, smtp_server):
    make_registrations(app, events[SLUG], 1, status="approved", first_name="<script>alert(1)</script>",
                       last_name="=cmd|' /C calc'!A0")
    campaign_id = new_campaign(app, admin, "Confirmation de participation", event=str(events[SLUG]), status="approved")
    send(admin, campaign_id)
    deliver_all(app)
    [(_envelope, message)] = smtp_server.messages
    html = message.get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    text = message.get_body(("plain",)).get_content()
    assert "Bonjour <script>alert(1)</script>," in text  # the plain part is plain text, as typed
