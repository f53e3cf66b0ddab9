"""What the browser tests do on pages: languages, keyboard moves, filling the registration form."""
import re

from playwright.sync_api import expect

from tests.support.data import event_region_code, outbox, region_province_codes
from tests.support.web import csrf_token

SLUG = "oriental"
REFERENCE_RE = re.compile(r"CC-[23456789A-HJKMNP-TV-Z]{8}")
LANGUAGES = ["fr", "ar"]
DIRECTIONS = {"fr": "ltr", "ar": "rtl"}
ERROR_TITLE_PREFIX = {"fr": "Erreur : ", "ar": "خطأ: "}
DASHBOARD_TITLE = re.compile("Tableau de bord|لوحة")  # where signing in leads


# --- languages ------------------------------------------------------------------------------
def use_language(context, live_server: str, lang: str) -> None:
    """What the language switcher leaves behind: the portal_lang cookie."""
    context.add_cookies([{"name": "portal_lang", "value": lang, "url": live_server}])


def expect_language(page, lang: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("html")).to_have_attribute("dir", DIRECTIONS[lang])


# --- the keyboard ---------------------------------------------------------------------------
def focused(page) -> str:
    """A short description of the focused element, for assertion messages."""
    return page.evaluate("""() => {
        const e = document.activeElement;
        if (!e) return "nothing";
        return e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.name ? "[name=" + e.name + "]" : "")
            + " " + (e.textContent || "").trim().slice(0, 40);
    }""")


def settled_on_main(page) -> None:
    """A boosted navigation ends by putting the focus on the main content: wait for it, so that
    the next Tab starts from there (and the move does not land between a Tab and an Enter)."""
    page.wait_for_function("document.activeElement && document.activeElement.id === 'main'")


def tab_to(page, selector: str, *, backwards: bool = False, limit: int = 40) -> None:
    """Press Tab (or Shift+Tab) until the element matching `selector` has the focus: proves it
    can be reached with the keyboard, in at most `limit` presses."""
    key = "Shift+Tab" if backwards else "Tab"
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
        seen.append(focused(page))
    raise AssertionError(f"{selector} not reached with {limit} × {key}; focus went through:\n" + "\n".join(seen))


def tab(page, expected_id: str) -> None:
    """One Tab press, which must land on #expected_id (the tab order follows the form)."""
    page.keyboard.press("Tab")
    expect(page.locator(f"#{expected_id}")).to_be_focused()


def type_into(page, field_id: str, text: str) -> None:
    """Type into the field that has the focus (reached by keyboard before)."""
    expect(page.locator(f"#{field_id}")).to_be_focused()
    page.keyboard.type(text)
    expect(page.locator(f"#{field_id}")).to_have_value(text)


# --- signing in (tests use the `auth` fixture, which makes the account) ------------------------
def send_password(page, email: str, password: str, *, keyboard: bool = False) -> None:
    """The login page's first step: e-mail and password, sent (by keyboard alone if `keyboard`)."""
    page.goto("/login")
    if keyboard:
        tab_to(page, "#email")
        page.keyboard.type(email)
        page.keyboard.press("Tab")
        page.keyboard.type(password)
        page.keyboard.press("Enter")
    else:
        page.fill("#email", email)
        page.fill("#password", password)
        page.press("#password", "Enter")


def sign_in_on_page(page, email: str, password: str, *, keyboard: bool = False, code=None) -> None:
    """Fill in the login page and send it (by keyboard alone if `keyboard`), then, when the portal
    asks for it, the code that `code()` gives (the authenticator app's), until the dashboard shows."""
    send_password(page, email, password, keyboard=keyboard)
    if code is not None:
        page.wait_for_load_state()
        asked = page.locator("#code")
        expect(asked.or_(page.locator("h1").filter(has_text=DASHBOARD_TITLE))).to_be_visible()
        if asked.count():
            value = code()
            if keyboard:
                tab_to(page, "#code")
                page.keyboard.type(value)
                page.keyboard.press("Enter")
            else:
                page.fill("#code", value)
                page.press("#code", "Enter")
    expect(page.locator("h1")).to_have_text(DASHBOARD_TITLE)


def sign_in_through_the_form(page, email: str, password: str, *, code=None) -> None:
    """The login form's two steps posted from the page's browser context (its cookies, its CSRF
    tokens), without drawing them, then the page where signing in leads: for tests about what
    comes after signing in (the screens themselves: sign_in_on_page, tests/e2e/test_two_factor_pages.py)."""
    request = page.context.request
    token = csrf_token(request.get("/login").text())
    answer = request.post("/login", form={"email": email, "password": password, "csrf_token": token}, max_redirects=0)
    assert answer.status == 303, f"signing in as {email} answered {answer.status}"
    if "/login/code" in answer.headers["location"]:
        token = csrf_token(request.get("/login/code").text())
        answer = request.post("/login/code", form={"code": code(), "csrf_token": token}, max_redirects=0)
        assert answer.status == 303, f"the code of {email} answered {answer.status}"
    page.goto(answer.headers["location"])
    expect(page.locator("h1")).to_have_text(DASHBOARD_TITLE)


# --- the form, quickly (for tests about what comes after it) ---------------------------------
def fill_registration(page, province: str, email: str = "amina@example.org", first_name: str = "Amina") -> None:
    """A valid registration for the Oriental event, filled without the keyboard rules."""
    page.fill("#first_name", first_name)
    page.fill("#last_name", "El Idrissi")
    page.fill("#email", email)
    page.check("#gender-0")
    page.check("#age_band-2")
    page.select_option("#organization_type", "association")
    page.fill("#organization", "Association Tawasol")
    page.select_option("#province", province)
    page.fill("#city", "Oujda")
    page.check("#workshop-0")
    page.check("#consent")


def register(page, app, email: str = "amina@example.org", slug: str = SLUG) -> str:
    """Register through the form (JavaScript on or off); the page says to check the mail, and
    the mail holds the reference, which this returns."""
    page.goto(f"/events/{slug}/register")
    fill_registration(page, region_province_codes(app, event_region_code(app, slug))[0], email)
    page.locator("#registration-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/events/{slug}/register/done$"))
    expect(page.locator("h1")).to_have_text(re.compile("Vérifiez votre messagerie|تحققوا من بريدكم الإلكتروني"))
    return mailed_reference(app, email)


def mailed_reference(app, email: str = "amina@example.org") -> str:
    """The reference in the last mail to `email` (the confirmation page never shows it)."""
    for message in reversed(outbox(app)):
        if message.to_address == email and REFERENCE_RE.search(message.body_text):
            return REFERENCE_RE.search(message.body_text).group(0)
    raise AssertionError(f"no mail with a reference to {email}")
