"""Issue 11, items 7 and 8 in a real browser, keyboard only, in French and Arabic, axe on every page:
a participant answers the questionnaire from the manage link (closed before the event, open from its
day), the results show on the dashboard, and the event report prints to PDF through Chromium with
its text in both languages."""
import datetime as dt
import io

import pytest
from pdfminer.high_level import extract_text
from playwright.sync_api import expect
from sqlalchemy import select

from portal.events.models import Event, EventReport
from portal.extensions import db
from portal.registration.models import FeedbackAnswer
from tests.support.browser import assert_accessible
from tests.support.data import issue_manage_path, make_registrations
from tests.support.pages import expect_language, settled_on_main, tab_to, use_language
from tests.support.web import nfkc, squeeze

SLUG = "oriental"


def event_day(app, event_id) -> dt.datetime:
    with app.app_context():
        return dt.datetime.combine(db.session.get(Event, event_id).starts_on, dt.time(10))


def press_on(page, selector: str, key: str = "Enter", limit: int = 80) -> None:
    tab_to(page, selector, limit=limit)
    page.keyboard.press(key)


def printed_text(page) -> str:
    """The page printed by Chromium on A4, as pdfminer reads it (Arabic presentation forms folded)."""
    page.emulate_media(media="print")
    for navigation in page.locator("nav").all():
        expect(navigation).to_be_hidden()
    text = extract_text(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True)))
    page.emulate_media(media="screen")
    return squeeze(nfkc(text))


def printed(word: str) -> str:
    """An Arabic word as pdfminer reads it from Chromium's PDF: letters in visual order (no lam-alef)."""
    return word[::-1]


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_questionnaire_with_the_keyboard(page, context, live_server, app, clock, events, lang):
    use_language(context, live_server, lang)
    [registration] = make_registrations(app, events[SLUG], 1, status="approved")
    manage = issue_manage_path(app, registration)
    # Before the event: a clear message, no form
    page.goto(f"{manage}/feedback")
    expect_language(page, lang)
    expect(page.locator("#main form")).to_have_count(0)
    expect(page.locator("#main")).to_contain_text("pas encore ouvert" if lang == "fr" else "لم يُفتح الاستبيان بعد")
    assert_accessible(page, f"questionnaire before the event ({lang})")

    clock.now = event_day(app, events[SLUG])
    page.goto(manage)
    press_on(page, f'#main a[href="{manage}/feedback"]')
    settled_on_main(page)
    expect_language(page, lang)
    assert_accessible(page, f"questionnaire ({lang})")
    tab_to(page, "#usefulness-0")
    page.keyboard.press("Space")
    for _ in range(3):
        page.keyboard.press("ArrowDown")  # 4
    page.keyboard.press("Tab")
    expect(page.locator("#accessibility-0")).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")  # 2
    page.keyboard.press("Tab")
    expect(page.locator("#needs_met-0")).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")  # partly
    page.keyboard.press("Tab")
    expect(page.locator("#comment")).to_be_focused()
    page.keyboard.type("Les documents en braille sont arrivés tard")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    settled_on_main(page)
    expect(page.locator("#flash")).not_to_be_empty()
    expect(page.locator("#usefulness-3")).to_be_checked()  # the answer, shown again to be changed
    assert_accessible(page, f"questionnaire answered ({lang})")
    with app.app_context():
        [stored] = db.session.scalars(select(FeedbackAnswer)).all()
        assert (stored.usefulness, stored.accessibility, stored.needs_met) == (4, 2, "partly")
        db.session.remove()


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_an_empty_questionnaire_leads_to_the_error_summary(page, context, live_server, app, clock, events, lang):
    use_language(context, live_server, lang)
    [registration] = make_registrations(app, events[SLUG], 1, status="approved")
    manage = issue_manage_path(app, registration)
    clock.now = event_day(app, events[SLUG])
    page.goto(f"{manage}/feedback")
    press_on(page, '#main button[type="submit"]')
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page, f"questionnaire with errors ({lang})")


def test_the_results_on_the_dashboard_and_the_report_in_both_languages(page, context, live_server, app, auth,
                                                                       clock, events):
    event_id = events[SLUG]
    ids = make_registrations(app, event_id, 2, status="approved", gender="female")
    with app.app_context():
        db.session.add_all([
            FeedbackAnswer(event_id=event_id, change_key="a" * 64, usefulness=5, accessibility=4, needs_met="yes",
                           comment="Une journée utile"),
            FeedbackAnswer(event_id=event_id, change_key="b" * 64, usefulness=3, accessibility=3, needs_met="no")])
        db.session.add(EventReport(
            event_id=event_id, introduction_fr="Les associations de l'Oriental ont travaillé ensemble.",
            introduction_ar="عملت جمعيات جهة الشرق معا.", next_steps_fr="Le plan sera publié au printemps.",
            next_steps_ar="سينشر المخطط في الربيع.", conclusion_fr="", conclusion_ar=""))
        db.session.commit()
    assert ids
    clock.now = event_day(app, event_id) + dt.timedelta(days=3)
    auth.sign_in("coordinator", SLUG, page=page, keyboard=True)
    results = page.locator(f'section[aria-labelledby="feedback-{event_id}"]')
    expect(results).to_contain_text("2 réponses anonymes")
    expect(results.locator("tr", has_text="Utilité")).to_contain_text("4,0")  # (5 + 3) / 2
    expect(results).to_contain_text("Une journée utile")
    assert_accessible(page, "dashboard with the questionnaire's results")

    press_on(page, f'#main a[href="/organizing/events/{event_id}/report"]', limit=120)
    settled_on_main(page)
    expect(page.locator("h1")).to_contain_text("Rapport de l'événement")
    assert_accessible(page, "event report")
    text = printed_text(page)
    assert "Rapport de l'événement" in text and "Les associations de l'Oriental ont travaillé ensemble." in text
    assert "Le plan sera publié au printemps." in text and "Inscrites" in text and "Approuvées" in text
    assert "Tableau de bord" not in text  # no navigation on paper

    use_language(context, live_server, "ar")
    page.goto("/review/")
    expect_language(page, "ar")
    assert_accessible(page, "dashboard with the questionnaire's results in Arabic")
    page.goto(f"/organizing/events/{event_id}/report")
    expect_language(page, "ar")
    expect(page.locator("h1")).to_contain_text("تقرير اللقاء")
    assert_accessible(page, "event report in Arabic")
    text = printed_text(page)
    assert printed("تقرير") in text and printed("جمعيات") in text and printed("الربيع") in text


def test_the_admin_writes_the_report_texts_with_the_keyboard(page, app, auth, events):
    event_id = events[SLUG]
    auth.sign_in("admin", page=page, keyboard=True)
    page.goto(f"/organizing/events/{event_id}/report")
    press_on(page, f'#main a[href="/organizing/events/{event_id}/report/texts"]')
    settled_on_main(page)
    assert_accessible(page, "report texts form")
    tab_to(page, "#introduction_fr")
    page.keyboard.type("Une rencontre riche.")
    page.keyboard.press("Tab")
    expect(page.locator("#introduction_ar")).to_be_focused()
    page.keyboard.type("لقاء غني.")
    press_on(page, '#main button[type="submit"]')
    settled_on_main(page)
    expect(page.locator("#report-introduction + p")).to_have_text("Une rencontre riche.")
