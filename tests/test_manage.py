"""The private manage link: view, update needs, cancel, without an account."""
from tests.support.data import mailed_manage_path, outbox, registrations
from tests.support.web import csrf_token, post_registration, valid_registration

SLUG = "oriental"


def registered(app, client, **overrides):
    """The registration, with `manage` the path of the link its acknowledgement mail carries."""
    post_registration(client, SLUG, valid_registration(app, SLUG, **overrides))
    [registration] = registrations(app)
    registration.manage = mailed_manage_path(app)
    return registration


def test_manage_page_shows_the_registration_privately(app, client, events):
    registration = registered(app, client)
    response = client.get(f"{registration.manage}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert registration.reference in html and "Amina" in html and "amina@example.org" in html
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_unknown_or_malformed_token_is_not_found(client, events):
    assert client.get("/manage/not-a-real-token").status_code == 404
    assert client.get("/manage/" + "x" * 500).status_code == 404


def test_update_needs_requires_consent_then_stores_them(app, client, events):
    registration = registered(app, client)
    url = f"{registration.manage}"
    token = csrf_token(client.get(url).get_data(as_text=True))
    refused = client.post(url, data={"csrf_token": token, "access_needs": ["braille"]})
    assert refused.status_code == 422
    assert 'href="#consent_needs"' in refused.get_data(as_text=True)
    assert registrations(app)[0].access_needs == []
    done = client.post(url, data={"csrf_token": token, "access_needs": ["braille"], "consent_needs": "y",
                                  "travel_support": "y"})
    assert done.status_code == 303
    [updated] = registrations(app)
    assert updated.access_needs == ["braille"] and updated.travel_support and updated.consent_needs_at


def test_withdrawing_consent_erases_the_health_data(app, client, events):
    registration = registered(app, client, access_needs=["wheelchair"], access_needs_details="Rampe", consent_needs="y")
    assert registration.access_needs == ["wheelchair"]
    url = f"{registration.manage}"
    token = csrf_token(client.get(url).get_data(as_text=True))
    client.post(url, data={"csrf_token": token})
    [updated] = registrations(app)
    assert updated.access_needs == [] and updated.access_needs_details == "" and updated.consent_needs_at is None


def test_cancel_asks_for_confirmation_then_cancels_and_mails(app, client, events):
    registration = registered(app, client)
    url = f"{registration.manage}/cancel"
    page = client.get(url)
    assert page.status_code == 200 and "Oui, annuler mon inscription" in page.get_data(as_text=True)
    assert registrations(app)[0].status == "pending"  # a GET changes nothing
    response = client.post(url, data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    assert response.status_code == 303
    [cancelled] = registrations(app)
    assert cancelled.status == "cancelled" and cancelled.cancelled_at
    assert "Annulée" in client.get(f"{registration.manage}").get_data(as_text=True)
    assert "annulée" in outbox(app)[-1].subject
    # The seat is free and the person may register again.
    assert post_registration(client, SLUG, valid_registration(app, SLUG)).status_code == 303
    assert [r.status for r in registrations(app)] == ["cancelled", "pending"]


def test_cancel_without_csrf_is_refused(app, client, events):
    registration = registered(app, client)
    assert client.post(f"{registration.manage}/cancel").status_code == 400
    assert registrations(app)[0].status == "pending"


def test_download_of_ones_own_data(app, client, events):
    registration = registered(app, client, access_needs=["braille"], consent_needs="y")
    response = client.get(f"{registration.manage}/data.json")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    data = response.get_json()
    assert data["reference"] == registration.reference and data["email"] == "amina@example.org"
    assert data["access_needs"] == ["braille"] and data["status_history"][0]["to"] == "pending"
    assert response.headers["Cache-Control"] == "no-store"


def test_erasure_deletes_the_registration_and_its_data(app, client, events):
    from sqlalchemy import func, select

    from portal.extensions import db
    from portal.registration.models import RegistrationAccessNeed, StatusChange
    registration = registered(app, client, access_needs=["wheelchair"], consent_needs="y")
    url = f"{registration.manage}/erase"
    page = client.get(url)
    assert page.status_code == 200 and "définitivement" in page.get_data(as_text=True)
    assert registrations(app) != []  # a GET changes nothing
    response = client.post(url, data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    assert response.status_code == 200 and "supprimées" in response.get_data(as_text=True)
    assert registrations(app) == []
    with app.app_context():
        for model in (RegistrationAccessNeed, StatusChange):
            assert db.session.scalar(select(func.count()).select_from(model)) == 0
    assert client.get(f"{registration.manage}").status_code == 404
    # The person may register again.
    assert post_registration(client, SLUG, valid_registration(app, SLUG)).status_code == 303
