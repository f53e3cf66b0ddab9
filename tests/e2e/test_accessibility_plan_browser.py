"""The accessibility plan in a real browser: a line ticked by keyboard, axe in French and Arabic."""
import datetime as dt

from playwright.sync_api import expect

from tests.support.browser import assert_accessible
from tests.support.data import make_registrations
from tests.support.pages import expect_language, use_language

SLUG = "oriental"


def test_the_plan_ticked_by_keyboard_in_both_languages(page, context, app, auth, events, live_server):
    # 2 approved wheelchair users who consented: the venue's step-free entrance is not confirmed
    make_registrations(app, events[SLUG], 2, status="approved", access_needs=["wheelchair"],
                       consent_needs_at=dt.datetime(2026, 11, 1, 9, 0))
    auth.sign_in("coordinator", SLUG, page=page)
    page.goto(f"/review/events/{events[SLUG]}/accessibility")
    line = page.locator("#action-step_free_entrance")
    expect(line).to_contain_text("Entrée de plain-pied non confirmée")
    expect(line.locator("td").nth(1)).to_have_text("2")
    assert_accessible(page, "accessibility plan")

    line.get_by_role("button", name="Marquer comme fait").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#flash")).to_contain_text("Action faite")
    expect(page.locator("#action-step_free_entrance")).to_have_attribute("data-state", "done")
    assert_accessible(page, "accessibility plan, one line done")

    use_language(context, live_server, "ar")
    page.goto(f"/review/events/{events[SLUG]}/accessibility")
    expect_language(page, "ar")
    expect(page.locator("h1")).to_contain_text("مخطط الولوجيات")
    assert_accessible(page, "accessibility plan in Arabic")
