"""Placeholders as declared objects: every one renders for every audience it belongs to, and a
missing value stops the campaign at preview time instead of leaving a blank in a sent mail."""
import pytest
from sqlalchemy import select

from portal.campaigns.audiences import (
    Criteria,
    event_participants_criteria,
    institution_recipients,
    participant_recipients,
    people_recipients,
)
from portal.campaigns.models import MessageTemplate
from portal.campaigns.placeholders import PLACEHOLDERS, placeholders_for, render_html, render_text
from portal.directory.models import Institution, InstitutionEmail
from portal.events.models import Event, EventRole, Person
from portal.extensions import db
from portal.registration.models import Registration
from tests.support.data import make_registrations, outbox, set_venue
from tests.support.web import csrf_token

SLUG = "oriental"
AUDIENCES = ("participants", "institutions", "people", "event_participants")


def _institution(**fields) -> int:
    values = {"kind": "wilaya", "name_fr": "Wilaya de l'Oriental", "name_ar": "ولاية جهة الشرق",
              "region_code": "02", "contact_name": "M. Alaoui", "contact_title": "Wali", "language": "fr", **fields}
    institution = Institution(**values)
    institution.emails = [InstitutionEmail(email="wilaya@example.org")]
    db.session.add(institution)
    db.session.commit()
    return institution.id


def _recipient(app, events, audience, language):
    if audience in ("participants", "event_participants"):
        make_registrations(app, events[SLUG], 1, language=language, status="approved")  # its own session
        make_registrations(app, events[SLUG], 1, language=language, status="pending")
        event = db.session.get(Event, events[SLUG])
        criteria = event_participants_criteria(event) if audience == "event_participants" else Criteria(statuses=["approved"])
        [recipient] = participant_recipients(event, criteria)
    elif audience == "institutions":
        _institution(language=language)
        event = db.session.get(Event, events[SLUG])
        [recipient] = institution_recipients(event, Criteria())
    else:
        event = db.session.get(Event, events[SLUG])
        person = Person(name_fr="Salma Bennani", name_ar="سلمى بناني", email="salma@example.org")
        event.roles += [EventRole(person=person, role=role, status="confirmed") for role in ("speaker", "rapporteur")]
        db.session.commit()
        # A person has no language: the campaign chooses the version they get.
        [recipient] = people_recipients(event, Criteria(language=language))
    return recipient


def test_every_placeholder_belongs_to_an_audience_and_has_a_label():
    assert {p.name for p in PLACEHOLDERS} == {p.name for a in AUDIENCES for p in placeholders_for(a)}
    assert all(str(p.label) for p in PLACEHOLDERS)
    assert len({p.name for p in PLACEHOLDERS}) == len(PLACEHOLDERS)


@pytest.mark.parametrize("language", ["fr", "ar"])
@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_placeholder_renders_for_every_audience_it_belongs_to(app, events, audience, language):
    set_venue(app, events[SLUG])  # the demo events have no city nor venue yet: the minutes name none
    with app.app_context():
        recipient = _recipient(app, events, audience, language)
        for placeholder in placeholders_for(audience):
            value = recipient.values[placeholder.name]
            assert value, f"{{{{ {placeholder.name} }}}} has no value for {audience} ({language})"
            text = render_text(f"« {{{{ {placeholder.name} }}}} »", recipient.values)
            assert text == f"« {value} »"
            assert "{{" not in render_html(f"{{{{ {placeholder.name} }}}}", recipient.values, language)
        if audience == "event_participants":
            assert recipient.values["event.proposals_link"] == f"http://portal.example.org/propositions/events/{SLUG}"
        if audience in ("participants", "event_participants"):
            registration = db.session.scalar(select(Registration).where(Registration.status == "approved"))
            # A stand-in in previews; each sent message gets a link of its own (test_campaigns).
            assert recipient.values["manage_link"] == "http://portal.example.org/manage/lien-personnel"
            assert recipient.values["first_name"] == registration.first_name
        elif audience == "institutions":
            assert recipient.values["contact.title"] == "Wali"
        elif language == "ar":
            assert (recipient.values["person_name"], recipient.values["roles"]) == ("سلمى بناني", "متدخل(ة)، مقرر(ة)")
        else:
            assert (recipient.values["person_name"], recipient.values["roles"]) == (
                "Salma Bennani", "Intervenant(e), Rapporteur(e)")
        assert recipient.values["event.link"] == "http://portal.example.org/events/oriental"
        db.session.remove()


@pytest.fixture
def admin(auth, events):
    return auth.sign_in("admin")


def _campaign_for(app, admin, body, **fields):
    page = admin.get("/campaigns/templates/new").get_data(as_text=True)
    response = admin.post("/campaigns/templates/new", data={
        "csrf_token": csrf_token(page), "name": "Avec fonction", "purpose": "invitation", "audience_kind": "institutions",
        "subject_fr": "Invitation", "body_fr": body, "subject_ar": "دعوة", "body_ar": body})
    assert response.status_code == 303, response.get_data(as_text=True)[:1000]
    with app.app_context():
        template_id = db.session.scalar(select(MessageTemplate.id).where(MessageTemplate.name == "Avec fonction"))
    page = admin.get("/campaigns/new").get_data(as_text=True)
    response = admin.post("/campaigns/new", data={"csrf_token": csrf_token(page), "template": str(template_id), **fields},
                          content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)[:1000]
    return response.headers["Location"]


def test_a_missing_value_is_shown_at_preview_and_nothing_is_sent(app, admin, events):
    with app.app_context():
        _institution(contact_title="")
    url = _campaign_for(app, admin, "Madame, Monsieur {{ contact.title }},\n\nVenez à {{ event.title }}.",
                        event=str(events[SLUG]))
    page = admin.get(url).get_data(as_text=True)
    assert "pas de valeur pour" in page and "{{ contact.title }}" in page
    assert "wilaya@example.org" in page  # who lacks it
    assert "Envoyer à 1 destinataire" not in page  # no button
    response = admin.post(f"{url}/send", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 409
    assert outbox(app) == []


def test_an_event_placeholder_without_an_event_is_a_missing_value_too(app, admin, events):
    with app.app_context():
        _institution()
    url = _campaign_for(app, admin, "Bonjour {{ contact.name }}, rendez-vous le {{ event.date }}.")
    page = admin.get(url).get_data(as_text=True)
    assert "{{ event.date }}" in page and "pas de valeur pour" in page
    assert admin.post(f"{url}/send", data={"csrf_token": csrf_token(page)}).status_code == 409
    assert outbox(app) == []
