"""Issue 10's support path in one browser, keyboard only, with the interface in Arabic: an admin sets
an event's support rules, confirms the grants they propose, overrides one with a reason, prints the
hotel and the transport lists to PDF (no navigation in them) and opens the budget; axe on every page.
Then without JavaScript: the rules are saved and a grant overridden through the plain forms. (The
French path of each screen: test_support_rules_browser.py and test_supplier_lists_browser.py.)"""
import datetime as dt
import io

from pdfminer.high_level import extract_text
from playwright.sync_api import expect

from portal.events.models import Event
from portal.events.support import rules_of
from portal.extensions import db
from portal.registration.grants import SupportDecision
from tests.support.browser import assert_accessible
from tests.support.data import make_registrations
from tests.support.pages import expect_language, settled_on_main, tab_to, use_language
from tests.support.web import nfkc, squeeze

FES, OUJDA = "03.231", "02.411"
REASON = "يصل ليلة قبل الحدث بالقطار"


def _setup(app, event_id) -> dict:
    """The event held in Fès, no rules saved yet, and two approved persons from Oujda (zone 2) asking
    for travel and accommodation, one with a consented wheelchair need."""
    with app.app_context():
        db.session.get(Event, event_id).province_code = FES
        db.session.commit()
    far = {"status": "approved", "province_code": OUJDA, "travel_support": True, "accommodation_support": True}
    [yasmine] = make_registrations(app, event_id, 1, first_name="Yasmine", last_name="Zerhouni",
                                   access_needs=["wheelchair"], consent_needs_at=dt.datetime(2026, 11, 1, 9, 0), **far)
    [karim] = make_registrations(app, event_id, 1, first_name="Karim", last_name="Alami", **far)
    return {"yasmine": yasmine, "karim": karim}


def press_on(page, selector: str, key: str = "Enter", limit: int = 120) -> None:
    tab_to(page, selector, limit=limit)
    page.keyboard.press(key)


def settled(page, what: str, boosted: bool = True) -> None:
    """After a boosted navigation, the focus on the main content; then the language and axe."""
    if boosted:
        settled_on_main(page)
    expect_language(page, "ar")
    assert_accessible(page, what)


def printed_text(page) -> str:
    """The page printed by Chromium, as pdfminer reads it: words (cells wrap), Arabic presentation
    forms folded back to letters."""
    page.emulate_media(media="print")
    for navigation in page.locator("nav").all():
        expect(navigation).to_be_hidden()
    text = extract_text(io.BytesIO(page.pdf(format="A4")))
    page.emulate_media(media="screen")
    return squeeze(nfkc(text))


def printed(word: str) -> str:
    """An Arabic word as pdfminer reads it from Chromium's PDF: in visual order, letters reversed
    (fine for words without the lam-alef ligature)."""
    return word[::-1]


def decision(app, registration_id):
    with app.app_context():
        row = db.session.get(SupportDecision, registration_id)
        result = None if row is None else (row.status, row.travel, row.nights, row.reason)
        db.session.remove()
        return result


def test_support_from_rules_to_lists_and_budget_in_arabic_with_the_keyboard(page, app, auth, events, live_server):
    event_id = events["fes-meknes"]
    people = _setup(app, event_id)
    base = f"/organizing/events/{event_id}"
    auth.sign_in("admin", page=page, keyboard=True)
    use_language(page.context, live_server, "ar")

    # The rules: the usual ones, with a cap of 10.
    page.goto(f"{base}/support")
    expect(page.locator("h1")).to_contain_text("التكفل بالتنقل والإيواء")
    settled(page, "support rules (ar)", boosted=False)
    tab_to(page, "#cap", limit=80)
    page.keyboard.type("10")
    press_on(page, "main form button[type=submit]")
    expect(page.locator("main")).to_contain_text("تم حفظ قواعد التكفل.")
    settled(page, "support rules saved (ar)")
    with app.app_context():
        assert rules_of(event_id).cap == 10

    # Apply them: both far participants are proposed travel and a night; confirm the proposals.
    press_on(page, f"nav.section-nav a[href='{base}/grants']")
    expect(page.locator("h1")).to_contain_text("قرارات التكفل")
    settled(page, "grants (ar)")
    press_on(page, "form[action$='/grants/confirm'] button", limit=150)
    expect(page.locator("main")).to_contain_text("تم تأكيد تكفلين.")
    settled(page, "grants confirmed (ar)")
    assert decision(app, people["yasmine"]) == ("confirmed", True, 1, "")

    # Override Karim's: two nights, with a reason.
    tab_to(page, "#registration_id", limit=150)
    page.keyboard.type("Karim")
    expect(page.locator("#registration_id option:checked")).to_have_text("Karim Alami")
    press_on(page, "#travel", key="Space")  # travel kept: the form starts unticked
    expect(page.locator("#travel")).to_be_checked()
    tab_to(page, "#nights")
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    tab_to(page, "#reason")
    page.keyboard.type(REASON)
    press_on(page, "form[action$='/grants/override'] button[type=submit]")
    expect(page.locator("main")).to_contain_text("تم تعديل التكفل بـ \u2068Karim Alami\u2069.")
    settled(page, "grant overridden (ar)")
    karim = page.locator("table.grants-list tr", has_text="Karim Alami")
    expect(karim).to_contain_text("معدل")
    expect(karim).to_contain_text(REASON)
    assert decision(app, people["karim"])[0] == "overridden"

    # The hotel list, printed without navigation.
    press_on(page, f"main a[href='{base}/lists/hotel']", limit=150)
    expect(page.locator("h1")).to_contain_text("لائحة الفندق")
    settled(page, "hotel list (ar)")
    expect(page.locator("table.supplier-list tr", has_text="Karim Alami")).to_contain_text("2")
    text = printed_text(page)
    assert printed("الفندق") in text and "Karim Alami" in text and "Yasmine Zerhouni" in text
    assert printed("القيادة") not in text and printed("قرارات") not in text  # no site nor section navigation
    assert "CSV" not in text and "XLSX" not in text  # nor the download links

    # The transport list, likewise.
    press_on(page, f"nav.section-nav a[href='{base}/lists/transport']")
    expect(page.locator("h1")).to_contain_text("لائحة النقل")
    settled(page, "transport list (ar)")
    text = printed_text(page)
    assert printed("النقل") in text and "Karim Alami" in text and "Yasmine Zerhouni" in text
    assert printed("القيادة") not in text and printed("قرارات") not in text
    assert "CSV" not in text and "XLSX" not in text

    # The budget.
    press_on(page, f"nav.section-nav a[href='{base}/budget']")
    expect(page.locator("h1")).to_contain_text("الميزانية")
    settled(page, "budget (ar)")
    expect(page.locator("#budget-total")).to_be_visible()


def test_rules_saved_and_a_grant_overridden_without_javascript(no_js_page, app, auth, events):
    page = no_js_page
    event_id = events["fes-meknes"]
    people = _setup(app, event_id)
    base = f"/organizing/events/{event_id}"
    auth.sign_in("admin", page=page)

    page.goto(f"{base}/support")
    page.fill("#cap", "5")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("main")).to_contain_text("Règles de prise en charge enregistrées.")
    with app.app_context():
        assert rules_of(event_id).cap == 5

    page.goto(f"{base}/grants")
    page.select_option("#registration_id", str(people["karim"]))
    page.uncheck("#travel")
    page.fill("#nights", "0")
    page.fill("#reason", "Vient par ses propres moyens")
    page.locator("form[action$='/grants/override'] button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Prise en charge modifiée pour Karim Alami.")
    expect(page.locator("table.grants-list tr", has_text="Karim Alami")).to_contain_text("Vient par ses propres moyens")
    assert decision(app, people["karim"]) == ("overridden", False, 0, "Vient par ses propres moyens")
