"""Sessions that end: logout, a new password, a disabled account, a new role, a reset second
factor end the session everywhere, a copy of its cookie included; sessions also end after the
idle and the absolute limits; signing in always starts a new session."""
import pytest
from sqlalchemy import select

from portal.accounts.models import User, UserSession
from portal.extensions import db
from tests.support.auth import PASSWORD
from tests.support.web import csrf_token, submit_form

BACK_OFFICE = "/account/password"  # a page for every signed-in role


def copy_of(app, client):
    """Another browser holding a copy of `client`'s cookies (as a thief would)."""
    other = app.test_client()
    for cookie in client._cookies.values():
        other.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
    return other


def signed_in(client) -> bool:
    response = client.get(BACK_OFFICE)
    assert response.status_code in (200, 302)
    return response.status_code == 200


def logout(client):
    token = csrf_token(client.get(BACK_OFFICE).get_data(as_text=True))
    return client.post("/logout", data={"csrf_token": token})


def change_password(client):
    return submit_form(client, BACK_OFFICE, {"current": PASSWORD, "password": "a new long passphrase",
                                             "confirm": "a new long passphrase"})


def disable(runner, email):
    return runner.invoke(args=["users", "disable", email])


def demote(runner, email):
    return runner.invoke(args=["users", "set-role", email, "observer"])


def reset_2fa(runner, email):
    return runner.invoke(args=["users", "reset-2fa", email])


@pytest.mark.parametrize("end", ["logout", "password change", "disable", "role change", "second factor reset"])
def test_each_ending_kills_a_cookie_copied_before(app, auth, client, runner, events, end):
    auth.sign_in("coordinator", "oriental")
    copied = copy_of(app, client)
    elsewhere = auth.sign_in("coordinator", "oriental", client=app.test_client())
    assert signed_in(copied) and signed_in(elsewhere)

    if end == "logout":
        assert logout(client).status_code == 303
        assert not signed_in(client)
        assert signed_in(elsewhere)  # logout ends this browser's session only
    elif end == "password change":
        assert change_password(client).status_code == 303
        assert signed_in(client)  # the browser that changed it goes on, in a new session
        assert not signed_in(elsewhere)
    else:
        result = {"disable": disable, "role change": demote, "second factor reset": reset_2fa}[end](
            runner, "acodec@example.org")
        assert result.exit_code == 0, result.output
        assert not signed_in(client) and not signed_in(elsewhere)
    assert not signed_in(copied)


def test_logout_ends_the_row_and_the_password_change_ends_them_all(app, auth, client, events):
    auth.sign_in("coordinator", "oriental")
    auth.sign_in("coordinator", "oriental", client=app.test_client())
    change_password(client)
    with app.app_context():
        rows = db.session.scalars(select(UserSession).order_by(UserSession.id)).all()
        assert [row.ended_at is None for row in rows] == [False, False, True]  # two ended, the new one open
    logout(client)
    with app.app_context():
        assert db.session.scalar(select(UserSession).order_by(UserSession.id.desc())).ended_at is not None


def test_a_disabled_account_cannot_sign_in_and_set_role_refuses_what_cannot_be(app, auth, client, runner, events):
    auth.make("coordinator", "oriental")
    assert disable(runner, "acodec@example.org").exit_code == 0
    from tests.support.web import post_login
    assert post_login(client, "acodec@example.org", PASSWORD).status_code == 422
    auth.make("observer", "oriental")
    refused = runner.invoke(args=["users", "set-role", "observer@example.org", "coordinator"])
    assert refused.exit_code != 0 and "organisation" in refused.output
    unknown = runner.invoke(args=["users", "disable", "nobody@example.org"])
    assert unknown.exit_code != 0 and "no account" in unknown.output
    assert runner.invoke(args=["users", "set-role", "observer@example.org", "admin"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(User.role).where(User.email == "observer@example.org")) == "admin"


def test_a_session_unused_for_the_idle_limit_ends(app, auth, client, clock, events):
    auth.sign_in("coordinator", "oriental")
    for _ in range(10):  # in use all morning: each request keeps it alive
        clock.advance(minutes=29)
        assert signed_in(client)
    clock.advance(minutes=31)
    assert not signed_in(client)


def test_a_session_ends_after_the_absolute_limit_however_active(app, auth, client, clock, events):
    auth.sign_in("coordinator", "oriental")
    for _ in range(16):  # 16 × 29 min = 7 h 44
        clock.advance(minutes=29)
        assert signed_in(client)
    clock.advance(minutes=20)  # 8 h 04 after signing in
    assert not signed_in(client)


def test_signing_in_starts_a_new_session(app, auth, client, events):
    client.get("/login")
    before = client.get_cookie("session").value
    auth.sign_in("coordinator", "oriental")
    first = client.get_cookie("session").value
    assert first != before
    auth.sign_in("coordinator", "oriental")  # again, in the same browser
    with app.app_context():
        tokens = db.session.scalars(select(UserSession.token_hash)).all()
    assert len(set(tokens)) == 2
    # A cookie planted before sign-in (session fixation) is not the one that works after.
    planted = app.test_client()
    planted.get("/login")
    planted_cookie = planted.get_cookie("session").value
    auth.sign_in("coordinator", "oriental", client=planted)
    assert planted.get_cookie("session").value != planted_cookie
    stale = app.test_client()
    stale.set_cookie("session", planted_cookie)
    assert not signed_in(stale)


def test_reading_pages_writes_nothing(app, auth, client, events):
    auth.sign_in("coordinator", "oriental")
    from sqlalchemy import event
    writes = []

    def spot(_conn, _cursor, statement, *args):
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            writes.append(statement)
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", spot)
    try:
        for _ in range(3):
            assert client.get("/review/").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", spot)
    assert writes == []
