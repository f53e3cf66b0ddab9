"""Back-office accounts: the users command, sign-in, throttling, password change and reset."""
import re

import pytest
from sqlalchemy import select

from portal.accounts.models import PasswordReset, User
from portal.extensions import db
from tests.support.auth import PASSWORD
from tests.support.data import outbox
from tests.support.web import csrf_token, post_login, submit_form


@pytest.fixture
def coordinator(app, runner, events):
    result = runner.invoke(args=["users", "create", "Coord@Example.org", "--role", "coordinator",
                                 "--organization", "ACODEC", "--name", "Rezzouki", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    return "coord@example.org"


@pytest.mark.usefixtures("production_password_hashing")
def test_users_create_hashes_the_password_and_joins_the_organisation(app, runner, events):
    """With the portal's own argon2id cost (the other tests hash cheaply: tests/conftest.py)."""
    result = runner.invoke(args=["users", "create", "Coord@Example.org", "--role", "coordinator",
                                 "--organization", "ACODEC", "--name", "Rezzouki", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    coordinator = "coord@example.org"
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == coordinator))
        assert user.role == "coordinator" and user.organization.acronym == "ACODEC"
        assert PASSWORD not in user.password_hash and user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_users_create_refuses_bad_input_clearly(runner, coordinator):
    short = runner.invoke(args=["users", "create", "x@example.org", "--role", "admin", "--password", "short"])
    assert short.exit_code != 0 and "12 characters" in short.output
    again = runner.invoke(args=["users", "create", "COORD@example.org", "--role", "admin", "--password", PASSWORD])
    assert again.exit_code != 0 and "exists already" in again.output
    lonely = runner.invoke(args=["users", "create", "c2@example.org", "--role", "coordinator", "--password", PASSWORD])
    assert lonely.exit_code != 0 and "organization" in lonely.output


def test_login_wrong_password_gives_one_message_for_both_cases(client, coordinator):
    for email in (coordinator, "nobody@example.org"):
        response = post_login(client, email, "wrong password here")
        assert response.status_code == 422
        assert "Adresse e-mail ou mot de passe incorrect" in response.get_data(as_text=True)


def test_login_then_logout(auth, client, coordinator):
    auth.sign_in(email=coordinator)  # password, then the second factor (enrolled on the way)
    token = csrf_token(client.get("/account/password").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/account/password").status_code == 302  # back to the login page


def test_changing_the_password_ends_other_sessions(app, auth, client, coordinator):
    other = auth.sign_in(email=coordinator, client=app.test_client())
    auth.sign_in(email=coordinator)
    response = submit_form(client, "/account/password", {
        "current": PASSWORD, "password": "a new long passphrase", "confirm": "a new long passphrase"})
    assert response.status_code == 303
    assert client.get("/account/password").status_code == 200  # this session goes on
    assert other.get("/account/password").status_code == 302  # the other one is signed out


def test_password_reset_link_works_once(app, client, coordinator):
    response = submit_form(client, "/password/forgot", {"email": coordinator})
    assert response.status_code == 200 and "Vérifiez votre messagerie" in response.get_data(as_text=True)
    [message] = outbox(app)
    link = re.search(r"http://portal\.example\.org(/password/reset/\S+)", message.body_text).group(1)
    form = client.get(link).get_data(as_text=True)
    data = {"csrf_token": csrf_token(form), "password": "another long passphrase", "confirm": "another long passphrase"}
    assert client.post(link, data=data).status_code == 303
    assert client.post(link, data=data).status_code == 404  # used
    assert post_login(client, coordinator, "another long passphrase").status_code == 303
    with app.app_context():
        assert db.session.scalar(select(PasswordReset)).used_at is not None


def test_password_reset_mail_speaks_the_language_of_the_page_it_was_asked_from(app, client, coordinator):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ar"
    response = submit_form(client, "/password/forgot", {"email": coordinator})
    assert response.status_code == 200
    [message] = outbox(app)
    assert message.language == "ar" and message.subject == "إعادة تعيين كلمة المرور"
    assert "إذا لم تطلبوا ذلك" in message.body_text and "Bonjour" not in message.body_text
    assert '<html lang="ar" dir="rtl">' in message.body_html


def test_forgot_password_does_not_reveal_unknown_addresses(app, client, coordinator):
    response = submit_form(client, "/password/forgot", {"email": "nobody@example.org"})
    assert response.status_code == 200 and "Vérifiez votre messagerie" in response.get_data(as_text=True)
    assert outbox(app) == []


def test_observer_is_given_events_and_first_admin_hint(app, runner, events):
    hint = runner.invoke(args=["users", "first-admin-hint"])
    assert "users create you@example.org --role admin" in hint.output
    result = runner.invoke(args=["users", "create", "obs@example.org", "--role", "observer", "--event", "oriental",
                                 "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "obs@example.org"))
        assert [event.slug for event in user.observed_events] == ["oriental"]
    bad = runner.invoke(args=["users", "create", "o2@example.org", "--role", "observer", "--event", "nowhere",
                              "--password", PASSWORD])
    assert bad.exit_code != 0 and "no event" in bad.output
    runner.invoke(args=["users", "create", "boss@example.org", "--role", "admin", "--password", PASSWORD])
    assert runner.invoke(args=["users", "first-admin-hint"]).output == ""
