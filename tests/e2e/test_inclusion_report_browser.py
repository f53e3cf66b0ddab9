"""The inclusion report in a real browser: axe in French and Arabic, printed without navigation, and
the PDF that Chromium makes of it holds its figures."""
import io

from pdfminer.high_level import extract_text
from playwright.sync_api import expect

from tests.support.browser import assert_accessible
from tests.support.data import make_registrations
from tests.support.pages import expect_language, use_language

SLUG = "oriental"


def test_the_inclusion_report_on_screen_in_both_languages_and_printed(page, context, app, auth, events, live_server):
    # 5 approved, 3 of them women: 60 %; 1 from out of the region
    make_registrations(app, events[SLUG], 5, status="approved", gender=lambda i: "female" if i < 3 else "male",
                       out_of_region=lambda i: i == 4)
    auth.sign_in("admin", page=page)
    page.goto(f"/review/events/{events[SLUG]}/inclusion")
    groups = page.locator("table", has_text="Groupe")
    expect(groups).to_contain_text("Femmes")
    expect(groups.locator("tr", has_text="Femmes")).to_contain_text("60")
    assert_accessible(page, "inclusion report")

    page.emulate_media(media="print")
    for navigation in page.locator("nav").all():
        expect(navigation).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(groups).to_be_visible()
    text = extract_text(io.BytesIO(page.pdf(format="A4")))
    assert "Rapport d'inclusion" in text and "Femmes" in text and "60" in text
    assert "Tableau de bord" not in text  # the navigation is not printed
    page.emulate_media(media="screen")

    use_language(context, live_server, "ar")
    page.goto(f"/review/events/{events[SLUG]}/inclusion")
    expect_language(page, "ar")
    expect(page.locator("h1")).to_contain_text("تقرير الإدماج")
    assert_accessible(page, "inclusion report in Arabic")
    page.goto("/review/inclusion")
    expect_language(page, "ar")
    assert_accessible(page, "plan's inclusion report in Arabic")
    use_language(context, live_server, "fr")
    page.goto("/review/inclusion")
    assert_accessible(page, "plan's inclusion report and targets")
