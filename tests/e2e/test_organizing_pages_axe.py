"""axe on the organisers' pages that the walk-through tests do not open, in French and Arabic: the
new event form (and its refusal), a new workshop, a person's form, a refused agenda item and the
confirmation before cancelling an event."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.events.models import EventRole
from portal.extensions import db
from tests.support.browser import assert_accessible
from tests.support.pages import LANGUAGES, expect_language, use_language

SLUG = "oriental"


@pytest.fixture
def admin_context(context, page, auth, events):
    auth.sign_in("admin", page=page)
    return context


def new_event(page, app, events):
    page.goto("/organizing/events/new")
    expect(page.locator("#title_fr")).to_be_visible()


def new_event_refused(page, app, events):
    page.goto("/organizing/events/new")
    page.locator("main form button[type=submit]").press("Enter")
    expect(page.locator("#error-summary")).to_be_visible()


def new_workshop(page, app, events):
    page.goto(f"/organizing/events/{events[SLUG]}/workshops/new")
    expect(page.locator("#seat_limit")).to_be_visible()


def person_form(page, app, events):
    with app.app_context():
        role_id = db.session.scalar(select(EventRole.id).where(EventRole.event_id == events[SLUG]))
    page.goto(f"/organizing/events/{events[SLUG]}/people/{role_id}")
    expect(page.locator("#name_fr")).to_be_visible()


def agenda_item_refused(page, app, events):
    page.goto(f"/organizing/events/{events[SLUG]}/agenda/new")
    page.locator("#title_fr").fill("Photo de groupe")
    page.locator("main form button[type=submit]").press("Enter")
    expect(page.locator("#error-summary")).to_be_visible()


def cancel_confirmation(page, app, events):
    page.goto(f"/organizing/events/{events[SLUG]}")
    page.locator("form:has(input[name=status][value=cancelled]) button[type=submit]").press("Enter")
    expect(page.locator("input[name=confirmed]")).to_have_count(1)


PAGES = [new_event, new_event_refused, new_workshop, person_form, agenda_item_refused, cancel_confirmation]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("visit", PAGES, ids=[visit.__name__ for visit in PAGES])
def test_organizing_page_passes_axe(page, admin_context, live_server, app, events, lang, visit):
    use_language(admin_context, live_server, lang)
    visit(page, app, events)
    expect_language(page, lang)
    assert_accessible(page, f"{visit.__name__} ({lang})")
