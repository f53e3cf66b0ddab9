"""An event's programme in the browser, keyboard only (issue 9, items 3-5): the coordinator of the
"oriental" event adds an agenda item and moves it up, edits one in place (htmx), adds a rapporteur
and gives them a workshop with a seat limit; the agenda in Arabic; the agenda edited without
JavaScript. axe on every new page."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.events.models import AgendaItem, EventRole, Person, Workshop
from portal.extensions import db
from tests.support.browser import assert_accessible, offline_routes
from tests.support.pages import expect_language, tab_to, use_language

SLUG = "oriental"


@pytest.fixture
def fr_page(browser, browser_context_args, live_server, app):
    """A French browser: <input type="time"> then takes 24-hour times, typed as digits."""
    context = browser.new_context(**browser_context_args, locale="fr-FR")
    offline_routes(context, live_server, app.config["HTMX_URL"])
    yield context.new_page()
    context.close()


def agenda_titles(app, event_id) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AgendaItem.title_fr).where(AgendaItem.event_id == event_id)
                                       .order_by(AgendaItem.position)))


def item_id(app, event_id, title) -> int:
    with app.app_context():
        return db.session.scalar(select(AgendaItem.id).where(AgendaItem.event_id == event_id,
                                                             AgendaItem.title_fr == title))


def press_on(page, selector, key="Enter", limit=60):
    tab_to(page, selector, limit=limit)
    page.keyboard.press(key)


def test_the_coordinator_sets_the_programme_up_with_the_keyboard(fr_page, app, auth, events):
    page, event_id = fr_page, events[SLUG]
    auth.sign_in("coordinator", event_id, page=page, keyboard=True)
    base = f"/organizing/events/{event_id}"

    # The agenda: a new item at the end, then one place up.
    page.goto(f"{base}/agenda")
    assert_accessible(page, "agenda")
    press_on(page, f'a[href="{base}/agenda/new"]')
    expect(page.locator("h1")).to_contain_text("Ajouter une séquence")
    assert_accessible(page, "new agenda item")
    tab_to(page, "#starts_at")
    page.keyboard.type("1700")
    tab_to(page, "#ends_at")
    page.keyboard.type("1730")
    tab_to(page, "#kind")
    page.keyboard.type("Clô")
    tab_to(page, "#title_fr")
    page.keyboard.type("Photo de groupe")
    press_on(page, "form button[type=submit]")
    expect(page.locator("#flash")).to_contain_text("séquence ajoutée")
    assert agenda_titles(app, event_id)[-1] == "Photo de groupe"
    new_item = item_id(app, event_id, "Photo de groupe")
    press_on(page, f"#item-{new_item} button[value=up]")
    expect(page.locator("#flash")).to_contain_text("ordre changé")
    assert agenda_titles(app, event_id)[-2] == "Photo de groupe"

    # In place (htmx): the item's form replaces it, the save comes back into it and is announced.
    press_on(page, f"#item-{new_item} a.small-button")
    expect(page.locator(f"#item-{new_item} form[hx-post]")).to_be_visible()
    expect(page.locator("#starts_at")).to_be_focused()
    assert_accessible(page, "agenda item edited in place")
    tab_to(page, "#title_fr")
    page.keyboard.press("Control+A")
    page.keyboard.type("Photo de groupe et au revoir")
    press_on(page, f"#item-{new_item} button[type=submit]")
    expect(page.locator("#agenda-status")).to_contain_text("Programme mis à jour")
    expect(page.locator(f"#item-{new_item}")).to_contain_text("Photo de groupe et au revoir")
    expect(page.locator(f"#item-{new_item} a.small-button")).to_be_focused()
    assert "Photo de groupe et au revoir" in agenda_titles(app, event_id)

    # A rapporteur, added on the people's screen...
    page.goto(f"{base}/people")
    assert_accessible(page, "people")
    press_on(page, f'a[href="{base}/people/new"]')
    assert_accessible(page, "new person")
    tab_to(page, "#name_fr")
    page.keyboard.type("Salma Bennani")
    tab_to(page, "#email")
    page.keyboard.type("salma@example.org")
    tab_to(page, "#role")
    page.keyboard.type("Rapp")
    tab_to(page, "#status")
    page.keyboard.type("Conf")
    press_on(page, "form button[type=submit]")
    expect(page.locator("#flash")).to_contain_text("Personne ajoutée")

    # ...then given a workshop, with a seat limit.
    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.event_id == event_id).order_by(Workshop.position))
        workshop_id = workshop.id
    page.goto(f"{base}/workshops")
    assert_accessible(page, "workshops")
    press_on(page, f'a[href="{base}/workshops/{workshop_id}"]')
    assert_accessible(page, "workshop form")
    tab_to(page, "#seat_limit")
    page.keyboard.type("20")
    tab_to(page, "#rapporteur")
    page.keyboard.type("Salma")
    press_on(page, "form button[type=submit]")
    expect(page.locator("#flash")).to_contain_text("Atelier modifié")
    expect(page.locator(f"#workshop-{workshop_id}")).to_contain_text("Salma Bennani")
    with app.app_context():
        assert db.session.get(Workshop, workshop_id).seat_limit == 20
        link = db.session.scalar(select(EventRole).join(Person).where(
            Person.email == "salma@example.org", EventRole.workshop_id == workshop_id))
        assert link is not None and link.role == "rapporteur"
    # The public page names the confirmed rapporteur, never their address.
    page.goto(f"/events/{SLUG}")
    expect(page.locator("main")).to_contain_text("Salma Bennani")
    expect(page.locator("main")).not_to_contain_text("salma@example.org")


def test_the_agenda_in_arabic(page, context, live_server, app, auth, events):
    event_id = events[SLUG]
    auth.sign_in("admin", page=page)
    use_language(context, live_server, "ar")
    page.goto(f"/organizing/events/{event_id}/agenda")
    expect_language(page, "ar")
    expect(page.locator("h1")).to_contain_text("برنامج")
    assert_accessible(page, "agenda in Arabic")


def test_an_agenda_item_is_edited_without_javascript(no_js_page, app, auth, events):
    event_id = events[SLUG]
    page = auth.sign_in("coordinator", event_id, page=no_js_page)
    first = agenda_titles(app, event_id)[0]
    target = item_id(app, event_id, first)
    page.goto(f"/organizing/events/{event_id}/agenda")
    press_on(page, f"#item-{target} a.small-button")
    expect(page.locator("h1")).to_contain_text("Modifier la séquence")
    tab_to(page, "#title_fr")
    page.keyboard.press("Control+A")
    page.keyboard.type("Accueil et café")
    press_on(page, "form button[type=submit]")
    expect(page.locator("#flash")).to_contain_text("Programme mis à jour")
    expect(page.locator(f"#item-{target}")).to_contain_text("Accueil et café")
    assert agenda_titles(app, event_id)[0] == "Accueil et café"
