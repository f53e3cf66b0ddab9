"""The second factor (TOTP): enrolment, codes accepted once, recovery codes, required for admins
and coordinators, optional for observers, reset by an administrator (logged)."""
import json
import re

import pyotp
import pytest
from sqlalchemy import func, select

from portal.accounts.models import RecoveryCode, User
from portal.extensions import db
from portal.security_log import log_path
from tests.support.auth import PASSWORD, TOTP_SECRET, totp_code
from tests.support.web import csrf_token, post_code, post_login, submit_form

SECRET_RE = re.compile(r'id="totp-secret">([A-Z2-7 ]+)<')
CODES_RE = re.compile(r"<li><code>([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})</code></li>")
BACK_OFFICE_PAGES = ["/review/", "/account/password", "/campaigns/", "/directory/", "/accounts/"]


def user(app, email) -> User:
    with app.app_context():
        found = db.session.scalar(select(User).where(User.email == email))
        db.session.expunge(found)
        return found


def enrol_by_the_page(client, url="/login/enrol"):
    """Read the key shown for manual entry, answer with the app's code; returns (page, secret)."""
    page = client.get(url)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    secret = SECRET_RE.search(html).group(1).replace(" ", "")
    assert 'src="data:image/svg+xml' in html and "<script" not in html.split("<main", 1)[1]
    answer = submit_form(client, url, {"code": pyotp.TOTP(secret).at(_now())})
    return answer, secret


def _now():
    from portal.accounts.two_factor import STEP_SECONDS, current_step
    from portal.clock import utcnow
    return current_step(utcnow()) * STEP_SECONDS


@pytest.mark.parametrize("role", ["admin", "coordinator"])
def test_an_account_that_must_have_a_second_factor_enrols_before_any_back_office_page(app, auth, client, runner,
                                                                                      events, role, clock):
    email = f"new-{role}@example.org"
    result = runner.invoke(args=["users", "create", email, "--role", role, "--organization", "ACODEC",
                                 "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    response = post_login(client, email, PASSWORD)
    assert response.headers["Location"].endswith("/login/enrol")
    for url in BACK_OFFICE_PAGES:  # by URL, before enrolling: the sign-in page
        assert client.get(url).status_code == 302, url
    wrong = submit_form(client, "/login/enrol", {"code": "123456"})
    assert wrong.status_code == 422 and "Ce code ne correspond pas" in wrong.get_data(as_text=True)

    answer, secret = enrol_by_the_page(client)
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    codes = CODES_RE.findall(answer.get_data(as_text=True))
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/review/").status_code == 200
    with app.app_context():
        stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
        assert len(stored) == 10 and not any(code.replace("-", "") in "".join(stored) for code in codes)
    assert user(app, email).totp_secret == secret

    # Next time: the password, then the code of the app.
    clock.advance(seconds=30)
    signed = app.test_client()
    assert post_login(signed, email, PASSWORD).headers["Location"].endswith("/login/code")
    assert signed.get("/review/").status_code == 302  # the password alone opens nothing
    assert post_code(signed, pyotp.TOTP(secret).at(_now())).status_code == 303
    assert signed.get("/review/").status_code == 200


def test_an_unenrolled_coordinator_cannot_reach_the_review_by_url(app, client, runner, events):
    runner.invoke(args=["users", "create", "c@example.org", "--role", "coordinator", "--organization", "ACODEC",
                        "--password", PASSWORD])
    post_login(client, "c@example.org", PASSWORD)
    for url in ("/review/", f"/review/events/{events['oriental']}/participants", "/login/code"):
        response = client.get(url)
        assert response.status_code in (302, 303) and "/login" in response.headers["Location"], url
    # A coordinator made an observer had no second factor: made coordinator again, it must enrol.
    assert client.get("/account/two-factor").status_code == 302


def test_a_code_is_accepted_once(app, auth, client, events, clock):
    auth.make("coordinator", "oriental")
    post_login(client, "acodec@example.org", PASSWORD)
    code = totp_code()
    assert post_code(client, code).status_code == 303
    replay = app.test_client()
    post_login(replay, "acodec@example.org", PASSWORD)
    refused = post_code(replay, code)  # the same code, seconds later (seen over a shoulder)
    assert refused.status_code == 422 and "pas valable" in refused.get_data(as_text=True)
    clock.advance(seconds=30)
    assert post_code(replay, code).status_code == 422  # an older step than the last used: refused too
    assert post_code(replay, totp_code()).status_code == 303  # the next code works


def test_codes_of_the_steps_around_now_work_and_others_do_not(app, auth, client, events, clock):
    auth.make("coordinator", "oriental")
    totp = pyotp.TOTP(TOTP_SECRET)
    post_login(client, "acodec@example.org", PASSWORD)
    for offset in (-90, 60):
        assert post_code(client, totp.at(_now() + offset)).status_code == 422
    assert post_code(client, totp.at(_now() + 30)).status_code == 303  # a phone a little ahead


def test_a_recovery_code_works_once(app, client, runner, events, clock):
    runner.invoke(args=["users", "create", "boss@example.org", "--role", "admin", "--password", PASSWORD])
    post_login(client, "boss@example.org", PASSWORD)
    answer, _secret = enrol_by_the_page(client)
    first, second = CODES_RE.findall(answer.get_data(as_text=True))[:2]
    lost_phone = app.test_client()
    post_login(lost_phone, "boss@example.org", PASSWORD)
    assert post_code(lost_phone, first.lower().replace("-", " ")).status_code == 303  # as typed by a person
    assert lost_phone.get("/campaigns/").status_code == 200
    again = app.test_client()
    post_login(again, "boss@example.org", PASSWORD)
    assert post_code(again, first).status_code == 422
    assert post_code(again, second).status_code == 303
    assert "Codes de secours encore utilisables : 8." in again.get("/account/two-factor").get_data(as_text=True)


def test_observers_may_sign_in_without_and_may_enrol(app, auth, client, events, clock):
    auth.sign_in("observer", "oriental")  # the password alone
    page = client.get("/account/two-factor")
    assert "facultative" in page.get_data(as_text=True)
    answer, secret = enrol_by_the_page(client, "/account/two-factor")
    assert answer.status_code == 200 and len(CODES_RE.findall(answer.get_data(as_text=True))) == 10
    assert client.get("/review/").status_code == 200  # this session goes on
    clock.advance(seconds=30)
    later = app.test_client()
    assert post_login(later, "observer@example.org", PASSWORD).headers["Location"].endswith("/login/code")
    assert post_code(later, pyotp.TOTP(secret).at(_now())).status_code == 303


def test_an_admin_resets_a_second_factor_and_it_is_logged(app, auth, client, events, clock):
    coordinator = auth.sign_in("coordinator", "oriental", client=app.test_client())
    admin = auth.sign_in("admin")
    listing = admin.get("/accounts/")
    html = listing.get_data(as_text=True)
    assert listing.status_code == 200 and "acodec@example.org" in html
    coordinator_id = user(app, "acodec@example.org").id
    token = csrf_token(html)
    assert admin.post(f"/accounts/{coordinator_id}/reset-two-factor").status_code == 400  # no CSRF token
    assert user(app, "acodec@example.org").has_two_factor
    response = admin.post(f"/accounts/{coordinator_id}/reset-two-factor", data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["Location"].endswith("/accounts/")
    assert "réinitialisé" in admin.get("/accounts/").get_data(as_text=True)
    assert not user(app, "acodec@example.org").has_two_factor
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 0
    assert coordinator.get("/review/").status_code == 302  # its session ended
    with open(log_path(app), encoding="utf-8") as handle:
        log = handle.read().splitlines()
    reset = [json.loads(line) for line in log if '"two_factor_reset"' in line][-1]
    assert reset["account"] == "acodec@example.org" and reset["by"] == "admin@example.org"
    # Signing in again, it enrols a new one.
    fresh = app.test_client()
    assert post_login(fresh, "acodec@example.org", PASSWORD).headers["Location"].endswith("/login/enrol")


def test_only_admins_reset_and_the_command_does_it_too(app, auth, client, runner, events):
    auth.sign_in("coordinator", "oriental")
    admin_id = auth.make("admin")
    token = csrf_token(client.get("/account/password").get_data(as_text=True))
    assert client.get("/accounts/").status_code == 403
    assert client.post(f"/accounts/{admin_id}/reset-two-factor", data={"csrf_token": token}).status_code == 403
    assert user(app, "admin@example.org").has_two_factor
    result = runner.invoke(args=["users", "reset-2fa", "admin@example.org"])
    assert result.exit_code == 0 and "removed" in result.output
    assert not user(app, "admin@example.org").has_two_factor


def test_the_code_page_needs_the_password_first_and_a_half_sign_in_expires(app, auth, client, events, clock):
    assert client.get("/login/code").status_code == 303
    auth.make("coordinator", "oriental")
    post_login(client, "acodec@example.org", PASSWORD)
    token = csrf_token(client.get("/login/code").get_data(as_text=True))
    clock.advance(minutes=11)
    response = client.post("/login/code", data={"csrf_token": token, "code": totp_code()})
    assert response.status_code == 303 and response.headers["Location"].endswith("/login")
    assert client.get("/review/").status_code == 302
