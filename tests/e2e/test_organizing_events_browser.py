"""The organisers' event screens in the browser: clone the Oriental event, edit it, describe its
venue and publish it with the keyboard alone, axe on every page; the edit form in Arabic; the
edit form without JavaScript."""
import re

from playwright.sync_api import expect
from sqlalchemy import select

from portal.events.models import Event
from portal.extensions import db
from tests.support.browser import assert_accessible
from tests.support.pages import expect_language, settled_on_main, tab_to, use_language


def event_by_slug(app, slug) -> dict:
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        facts = {"id": event.id, "status": event.status, "city_fr": event.city_fr, "workshops": len(event.workshops)}
        db.session.remove()
        return facts


def replace_text(page, text):
    """Type over the focused field's content."""
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def test_clone_edit_and_publish_with_the_keyboard_only(page, app, auth, events, live_server):
    auth.sign_in("admin", page=page, keyboard=True)
    settled_on_main(page)
    tab_to(page, 'a[href="/organizing/"]', backwards=True)  # the header's menu, above the dashboard
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Événements à organiser")
    settled_on_main(page)
    assert_accessible(page, "organizing index")

    tab_to(page, f'a[href="/organizing/events/{events["oriental"]}"]')
    page.keyboard.press("Enter")
    expect(page.locator("dl.facts")).to_contain_text("Publié")
    settled_on_main(page)
    assert_accessible(page, "event overview")

    tab_to(page, f'a[href="/organizing/events/{events["oriental"]}/clone"]', limit=80)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Copier l'événement")
    settled_on_main(page)
    assert_accessible(page, "clone form")
    tab_to(page, "#title_fr")
    replace_text(page, "Rencontre de l'Oriental, deuxième édition")
    tab_to(page, "#slug")
    replace_text(page, "oriental-bis")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Rencontre de l'Oriental, deuxième édition")
    expect(page.locator("dl.facts")).to_contain_text("Brouillon")
    settled_on_main(page)
    copy = event_by_slug(app, "oriental-bis")
    assert copy["status"] == "draft" and copy["workshops"]

    tab_to(page, f'nav.section-nav a[href="/organizing/events/{copy["id"]}/edit"]')
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Modifier l'événement")
    settled_on_main(page)
    assert_accessible(page, "edit form")
    tab_to(page, "#city_fr", limit=60)
    replace_text(page, "Berkane")
    tab_to(page, "main form button[type=submit]", limit=150)
    page.keyboard.press("Enter")
    expect(page.locator("#flash")).to_contain_text("Modifications enregistrées.")
    settled_on_main(page)
    assert event_by_slug(app, "oriental-bis")["city_fr"] == "Berkane"

    tab_to(page, f'nav.section-nav a[href="/organizing/events/{copy["id"]}/venue"]')
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Lieu et accessibilité")
    settled_on_main(page)
    assert_accessible(page, "venue form")
    tab_to(page, "#name_fr")
    page.keyboard.type("Salle polyvalente de Berkane")
    tab_to(page, "#step_free_entrance-2")  # a radio group is one Tab stop: its checked "not yet known"
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")  # arrows move the choice: "Oui"
    expect(page.locator("#step_free_entrance-0")).to_be_checked()
    tab_to(page, "main form button[type=submit]", limit=80)
    page.keyboard.press("Enter")
    expect(page.locator("#flash")).to_contain_text("Lieu enregistré.")
    settled_on_main(page)

    tab_to(page, "main form button[type=submit]", limit=80)  # the first state button: publish
    expect(page.locator("main form button[type=submit]").first).to_contain_text("Publié")
    page.keyboard.press("Enter")
    expect(page.locator("dl.facts")).to_contain_text("Publié")
    assert event_by_slug(app, "oriental-bis")["status"] == "published"

    page.goto("/events/oriental-bis")
    expect(page.locator("h1")).to_have_text("Rencontre de l'Oriental, deuxième édition")
    expect(page.locator(".venue-facts .fact-yes")).to_contain_text("Entrée de plain-pied")


def test_the_edit_form_in_arabic_is_right_to_left_and_accessible(page, context, app, auth, events, live_server):
    auth.sign_in("admin", page=page)
    use_language(context, live_server, "ar")
    page.goto(f"/organizing/events/{events['oriental']}/edit")
    expect_language(page, "ar")
    expect(page.locator("#title_ar")).to_have_attribute("dir", "rtl")
    assert_accessible(page, "edit form in Arabic")
    page.goto(f"/organizing/events/{events['oriental']}/venue")
    expect_language(page, "ar")
    assert_accessible(page, "venue form in Arabic")


def test_the_edit_form_works_without_javascript(no_js_page, app, auth, events):
    page = no_js_page
    auth.sign_in("coordinator", "oriental", page=page)
    page.goto(f"/organizing/events/{events['oriental']}/edit")
    page.locator("#summary_fr").fill("Présentation revue sans JavaScript")
    page.locator("main form button[type=submit]").press("Enter")
    expect(page.locator("#flash")).to_contain_text("Modifications enregistrées.")
    assert re.search(r"/organizing/events/\d+$", page.url)
    with app.app_context():
        assert db.session.get(Event, events["oriental"]).summary_fr == "Présentation revue sans JavaScript"
