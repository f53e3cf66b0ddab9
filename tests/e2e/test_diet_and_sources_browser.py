"""Dietary needs and registration sources in the browser, keyboard only, French and Arabic, axe on
every page touched: a person follows an association's link, answers the diet question (a health diet
without the consent is refused, then accepted with it) and how they heard of the event; the
coordinator reads the sources on the dashboard, copies a link with the keyboard, and reads the diets
per meal on the logistics sheet."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.clock import utcnow
from portal.events.models import Event
from portal.extensions import db
from portal.registration.models import Registration
from tests.support.browser import assert_accessible
from tests.support.data import event_region_code, region_province_codes, registrations
from tests.support.pages import LANGUAGES, expect_language, tab_to, type_into, use_language

SLUG = "oriental"  # organised with ACODEC
PERSON = {"fr": {"first_name": "Amina", "last_name": "El Idrissi", "email": "amina@example.org", "city": "Oujda"},
          "ar": {"first_name": "أمينة", "last_name": "الإدريسي", "email": "amina.ar@example.org", "city": "وجدة"}}


def acodec_code(app) -> str:
    return acodec(app)[0]


def acodec(app) -> tuple[str, int, str]:
    """ACODEC's code, organisation id and name for the Oriental event."""
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == SLUG))
        link = next(link for link in event.organizers if link.organization.acronym == "ACODEC")
        return link.source_code, link.organization_id, link.organization.name


def type_at(page, field_id, text):
    tab_to(page, f"#{field_id}", limit=60)
    type_into(page, field_id, text)


def check_at(page, field_id):
    tab_to(page, f"#{field_id}", limit=60)
    page.keyboard.press("Space")
    expect(page.locator(f"#{field_id}")).to_be_checked()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_register_through_an_association_link_with_a_diet_by_keyboard(page, app, events, live_server, lang):
    use_language(page.context, live_server, lang)
    code = acodec_code(app)
    person = PERSON[lang]
    province = region_province_codes(app, event_region_code(app))[0]
    page.goto(f"/events/{SLUG}/register?via={code}")
    expect_language(page, lang)
    assert_accessible(page, f"registration form through a link ({lang})")

    type_at(page, "first_name", person["first_name"])
    type_at(page, "last_name", person["last_name"])
    type_at(page, "email", person["email"])
    check_at(page, "gender-0")
    tab_to(page, "#age_band-0")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#age_band-2")).to_be_checked()
    tab_to(page, "#organization_type")
    for _ in range(12):
        if page.locator("#organization_type").input_value() == "association":
            break
        page.keyboard.press("ArrowDown")
    type_at(page, "organization", "Tawasol")
    tab_to(page, "#province")
    for _ in range(100):
        if page.locator("#province").input_value() == province:
            break
        page.keyboard.press("ArrowDown")
    expect(page.locator("#province")).to_have_value(province)
    type_at(page, "city", person["city"])
    check_at(page, "workshop-0")
    check_at(page, "diets-0")  # vegetarian
    check_at(page, "diets-2")  # diabetic-friendly: health data
    tab_to(page, "#heard_from-0")
    page.keyboard.press("Space")  # a partner association
    expect(page.locator("#heard_from-0")).to_be_checked()
    check_at(page, "consent")
    tab_to(page, "#registration-form button[type=submit]")
    page.keyboard.press("Enter")

    # Refused: the diabetic diet needs the health-data consent; the summary says so, the link's code stays.
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator('a[href="#consent_needs"]')).to_be_visible()
    expect(page.locator("#via")).to_have_value(code)
    assert_accessible(page, f"registration form refused for the diet's consent ({lang})")
    tab_to(page, '#error-summary a[href="#consent_needs"]', limit=5)
    page.keyboard.press("Enter")
    expect(page.locator("#consent_needs")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator("#consent_needs")).to_be_checked()
    tab_to(page, "#registration-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/events/{SLUG}/register/done$"))

    [registration] = registrations(app)
    assert registration.diets == ["vegetarian", "diabetic"] and registration.consent_needs_at is not None
    assert registration.heard_from == "partner"
    with app.app_context():
        stored = db.session.get(Registration, registration.id)
        assert stored.source_organization.acronym == "ACODEC"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_sources_and_the_diets_for_the_coordinator_by_keyboard(page, app, auth, events, live_server, lang):
    code, organization_id, name = acodec(app)
    event_id = events[SLUG]
    field = f"source-link-{event_id}-{organization_id}"
    # Two registrations through the form (the test client): one by ACODEC's link, one by the plain link.
    client = app.test_client()
    from tests.support.web import post_registration, valid_registration
    assert post_registration(client, SLUG, valid_registration(app, SLUG, email="a@example.org", via=code,
                                                              heard_from="partner", diets=["vegetarian"])).status_code == 303
    assert post_registration(client, SLUG, valid_registration(app, SLUG, email="b@example.org", diets=["diabetic"],
                                                              consent_needs="y")).status_code == 303
    with app.app_context():
        for registration in db.session.scalars(select(Registration)):
            registration.change_status("approved", utcnow())
        db.session.commit()

    use_language(page.context, live_server, lang)
    auth.sign_in("coordinator", organization="ACODEC", page=page, keyboard=True)
    expect_language(page, lang)
    section = page.locator(f"#sources-section-{event_id}")
    expect(section).to_contain_text(code)
    expect(section.locator("tfoot").first).to_contain_text("2")
    assert_accessible(page, f"dashboard with the registration sources ({lang})")
    # The copy button, reached and pressed with the keyboard, says the link was copied.
    tab_to(page, f'button[data-copy="{field}"]', limit=200)
    page.keyboard.press("Enter")
    expect(section.locator("[role=status]")).to_contain_text(name)
    assert page.locator(f"#{field}").input_value().endswith(f"/events/{SLUG}/register?via={code}")

    page.goto(f"/organizing/events/{event_id}/logistics")
    meals = page.locator("#meals-title + table")
    expect(meals.locator("tbody tr").first).to_be_visible()
    cells = meals.locator("tbody tr").first.locator("td")
    count = cells.count()
    # vegetarian 1, no gluten 0, diabetic 1, other 0
    assert [cells.nth(i).inner_text().strip() for i in range(count - 4, count)] == ["1", "0", "1", "0"]
    assert_accessible(page, f"logistics sheet with the diets ({lang})")
