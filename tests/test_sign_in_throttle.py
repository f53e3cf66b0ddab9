"""Sign-in that an attacker cannot use to lock people out: progressive delays per (account,
client), a per-account cap that slows but never locks, the same answers for unknown accounts;
the code step throttled alike; reset mails limited per account; reset links that die."""
import difflib
import re

import pytest
from sqlalchemy import select

from portal.accounts.models import PasswordReset
from portal.extensions import db
from tests.support.auth import PASSWORD, totp_code
from tests.support.data import outbox
from tests.support.web import csrf_token, post_code, post_login, submit_form

EMAIL = "acodec@example.org"
WRONG = "not the password at all"
WAIT_RE = re.compile(r"Trop de tentatives sur ce compte\. Attendez ([^.]+) avant de réessayer\.")


def at(app, address):
    browser = app.test_client()
    browser.environ_base["REMOTE_ADDR"] = address
    return browser


def message(response) -> str:
    """The wait as the page tells it ("2 secondes", "15 minutes"; Babel's no-break space as a space)."""
    return WAIT_RE.search(response.get_data(as_text=True).replace("\xa0", " ")).group(1)


def said(seconds: int) -> str:
    if seconds < 60:
        return "1 seconde" if seconds == 1 else f"{seconds} secondes"
    return f"{-(-seconds // 60)} minutes"


@pytest.fixture
def account(auth, events):
    auth.make("coordinator", "oriental")
    return EMAIL


@pytest.mark.parametrize("email", [EMAIL, "nobody@example.org"])
def test_delays_grow_per_account_and_client_the_same_for_unknown_accounts(app, account, clock, email):
    guesser = at(app, "203.0.113.7")
    for _ in range(3):  # three free failures
        assert post_login(guesser, email, WRONG).status_code == 422
    expected_waits = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]
    for wait in expected_waits:
        refused = post_login(guesser, email, WRONG)
        assert refused.status_code == 429
        assert refused.headers["Retry-After"] == str(wait)
        assert message(refused) == said(wait)
        clock.advance(seconds=wait - 1)
        assert post_login(guesser, email, WRONG).status_code == 429  # one second too early
        clock.advance(seconds=1)
        assert post_login(guesser, email, WRONG).status_code == 422  # checked, and wrong: the wait doubles


def test_a_refused_attempt_is_not_even_checked_and_another_client_still_signs_in(app, auth, account, clock):
    guesser = at(app, "203.0.113.7")
    for _ in range(3):
        post_login(guesser, EMAIL, WRONG)
    refused = post_login(guesser, EMAIL, PASSWORD)  # the right password, too early: not checked
    assert refused.status_code == 429 and message(refused) == "1 seconde"
    owner = auth.sign_in("coordinator", "oriental", client=at(app, "198.51.100.20"))
    assert owner.get("/review/").status_code == 200
    clock.advance(seconds=1)
    assert post_login(guesser, EMAIL, PASSWORD).status_code == 303  # after the wait, it is checked


def test_a_complete_sign_in_clears_the_clients_failures(app, auth, account, clock):
    browser = at(app, "203.0.113.8")
    for _ in range(3):
        post_login(browser, EMAIL, WRONG)
    clock.advance(seconds=1)
    auth.sign_in("coordinator", "oriental", client=browser)
    for _ in range(3):  # three free failures again
        assert post_login(browser, EMAIL, WRONG).status_code == 422


def test_the_account_cap_slows_every_client_but_the_password_still_works_after_the_wait(app, auth, account, clock):
    app.config["SIGN_IN_ACCOUNT_FAILURES_PER_HOUR"] = 6  # instead of 100, the same rule
    try:
        for n in range(6):  # a botnet: two failures from each of three addresses
            assert post_login(at(app, f"192.0.2.{n // 2}"), EMAIL, WRONG).status_code == 422
        owner = at(app, "198.51.100.30")
        slowed = post_login(owner, EMAIL, PASSWORD)
        assert slowed.status_code == 429 and slowed.headers["Retry-After"] == "30"
        assert message(slowed) == "30 secondes"
        for unknown in ("nobody@example.org",):  # the cap counts per account typed: others go on
            assert post_login(owner, unknown, WRONG).status_code == 422
        clock.advance(seconds=30)
        auth.sign_in("coordinator", "oriental", client=owner)  # never locked: it works after the wait
        assert owner.get("/review/").status_code == 200
        # The next guess is checked (and fails), then everyone waits 30 s after it again.
        assert post_login(at(app, "192.0.2.9"), EMAIL, WRONG).status_code == 422
        assert post_login(at(app, "192.0.2.10"), EMAIL, WRONG).status_code == 429
        clock.advance(hours=1, seconds=1)  # an hour later the cap no longer applies
        assert post_login(at(app, "192.0.2.10"), EMAIL, WRONG).status_code == 422
    finally:
        app.config["SIGN_IN_ACCOUNT_FAILURES_PER_HOUR"] = 100


def test_the_code_step_is_throttled_like_the_password(app, account, clock):
    browser = at(app, "203.0.113.9")
    assert post_login(browser, EMAIL, PASSWORD).headers["Location"].endswith("/login/code")
    for _ in range(3):
        assert post_code(browser, "000000").status_code == 422
    refused = post_code(browser, totp_code())  # the right code, too early
    assert refused.status_code == 429 and message(refused) == "1 seconde"
    clock.advance(seconds=1)
    assert post_code(browser, totp_code()).status_code == 303


def test_the_wait_is_told_in_arabic_too(app, account, clock):
    browser = at(app, "203.0.113.10")
    browser.set_cookie("portal_lang", "ar")
    for _ in range(3):
        post_login(browser, EMAIL, WRONG)
    refused = post_login(browser, EMAIL, WRONG)
    assert refused.status_code == 429 and 'lang="ar"' in refused.get_data(as_text=True)
    assert "Trop de tentatives" not in refused.get_data(as_text=True)


def reset_links(app):
    return [re.search(r"http://portal\.example\.org(/password/reset/\S+)", m.body_text).group(1) for m in outbox(app)]


def test_reset_mails_are_limited_per_account_and_the_page_says_the_same(app, account, client, clock):
    answers = [submit_form(client, "/password/forgot", {"email": EMAIL}) for _ in range(5)]
    assert [a.status_code for a in answers] == [200] * 5
    # What the person reads (the page's main part) is the same whether a mail left or not.
    said = [re.search(r"<main.*</main>", a.get_data(as_text=True), re.DOTALL).group(0) for a in answers]
    assert all(page == said[0] for page in said), "\n".join(difflib.unified_diff(
        said[0].splitlines(), next(page for page in said if page != said[0]).splitlines(), lineterm=""))
    assert "Vérifiez votre messagerie" in said[0]
    assert len(outbox(app)) == 3
    clock.advance(hours=1, seconds=1)
    submit_form(client, "/password/forgot", {"email": EMAIL})
    assert len(outbox(app)) == 4


def use_link(client, link, password):
    form = client.get(link)
    if form.status_code != 200:
        return form.status_code
    return client.post(link, data={"csrf_token": csrf_token(form.get_data(as_text=True)), "password": password,
                                   "confirm": password}).status_code


def test_every_open_reset_link_dies_when_one_is_used(app, account, client):
    for _ in range(3):
        submit_form(client, "/password/forgot", {"email": EMAIL})
    first, second, third = reset_links(app)
    assert use_link(client, second, "another long passphrase") == 303
    assert use_link(client, first, "a third long passphrase") == 404
    assert use_link(client, third, "a third long passphrase") == 404
    assert post_login(client, EMAIL, "another long passphrase").status_code == 303


def test_every_open_reset_link_dies_when_the_password_changes(app, auth, account, client):
    submit_form(client, "/password/forgot", {"email": EMAIL})
    [link] = reset_links(app)
    signed_in = auth.sign_in("coordinator", "oriental", client=app.test_client())
    assert submit_form(signed_in, "/account/password", {
        "current": PASSWORD, "password": "a new long passphrase", "confirm": "a new long passphrase"}).status_code == 303
    assert use_link(client, link, "somebody else's passphrase") == 404
    with app.app_context():
        assert db.session.scalar(select(PasswordReset)).used_at is not None
