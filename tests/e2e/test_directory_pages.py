"""The institutions directory in the browser: axe on every page, in French and Arabic, including the
refused form and the import's error report; and the active search, which must not lose the focus."""
import re

import pytest
from playwright.sync_api import expect

from portal.directory.models import Institution, InstitutionEmail
from portal.extensions import db
from tests.support.browser import assert_accessible
from tests.support.pages import LANGUAGES, expect_language, use_language

BAD_CSV = ("kind,name_fr,name_ar,region_code,province_code,emails,contact_name,contact_title,language\r\n"
           "province,Province de Nador,إقليم الناظور,02,02.381,nador@example.org,,,ar\r\n"
           "embassy,Ambassade,,01,02.381,not-an-address,,,en\r\n").encode()


@pytest.fixture
def directory(app):
    """A few institutions, one of them with its Arabic name, alone in the directory (these tests
    count rows; the 99 pre-filled institutions are tested in tests/test_invitations.py)."""
    with app.app_context():
        db.session.execute(Institution.__table__.delete())
        rows = [
            Institution(kind="province", name_fr="Province de Nador", name_ar="إقليم الناظور", region_code="02",
                        province_code="02.381", contact_name="Samira Bennani", contact_title="Cheffe de division",
                        language="ar", emails=[InstitutionEmail(email="nador@example.org"),
                                               InstitutionEmail(email="secretariat.nador@example.org")]),
            Institution(kind="consultative_body", name_fr="Conseil national des droits de l'Homme",
                        name_ar="المجلس الوطني لحقوق الإنسان", emails=[InstitutionEmail(email="cndh@example.org")]),
            Institution(kind="commune", name_fr="Commune d'Oujda", region_code="02", province_code="02.411",
                        emails=[InstitutionEmail(email="oujda@example.org")]),
        ]
        db.session.add_all(rows)
        db.session.commit()
        return [row.id for row in rows]


def directory_list(page, ids):
    page.goto("/directory/")
    expect(page.locator("#results tbody tr")).to_have_count(3)


def add_form(page, ids):
    page.goto("/directory/new")


def add_form_with_errors(page, ids):
    page.goto("/directory/new")
    page.fill("#name_fr", "Commune\u202e")
    page.fill("#emails", "not-an-address")
    page.select_option("#region_code", "01")
    page.select_option("#province_code", "02.381")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary li")).to_have_count(4)


def edit_form(page, ids):
    page.goto(f"/directory/{ids[0]}/edit")
    expect(page.locator("#emails")).to_have_value("nador@example.org\nsecretariat.nador@example.org")


def import_with_report(page, ids):
    page.goto("/directory/import")
    page.set_input_files("#file", files=[{"name": "institutions.csv", "mimeType": "text/csv", "buffer": BAD_CSV}])
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#report tbody tr")).to_have_count(5)  # row 2 is a duplicate, row 3 has four errors
    expect(page.locator("#error-summary")).to_be_focused()


PAGES = [directory_list, add_form, add_form_with_errors, edit_form, import_with_report]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("visit", PAGES, ids=[visit.__name__ for visit in PAGES])
def test_directory_page_passes_axe(page, context, live_server, auth, directory, lang, visit):
    auth.sign_in("admin", page=page)
    use_language(context, live_server, lang)
    visit(page, directory)
    expect_language(page, lang)
    assert_accessible(page, f"{visit.__name__} ({lang})")


def test_active_search_keeps_the_focus_and_the_url(page, auth, directory):
    auth.sign_in("admin", page=page)
    page.goto("/directory/")
    page.locator("#q").press_sequentially("oujda", delay=30)
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#q")).to_be_focused()
    expect(page).to_have_url(re.compile(r"/directory/\?q=oujda"))
    page.select_option("#kind", "province")
    expect(page.locator("#results")).to_contain_text("Aucune institution ne correspond")
