"""The budget in the browser: an admin opens an event's budget from its section nav and adds a line
by hand with the keyboard alone; the total follows; axe on the budget in French and Arabic."""
from playwright.sync_api import expect

from tests.support.browser import assert_accessible
from tests.support.data import make_registrations
from tests.support.pages import expect_language, settled_on_main, tab_to, use_language


def test_open_the_budget_and_add_a_line_with_the_keyboard_in_both_languages(page, app, auth, events, live_server):
    event_id = events["oriental"]
    make_registrations(app, event_id, 2, status="approved")
    auth.sign_in("admin", page=page, keyboard=True)
    page.goto(f"/organizing/events/{event_id}/logistics")
    tab_to(page, f"nav.section-nav a[href='/organizing/events/{event_id}/budget']", limit=120)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Budget")
    settled_on_main(page)
    expect(page.locator("main")).to_contain_text("Le budget engagé")
    assert_accessible(page, "event budget")

    tab_to(page, "#label_fr", limit=150)
    page.keyboard.type("Banderole")
    tab_to(page, "#quantity")
    page.keyboard.type("2")
    tab_to(page, "#unit_cost")
    page.keyboard.type("250")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("Ligne ajoutée au budget.")
    settled_on_main(page)
    # No unit cost set yet: the line by hand is the whole budget, 2 × 250.
    expect(page.locator("#budget-total")).to_have_text("500")
    assert_accessible(page, "event budget, line added")

    use_language(page.context, live_server, "ar")
    page.goto(f"/organizing/events/{event_id}/budget")
    expect_language(page, "ar")
    expect(page.locator("h1")).to_contain_text("الميزانية")
    assert_accessible(page, "event budget in Arabic")
