"""Values inside Arabic sentences read in order in Chromium (issue 12, item 5): the phone
example under the phone field and the address on the page after registering sit in an isolating
element, laid out left to right inside the right-to-left sentence."""
import re

from playwright.sync_api import expect

from tests.support.browser import assert_accessible
from tests.support.data import event_region_code, region_province_codes
from tests.support.pages import SLUG, fill_registration, use_language

# For an element: is it isolating (a <bdi>, or an element with its own dir), what direction it
# lays its text out in, and whether its first character is drawn left of its last one.
LAYOUT = """(element) => {
    const style = getComputedStyle(element);
    const text = element.firstChild;
    const box = (i) => { const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + 1);
                         return r.getBoundingClientRect(); };
    return {isolating: element.tagName === "BDI" || element.hasAttribute("dir"),
            unicodeBidi: style.unicodeBidi, direction: style.direction,
            firstLeftOfLast: box(0).left < box(text.length - 1).left,
            sentenceDirection: getComputedStyle(element.parentElement).direction};
}"""


def layout_of(locator) -> dict:
    return locator.evaluate(LAYOUT)


def expect_read_in_order(locator, value: str) -> None:
    expect(locator).to_have_text(value)
    layout = layout_of(locator)
    assert layout == {"isolating": True, "unicodeBidi": "isolate", "direction": "ltr", "firstLeftOfLast": True,
                      "sentenceDirection": "rtl"}, (value, layout)


def test_the_phone_example_and_the_mailed_address_read_in_order_in_arabic(page, context, live_server, app, events):
    use_language(context, live_server, "ar")
    page.goto(f"/events/{SLUG}/register")
    hint = page.locator("#phone-hint")
    expect(hint).to_contain_text("مثلًا")
    expect_read_in_order(hint.locator("bdi").nth(0), "06 12 34 56 78")
    expect_read_in_order(hint.locator("bdi").nth(1), "+212 6 12 34 56 78")
    assert_accessible(page, "the Arabic registration form")

    fill_registration(page, region_province_codes(app, event_region_code(app, SLUG))[0], "salma@example.org")
    page.locator("#registration-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/events/{SLUG}/register/done$"))
    address = page.locator("main [role=status] bdi")
    expect(address).to_have_count(1)
    shown = address.inner_text()  # the address, masked: s•••@example.org
    assert shown.startswith("s") and shown.endswith("@example.org"), shown
    expect_read_in_order(address, shown)
    assert_accessible(page, "the Arabic page after registering")


# In a text node: is the `value` inside it drawn with its first character left of its last one.
DRAWN_IN_ORDER = """([element, value]) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.data.indexOf(value);
        if (at < 0) continue;
        const box = (i) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
                             return r.getBoundingClientRect(); };
        return {isolated: node.data[at - 1] === "\u2068" && node.data[at + value.length] === "\u2069",
                inOrder: box(at).left < box(at + value.length - 1).left};
    }
    return null;
}"""


def test_a_message_made_in_python_isolates_the_phone_example_with_characters(page, context, live_server, events):
    """The refusal of a phone number is written by the form (Python): its examples come between
    U+2068 and U+2069, which Chromium honours as it does <bdi>."""
    use_language(context, live_server, "ar")
    page.goto(f"/events/{SLUG}/register")
    page.fill("#phone", "hello")
    page.locator("#registration-form button[type=submit]").click()
    error = page.locator("#phone-error")
    expect(error).to_contain_text("أدخلوا رقم هاتف")
    for value in ("06 12 34 56 78", "+212 6 12 34 56 78"):
        assert page.evaluate(DRAWN_IN_ORDER, [error.element_handle(), value]) == {"isolated": True, "inOrder": True}


def test_french_pages_carry_no_isolation(page, context, live_server, events):
    use_language(context, live_server, "fr")
    page.goto(f"/events/{SLUG}/register")
    expect(page.locator("#phone-hint")).to_have_text("Par exemple 06 12 34 56 78 ou +212 6 12 34 56 78.")
    expect(page.locator("bdi")).to_have_count(0)
