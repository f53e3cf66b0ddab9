"""Issue 11, item 1 in the browser: a coordinator registers someone without an email and a walk-in by
keyboard only (French and Arabic), the same without JavaScript, and axe on every new page (the assisted
form, the walk-in form, the import page with its report, the paper form), refused states included."""
import io
import re

import pytest
from pdfminer.high_level import extract_text
from playwright.sync_api import expect

from tests.support.browser import assert_accessible
from tests.support.data import make_registrations, outbox, registrations, set_capacity
from tests.support.pages import LANGUAGES, SLUG, expect_language, tab, tab_to, type_into, use_language
from tests.support.web import nfkc, squeeze

PEOPLE = {
    "fr": {"first_name": "Khadija", "last_name": "Ait Ali", "phone": "06 61 23 45 67", "city": "Jerada",
           "organization": "Association Amal"},
    "ar": {"first_name": "خديجة", "last_name": "آيت علي", "phone": "0661234567", "city": "جرادة",
           "organization": "جمعية أمل"},
}
# Row 2: an age band that does not exist (and a workshop number that may not be the event's).
BAD_CSV = (b"first_name,last_name,email,phone,gender,age_band,organization_type,organization,province,city,workshop,"
           b"consent\r\nAicha,Bennani,,0612345601,female,vieux,association,Amal,02.411,Oujda,1,oui\r\n")


# --- keyboard only, French and Arabic --------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGUAGES)
def test_register_someone_without_email_with_the_keyboard_only(page, context, live_server, app, auth, events, lang):
    person = PEOPLE[lang]
    auth.sign_in("coordinator", SLUG, page=page)
    use_language(context, live_server, lang)
    page.goto(f"/review/events/{events[SLUG]}/participants")
    expect_language(page, lang)
    tab_to(page, f'a[href="/review/events/{events[SLUG]}/register"]')
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/register$"))
    tab_to(page, "#first_name")
    type_into(page, "first_name", person["first_name"])
    tab(page, "last_name")
    type_into(page, "last_name", person["last_name"])
    tab(page, "email")  # left empty: no address
    tab(page, "phone")
    type_into(page, "phone", person["phone"])
    tab(page, "gender-0")
    page.keyboard.press("Space")
    tab(page, "age_band-0")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#age_band-2")).to_be_checked()
    tab(page, "organization_type")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#organization_type")).to_have_value("association")
    tab(page, "organization")
    type_into(page, "organization", person["organization"])
    tab_to(page, "#province", limit=3)
    page.keyboard.press("ArrowDown")
    tab(page, "city")
    type_into(page, "city", person["city"])
    tab(page, "workshop-0")
    page.keyboard.press("Space")
    tab_to(page, "#consent", limit=40)
    page.keyboard.press("Space")
    tab_to(page, "#registration-form button[type=submit]", limit=3)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/participants/\d+$"))
    expect_language(page, lang)
    expect(page.locator("h1")).to_contain_text(person["last_name"])
    [registration] = registrations(app)
    assert (registration.email, registration.phone, registration.channel) == ("", person["phone"], "assisted")
    assert registration.registered_by_name == "acodec"
    assert outbox(app) == []
    assert_accessible(page, f"participant registered by a coordinator ({lang})")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_walk_in_with_the_keyboard_only(page, context, live_server, app, auth, events, lang):
    person = PEOPLE[lang]
    auth.sign_in("coordinator", SLUG, page=page)
    use_language(context, live_server, lang)
    page.goto(f"/review/events/{events[SLUG]}/participants")
    tab_to(page, f'a[href="/review/events/{events[SLUG]}/walk-in"]')
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/walk-in$"))
    expect_language(page, lang)
    tab_to(page, "#first_name")
    type_into(page, "first_name", person["first_name"])
    tab(page, "last_name")
    type_into(page, "last_name", person["last_name"])
    tab(page, "gender-0")
    page.keyboard.press("Space")
    tab(page, "age_band-0")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")  # 18 to 24: no guardian's agreement to ask for
    expect(page.locator("#age_band-1")).to_be_checked()
    tab(page, "province")
    page.keyboard.press("ArrowDown")
    tab(page, "organization")
    tab(page, "phone")
    tab(page, "workshop")
    tab(page, "consent")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/participants$"))
    expect(page.locator("#flash, .notice-success").first).to_contain_text(person["last_name"])
    [registration] = registrations(app)
    assert (registration.status, registration.channel) == ("approved", "walk_in")


# --- without JavaScript -------------------------------------------------------------------------------------
def test_assisted_registration_and_refused_walk_in_without_javascript(no_js_page, app, auth, events):
    page = no_js_page
    auth.sign_in("coordinator", SLUG, page=page)
    page.goto(f"/review/events/{events[SLUG]}/register")
    page.fill("#first_name", "Khadija")
    page.fill("#last_name", "Ait Ali")
    page.check("#gender-0")
    page.check("#age_band-2")
    page.select_option("#organization_type", "individual")
    page.select_option("#province", "02.411")
    page.fill("#city", "Oujda")
    page.check("#workshop-0")
    page.check("#consent")
    page.locator("#registration-form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_contain_text("Sans adresse e-mail, indiquez un numéro de téléphone")
    page.fill("#phone", "0661234567")
    page.check("#consent")
    page.locator("#registration-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/participants/\d+$"))
    assert [r.channel for r in registrations(app)] == ["assisted"]

    set_capacity(app, events[SLUG], 1)  # taken by... nobody approved yet: approve one to fill it
    make_registrations(app, events[SLUG], 1, status="approved")
    page.goto(f"/review/events/{events[SLUG]}/walk-in")
    page.fill("#first_name", "Youssef")
    page.fill("#last_name", "Amrani")
    page.check("#gender-1")
    page.check("#age_band-1")
    page.select_option("#province", "02.411")
    page.check("#consent")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_contain_text("Complet : 1 place, déjà attribuée.")
    assert len(registrations(app)) == 2


def test_import_report_without_javascript(no_js_page, app, auth, events):
    page = no_js_page
    auth.sign_in("coordinator", SLUG, page=page)
    page.goto(f"/review/events/{events[SLUG]}/import")
    page.set_input_files("#file", files=[{"name": "liste.csv", "mimeType": "text/csv", "buffer": BAD_CSV}])
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#report tbody tr").first).to_contain_text("age_band")
    assert registrations(app) == []


# --- axe on every new page, both languages ------------------------------------------------------------------
def assisted_form(page, event_id):
    page.goto(f"/review/events/{event_id}/register")


def assisted_form_refused(page, event_id):
    page.goto(f"/review/events/{event_id}/register")
    page.fill("#first_name", "Khadija")
    page.locator("#registration-form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()


def walk_in_form(page, event_id):
    page.goto(f"/review/events/{event_id}/walk-in")


def walk_in_refused(page, event_id):
    page.goto(f"/review/events/{event_id}/walk-in")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()


def import_page(page, event_id):
    page.goto(f"/review/events/{event_id}/import")


def import_with_report(page, event_id):
    page.goto(f"/review/events/{event_id}/import")
    page.set_input_files("#file", files=[{"name": "liste.csv", "mimeType": "text/csv", "buffer": BAD_CSV}])
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#report tbody tr").first).to_contain_text("age_band")


def paper_form(page, event_id):
    page.goto(f"/review/events/{event_id}/paper-form")
    expect(page.locator(".paper-form")).to_be_visible()


def public_paper_form(page, event_id):
    page.goto(f"/events/{SLUG}/paper-form")
    expect(page.locator(".paper-form")).to_be_visible()


PAGES = [assisted_form, assisted_form_refused, walk_in_form, walk_in_refused, import_page, import_with_report,
         paper_form, public_paper_form]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("visit", PAGES, ids=[visit.__name__ for visit in PAGES])
def test_new_pages_pass_axe(page, context, live_server, auth, events, lang, visit):
    auth.sign_in("coordinator", SLUG, page=page)
    use_language(context, live_server, lang)
    visit(page, events[SLUG])
    expect_language(page, lang)
    assert_accessible(page, f"{visit.__name__} ({lang})")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_paper_form_prints_on_a4(page, context, live_server, auth, events, lang):
    auth.sign_in("coordinator", SLUG, page=page)
    use_language(context, live_server, lang)
    page.goto(f"/review/events/{events[SLUG]}/paper-form")
    pdf = page.pdf(prefer_css_page_size=True)  # the print stylesheet's @page says A4
    assert re.search(rb"/MediaBox \[0 0 59[45][.\d]* 84[12][.\d]*\]", pdf)  # A4: 595 × 842 points
    text = nfkc(squeeze(extract_text(io.BytesIO(pdf))))
    # pdfminer gives Arabic lines in visual order (right to left read as left to right): reversed.
    expected = ["Formulaire d'inscription", "Date et signature"] if lang == "fr" else [
        "استمارة التسجيل"[::-1], "التاريخ والتوقيع"[::-1]]
    for words in expected:
        assert words in text, (words, text[:300])
