"""axe on issue 10's pages that the walk-throughs do not check in both languages: the grants screen
with proposals, the plan's budget and unit costs, and the event's unit costs, in French and Arabic."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from portal.clock import utcnow
from portal.events.models import Event
from portal.events.support import save_rules
from portal.events.vocabularies import SUPPORT_PRIORITY
from portal.extensions import db
from tests.support.browser import assert_accessible
from tests.support.data import make_registrations
from tests.support.pages import LANGUAGES, expect_language, use_language

SLUG = "fes-meknes"
FES, OUJDA = "03.231", "02.411"


@pytest.fixture
def admin_context(context, page, app, auth, events):
    """An event held in Fès with saved rules, and two approved persons from Oujda asking for support."""
    with app.app_context():
        event = db.session.get(Event, events[SLUG])
        event.province_code = FES
        save_rules(event, {"travel_zones": [1, 2, 3], "accommodation_zones": [2, 3], "nights": 1, "cap": None,
                           "priority": list(SUPPORT_PRIORITY)}, None, utcnow())
        db.session.commit()
    make_registrations(app, events[SLUG], 2, status="approved", province_code=OUJDA, travel_support=True,
                       accommodation_support=True, consent_needs_at=dt.datetime(2026, 11, 1, 9, 0))
    auth.sign_in("admin", page=page)
    return context


def grants(page, events):
    page.goto(f"/organizing/events/{events[SLUG]}/grants")
    expect(page.locator("main table")).to_be_visible()


def event_budget(page, events):
    page.goto(f"/organizing/events/{events[SLUG]}/budget")
    expect(page.locator("main table").first).to_be_visible()


def plan_budget(page, events):
    page.goto("/organizing/budget")
    expect(page.locator("main table").first).to_be_visible()


PAGES = [grants, event_budget, plan_budget]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("visit", PAGES, ids=[visit.__name__ for visit in PAGES])
def test_support_page_passes_axe(page, admin_context, live_server, events, lang, visit):
    use_language(admin_context, live_server, lang)
    visit(page, events)
    expect_language(page, lang)
    assert_accessible(page, f"{visit.__name__} ({lang})")
