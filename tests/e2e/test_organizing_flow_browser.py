"""Issue 9's whole path in one browser, keyboard only, with the interface in Arabic: an admin copies
an event, opens its registration window, edits its agenda, adds a rapporteur and gives them a
workshop, publishes the event; a person registers from the public page; the admin closes
registration and the public page says so. axe on every page on the way. (The French path of each
screen: test_organizing_events_browser.py and test_organizing_program_browser.py.)"""
import datetime as dt

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.clock import utcnow
from portal.events.models import Event, EventRole, Person
from portal.extensions import db
from portal.registration.models import Registration
from tests.support.browser import assert_accessible, offline_routes
from tests.support.pages import expect_language, settled_on_main, tab_to, use_language


@pytest.fixture
def ar_page(browser, browser_context_args, live_server, app):
    """The portal in Arabic (its cookie is set after signing in); the browser itself in French."""
    context = browser.new_context(**browser_context_args, locale="fr-FR")
    offline_routes(context, live_server, app.config["HTMX_URL"])
    page = context.new_page()
    yield page, context
    context.close()


def press_on(page, selector: str, key: str = "Enter", limit: int = 120) -> None:
    tab_to(page, selector, limit=limit)
    page.keyboard.press(key)


def choose(page, selector: str, value: str, limit: int = 120) -> None:
    """Walk a closed <select> with the arrow keys until it holds `value`."""
    tab_to(page, selector, limit=limit)
    for _ in range(100):
        if page.locator(selector).input_value() == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{selector} never reached {value}")


def type_date(page, selector: str, day: dt.date) -> None:
    """A date input reached by Tab, then given its value: the order of its day, month and year
    segments is the browser's own (not the page's language), so the value goes in as ISO."""
    tab_to(page, selector, limit=120)
    page.locator(selector).fill(day.isoformat())


def settled(page, what: str, boosted: bool = True) -> None:
    """After a boosted navigation (htmx), wait for the focus on the main content; then the
    language and axe."""
    if boosted:
        settled_on_main(page)
    expect_language(page, "ar")
    assert_accessible(page, what)


def event_row(app, slug: str) -> dict:
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        row = {"id": event.id, "status": event.status, "closes": event.registration_closes_at,
               "workshop": event.workshops[0].id, "item": event.agenda[0].id,
               "agenda": [item.title_fr for item in event.agenda]}
        db.session.remove()
        return row


def test_an_event_from_copy_to_closed_registration_in_arabic_with_the_keyboard(ar_page, app, auth, events,
                                                                              live_server):
    page, context = ar_page
    today = utcnow().date()
    starts_on = today + dt.timedelta(days=40)
    auth.sign_in("admin", page=page, keyboard=True)
    use_language(context, live_server, "ar")

    # Copy the Oriental event: a draft with its workshops, agenda and people, no registration.
    page.goto(f"/organizing/events/{events['oriental']}")
    settled(page, "overview (ar)", boosted=False)
    press_on(page, f'a[href="/organizing/events/{events["oriental"]}/clone"]')
    expect(page.locator("#title_fr")).to_be_visible()
    settled(page, "clone form (ar)")
    tab_to(page, "#title_fr")
    page.keyboard.press("Control+A")
    page.keyboard.type("Rencontre de Berkane")
    tab_to(page, "#title_ar")
    page.keyboard.press("Control+A")
    page.keyboard.type("لقاء بركان")
    type_date(page, "#starts_on", starts_on)
    tab_to(page, "#slug")
    page.keyboard.type("berkane")
    press_on(page, "main form button[type=submit]")
    expect(page.locator("h1")).to_have_text("لقاء بركان")
    settled(page, "overview of the copy (ar)")
    copy = event_row(app, "berkane")
    assert copy["status"] == "draft"
    assert page.context.request.get(f"{live_server}/events/berkane").status == 404  # a draft is not public

    # Open its registration window: from yesterday to three days before the event.
    press_on(page, f'nav.section-nav a[href="/organizing/events/{copy["id"]}/edit"]')
    expect(page.locator("#opens_on")).to_be_visible()
    settled(page, "edit form (ar)")
    type_date(page, "#opens_on", today - dt.timedelta(days=1))
    type_date(page, "#closes_on", starts_on - dt.timedelta(days=3))
    press_on(page, "main form button[type=submit]", limit=200)
    expect(page.locator("#flash")).to_be_visible()
    settled(page, "overview after the edit (ar)")
    assert event_row(app, "berkane")["closes"] is not None

    # The agenda: the first item's title, edited in place (htmx) and announced.
    press_on(page, f'nav.section-nav a[href="/organizing/events/{copy["id"]}/agenda"]')
    settled(page, "agenda (ar)")
    press_on(page, f"#item-{copy['item']} a.small-button")
    expect(page.locator(f"#item-{copy['item']} form[hx-post]")).to_be_visible()
    assert_accessible(page, "agenda item edited in place (ar)")
    tab_to(page, "#title_fr")
    page.keyboard.press("Control+A")
    page.keyboard.type("Accueil et inscription sur place")
    press_on(page, f"#item-{copy['item']} button[type=submit]")
    expect(page.locator(f"#item-{copy['item']}")).to_contain_text("Accueil et inscription sur place")
    expect(page.locator("#agenda-status")).not_to_be_empty()
    assert event_row(app, "berkane")["agenda"][0] == "Accueil et inscription sur place"

    # A rapporteur, confirmed...
    press_on(page, f'nav.section-nav a[href="/organizing/events/{copy["id"]}/people"]')
    settled(page, "people (ar)")
    press_on(page, f'a[href="/organizing/events/{copy["id"]}/people/new"]')
    expect(page.locator("#name_fr")).to_be_visible()
    settled(page, "new person (ar)")
    tab_to(page, "#name_fr")
    page.keyboard.type("Nadia Chraibi")
    tab_to(page, "#name_ar")
    page.keyboard.type("نادية الشرايبي")
    tab_to(page, "#email")
    page.keyboard.type("nadia@example.org")
    choose(page, "#role", "rapporteur")
    choose(page, "#status", "confirmed")
    press_on(page, "main form button[type=submit]")
    expect(page.locator("#flash")).to_be_visible()
    settled(page, "people after adding (ar)")
    with app.app_context():
        nadia = db.session.scalar(select(Person.id).where(Person.email == "nadia@example.org"))

    # ...given the first workshop, with a seat limit.
    press_on(page, f'nav.section-nav a[href="/organizing/events/{copy["id"]}/workshops"]')
    settled(page, "workshops (ar)")
    press_on(page, f'a[href="/organizing/events/{copy["id"]}/workshops/{copy["workshop"]}"]')
    expect(page.locator("#seat_limit")).to_be_visible()
    settled(page, "workshop form (ar)")
    tab_to(page, "#seat_limit")
    page.keyboard.type("25")
    choose(page, "#rapporteur", str(nadia))
    press_on(page, "main form button[type=submit]")
    expect(page.locator(f"#workshop-{copy['workshop']}")).to_contain_text("Nadia Chraibi")
    settled(page, "workshops after the edit (ar)")
    with app.app_context():
        link = db.session.scalar(select(EventRole).where(EventRole.person_id == nadia,
                                                         EventRole.workshop_id == copy["workshop"]))
        assert link is not None and link.role == "rapporteur"

    # Publish.
    press_on(page, f'nav.section-nav a[href="/organizing/events/{copy["id"]}"]')
    settled(page, "overview before publishing (ar)")
    press_on(page, 'form:has(input[name=status][value=published]) button[type=submit]', limit=200)
    expect(page.locator("#flash")).to_be_visible()
    settled(page, "overview once published (ar)")
    assert event_row(app, "berkane")["status"] == "published"

    # The public page, in Arabic: the confirmed rapporteur (never her address), and the form.
    page.goto("/events/berkane")
    settled(page, "public page (ar)", boosted=False)
    expect(page.locator("main")).to_contain_text("نادية الشرايبي")
    expect(page.locator("main")).not_to_contain_text("nadia@example.org")
    press_on(page, '#main a.button[href="/events/berkane/register"]')
    expect(page.locator("#registration-form")).to_be_visible()
    settled(page, "registration form (ar)")
    for field, text in (("first_name", "Fatima"), ("last_name", "Zahra"), ("email", "fatima@example.org")):
        tab_to(page, f"#{field}")
        page.keyboard.type(text)
    tab_to(page, "#gender-0")
    page.keyboard.press("Space")
    tab_to(page, "#age_band-0")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # 25-34
    choose(page, "#organization_type", "association")
    tab_to(page, "#organization")
    page.keyboard.type("Association Al Amal")
    tab_to(page, "#province")
    page.keyboard.press("ArrowDown")
    tab_to(page, "#city")
    page.keyboard.type("بركان")
    tab_to(page, "#workshop-0")
    page.keyboard.press("Space")
    tab_to(page, "#consent", limit=200)
    page.keyboard.press("Space")
    press_on(page, "#registration-form button[type=submit]")
    expect(page.locator(".panel-success")).to_be_visible()
    settled(page, "registration done (ar)", boosted=False)
    with app.app_context():
        registration = db.session.scalar(select(Registration).where(Registration.email == "fatima@example.org"))
        assert registration.event_id == copy["id"] and registration.workshop_id == copy["workshop"]
        assert registration.language == "ar"

    # Close registration: the public page says so and offers no form.
    page.goto(f"/organizing/events/{copy['id']}")
    press_on(page, 'form:has(input[name=status][value=registration_closed]) button[type=submit]', limit=200)
    expect(page.locator("#flash")).to_be_visible()
    assert event_row(app, "berkane")["status"] == "registration_closed"
    page.goto("/events/berkane")
    settled(page, "public page once closed (ar)", boosted=False)
    expect(page.locator('a[href="/events/berkane/register"]')).to_have_count(0)
    expect(page.locator(".register-box")).to_contain_text("التسجيلات مغلقة")
