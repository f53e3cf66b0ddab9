"""An institution answers its invitation in a real browser: by keyboard only, in French and in
Arabic, a refused answer, without JavaScript; then the protocol list that shows the answers, on
screen (French and Arabic) and printed. Axe on every state of every page."""
import datetime as dt
import re

from playwright.sync_api import expect
from sqlalchemy import select

from portal.campaigns.invitations import issue_invitation, record_answer
from portal.campaigns.models import Campaign, Invitation, MessageTemplate
from portal.clock import utcnow
from portal.directory.models import Institution
from portal.events.models import Event
from portal.extensions import db
from tests.support.browser import assert_accessible
from tests.support.pages import expect_language, tab_to, use_language

SLUG = "oriental"
WILAYA = "Wilaya de la région de l'Oriental"
COUNCIL = "Conseil de la région de l'Oriental"


def invitation_links(app, event_id: int, *names: str) -> list[str]:
    """Invitations to the event for these institutions, as a sent campaign makes them: their
    answer links (paths), in the same order."""
    with app.app_context():
        template = db.session.scalar(select(MessageTemplate).where(MessageTemplate.name == "Invitation institutionnelle"))
        campaign = Campaign(template_id=template.id, event_id=event_id, audience_kind="institutions")
        campaign.event = db.session.get(Event, event_id)
        db.session.add(campaign)
        db.session.flush()
        links = []
        for name in names:
            institution = db.session.scalar(select(Institution).where(Institution.name_fr == name))
            _, link = issue_invitation(campaign, institution, utcnow())
            links.append(re.sub(r"^https?://[^/]+", "", link))
        db.session.commit()
        db.session.remove()
    return links


def recorded(app) -> list[tuple]:
    with app.app_context():
        rows = [(i.answer, i.delegate_name, i.delegate_title) for i in db.session.scalars(select(Invitation)) if i.answer]
        db.session.remove()
    return rows


def test_answer_delegates_with_the_keyboard_only_and_the_answer_stands(page, app, events, clock):
    link, unanswered = invitation_links(app, events[SLUG], WILAYA, COUNCIL)
    page.goto(link)
    expect(page.locator("h1")).to_contain_text("Répondre à l'invitation")
    expect(page.locator("main")).to_contain_text(WILAYA)
    assert_accessible(page, "answer form")

    # A radio group is one Tab stop; with nothing checked, Tab lands on its first choice, and
    # the arrows move to the others ("Se fera représenter" is the third).
    tab_to(page, "#answer-0")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#answer-2")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.locator("#delegate_name")).to_be_focused()
    page.keyboard.type("Karim Alaoui")
    page.keyboard.press("Tab")
    expect(page.locator("#delegate_title")).to_be_focused()
    page.keyboard.type("Secrétaire général")
    expect(page.locator("main form button[type=submit]")).to_have_accessible_description(
        "Une seule réponse est enregistrée par invitation.")  # said before sending, not after
    page.keyboard.press("Enter")
    expect(page.locator("main [role=status]").last).to_contain_text("votre réponse est enregistrée")
    expect(page.locator("main")).to_contain_text("Karim Alaoui, Secrétaire général")
    assert recorded(app) == [("delegates", "Karim Alaoui", "Secrétaire général")]
    assert_accessible(page, "answer recorded")

    # The same link again: the answer is shown and nothing on the page can change it.
    page.goto(link)
    expect(page.locator("main")).to_contain_text("déjà été enregistrée")
    expect(page.locator("main")).to_contain_text("Se fera représenter — Karim Alaoui, Secrétaire général")
    expect(page.locator("main form")).to_have_count(0)
    expect(page.locator("main input, main button")).to_have_count(0)
    assert_accessible(page, "answer already recorded")

    # The morning after the event's day, a link not answered says it has expired, with no form.
    with app.app_context():
        starts_on = db.session.get(Event, events[SLUG]).starts_on
        db.session.remove()
    clock.now = dt.datetime.combine(starts_on + dt.timedelta(days=1), dt.time(8, 0))
    page.goto(unanswered)
    expect(page.locator("main [role=alert]")).to_contain_text("Ce lien a expiré")
    expect(page.locator("main form")).to_have_count(0)
    assert_accessible(page, "expired link")


def test_a_refused_answer_in_arabic_leads_to_the_field(page, app, events):
    [link] = invitation_links(app, events[SLUG], WILAYA)
    page.goto(link)
    # The language switcher, by keyboard: it comes back to the same link, in Arabic.
    tab_to(page, '.language-switcher a[hreflang="ar"]', limit=5)
    page.keyboard.press("Enter")
    expect_language(page, "ar")
    expect(page).to_have_url(re.compile(re.escape(link) + "$"))
    expect(page.locator("main")).to_contain_text("ولاية جهة الشرق")
    assert_accessible(page, "answer form in Arabic")

    tab_to(page, "#answer-0")
    page.keyboard.press("ArrowDown")  # in a right-to-left page, Down still goes to the next choice
    page.keyboard.press("ArrowDown")
    expect(page.locator("#answer-2")).to_be_checked()
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")  # delegates, but no name nor title: refused
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile("^خطأ"))
    expect(page.locator("#group-delegate_name .field-error")).to_be_visible()
    assert recorded(app) == []
    assert_accessible(page, "refused answer in Arabic")

    tab_to(page, '#error-summary a[href="#delegate_name"]', limit=3)
    page.keyboard.press("Enter")
    expect(page.locator("#delegate_name")).to_be_focused()
    expect(page.locator("#delegate_name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#answer-2")).to_be_checked()  # the choice made is kept
    page.keyboard.type("كريم العلوي")
    page.keyboard.press("Tab")
    page.keyboard.type("الكاتب العام")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("كريم العلوي")
    assert recorded(app) == [("delegates", "كريم العلوي", "الكاتب العام")]
    expect_language(page, "ar")
    assert_accessible(page, "answer recorded in Arabic")


def test_the_answer_form_works_without_javascript(no_js_page, app, events):
    page = no_js_page
    [link] = invitation_links(app, events[SLUG], WILAYA)
    page.goto(link)
    page.locator("#answer-1").check()
    page.locator("main form button[type=submit]").press("Enter")
    expect(page.locator("main")).to_contain_text("votre réponse est enregistrée")
    expect(page.locator("main")).to_contain_text("Ne sera pas présente")
    assert recorded(app) == [("declines", "", "")]


def test_the_protocol_list_on_screen_in_both_languages_and_printed(page, context, app, auth, events, live_server):
    links = invitation_links(app, events[SLUG], WILAYA, COUNCIL)
    with app.app_context():
        invitation = db.session.scalar(select(Invitation).where(Invitation.institution.has(name_fr=WILAYA)))
        record_answer(invitation, "delegates", "Karim Alaoui", "Secrétaire général", utcnow())
        db.session.commit()
        db.session.remove()
    assert len(links) == 2
    auth.sign_in("admin", page=page)
    page.goto(f"/organizing/events/{events[SLUG]}/protocol")
    table = page.locator("table.protocol-list")
    expect(table).to_contain_text("Karim Alaoui")
    expect(table).to_contain_text("Pas encore de réponse")
    assert_accessible(page, "protocol list")

    page.emulate_media(media="print")
    for navigation in page.locator("nav").all():
        expect(navigation).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(table).to_be_visible()
    expect(table).to_contain_text("Secrétaire général")
    page.emulate_media(media="screen")

    use_language(context, live_server, "ar")
    page.goto(f"/organizing/events/{events[SLUG]}/protocol")
    expect_language(page, "ar")
    expect(table).to_contain_text("ولاية جهة الشرق")
    assert_accessible(page, "protocol list in Arabic")
