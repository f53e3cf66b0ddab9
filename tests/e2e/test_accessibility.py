"""axe-core (WCAG 2.0/2.1 A and AA, 2.2 AA) finds nothing on each page of the registration
journey, in French and in Arabic; and each page declares its language and direction."""
import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import assert_accessible
from tests.support.data import mailed_manage_path
from tests.support.pages import LANGUAGES, SLUG, expect_language, register, use_language


def home(page, app):
    page.goto("/")
    expect(page.locator("article.card")).to_have_count(4)


def event(page, app):
    page.goto(f"/events/{SLUG}")
    expect(page.locator(".register-box a.button")).to_be_visible()


def form(page, app):
    page.goto(f"/events/{SLUG}/register")
    expect(page.locator("#group-region-filter")).to_be_visible()  # the page as scripts leave it


def form_with_errors(page, app):
    form(page, app)
    page.locator("#registration-form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_focused()


def form_with_an_inline_error(page, app):
    form(page, app)
    page.locator("#email").fill("pas-une-adresse")
    page.locator("#phone").focus()
    expect(page.locator("#email-error")).to_be_visible()


def confirmation(page, app):
    register(page, app)


def manage(page, app):
    register(page, app)
    page.goto(mailed_manage_path(app))
    expect(page).to_have_url(re.compile(r"/manage/[\w-]+$"))


def cancel_step(page, app):
    manage(page, app)
    page.locator('#main a[href$="/cancel"]').click()
    expect(page).to_have_url(re.compile(r"/manage/[\w-]+/cancel$"))


def cancelled(page, app):
    cancel_step(page, app)
    page.locator("#main form button[type=submit]").click()
    expect(page.locator("#flash .notice")).to_be_visible()


def erase_step(page, app):
    manage(page, app)
    page.locator('#main a[href$="/erase"]').click()
    expect(page).to_have_url(re.compile(r"/manage/[\w-]+/erase$"))


def privacy(page, app):
    page.goto("/privacy")
    expect(page.locator("#notice-version")).to_be_visible()


PAGES = [home, event, privacy, form, form_with_errors, form_with_an_inline_error, confirmation, manage, cancel_step,
         cancelled, erase_step]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("visit", PAGES, ids=[visit.__name__ for visit in PAGES])
def test_page_passes_axe(page, context, live_server, app, events, lang, visit):
    use_language(context, live_server, lang)
    visit(page, app)
    expect_language(page, lang)
    assert_accessible(page, f"{visit.__name__} ({lang}, {page.url})")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_form_with_errors_without_scripts_passes_axe(page, context, live_server, app, events, lang):
    """The page as people without JavaScript get it. axe itself needs JavaScript (it stalls in a
    context where it is disabled), so here the page's own scripts are refused instead."""
    use_language(context, live_server, lang)
    page.route(re.compile(r"\.js(\?.*)?$"), lambda route: route.abort())
    page.goto(f"/events/{SLUG}/register")
    page.locator("#registration-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/events/{SLUG}/register$"))
    expect(page.locator("#error-summary")).to_be_visible()
    assert page.evaluate("typeof window.htmx") == "undefined"
    expect(page.locator("#group-region-filter")).to_be_hidden()
    expect_language(page, lang)
    assert_accessible(page, f"form with errors, without scripts ({lang})")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_skip_link_is_the_first_tab_stop_and_moves_the_focus_to_the_main_content(
        page, context, live_server, events, lang):
    use_language(context, live_server, lang)
    page.goto(f"/events/{SLUG}/register")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # shown when focused
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#main .breadcrumb a")).to_be_focused()
