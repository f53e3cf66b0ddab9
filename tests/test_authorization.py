"""The authorisation matrix: every back-office URL, every kind of user, own and foreign objects.

The test walks the app's URL map, so a new route must be classified here or the test fails.
"""
import io
import re

import pytest

from tests.support.data import make_registrations
from tests.support.web import csrf_token

# Public routes anyone may open (no personal data but one's own, behind an unguessable token).
PUBLIC = {"static", "pages.privacy", "pages.accessibility", "pages.set_language", "catalogue.home", "catalogue.event",
          "registration.form", "registration.check_field", "registration.done", "manage.show", "manage.update",
          "manage.cancel_registration", "manage.download", "manage.erase_registration", "geo.province_options", "accounts.login", "accounts.logout",
          "accounts.forgot_password", "accounts.reset_password", "offers.show",
          "invitations.answer",  # an institution's answer to its invitation
          # the second step of signing in: only for the browser that gave the password a moment ago
          "accounts.second_factor", "accounts.enrol_at_sign_in"}
SIGNED_IN = {"review.dashboard", "accounts.change_password", "accounts.two_factor"}
# Per event: the action needed. VIEW: admin, coordinators of the event, observers given it.
EVENT_VIEW = {"review.participants", "review.participant", "distribution.page",
              "exports.export_csv", "exports.export_xlsx", "organizing.protocol"}
EVENT_DECIDE = {"review.bulk_decision", "review.row_decision", "review.add_internal_note", "review.reservations"}
# The ministry's own tools: admins only (anonymous → sign-in page, every other role → 403).
ADMIN_ONLY = {"directory.index", "directory.create", "directory.edit", "directory.import_csv",
              "directory.import_template", "campaigns.index", "campaigns.new", "campaigns.show",
              "campaigns.send_campaign", "campaigns.retry", "campaigns.progress_panel", "message_templates.index",
              "message_templates.new", "message_templates.edit", "people.find", "people.download",
              "people.erase_all", "accounts.accounts_index", "accounts.reset_two_factor"}
ADMIN_POST_ONLY = {"campaigns.send_campaign", "campaigns.retry", "people.erase_all", "accounts.reset_two_factor"}

# who -> (role, organisation). ACODEC co-organises the own event (oriental); ADFM neither event.
USERS = {
    "admin": ("admin", None),
    "coordinator": ("coordinator", "ACODEC"),
    "other_coordinator": ("coordinator", "ADFM"),
    "observer": ("observer", None),
}


def test_every_route_is_classified(app):
    known = PUBLIC | SIGNED_IN | EVENT_VIEW | EVENT_DECIDE | ADMIN_ONLY
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - known == set(), "classify the new routes in tests/test_authorization.py"
    assert known - endpoints == set()


@pytest.fixture
def world(app, auth, events):
    own_event, foreign_event = events["oriental"], events["fes-meknes"]
    for role, organization in USERS.values():
        auth.make(role, own_event if role == "observer" else None, organization=organization)
    own = make_registrations(app, own_event, 1)[0]
    foreign = make_registrations(app, foreign_event, 1)[0]
    return {"own_event": own_event, "foreign_event": foreign_event, "own": own, "foreign": foreign}


def client_for(app, auth, who):
    client = app.test_client()
    if who != "anonymous":
        role, organization = USERS[who]
        auth.sign_in(role, organization=organization, client=client)
    return client


def event_urls(world, which):
    event_id = world[f"{which}_event"]
    registration = world[which]
    base = f"/review/events/{event_id}"
    return {
        "review.participants": ("GET", f"{base}/participants"),
        "review.participant": ("GET", f"{base}/participants/{registration}"),
        "distribution.page": ("GET", f"{base}/distribution"),
        "exports.export_csv": ("GET", f"{base}/export.csv"),
        "exports.export_xlsx": ("GET", f"{base}/export.xlsx"),
        "organizing.protocol": ("GET", f"/organizing/events/{event_id}/protocol"),
        "review.reservations": ("GET", f"{base}/reservations"),
        "review.bulk_decision": ("POST", f"{base}/decisions"),
        "review.row_decision": ("POST", f"{base}/participants/{registration}/decision"),
        "review.add_internal_note": ("POST", f"{base}/participants/{registration}/notes"),
    }


# who -> which object -> expected status for a VIEW route and for a DECIDE route
EXPECTED = {
    "anonymous": {"own": (302, 302), "foreign": (302, 302)},
    "observer": {"own": (200, 403), "foreign": (404, 404)},
    "other_coordinator": {"own": (404, 404), "foreign": (404, 404)},
    "coordinator": {"own": (200, 200), "foreign": (404, 404)},
    "admin": {"own": (200, 200), "foreign": (200, 200)},
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_matrix(app, auth, world, who):
    client = client_for(app, auth, who)
    token = csrf_token(client.get("/login").get_data(as_text=True))
    for which in ("own", "foreign"):
        view_status, decide_status = EXPECTED[who][which]
        for endpoint, (method, url) in event_urls(world, which).items():
            if method == "GET":
                response = client.get(url)
                response.get_data()  # a streamed export runs to its end, as a browser would
                response.close()
            else:
                data = {"csrf_token": token, "decision": "waitlist", "body": "note",
                        "registration": str(world[which]), "return_query": ""}
                response = client.post(url, data=data)
            expected = view_status if endpoint in EVENT_VIEW else decide_status
            if expected == 200 and method == "POST":
                assert response.status_code in (200, 303), (who, which, endpoint, response.status_code)
            else:
                assert response.status_code == expected, (who, which, endpoint, response.status_code)
            if expected == 302:
                assert "/login" in response.headers["Location"]
    for url in ("/review/", "/account/password", "/account/two-factor"):
        assert client.get(url).status_code == (302 if who == "anonymous" else 200)


def test_observer_sees_no_health_data_even_by_asking(app, auth, world):
    make_registrations(app, world["own_event"], 1, access_needs=["braille"], access_needs_details="Gros caractères")
    client = client_for(app, auth, "observer")
    page = client.get(f"/review/events/{world['own_event']}/participants").get_data(as_text=True)
    assert "braille" not in page.lower() and "Besoins" not in page
    csv_text = client.get(f"/review/events/{world['own_event']}/export.csv?columns=full").get_data(as_text=True)
    assert "Besoins" not in csv_text and "Gros caractères" not in csv_text
    assert re.search(r"participants-oriental-partners", client.get(
        f"/review/events/{world['own_event']}/export.csv?columns=full").headers["Content-Disposition"])


def admin_urls(app, token):
    """endpoint -> (url, form data of a valid submission or None for GET only)."""
    from portal.directory.models import Institution, InstitutionEmail
    from portal.extensions import db
    with app.app_context():
        institution = Institution(kind="commune", name_fr="Commune d'Oujda", region_code="02", province_code="02.411")
        institution.emails = [InstitutionEmail(email="oujda@example.org")]
        db.session.add(institution)
        db.session.commit()
        institution_id = institution.id
    fields = {"csrf_token": token, "kind": "province", "region_code": "02", "emails": "contact@example.org",
              "language": "fr"}
    from sqlalchemy import select

    from portal.campaigns.models import Campaign, MessageTemplate
    from portal.events.models import Event
    with app.app_context():
        template_id = db.session.scalar(select(MessageTemplate.id).where(MessageTemplate.name == "Regrets"))
        event_id = db.session.scalar(select(Event.id).where(Event.slug == "oriental"))
        campaign = Campaign(template_id=template_id, event_id=event_id, audience_kind="participants",
                            audience="status=rejected")
        db.session.add(campaign)
        db.session.commit()
        campaign_id = campaign.id
    template_fields = {"csrf_token": token, "purpose": "other", "audience_kind": "participants",
                       "subject_fr": "Objet {{ first_name }}", "body_fr": "Bonjour", "subject_ar": "موضوع",
                       "body_ar": "مرحبا"}
    from portal.accounts.models import User
    with app.app_context():
        lost_phone = User(email="lost-phone@example.org", role="observer", password_hash="x", totp_secret="A" * 32)
        db.session.add(lost_phone)
        db.session.commit()
        lost_phone_id = lost_phone.id
    return {
        "accounts.accounts_index": ("/accounts/", None),
        "accounts.reset_two_factor": (f"/accounts/{lost_phone_id}/reset-two-factor", {"csrf_token": token}),
        "campaigns.index": ("/campaigns/", None),
        "campaigns.new": ("/campaigns/new", {"csrf_token": token, "template": str(template_id),
                                             "event": str(event_id), "status": "rejected"}),
        "campaigns.show": (f"/campaigns/{campaign_id}", None),
        "campaigns.send_campaign": (f"/campaigns/{campaign_id}/send", {"csrf_token": token}),
        "campaigns.retry": (f"/campaigns/{campaign_id}/retry", {"csrf_token": token}),
        "campaigns.progress_panel": (f"/campaigns/{campaign_id}/progress", None),
        "message_templates.index": ("/campaigns/templates/", None),
        "message_templates.new": ("/campaigns/templates/new", {**template_fields, "name": "Nouveau modèle"}),
        "message_templates.edit": (f"/campaigns/templates/{template_id}", {**template_fields, "name": "Regrets"}),
        "directory.index": ("/directory/", None),
        "directory.create": ("/directory/new", {**fields, "name_fr": "Province de Nador"}),
        "directory.edit": (f"/directory/{institution_id}/edit", {**fields, "name_fr": "Province de Berkane"}),
        "directory.import_csv": ("/directory/import", {"csrf_token": token, "file": (
            io.BytesIO(b"kind,name_fr,emails\r\nwilaya,Wilaya de l'Oriental,wilaya@example.org\r\n"), "a.csv")}),
        "directory.import_template": ("/directory/import/template.csv", None),
        "people.find": ("/people/?email=nobody%40example.org", None),
        "people.download": ("/people/data.json?email=nobody%40example.org", None),
        "people.erase_all": ("/people/erase", {"csrf_token": token, "email": "nobody@example.org"}),
    }


ADMIN_EXPECTED = {"anonymous": 302, "observer": 403, "coordinator": 403, "other_coordinator": 403, "admin": 200}


@pytest.mark.parametrize("who", list(ADMIN_EXPECTED))
def test_admin_only_matrix(app, auth, world, who):
    client = client_for(app, auth, who)
    urls = admin_urls(app, csrf_token(client.get("/login").get_data(as_text=True)))
    expected = ADMIN_EXPECTED[who]
    for endpoint in sorted(ADMIN_ONLY):
        url, data = urls[endpoint]  # a KeyError: give the new admin route its URL above
        responses = [] if endpoint in ADMIN_POST_ONLY else [("GET", client.get(url))]
        if data is not None:
            responses.append(("POST", client.post(url, data=data, content_type="multipart/form-data")))
        for method, response in responses:
            wanted = 303 if expected == 200 and method == "POST" else expected
            assert response.status_code == wanted, (who, endpoint, method, response.status_code)
            if wanted == 302:
                assert "/login" in response.headers["Location"]
