"""The second factor in the browser: a new coordinator enrols by keyboard alone, without
JavaScript too, then signs in with a code; every page passes axe in French and Arabic, and the
QR code shows under the strict Content-Security-Policy."""
import re

import pyotp
import pytest
from playwright.sync_api import expect

from tests.support.auth import PASSWORD, totp_code
from tests.support.browser import assert_accessible, offline_routes
from tests.support.pages import DASHBOARD_TITLE, LANGUAGES, expect_language, send_password, tab_to, use_language

EMAIL = "new-coordinator@example.org"
CODES_RE = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$")


@pytest.fixture
def new_coordinator(runner, events):
    result = runner.invoke(args=["users", "create", EMAIL, "--role", "coordinator", "--organization", "ACODEC",
                                 "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    return EMAIL


def code_for(secret_text: str) -> str:
    from portal.accounts.two_factor import STEP_SECONDS, current_step
    from portal.clock import utcnow
    return pyotp.TOTP(secret_text.replace(" ", "")).at(current_step(utcnow()) * STEP_SECONDS)


def password_step(page, email, keyboard=True):
    send_password(page, email, PASSWORD, keyboard=keyboard)


def test_a_coordinator_enrols_by_keyboard_then_signs_in_with_a_code(page, new_coordinator, clock):
    password_step(page, new_coordinator)
    expect(page.locator("h1")).to_have_text("Activer la validation en deux étapes")
    qr = page.locator("img.qr-code")
    expect(qr).to_have_attribute("alt", re.compile("Code QR"))
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", qr.element_handle())
    assert_accessible(page, "enrolment")

    tab_to(page, "#code")  # a wrong code first: the error summary, then the field
    page.keyboard.type("000000")
    page.keyboard.press("Enter")
    expect(page.locator("#error-summary")).to_be_visible()
    assert page.title().startswith("Erreur : ")
    assert_accessible(page, "enrolment with an error")
    secret = page.locator("#totp-secret").inner_text()
    page.locator("#error-summary a").press("Enter")
    expect(page.locator("#code")).to_be_focused()
    page.keyboard.type(code_for(secret))
    page.keyboard.press("Enter")

    expect(page.locator("h1")).to_have_text("Vos codes de secours")
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and all(CODES_RE.match(code) for code in codes)
    assert_accessible(page, "recovery codes")
    tab_to(page, "a.button")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(DASHBOARD_TITLE)

    # Signing in again (in a new browser session): the password, then the code.
    page.context.clear_cookies()
    clock.advance(seconds=30)  # the next code (the first one was used)
    password_step(page, new_coordinator)
    expect(page.locator("h1")).to_have_text("Code de vérification")
    assert_accessible(page, "code step")
    tab_to(page, "#code")
    page.keyboard.type(code_for(secret))
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(DASHBOARD_TITLE)


def test_the_qr_code_shows_under_the_strict_csp(browser, live_server, app, new_coordinator):
    strict = browser.new_context(base_url=live_server)  # no bypass_csp: the portal's own policy
    offline_routes(strict, live_server, app.config["HTMX_URL"])
    try:
        page = strict.new_page()
        refused = []
        page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text
                else None)
        password_step(page, new_coordinator, keyboard=False)
        qr = page.locator("img.qr-code")
        expect(qr).to_be_visible()
        assert page.evaluate("(img) => img.complete && img.naturalWidth > 100", qr.element_handle())
        assert refused == []
    finally:
        strict.close()


def test_enrolment_and_code_without_javascript(no_js_page, new_coordinator):
    page = no_js_page
    password_step(page, new_coordinator, keyboard=False)
    secret = page.locator("#totp-secret").inner_text()
    page.fill("#code", code_for(secret))
    page.press("#code", "Enter")
    expect(page.locator("h1")).to_have_text("Vos codes de secours")
    page.get_by_role("link", name="J'ai noté mes codes, continuer").click()
    expect(page.locator("h1")).to_have_text(DASHBOARD_TITLE)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_two_factor_pages_pass_axe(page, context, live_server, app, auth, new_coordinator, events, lang):
    use_language(context, live_server, lang)
    password_step(page, new_coordinator, keyboard=False)
    expect_language(page, lang)
    assert_accessible(page, f"enrolment ({lang})")
    admin = page.context.new_page()
    auth.sign_in("admin", page=admin)
    admin.goto("/accounts/")
    expect_language(admin, lang)
    assert_accessible(admin, f"accounts ({lang})")
    admin.goto("/account/two-factor")
    assert_accessible(admin, f"own second factor ({lang})")
    other = context.browser.new_context(base_url=live_server, bypass_csp=True)
    offline_routes(other, live_server, app.config["HTMX_URL"])
    try:
        code_page = other.new_page()
        use_language(other, live_server, lang)
        auth.make("coordinator", "oriental")
        password_step(code_page, "acodec@example.org", keyboard=False)
        expect(code_page.locator("#code")).to_be_visible()
        code_page.fill("#code", "000000")
        code_page.press("#code", "Enter")
        expect(code_page.locator("#error-summary")).to_be_visible()
        assert_accessible(code_page, f"code step with an error ({lang})")
        code_page.fill("#code", totp_code())
        code_page.press("#code", "Enter")
        expect(code_page.locator("h1")).to_have_text(DASHBOARD_TITLE)
    finally:
        other.close()
