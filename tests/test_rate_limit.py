"""The registration POST is rate-limited per client; the form itself (GET) is not.

The session app of conftest runs with RATELIMIT_ENABLED False, so these tests build a second
app on the same database with a small limit. Flask-Limiter's `limiter` is one object for the
whole process: the last test here checks that the session app is still unlimited afterwards.
"""
import pytest

from portal import create_app
from portal.extensions import db, limiter
from portal.outbox.models import OutboxMessage
from portal.registration.models import Registration
from tests.support.auth import PASSWORD
from tests.support.data import count, registrations
from tests.support.web import csrf_token, form_page, post_login, valid_registration

SLUG = "oriental"
REFUSED = "ce que vous avez saisi n'a pas été enregistré"


@pytest.fixture
def limited_app(app, tmp_path):
    limited = create_app({
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SECRET_KEY": "rate-limit-test-secret",
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "SQLALCHEMY_ENGINE_OPTIONS": app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
        "RATELIMIT_ENABLED": True,
        "REGISTRATION_RATE_LIMIT": "3 per minute",
        "OUTBOX_DELIVER_IN_APP": False,
        "PORTAL_BASE_URL": "http://portal.example.org",
    })
    limiter.reset()  # the counters live in the shared limiter's storage
    yield limited
    limiter.reset()
    with limited.app_context():
        db.session.remove()
        db.engine.dispose()


def client_at(app, address: str):
    """A browser at its own address: the limit is per client."""
    browser = app.test_client()
    browser.environ_base["REMOTE_ADDR"] = address
    return browser


def post(client, data, token):
    return client.post(f"/events/{SLUG}/register", data={**data, "csrf_token": token})


def test_fourth_registration_post_within_a_minute_is_refused_with_a_clear_page(app, limited_app, events):
    browser = client_at(limited_app, "203.0.113.7")
    token = csrf_token(form_page(browser, SLUG))
    for n in range(3):
        response = post(browser, valid_registration(app, SLUG, email=f"p{n}@example.org"), token)
        assert response.status_code == 303, n

    response = post(browser, valid_registration(app, SLUG, email="fourth@example.org"), token)
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "<title>Trop de tentatives – " in html
    assert "<h1>Trop de tentatives</h1>" in html
    assert REFUSED in html
    assert '<html lang="fr"' in html
    assert int(response.headers["Retry-After"]) > 0

    # The refused request recorded nothing: neither a registration nor a mail.
    assert sorted(r.email for r in registrations(app)) == ["p0@example.org", "p1@example.org", "p2@example.org"]
    assert registrations(app, email="fourth@example.org") == []
    assert count(app, OutboxMessage) == 3


def test_refused_and_invalid_posts_count_too_and_nothing_is_recorded(app, limited_app, events):
    browser = client_at(limited_app, "203.0.113.8")
    token = csrf_token(form_page(browser, SLUG))
    for _ in range(3):
        assert post(browser, valid_registration(app, SLUG, consent=None), token).status_code == 422
    response = post(browser, valid_registration(app, SLUG), token)
    assert response.status_code == 429  # a valid submission, but a bot would try exactly this
    assert count(app, Registration) == 0
    assert count(app, OutboxMessage) == 0


def test_htmx_submission_over_the_limit_gets_the_429_too(app, limited_app, events):
    browser = client_at(limited_app, "203.0.113.9")
    token = csrf_token(form_page(browser, SLUG))
    for _ in range(3):
        post(browser, valid_registration(app, SLUG, city=""), token)
    response = browser.post(f"/events/{SLUG}/register", data={**valid_registration(app, SLUG), "csrf_token": token},
                            headers={"HX-Request": "true"})
    assert response.status_code == 429
    assert "Trop de tentatives" in response.get_data(as_text=True)
    assert count(app, Registration) == 0


def test_showing_the_form_is_not_limited(app, limited_app, events):
    browser = client_at(limited_app, "203.0.113.10")
    for _ in range(10):
        assert browser.get(f"/events/{SLUG}/register").status_code == 200
    token = csrf_token(form_page(browser, SLUG))
    for n in range(3):
        assert post(browser, valid_registration(app, SLUG, email=f"g{n}@example.org"), token).status_code == 303
    assert post(browser, valid_registration(app, SLUG, email="g3@example.org"), token).status_code == 429
    # Over the limit for posting, the person can still read the form (and the event page).
    for _ in range(5):
        assert browser.get(f"/events/{SLUG}/register").status_code == 200
    assert browser.get(f"/events/{SLUG}").status_code == 200


def test_the_limit_is_per_client(app, limited_app, events):
    first = client_at(limited_app, "198.51.100.1")
    token = csrf_token(form_page(first, SLUG))
    for n in range(3):
        assert post(first, valid_registration(app, SLUG, email=f"a{n}@example.org"), token).status_code == 303
    assert post(first, valid_registration(app, SLUG, email="a3@example.org"), token).status_code == 429

    second = client_at(limited_app, "198.51.100.2")
    other_token = csrf_token(form_page(second, SLUG))
    assert post(second, valid_registration(app, SLUG, email="b0@example.org"), other_token).status_code == 303
    assert len(registrations(app)) == 4


def test_session_app_stays_unlimited_next_to_a_limited_app(app, client, limited_app, events):
    """Both apps share the limiter object: building the limited one must not limit the other."""
    limited = client_at(limited_app, "192.0.2.50")
    token = csrf_token(form_page(limited, SLUG))
    for n in range(4):
        post(limited, valid_registration(app, SLUG, consent=None), token)

    token = csrf_token(form_page(client, SLUG))
    for n in range(12):  # more than the default "10 per minute" and the limited app's 3
        response = post(client, valid_registration(app, SLUG, email=f"u{n}@example.org"), token)
        assert response.status_code == 303, n
    assert count(app, Registration) == 12


@pytest.fixture
def login_limited_app(app, tmp_path):
    limited = create_app({
        "TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance2"), "SECRET_KEY": "login-limit-test-secret",
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "SQLALCHEMY_ENGINE_OPTIONS": app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
        "RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute", "OUTBOX_DELIVER_IN_APP": False,
    })
    limiter.reset()
    yield limited
    limiter.reset()
    with limited.app_context():
        db.session.remove()
        db.engine.dispose()


def test_sign_in_is_limited_per_client_and_an_account_is_never_locked_from_elsewhere(app, auth, login_limited_app,
                                                                                     events):
    auth.make("coordinator", organization="ACODEC", email="coord@example.org")

    def attempt(client, password):
        return post_login(client, "coord@example.org", password)

    guesser = client_at(login_limited_app, "203.0.113.7")
    assert [attempt(guesser, "wrong guess number").status_code for _ in range(3)] == [422, 422, 422]
    blocked = attempt(guesser, PASSWORD)
    assert blocked.status_code == 429 and "Trop de tentatives" in blocked.get_data(as_text=True)
    # The guesser's failures do not lock the account: its owner, elsewhere, signs in (the
    # password step answers 303, on to the second factor). Per-account slowing without
    # locking: tests/test_sign_in_throttle.py.
    elsewhere = client_at(login_limited_app, "198.51.100.9")
    assert attempt(elsewhere, PASSWORD).status_code == 303
    # The per-client limit holds whatever the account typed.
    other_account = post_login(guesser, "someone-else@example.org", "wrong guess number")
    assert other_account.status_code == 429
