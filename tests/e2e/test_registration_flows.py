"""Registering in a real browser: by keyboard only in both languages, without JavaScript, the
error path, duplicates, closed events, cancelling, inline validation and the region filter."""
import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from portal.events.models import Event
from portal.extensions import db
from tests.support.data import event_region_code, mailed_manage_path, region_province_codes, registrations
from tests.support.pages import (
    ERROR_TITLE_PREFIX,
    LANGUAGES,
    SLUG,
    expect_language,
    fill_registration,
    mailed_reference,
    register,
    tab,
    tab_to,
    type_into,
    use_language,
)

PEOPLE = {
    "fr": {"first_name": "Amina", "last_name": "El Idrissi", "email": "amina@example.org",
           "phone": "+212 6 12 34 56 78", "organization": "Association Tawasol", "city": "Oujda"},
    "ar": {"first_name": "أمينة", "last_name": "الإدريسي", "email": "amina.ar@example.org",
           "phone": "0612345678", "organization": "جمعية تواصل", "city": "وجدة"},
}
LANGUAGE_RADIO = {"fr": "language-0", "ar": "language-1"}  # preselected: the page's language
# Fields the empty form reports, each summary link pointing to the first control of its field.
EMPTY_FORM_ERRORS = ["last_name", "email", "gender-0", "age_band-0", "organization_type", "province",
                     "workshop-0", "consent"]


def register_url(slug=SLUG):
    return re.compile(rf"/events/{slug}/register$")


def done_url(slug=SLUG):
    return re.compile(rf"/events/{slug}/register/done$")


def expect_provinces_of(page, region, count):
    """Wait for the province list to hold the placeholder and that region's provinces only (not
    an earlier state: the whole list, or the answer for the region the arrows went through)."""
    expect(page.locator(f'#province option[value^="{region}."]')).to_have_count(count)
    expect(page.locator(f'#province option:not([value^="{region}."])')).to_have_count(1)
    expect(page.locator("#province option").first).to_have_attribute("value", "")


def close_registration(app, slug=SLUG):
    with app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == slug))
        event.registration_closes_at = dt.datetime(2020, 1, 1)
        db.session.commit()
        db.session.remove()


# --- 1. keyboard only, French and Arabic -------------------------------------------------------
@pytest.mark.parametrize("lang", LANGUAGES)
def test_register_with_the_keyboard_only(page, app, events, lang):
    person = PEOPLE[lang]
    region = event_region_code(app)
    provinces = region_province_codes(app, region)

    page.goto("/")
    expect_language(page, "fr")
    if lang != "fr":  # the language switcher, by keyboard
        tab_to(page, f'.language-switcher a[hreflang="{lang}"]', limit=5)
        page.keyboard.press("Enter")
        expect_language(page, lang)
        page.wait_for_load_state()
    # Home → event → form: boosted navigations, each leaving the focus at the main content.
    tab_to(page, f'article.card a[href="/events/{SLUG}"]')
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/events/{SLUG}$"))
    expect(page.locator("#main")).to_be_focused()
    tab_to(page, f'#main a.button[href="/events/{SLUG}/register"]', limit=5)
    page.keyboard.press("Enter")
    expect(page).to_have_url(register_url())
    expect(page.locator("#main")).to_be_focused()
    expect_language(page, lang)

    # The tab order follows the form, one press per control.
    tab_to(page, "#first_name", limit=2)
    type_into(page, "first_name", person["first_name"])
    for field in ("last_name", "email", "phone"):
        tab(page, field)
        type_into(page, field, person[field])
    tab(page, "gender-0")
    page.keyboard.press("Space")
    expect(page.locator("#gender-0")).to_be_checked()
    tab(page, "age_band-0")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#age_band-2")).to_be_checked()
    expect(page.locator("#age_band-2")).to_be_focused()
    tab(page, "organization_type")
    for _ in range(3):  # arrows walk the closed list; the choice must not jump back meanwhile
        page.keyboard.press("ArrowDown")
    expect(page.locator("#organization_type")).to_have_value("cooperative")
    tab(page, "organization")
    expect(page.locator("#organization_type")).to_have_value("cooperative")
    type_into(page, "organization", person["organization"])
    # The region filter (JavaScript only) narrows the province list.
    tab(page, "region-filter")
    for _ in range(13):
        if page.locator("#region-filter").input_value() == region:
            break
        page.keyboard.press("ArrowDown")
    expect(page.locator("#region-filter")).to_have_value(region)
    expect_provinces_of(page, region, len(provinces))
    tab(page, "province")
    page.keyboard.press("ArrowDown")
    province = page.locator("#province").input_value()
    assert province in provinces
    tab(page, "city")
    type_into(page, "city", person["city"])
    tab(page, "workshop-0")
    page.keyboard.press("Space")
    expect(page.locator("#workshop-0")).to_be_checked()
    tab(page, LANGUAGE_RADIO[lang])  # Tab enters a radio group at its checked radio
    expect(page.locator(f"#{LANGUAGE_RADIO[lang]}")).to_be_checked()
    tab(page, "access_needs-0")
    page.keyboard.press("Space")
    for field in [f"access_needs-{i}" for i in range(1, 8)] + ["access_needs_details"]:
        tab(page, field)
    tab(page, "diets-0")  # the dietary needs: vegetarian
    page.keyboard.press("Space")
    for field in ["diets-1", "diets-2", "diets-3", "diet_details", "consent_needs"]:
        tab(page, field)
    page.keyboard.press("Space")
    tab(page, "travel_support")
    page.keyboard.press("Space")
    tab(page, "accommodation_support")
    tab(page, "heard_from-0")  # how they heard of it: none chosen, Tab enters at the first answer
    page.keyboard.press("ArrowDown")  # moves and chooses: social networks
    expect(page.locator("#heard_from-1")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.locator('#registration-form a[href="/privacy"]')).to_be_focused()
    tab(page, "consent")
    page.keyboard.press("Space")
    expect(page.locator("#consent")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.locator("#registration-form button[type=submit]")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(done_url())
    expect_language(page, lang)
    expect(page.locator(".panel-success")).to_contain_text(person["email"][0] + "•••@")
    [registration] = registrations(app)
    assert registration.reference == mailed_reference(app, person["email"])
    assert (registration.first_name, registration.last_name) == (person["first_name"], person["last_name"])
    assert registration.email == person["email"]
    assert (registration.gender, registration.age_band) == ("female", "25_34")
    assert (registration.organization_type, registration.organization) == ("cooperative", person["organization"])
    assert (registration.province_code, registration.city) == (province, person["city"])
    assert registration.workshop_id == _first_workshop_id(app)
    assert registration.language == lang
    assert registration.access_needs == ["wheelchair"] and registration.consent_needs_at is not None
    assert registration.travel_support and not registration.accommodation_support
    assert registration.diets == ["vegetarian"] and registration.heard_from == "social_networks"
    assert registration.status == "pending" and not registration.out_of_region


def _first_workshop_id(app):
    with app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == SLUG))
        return event.workshops[0].id


# --- 2. without JavaScript ----------------------------------------------------------------------
def test_register_without_javascript(no_js_page, app, events):
    page = no_js_page
    page.goto(f"/events/{SLUG}/register")
    expect(page.locator("#group-region-filter")).to_be_hidden()  # needs JavaScript
    expect(page.locator("#province optgroup")).to_have_count(12)  # the whole list, grouped by region
    province = region_province_codes(app, event_region_code(app))[0]
    fill_registration(page, province)
    page.locator("#registration-form button[type=submit]").click()
    expect(page).to_have_url(done_url())
    expect(page.locator(".panel-success")).to_contain_text("a•••@example.org")
    [registration] = registrations(app)
    assert registration.reference == mailed_reference(app)
    assert registration.province_code == province


# --- 3. the error path ------------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGUAGES)
def test_empty_submission_focuses_the_error_summary_whose_links_reach_each_field(
        page, context, live_server, app, events, lang):
    use_language(context, live_server, lang)
    page.goto(f"/events/{SLUG}/register")
    tab_to(page, "#first_name")
    type_into(page, "first_name", "Zineb")
    tab_to(page, "#city", limit=15)
    type_into(page, "city", "Fès")
    tab_to(page, "#registration-form button[type=submit]", limit=30)  # 7 more controls since the diet and heard-from questions
    page.keyboard.press("Enter")

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()  # after htmx swapped the form in place
    expect(page).to_have_title(re.compile("^" + re.escape(ERROR_TITLE_PREFIX[lang])))
    expect(page).to_have_url(register_url())
    expect(page.locator("#first_name")).to_have_value("Zineb")
    expect(page.locator("#city")).to_have_value("Fès")
    links = summary.locator("a")
    assert [href[1:] for href in links.evaluate_all("(as) => as.map(a => a.getAttribute('href'))")] == \
        EMPTY_FORM_ERRORS
    expect(page.locator("#registration-form .field-error")).to_have_count(len(EMPTY_FORM_ERRORS))
    for index, field_id in enumerate(EMPTY_FORM_ERRORS):
        links.nth(index).focus()
        page.keyboard.press("Enter")
        expect(page.locator(f"#{field_id}")).to_be_focused()
        assert page.evaluate("document.activeElement.id") == field_id
    assert registrations(app) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_empty_submission_without_javascript_shows_the_summary_and_keeps_values(
        no_js_page, no_js_context, live_server, app, events, lang):
    page = no_js_page
    use_language(no_js_context, live_server, lang)
    page.goto(f"/events/{SLUG}/register")
    page.fill("#first_name", "Zineb")
    page.fill("#email", "zineb@")
    page.locator("#registration-form button[type=submit]").click()
    expect(page).to_have_title(re.compile("^" + re.escape(ERROR_TITLE_PREFIX[lang])))
    expect_language(page, lang)
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator('a[href="#email"]')).to_be_visible()
    expect(summary.locator('a[href="#consent"]')).to_be_visible()
    expect(page.locator("#first_name")).to_have_value("Zineb")
    expect(page.locator("#email")).to_have_value("zineb@")
    expect(page.locator("#email")).to_have_attribute("aria-invalid", "true")
    assert registrations(app) == []


# --- 4. a second registration with the same email -----------------------------------------------
def test_registering_twice_with_the_same_email_says_check_your_mail_like_the_first_time(page, app, events):
    register(page, app, email="amina@example.org")
    first = page.locator("#main").inner_text()
    page.goto(f"/events/{SLUG}/register")
    fill_registration(page, region_province_codes(app, event_region_code(app))[0],
                      email="amina@example.org", first_name="Autre")
    page.locator("#registration-form button[type=submit]").click()
    # The page does not tell that the address is registered (the reminder mail does, to its owner).
    expect(page).to_have_url(done_url())
    expect(page.locator("h1")).to_contain_text("Vérifiez votre messagerie")
    expect(page).to_have_title(re.compile("^Vérifiez votre messagerie"))  # a new page, like the first time
    assert page.locator("#main").inner_text() == first
    expect(page.locator("#registration-form")).to_have_count(0)
    [registration] = registrations(app)
    assert registration.first_name == "Amina"


# --- 5. closed registration -----------------------------------------------------------------------
def test_closed_event_shows_the_reason_and_no_form(page, app, events):
    close_registration(app)
    page.goto(f"/events/{SLUG}/register")
    expect(page.locator("h1")).to_contain_text("Inscriptions fermées")
    expect(page.locator(".notice")).to_contain_text("Les inscriptions sont closes depuis le")
    expect(page.locator("form#registration-form")).to_have_count(0)
    expect(page.locator("#main input, #main select, #main textarea")).to_have_count(0)
    page.goto(f"/events/{SLUG}")
    expect(page.locator(".register-box")).to_contain_text("Les inscriptions sont closes depuis le")
    expect(page.locator(f'a[href="/events/{SLUG}/register"]')).to_have_count(0)


def test_registration_closing_while_the_form_is_open_refuses_with_the_reason(page, app, events):
    page.goto(f"/events/{SLUG}/register")
    fill_registration(page, region_province_codes(app, event_region_code(app))[0])
    close_registration(app)
    page.locator("#registration-form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("Inscriptions fermées")
    expect(page.locator(".notice")).to_contain_text("Les inscriptions sont closes depuis le")
    expect(page.locator("#main")).to_be_focused()
    assert registrations(app) == []


# --- 6. cancelling through the manage link ------------------------------------------------------
def test_cancel_through_the_manage_link(page, app, events):
    reference = register(page, app)
    page.goto(mailed_manage_path(app))  # the link of the acknowledgement mail
    expect(page).to_have_url(re.compile(r"/manage/[\w-]+$"))
    expect(page.locator(".facts")).to_contain_text(reference)
    expect(page.locator(".facts")).to_contain_text("En cours d'examen")
    page.get_by_role("link", name="Annuler mon inscription").click()
    expect(page).to_have_url(re.compile(r"/manage/[\w-]+/cancel$"))
    expect(page.locator("h1")).to_contain_text("Annuler mon inscription ?")
    assert registrations(app)[0].status == "pending"  # asking is not cancelling
    page.get_by_role("button", name="Oui, annuler mon inscription").click()
    expect(page).to_have_url(re.compile(r"/manage/[\w-]+$"))
    expect(page.locator("#flash")).to_contain_text("Votre inscription est annulée")
    expect(page.locator(".facts")).to_contain_text("Annulée")
    expect(page.get_by_role("link", name="Annuler mon inscription")).to_have_count(0)
    [registration] = registrations(app)
    assert registration.status == "cancelled" and registration.cancelled_at is not None


# --- 8. inline validation, and the form at 320 px -------------------------------------------------
def test_inline_validation_shows_and_announces_the_error_without_reloading(page, app, events):
    page.goto(f"/events/{SLUG}/register")
    status = page.locator("#field-check-status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_be_empty()
    # Markers that a reload, or a re-created live region, would lose.
    page.evaluate("window.noReload = true; document.getElementById('field-check-status').sameNode = true")
    tab_to(page, "#email")
    type_into(page, "email", "pas-une-adresse")
    page.keyboard.press("Tab")
    expect(page.locator("#phone")).to_be_focused()  # the focus goes on; the check comes after

    error = page.locator("#group-email .field-error")
    expect(error).to_contain_text("Saisissez une adresse e-mail valide")
    email = page.locator("#email")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_attribute("aria-describedby", re.compile(r"(^|\s)email-error(\s|$)"))
    expect(email).to_have_value("pas-une-adresse")
    expect(status).to_contain_text("Saisissez une adresse e-mail valide")  # announced, politely
    assert page.evaluate("window.noReload && document.getElementById('field-check-status').sameNode") is True
    expect(page.locator("#phone")).to_be_focused()

    # Corrected: the error and the announcement go away.
    page.keyboard.press("Shift+Tab")
    expect(email).to_be_focused()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("amina@example.org")
    page.keyboard.press("Tab")
    expect(error).to_have_count(0)
    expect(email).not_to_have_attribute("aria-invalid", "true")
    expect(status).to_be_empty()
    assert page.evaluate("window.noReload") is True


# Elements sticking out of the viewport sideways. Overflow on the start side (left in French,
# right in Arabic) cannot be scrolled to, so scrollWidth alone would not see it.
OUTSIDE_VIEWPORT = """() => [...document.querySelectorAll("body *")].filter((e) => {
    const r = e.getBoundingClientRect();
    if (!r.width || !r.height || e.closest(".visually-hidden, .honeypot, .skip-link")) return false;
    return r.right > innerWidth + 0.5 || r.left < -0.5;
}).map((e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + "." + e.className)"""


def assert_fits_the_width(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(OUTSIDE_VIEWPORT) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_form_fits_320_pixels_without_horizontal_scrolling(page, context, live_server, events, lang):
    use_language(context, live_server, lang)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"/events/{SLUG}/register")
    expect_language(page, lang)
    assert_fits_the_width(page, 320)
    page.locator("#registration-form button[type=submit]").click()  # errors make it longer and wider
    expect(page.locator("#error-summary")).to_be_focused()
    assert_fits_the_width(page, 320)


# --- 9. the region filter -----------------------------------------------------------------------
def test_region_filter_narrows_the_province_list(page, app, events):
    page.goto(f"/events/{SLUG}/register")
    province = page.locator("#province")
    all_options = province.locator("option").count()
    region_filter = page.locator("#region-filter")
    expect(region_filter).to_be_visible()

    region = "03"
    codes = region_province_codes(app, region)
    region_filter.select_option(region)
    expect_provinces_of(page, region, len(codes))
    values = province.locator("option").evaluate_all("(os) => os.map(o => o.value)")
    assert values[0] == "" and sorted(values[1:]) == sorted(codes)
    expect(province.locator("optgroup")).to_have_count(1)

    # Choosing a province, then leaving the list, keeps it narrowed.
    province.focus()
    page.keyboard.press("ArrowDown")
    chosen = province.input_value()
    assert chosen in codes
    page.keyboard.press("Tab")
    expect(page.locator("#city")).to_be_focused()
    expect(province.locator("option")).to_have_count(len(codes) + 1)
    expect(province).to_have_value(chosen)

    # Another region: its own provinces. All regions: the whole list again.
    region_filter.select_option("02")
    expect_provinces_of(page, "02", len(region_province_codes(app, "02")))
    region_filter.select_option("")
    expect(province.locator("option")).to_have_count(all_options)
