"""The coordinators' back office in the browser: keyboard only, with and without JavaScript,
bookmarkable filters, and axe on every page in French and Arabic."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.registration.models import Registration
from tests.support.browser import assert_accessible
from tests.support.data import make_registrations
from tests.support.pages import LANGUAGES, expect_language, settled_on_main, tab_to, use_language

SLUG = "oriental"
OUJDA, NADOR = "02.411", "02.381"


@pytest.fixture
def applicants(app, events):
    """Women of Oujda asking for travel (the ones the coordinator is after), and others."""
    event_id = events[SLUG]
    wanted = make_registrations(app, event_id, 3, gender="female", province_code=OUJDA, travel_support=True,
                                last_name=lambda i: f"Alaoui{i}")
    make_registrations(app, event_id, 2, gender="male", province_code=OUJDA, travel_support=True)
    make_registrations(app, event_id, 2, gender="female", province_code=NADOR, travel_support=True)
    make_registrations(app, event_id, 1, gender="female", province_code=OUJDA, access_needs=["wheelchair"])
    return {"event_id": event_id, "wanted": wanted}


def same_filters(url_a, url_b):
    query = lambda url: {k: sorted(v) for k, v in parse_qs(urlsplit(url).query).items()}
    return urlsplit(url_a).path == urlsplit(url_b).path and query(url_a) == query(url_b)


def status_of(app, registration_id):
    with app.app_context():
        return db.session.get(Registration, registration_id).status


def test_coordinator_filters_and_decides_with_the_keyboard_only(page, app, auth, applicants):
    event_id = applicants["event_id"]
    auth.sign_in("coordinator", event_id, page=page, keyboard=True)
    settled_on_main(page)
    tab_to(page, f'a[href="/review/events/{event_id}/participants"]')
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Participants")
    settled_on_main(page)

    # Women, from Oujda-Angad, asking for travel.
    tab_to(page, "#summary-gender")
    page.keyboard.press("Enter")
    tab_to(page, "input[name=gender][value=female]")
    page.keyboard.press("Space")
    tab_to(page, "#summary-support")
    page.keyboard.press("Enter")
    tab_to(page, "input[name=support][value=travel]")
    page.keyboard.press("Space")
    tab_to(page, "#summary-province")
    page.keyboard.press("Enter")
    tab_to(page, "#f-province")
    page.keyboard.type("Oujda")  # select the option by typing its name
    expect(page.locator("#f-province")).to_have_values([OUJDA])
    page.keyboard.press("Tab")  # leaving the list fires the change: htmx reloads the results
    expect(page.locator("#results h2")).to_contain_text("3 personnes")
    assert re.search(r"gender=female", page.url) and re.search(r"province=02\.411", page.url)

    first, second, third = applicants["wanted"]
    for registration_id, decision, expected, announced in (
            (first, "approve", "approved", "approuvé(e)"),
            (second, "waitlist", "waitlisted", "sur liste d'attente"),
            (third, "reject", "rejected", "non retenu(e)")):
        tab_to(page, f"#row-{registration_id} button[value={decision}]", limit=80)
        page.keyboard.press("Enter")
        expect(page.locator("#announce")).to_contain_text(announced)
        expect(page.locator(f"#row-{registration_id} .status")).not_to_have_text("En cours d'examen")
        # The keyboard stays on the decided row (its first remaining action), not thrown to the top.
        page.wait_for_function(
            f"document.activeElement && document.activeElement.closest('#row-{registration_id}') !== null")
        assert status_of(app, registration_id) == expected
    expect(page.locator("#counters")).to_contain_text("69 / 70")  # seats left after one approval
    # The page keeps its filters: the focus is still in the list, not thrown to the top.
    page.wait_for_function("document.activeElement && document.activeElement.closest('#results') !== null")


def test_the_same_flow_without_javascript(no_js_page, app, auth, applicants):
    event_id = applicants["event_id"]
    page = auth.sign_in("coordinator", event_id, page=no_js_page)
    page.goto(f"/review/events/{event_id}/participants")
    page.locator("summary", has_text="Genre").click()
    page.check("input[name=gender][value=female]")
    page.locator("summary", has_text="Prise en charge").click()
    page.check("input[name=support][value=travel]")
    page.locator("summary", has_text="Province de résidence").click()
    page.select_option("#f-province", OUJDA)
    page.locator("#filters button[type=submit]").click()
    expect(page.locator("#results h2")).to_contain_text("3 personnes")
    filtered_url = page.url
    first = applicants["wanted"][0]
    page.locator(f"#row-{first} button", has_text="Approuver").click()
    expect(page.locator("#flash")).to_contain_text("approuvé(e)")
    assert same_filters(page.url, filtered_url)  # back to the same filtered list
    expect(page.locator("#results h2")).to_contain_text("3 personnes")
    assert status_of(app, first) == "approved"


def test_a_filtered_url_reopened_shows_the_same_rows(page, context, auth, applicants):
    auth.sign_in("coordinator", applicants["event_id"], page=page)
    url = (f"/review/events/{applicants['event_id']}/participants?gender=female&province={OUJDA}"
           "&support=travel&sort=-name")
    page.goto(url)
    rows = page.locator("#results tbody tr").evaluate_all("rows => rows.map(r => r.id)")
    other = context.new_page()
    other.goto(url)
    assert other.locator("#results tbody tr").evaluate_all("rows => rows.map(r => r.id)") == rows
    assert len(rows) == 3


# --- axe on every back-office page, in both languages ---------------------------------------------
def login_page(page, app, applicants):
    page.goto("/login")


def dashboard(page, app, applicants):
    page.goto("/review/")


def list_empty(page, app, applicants):
    page.goto(f"/review/events/{applicants['event_id']}/participants?q=nobody-matches-this")
    expect(page.locator("#results")).to_be_visible()


def list_filtered(page, app, applicants):
    page.goto(f"/review/events/{applicants['event_id']}/participants?gender=female&province={OUJDA}")


def list_after_decision(page, app, applicants):
    list_filtered(page, app, applicants)
    page.locator(f"#row-{applicants['wanted'][0]} button").first.click()
    expect(page.locator("#announce p")).to_be_visible()


def participant(page, app, applicants):
    page.goto(f"/review/events/{applicants['event_id']}/participants/{applicants['wanted'][0]}")


def distribution(page, app, applicants):
    page.goto(f"/review/events/{applicants['event_id']}/distribution")
    expect(page.locator("svg.chart")).to_be_visible()


def reservations(page, app, applicants):
    page.goto(f"/review/events/{applicants['event_id']}/reservations")


def list_with_phone_offer(page, app, applicants):
    """A freed seat offered to a wait-listed person without an e-mail: the offer to make by phone."""
    import datetime as dt

    from portal.clock import utcnow
    from portal.registration.models import WaitlistOffer
    [waiting] = make_registrations(app, applicants["event_id"], 1, status="waitlisted", email="",
                                   phone="+212 661 23 45 67")
    with app.app_context():
        offer, _token = WaitlistOffer.make(db.session.get(Registration, waiting), utcnow(), dt.timedelta(days=2))
        db.session.add(offer)
        db.session.commit()
    page.goto(f"/review/events/{applicants['event_id']}/participants")
    expect(page.locator("#phone-offers-title")).to_be_visible()


PAGES = [login_page, dashboard, list_empty, list_filtered, list_after_decision, list_with_phone_offer, participant,
         distribution, reservations]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("visit", PAGES, ids=[visit.__name__ for visit in PAGES])
def test_backoffice_page_passes_axe(page, context, live_server, app, auth, applicants, lang, visit):
    if visit is not login_page:
        auth.sign_in("coordinator", applicants["event_id"], page=page)
    use_language(context, live_server, lang)
    visit(page, app, applicants)
    expect_language(page, lang)
    assert_accessible(page, f"{visit.__name__} ({lang})")
