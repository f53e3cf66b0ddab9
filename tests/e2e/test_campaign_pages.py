"""Mail merge in the browser: compose, preview, send and watch the progress to its end with the
keyboard only; axe on the template, campaign and progress pages in French and Arabic."""
import re
import threading

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.campaigns.models import MessageTemplate
from portal.extensions import db
from portal.outbox.worker import deliver_due
from tests.support.browser import assert_accessible
from tests.support.data import make_registrations, set_venue
from tests.support.pages import LANGUAGES, expect_language, settled_on_main, tab_to, use_language

SLUG = "oriental"


@pytest.fixture
def admin_context(context, page, app, auth, events):
    """The browser context, signed in as an admin (on `page`, which the tests go on using); the
    event has the venue that its confirmation names."""
    set_venue(app, events[SLUG])
    auth.sign_in("admin", page=page, organization="MTNRA")
    return context


def test_compose_preview_send_and_follow_with_the_keyboard(page, admin_context, app, events, smtp_server):
    make_registrations(app, events[SLUG], 30, status="approved", first_name=lambda i: f"Nadia{i}")
    page.goto("/campaigns/new")
    tab_to(page, "#template")
    page.keyboard.type("Confirmation")
    expect(page.locator("#template")).to_have_value(re.compile(r"\d+"))
    page.keyboard.press("Tab")
    page.keyboard.type("2e")  # the Oriental event
    expect(page.locator("#event option:checked")).to_contain_text("2e événement")
    tab_to(page, "#status-1")  # Approuvée
    page.keyboard.press("Space")
    tab_to(page, "#include_ics")
    page.keyboard.press("Space")
    tab_to(page, "main form > p.toolbar button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("h2", has_text="Destinataires : 30")).to_be_visible()
    settled_on_main(page)

    # Preview another recipient: their own data.
    tab_to(page, "#preview")
    page.keyboard.type("Nadia7 ")
    tab_to(page, "form.toolbar button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator(".mail-preview")).to_contain_text("Bonjour Nadia7,")
    settled_on_main(page)

    # Send, while a worker delivers in the background; the progress polls itself to the end.
    stop = threading.Event()

    def worker():
        with app.app_context():
            while not stop.is_set():
                deliver_due(limit=5)
                db.session.remove()
                stop.wait(0.2)

    thread = threading.Thread(target=worker, daemon=True)
    thread.start()
    try:
        tab_to(page, "main form[action$='/send'] button", limit=80)
        page.keyboard.press("Enter")
        expect(page.locator("#progress")).to_be_visible()
        expect(page.locator("#progress-announce")).to_have_text(
            "Envoi terminé. Envoyés : 30 ; en échec : 0.", timeout=30_000)
        expect(page.locator("#progress-bar")).to_have_attribute("value", "30")
    finally:
        stop.set()
        thread.join(5)
    assert len(smtp_server.messages) == 30
    assert_accessible(page, "campaign after sending")


def templates_list(page, app, events):
    page.goto("/campaigns/templates/")


def template_form(page, app, events):
    page.goto("/campaigns/templates/")
    page.locator("main ul a").first.click()
    expect(page.locator("#body_fr")).to_be_visible()


def template_form_with_errors(page, app, events):
    template_form(page, app, events)
    page.fill("#subject_fr", "Bonjour {{ config }}")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()


def campaign_form(page, app, events):
    page.goto("/campaigns/new")


def campaign_form_with_errors(page, app, events):
    page.goto("/campaigns/new")
    page.locator("main form > p.toolbar button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()


def campaign_preview(page, app, events):
    make_registrations(app, events[SLUG], 3, status="approved")
    campaign_form(page, app, events)
    with app.app_context():
        template_id = db.session.scalar(select(MessageTemplate.id).where(
            MessageTemplate.name == "Confirmation de participation"))
    page.select_option("#template", str(template_id))
    page.select_option("#event", str(events[SLUG]))
    page.check("#status-1")
    page.locator("main form > p.toolbar button[type=submit]").click()
    expect(page.locator(".mail-preview")).to_be_visible()


def people_campaign(page, app, events):
    """A campaign to an event's people: the demo's have no address yet, so they are listed as such."""
    campaign_form(page, app, events)
    with app.app_context():
        template_id = db.session.scalar(select(MessageTemplate.id).where(
            MessageTemplate.name == "Invitation à intervenir"))
    page.select_option("#template", str(template_id))
    page.select_option("#event", str(events[SLUG]))
    page.locator("main form > p.toolbar button[type=submit]").click()
    expect(page.locator("#without-address-title")).to_be_visible()


def campaign_progress(page, app, events):
    """After sending, while nothing is delivered yet: the progress component, polling."""
    campaign_preview(page, app, events)
    page.locator("main form[action$='/send'] button").click()
    expect(page.locator("#progress-bar")).to_be_visible()


def campaign_log(page, app, events):
    campaign_preview(page, app, events)
    page.goto("/campaigns/")


PAGES = [templates_list, template_form, template_form_with_errors, campaign_form, campaign_form_with_errors,
         campaign_preview, campaign_progress, campaign_log, people_campaign]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("visit", PAGES, ids=[visit.__name__ for visit in PAGES])
def test_campaign_page_passes_axe(page, admin_context, live_server, app, events, lang, visit):
    use_language(admin_context, live_server, lang)
    visit(page, app, events)
    expect_language(page, lang)
    assert_accessible(page, f"{visit.__name__} ({lang})")
