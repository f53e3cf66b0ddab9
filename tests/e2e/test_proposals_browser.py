"""Proposals and the reasoned response in the browser (issue 11, items 5 and 6): axe on every new page
in French and Arabic; a rapporteur records a proposal and a visitor filters the public page, by
keyboard only; the public page prints without its filters."""
import pytest
from playwright.sync_api import expect

from portal.clock import utcnow
from portal.events.models import Event
from portal.events.people import add_person
from portal.extensions import db
from portal.proposals.operations import answer, issue_rapporteur_link, publish, record_proposal, submit_proposal
from portal.registration.models import Registration
from tests.support.browser import assert_accessible
from tests.support.data import issue_manage_path, make_registrations
from tests.support.pages import LANGUAGES, expect_language, settled_on_main, tab_to, use_language

SLUG = "oriental"


@pytest.fixture
def proposals(app, events):
    """A published answered proposal, a registrant's pending one, a rapporteur's link, a manage link."""
    [registration_id] = make_registrations(app, events[SLUG], 1, status="approved")
    with app.app_context():
        event = db.session.get(Event, events[SLUG])
        workshop = event.workshops[0]
        published = record_proposal(workshop, {"title_fr": "Des budgets communaux ouverts", "title_ar": "ميزانيات مفتوحة",
                                               "description_fr": "Publier chaque budget.", "theme": "access_to_information"},
                                    "test", utcnow())
        answer(published, {"response": "retained", "commitment": "Engagement 4", "reason_fr": "Repris dans le plan.",
                           "reason_ar": "تم إدراجه في الخطة."}, "test", utcnow())
        publish(published, "test", utcnow())
        pending = submit_proposal(db.session.get(Registration, registration_id),
                                  {"title_fr": "Former les élus", "theme": "open_local_government"}, utcnow())
        link, _reused = add_person(event, {"name_fr": "Salma", "email": "salma@example.org"},
                                   {"role": "rapporteur", "status": "confirmed", "workshop_id": workshop.id})
        db.session.flush()
        token = issue_rapporteur_link(link, utcnow())
        db.session.commit()
        values = {"event": event.id, "workshop": workshop.id, "published": published.id, "pending": pending.id,
                  "rapporteur": f"/rapporteur/{token}"}
    return {**values, "manage": issue_manage_path(app, registration_id)}


def back_office(proposals):
    base = f"/proposals/events/{proposals['event']}"
    return [("workspace", base), ("new", f"{base}/workshops/{proposals['workshop']}/new"),
            ("edit", f"{base}/{proposals['published']}"), ("moderate", f"{base}/{proposals['pending']}/moderate"),
            ("response", f"{base}/{proposals['published']}/response")]


def no_account(proposals):
    return [("rapporteur", proposals["rapporteur"]),
            ("rapporteur-edit", f"{proposals['rapporteur']}/{proposals['published']}"),
            ("registrant", f"{proposals['manage']}/proposals"), ("manage", proposals["manage"]),
            ("public-event", f"/propositions/events/{SLUG}"), ("public-plan", "/propositions/?theme=access_to_information")]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_proposals_page_passes_axe(context, page, live_server, auth, proposals, lang):
    use_language(context, live_server, lang)
    for name, url in no_account(proposals):
        page.goto(url)
        expect_language(page, lang)
        expect(page.locator("h1")).to_be_visible()
        assert_accessible(page, f"{name} ({lang})")
    auth.sign_in("admin", page=page)
    for name, url in back_office(proposals):
        page.goto(url)
        expect_language(page, lang)
        expect(page.locator("h1")).to_be_visible()
        assert_accessible(page, f"{name} ({lang})")
    # A refused form, with its error summary.
    page.goto(f"/proposals/events/{proposals['event']}/workshops/{proposals['workshop']}/new")
    tab_to(page, "main form button[type=submit]", limit=80)
    page.keyboard.press("Enter")
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page, f"new, refused ({lang})")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_rapporteur_records_a_proposal_by_keyboard(context, page, live_server, proposals, lang):
    use_language(context, live_server, lang)
    page.goto(proposals["rapporteur"])
    expect_language(page, lang)
    title = "Un registre public des consultations" if lang == "fr" else "سجل عمومي للاستشارات"
    field = "title_fr" if lang == "fr" else "title_ar"
    tab_to(page, f"#{field}")
    page.keyboard.type(title)
    tab_to(page, "#theme")
    page.keyboard.press("ArrowDown")  # the first theme of the list
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    settled_on_main(page)
    expect(page.locator("main ul li", has_text=title)).to_be_visible()
    expect(page.locator("#flash")).not_to_be_empty()
    assert_accessible(page, f"rapporteur after saving ({lang})")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_public_filters_by_keyboard_and_prints_without_them(context, page, live_server, proposals, lang):
    use_language(context, live_server, lang)
    page.goto("/propositions/")
    expected = "Des budgets communaux ouverts" if lang == "fr" else "ميزانيات مفتوحة"
    expect(page.locator("main h3", has_text=expected)).to_be_visible()
    tab_to(page, "#status")
    page.keyboard.press("ArrowDown")  # "under study": our proposal is retained
    tab_to(page, ".proposals-filters button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**status=under_study**")
    expect(page.locator("main h3", has_text=expected)).to_have_count(0)
    page.goto("/propositions/?status=retained")
    expect(page.locator("main h3", has_text=expected)).to_be_visible()
    expect(page.locator("main", has_text="تم إدراجه في الخطة." if lang == "ar" else "Repris dans le plan.")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".proposals-filters")).to_be_hidden()
    expect(page.locator("main h3", has_text=expected)).to_be_visible()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_moderation_and_the_reasoned_response_by_keyboard(context, page, live_server, auth, proposals, lang):
    """A coordinator sets a registrant's proposal aside with a reason; an admin answers the published
    one and withdraws it from the public pages: keyboard only."""
    use_language(context, live_server, lang)
    auth.sign_in("coordinator", SLUG, page=page)
    page.goto(f"/proposals/events/{proposals['event']}/{proposals['pending']}/moderate")
    tab_to(page, "#decision-0", limit=80)  # the radios (Tab stops on the chosen one): "set aside" is the third
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#decision-2")).to_be_checked()
    tab_to(page, "#reason")
    page.keyboard.type("Hors du champ du plan")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    settled_on_main(page)
    expect(page.locator("#flash")).not_to_be_empty()
    expect(page.locator(f"#proposal-{proposals['pending']}")).to_contain_text("Hors du champ du plan")
    assert_accessible(page, f"workspace after moderation ({lang})")

    context.clear_cookies()
    use_language(context, live_server, lang)
    auth.sign_in("admin", page=page)
    page.goto(f"/proposals/events/{proposals['event']}/{proposals['published']}/response")
    tab_to(page, "#reason_fr", limit=80)
    page.keyboard.press("Control+A")
    page.keyboard.type("Repris en partie.")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    settled_on_main(page)
    expect(page.locator("#reason_fr")).to_have_value("Repris en partie.")
    tab_to(page, "main form.button-warning, main form button.button-warning", limit=80)
    page.keyboard.press("Enter")
    settled_on_main(page)
    expect(page.locator("#flash")).not_to_be_empty()
    page.goto(f"/propositions/events/{SLUG}")
    expect(page.locator("main h3")).to_have_count(0)
