"""The support rules in the browser: an admin sets them with the keyboard alone and the public page
says them; axe on the support screen in French and Arabic."""
from playwright.sync_api import expect

from portal.events.models import Event
from portal.extensions import db
from tests.support.browser import assert_accessible
from tests.support.pages import expect_language, settled_on_main, tab_to, use_language


def test_set_the_rules_with_the_keyboard_and_read_them_on_the_public_page(page, app, auth, events, live_server):
    event_id = events["fes-meknes"]
    with app.app_context():
        db.session.get(Event, event_id).province_code = "03.231"  # Fès
        db.session.commit()
    auth.sign_in("admin", page=page, keyboard=True)
    page.goto(f"/organizing/events/{event_id}/support")
    expect(page.locator("h1")).to_contain_text("Prise en charge du déplacement et de l'hébergement")
    expect(page.locator("#zone-2 + ul")).to_contain_text("Oujda-Angad")
    assert_accessible(page, "support page")

    tab_to(page, "#travel_zones-1", limit=80)  # zone 1, offered by default: no travel paid from the region
    page.keyboard.press("Space")
    expect(page.locator("#travel_zones-1")).not_to_be_checked()
    tab_to(page, "#cap")
    page.keyboard.type("12")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("Règles de prise en charge enregistrées.")
    settled_on_main(page)
    assert_accessible(page, "support page, rules saved")

    page.goto("/events/fes-meknes")
    rules = page.locator("section[aria-labelledby=support-title]")
    expect(rules).to_contain_text("Au plus 12 personnes en bénéficient.")
    expect(rules).not_to_contain_text("des autres provinces de la région")
    expect(rules).to_contain_text("Votre hébergement pour la nuit précédant l'événement")

    use_language(page.context, live_server, "ar")
    page.goto(f"/organizing/events/{event_id}/support")
    expect_language(page, "ar")
    expect(page.locator("h1")).to_contain_text("التكفل بالتنقل والإيواء")
    assert_accessible(page, "support page in Arabic")
