"""Accounts and organisations in the browser (issue 9, item 6): an administrator invites a
coordinator by keyboard alone, the invitee's page to choose a password, the account and
organisation pages in Arabic, axe on every one of them; the invitation also works without
JavaScript."""
import re

from playwright.sync_api import expect

from tests.support.browser import assert_accessible
from tests.support.data import outbox
from tests.support.pages import expect_language, settled_on_main, tab_to, use_language

LINK_RE = re.compile(r"http://portal\.example\.org(/password/reset/[A-Za-z0-9_-]{40,})")


def mailed_link(app, email: str) -> str:
    [message] = [m for m in outbox(app) if m.to_address == email]
    return LINK_RE.search(message.body_text).group(1)


def choose_by_keyboard(page, select_id: str, label: str) -> None:
    """Move a closed select to the option `label` with the arrow keys (it has the focus)."""
    expect(page.locator(f"#{select_id}")).to_be_focused()
    labels = page.locator(f"#{select_id} option").all_inner_texts()
    current = page.locator(f"#{select_id}").evaluate("(s) => s.selectedIndex")
    target = next(i for i, text in enumerate(labels) if label in text)
    for _ in range(abs(target - current)):
        page.keyboard.press("ArrowDown" if target > current else "ArrowUp")
    expect(page.locator(f"#{select_id}")).to_have_value(page.locator(f"#{select_id} option").nth(target)
                                                       .get_attribute("value"))


def test_an_admin_invites_a_coordinator_by_keyboard_and_the_pages_pass_axe(
        page, context, no_js_page, live_server, app, auth, events):
    auth.sign_in("admin", page=page, keyboard=True)
    page.goto("/accounts/")
    expect(page.locator("h1")).to_have_text("Comptes")
    assert_accessible(page, "accounts list (fr)")
    tab_to(page, "a[href='/accounts/invite']")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Inviter une personne")
    assert_accessible(page, "invitation form (fr)")

    # Sent without an organisation first: the error summary takes the focus and leads to the field.
    settled_on_main(page)
    tab_to(page, "#email")
    page.keyboard.type("nadia@example.org")
    page.keyboard.press("Tab")
    expect(page.locator("#name")).to_be_focused()
    page.keyboard.type("Nadia Alaoui")
    page.keyboard.press("Enter")
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary")).to_contain_text("Un compte de coordination appartient à une association")
    assert page.title().startswith("Erreur : ")
    assert_accessible(page, "invitation form refused (fr)")
    page.locator("#error-summary a").press("Enter")
    choose_by_keyboard(page, "organization", "ACODEC")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#flash")).to_contain_text("Invitation envoyée à nadia@example.org")
    expect(page.locator("tr", has_text="nadia@example.org")).to_contain_text("Invité, pas encore connecté")

    # The invitee's page, from the mailed link.
    page.goto(mailed_link(app, "nadia@example.org"))
    expect(page.locator("h1")).to_have_text("Choisissez votre mot de passe")
    assert_accessible(page, "choose your password (fr)")

    # In Arabic: the list, an account, the organisations and their form.
    use_language(context, live_server, "ar")
    page.goto("/accounts/?role=coordinator")
    expect_language(page, "ar")
    expect(page.locator("tr", has_text="nadia@example.org")).to_contain_text("مدعو، لم يسجل الدخول بعد")
    assert_accessible(page, "accounts list (ar)")
    page.locator("a", has_text="nadia@example.org").click()
    expect(page.locator("h1")).to_contain_text("الحساب")
    assert_accessible(page, "account (ar)")
    page.goto("/accounts/organisations")
    expect(page.locator("h1")).to_have_text("الهيئات")
    assert_accessible(page, "organisations (ar)")
    page.goto("/accounts/organisations/new")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page, "organisation form refused (ar)")
    page.goto("/accounts/organisations")
    page.locator("tr", has_text="ACODEC").locator("a").click()
    expect(page.locator("#acronym")).to_have_value("ACODEC")
    assert_accessible(page, "organisation edit form (ar)")

    # Without JavaScript, the invitation form works the same.
    auth.sign_in("admin", page=no_js_page)
    no_js_page.goto("/accounts/invite")
    no_js_page.fill("#email", "karim@example.org")
    no_js_page.fill("#name", "Karim Benali")
    no_js_page.select_option("#role", "observer")
    no_js_page.check(f"input[name=events][value='{events['oriental']}']")
    no_js_page.check("#language-1")
    no_js_page.locator("main form button[type=submit]").click()
    expect(no_js_page.locator("#flash")).to_contain_text("Invitation envoyée à karim@example.org")
    [mail] = [m for m in outbox(app) if m.to_address == "karim@example.org"]
    assert mail.language == "ar"
