"""The public registration form through the test client: the rules of the issue, one by one."""
import datetime as dt
import re

from sqlalchemy import select

from portal.events.models import Event
from portal.extensions import db
from portal.outbox.models import OutboxMessage
from portal.registration.models import Registration
from tests.support.data import count, mailed_manage_path, outbox, registrations
from tests.support.web import csrf_token, form_page, post_registration, valid_registration

SLUG = "oriental"


def _without_tokens(html: str) -> str:
    """The page without its CSRF tokens (signed with the time: two pages a second apart differ)."""
    return re.sub(r'("X-CSRFToken": "|name="csrf_token"[^>]*?value=")[^"]+', r"\1", html)


def test_valid_registration_answers_303_to_a_confirmation_that_points_to_the_mail(app, client, events):
    response = post_registration(client, SLUG, valid_registration(app, SLUG))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/events/{SLUG}/register/done")
    [registration] = registrations(app)
    assert registration.status == "pending"
    assert registration.email == "amina@example.org"
    assert not registration.out_of_region
    done = client.get(response.headers["Location"])
    page = done.get_data(as_text=True)
    assert "Vérifiez votre messagerie" in page and "a•••@example.org" in page
    assert done.headers["Cache-Control"] == "no-store"
    # The reference and the personal link travel by mail only, to the address's owner.
    assert registration.reference not in page and "/manage/" not in page
    [message] = outbox(app)
    assert message.to_address == "amina@example.org" and message.status == "queued"
    assert registration.reference in message.body_text and mailed_manage_path(app) in message.body_text
    # Shown once: a reload (or the back button) no longer names the address.
    again = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "a•••@example.org" not in again and "accusé de réception de votre demande vous a été envoyé par e-mail" in again


def test_refused_submission_shows_errors_summary_and_keeps_values(app, client, events):
    data = valid_registration(app, SLUG, email="not-an-email", first_name="Zineb", consent=None)
    response = post_registration(client, SLUG, data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<title>Erreur : " in html
    assert 'id="error-summary"' in html
    assert 'href="#email"' in html and 'href="#consent"' in html
    assert 'value="Zineb"' in html and 'value="not-an-email"' in html
    assert 'id="email-error"' in html
    assert count(app, Registration) == 0


def test_empty_submission_lists_every_required_field(app, client, events):
    token = csrf_token(form_page(client, SLUG))
    html = client.post(f"/events/{SLUG}/register", data={"csrf_token": token}).get_data(as_text=True)
    for field in ("first_name", "last_name", "email", "gender-0", "age_band-0", "organization_type", "province",
                  "city", "workshop-0", "consent"):
        assert f'href="#{field}"' in html, field


def test_arabic_error_title_prefix(app, client, events):
    client.set_cookie("portal_lang", "ar")
    response = post_registration(client, SLUG, valid_registration(app, SLUG, consent=None))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<title>خطأ: " in html
    assert '<html lang="ar" dir="rtl">' in html


def test_duplicate_email_creates_nothing_reveals_nothing_and_mails_the_manage_link(app, client, events):
    first = post_registration(client, SLUG, valid_registration(app, SLUG))
    first_page = client.get(first.headers["Location"]).get_data(as_text=True)
    again = valid_registration(app, SLUG, email="AMINA@example.org", first_name="Someone", last_name="Else")
    response = post_registration(client, SLUG, again)
    # The same answer as a new registration: the page does not tell the address is registered.
    assert response.status_code == first.status_code == 303
    assert response.headers["Location"] == first.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert _without_tokens(page.replace("A•••", "a•••")) == _without_tokens(first_page) and "déjà" not in page
    [registration] = registrations(app)
    assert registration.first_name == "Amina"  # nothing overwritten
    messages = outbox(app)
    assert len(messages) == 2
    # The reminder, to the address's owner, carries a link of its own that opens the registration.
    reminder_link = mailed_manage_path(app)
    assert reminder_link in messages[1].body_text and reminder_link not in messages[0].body_text
    assert registration.reference in client.get(reminder_link).get_data(as_text=True)
    # A third attempt within the hour does not mail again (no spamming through the form).
    post_registration(client, SLUG, again)
    assert len(outbox(app)) == 2


def test_same_email_may_register_for_another_event(app, client, events):
    assert post_registration(client, SLUG, valid_registration(app, SLUG)).status_code == 303
    assert post_registration(client, "fes-meknes", valid_registration(app, "fes-meknes")).status_code == 303
    assert len(registrations(app)) == 2


def test_registration_beyond_capacity_is_accepted_as_pending(app, client, events):
    with app.app_context():
        db.session.get(Event, events[SLUG]).capacity = 1
        db.session.commit()
    for n in range(3):
        response = post_registration(client, SLUG, valid_registration(app, SLUG, email=f"p{n}@example.org"))
        assert response.status_code == 303
    assert [r.status for r in registrations(app)] == ["pending"] * 3
    page = client.get(f"/events/{SLUG}").get_data(as_text=True)
    assert "Inscriptions reçues : 3, pour 1 place" in page


def test_out_of_region_registrants_are_accepted_and_flagged(app, client, events):
    data = valid_registration(app, SLUG, province="09.001")  # Agadir Ida-Outanane, Souss-Massa
    assert post_registration(client, SLUG, data).status_code == 303
    [registration] = registrations(app)
    assert registration.out_of_region


def test_forged_province_and_workshop_are_refused(app, client, events):
    with app.app_context():
        other = db.session.scalar(select(Event).where(Event.slug == "fes-meknes"))
        foreign_workshop = str(other.workshops[0].id)
    for forged in ({"province": "99.999"}, {"workshop": foreign_workshop}, {"workshop": "abc"},
                   {"gender": "robot"}, {"age_band": "0"}, {"language": "en"}, {"access_needs": "x"}):
        response = post_registration(client, SLUG, valid_registration(app, SLUG, **forged))
        assert response.status_code == 422, forged
    assert count(app, Registration) == 0


def test_closed_event_refuses_with_a_reason_and_keeps_nothing(app, client, events):
    with app.app_context():
        event = db.session.get(Event, events[SLUG])
        data_event_id = event.id
        event.registration_closes_at = dt.datetime(2020, 1, 1)
        db.session.commit()
    page = client.get(f"/events/{SLUG}/register")
    assert page.status_code == 200 and "closes depuis le" in page.get_data(as_text=True)
    token = csrf_token(form_page(client, "fes-meknes"))  # a session token from an open form
    response = client.post(f"/events/{SLUG}/register", data={**valid_registration(app, SLUG), "csrf_token": token})
    assert response.status_code == 403
    assert "Aucune inscription n'a été enregistrée" in response.get_data(as_text=True)
    assert registrations(app, event_id=data_event_id) == []


def test_unpublished_event_is_not_found(app, client, events):
    with app.app_context():
        db.session.get(Event, events[SLUG]).status = "draft"
        db.session.commit()
    assert client.get(f"/events/{SLUG}").status_code == 404
    assert client.get(f"/events/{SLUG}/register").status_code == 404


def test_missing_csrf_token_is_refused(app, client, events):
    response = client.post(f"/events/{SLUG}/register", data=valid_registration(app, SLUG))
    assert response.status_code == 400
    assert count(app, Registration) == 0


def test_honeypot_is_silently_dropped(app, client, events):
    response = post_registration(client, SLUG, valid_registration(app, SLUG, website="http://spam.example"))
    assert response.status_code == 303
    assert count(app, Registration) == 0
    assert count(app, OutboxMessage) == 0


def test_access_needs_require_their_own_consent(app, client, events):
    data = valid_registration(app, SLUG, access_needs=["wheelchair", "sign_language"])
    response = post_registration(client, SLUG, data)
    assert response.status_code == 422
    assert 'href="#consent_needs"' in response.get_data(as_text=True)
    response = post_registration(client, SLUG, {**data, "consent_needs": "y"})
    assert response.status_code == 303
    [registration] = registrations(app)
    assert registration.access_needs == ["wheelchair", "sign_language"]
    assert registration.consent_needs_at is not None


def test_other_need_requires_details(app, client, events):
    data = valid_registration(app, SLUG, access_needs=["other"], consent_needs="y")
    response = post_registration(client, SLUG, data)
    assert response.status_code == 422
    assert 'href="#access_needs_details"' in response.get_data(as_text=True)


def test_htmx_refusal_returns_the_form_fragment_with_its_title(app, client, events):
    response = post_registration(client, SLUG, valid_registration(app, SLUG, city=""), headers={"HX-Request": "true"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith("<title>Erreur : ")
    assert "<html" not in html and 'id="registration-form"' in html
    assert "HX-Request" in response.headers["Vary"]


def test_htmx_success_navigates_to_the_confirmation(app, client, events):
    response = post_registration(client, SLUG, valid_registration(app, SLUG), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.headers["HX-Redirect"].endswith(f"/events/{SLUG}/register/done")
    assert count(app, Registration) == 1


def test_inline_check_returns_one_field_group(app, client, events):
    token = csrf_token(form_page(client, SLUG))
    response = client.post(f"/events/{SLUG}/register/check/email", data={"email": "nope", "csrf_token": token},
                           headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.strip().startswith('<div class="field field-invalid" id="group-email">')
    assert "adresse e-mail valide" in html
    ok = client.post(f"/events/{SLUG}/register/check/email", data={"email": "a@example.org", "csrf_token": token})
    assert "field-invalid" not in ok.get_data(as_text=True)
    assert client.post(f"/events/{SLUG}/register/check/secret", data={"csrf_token": token}).status_code == 404
