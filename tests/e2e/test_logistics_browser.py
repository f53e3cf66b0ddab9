"""The logistics sheet in the browser: a coordinator gives the plenary its seats and equipment with
the keyboard alone, sees a workshop's overflow warning; axe on the sheet in French and Arabic."""
from playwright.sync_api import expect

from tests.support.browser import assert_accessible
from tests.support.data import make_registrations
from tests.support.pages import expect_language, settled_on_main, tab_to, use_language


def test_set_a_room_with_the_keyboard_and_read_the_sheet_in_both_languages(page, app, auth, events, live_server):
    event_id = events["oriental"]
    make_registrations(app, event_id, 3, status="approved")
    auth.sign_in("coordinator", organization="ACODEC", page=page, keyboard=True)
    page.goto(f"/organizing/events/{event_id}/logistics")
    expect(page.locator("h1")).to_contain_text("Fiche logistique")
    assert_accessible(page, "logistics sheet")

    tab_to(page, "#room-plenary-seats", limit=120)
    page.keyboard.type("2")
    tab_to(page, "#room-plenary-equipment-0")  # the projector
    page.keyboard.press("Space")
    tab_to(page, "#room-form-plenary button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("Salle enregistrée.")
    settled_on_main(page)
    # 3 approved participants in a plenary of 2 seats.
    expect(page.locator("main")).to_contain_text("Attention : 1 participant de plus que de places")
    expect(page.locator("main table").first).to_contain_text("Vidéoprojecteur")
    assert_accessible(page, "logistics sheet, room saved")

    use_language(page.context, live_server, "ar")
    page.goto(f"/organizing/events/{event_id}/logistics")
    expect_language(page, "ar")
    expect(page.locator("h1")).to_contain_text("البطاقة اللوجستيكية")
    assert_accessible(page, "logistics sheet in Arabic")
