"""Bidirectional text (issue 12, item 5): values inserted into Arabic sentences are isolated.

`<bdi>` in HTML, U+2068…U+2069 in plain text (mails, their subjects, flash messages); never
markup inside an attribute; lists joined with the Arabic comma in Arabic; French unchanged.
"""
import re
from html.parser import HTMLParser

import pytest
from flask import render_template_string
from flask_babel import force_locale, gettext

from portal.bidi import FSI, PDI, isolate, join_list
from tests.support.outbox import deliver
from tests.support.pages import REFERENCE_RE
from tests.support.web import post_registration, valid_registration
from tests.test_hostile_params import routes, world  # noqa: F401 (the fixture of every route's objects)


# --- the functions ----------------------------------------------------------------------------
def test_lists_are_joined_with_each_language_s_comma(app_ctx):
    assert join_list(["Oriental", "Fès-Meknès", "Rabat-Salé-Kénitra"], "fr") == "Oriental, Fès-Meknès, Rabat-Salé-Kénitra"
    assert join_list(["الشرق", "فاس-مكناس"], "ar") == "الشرق، فاس-مكناس"
    assert join_list([], "ar") == ""
    with force_locale("ar"):
        assert join_list(["a", "b"]) == "a، b"
    with force_locale("fr"):
        assert join_list(["a", "b"]) == "a, b"


def test_a_template_list_isolates_each_item_in_arabic_only(app):
    with app.test_request_context():
        with force_locale("ar"):
            html = render_template_string('{{ ["Association Amal", "جمعية"] | join_list }}')
            assert html == '<bdi dir="ltr">Association Amal</bdi>، <bdi>جمعية</bdi>'
        with force_locale("fr"):
            assert render_template_string('{{ ["A & B", "C"] | join_list }}') == "A &amp; B, C"


def test_values_are_isolated_in_arabic_and_left_alone_in_french(app):
    with app.test_request_context():
        with force_locale("ar"):
            assert isolate("06 12 34 56 78") == f"{FSI}06 12 34 56 78{PDI}"
            assert isolate(12) == 12  # a number keeps its digits' order on its own
            assert gettext("Compte modifié : %(email)s.", email="amina@example.org").count(FSI) == 1
            html = render_template_string('{{ _("Compte %(email)s", email=e) }}', e="<amina@example.org>")
            assert '<bdi dir="ltr">&lt;amina@example.org&gt;</bdi>' in html
            attribute = render_template_string('{{ _("Compte %(email)s", email=e) | as_text }}', e="a@b.ma")
            assert "<bdi" not in attribute and f"{FSI}a@b.ma{PDI}" in attribute
        with force_locale("fr"):
            assert isolate("06 12 34 56 78") == "06 12 34 56 78"
            assert gettext("Compte modifié : %(email)s.", email="amina@example.org") == \
                "Compte modifié : amina@example.org."
            assert render_template_string('{{ _("Compte %(email)s", email="a@b.ma") }}') == "Compte a@b.ma"


def test_an_imported_macro_speaks_the_language_of_each_render(app):
    """Jinja keeps an imported template (its macros, and the context they render in) for every later
    render: its texts must still follow each render's language, French, Arabic, then French again."""
    page = '{% import "_macros.html" as m %}{{ m.edit_conflict("x", "/saved") }}'
    with app.test_request_context():
        for language in ("fr", "ar", "fr", "ar"):
            with force_locale(language):
                expected = gettext("Il y a un problème")
                assert render_template_string(page).count(expected) == 1, language
        with force_locale("ar"):
            assert gettext("Il y a un problème") != "Il y a un problème"  # translated: the test can tell


# --- mails ----------------------------------------------------------------------------------
def _received(smtp_server, to: str):
    [message] = [message for envelope, message in smtp_server.messages if envelope.rcpt_tos == [to]]
    return (message["Subject"], message.get_body(("plain",)).get_content(),
            message.get_body(("html",)).get_content())


def test_an_arabic_acknowledgement_isolates_the_reference_and_the_title(app, client, events, smtp_server):
    client.set_cookie("portal_lang", "ar")
    response = post_registration(client, "oriental", valid_registration(app, "oriental", language="ar",
                                                                         email="salma@example.org"))
    assert response.status_code in (302, 303), response.status_code
    deliver(app)
    subject, text, html = _received(smtp_server, "salma@example.org")
    assert subject.count(FSI) == 1 and subject.endswith(PDI), repr(subject)  # "…: FSI title PDI"
    reference = REFERENCE_RE.search(text).group(0)
    assert f"{FSI}{reference}{PDI}" in text
    assert f"{FSI}Amina{PDI}" in text  # "مرحبًا FSI Amina PDI،"
    assert '<bdi dir="ltr">Amina</bdi>' in html
    # The page after registering: the (masked) address sits in an isolating element.
    done = client.get(response.headers["Location"]).get_data(as_text=True)
    assert re.search(r'<bdi dir="ltr">s[^<@]*@example\.org</bdi>', done)


def test_a_french_mail_and_page_have_no_isolation(app, client, events, smtp_server):
    response = post_registration(client, "oriental", valid_registration(app, "oriental", email="yassine@example.org"))
    deliver(app)
    subject, text, html = _received(smtp_server, "yassine@example.org")
    assert FSI not in subject + text + html and "<bdi" not in html
    assert "<bdi" not in client.get(response.headers["Location"]).get_data(as_text=True)


# --- no markup where markup is text ---------------------------------------------------------------
class _MarkupAsText(HTMLParser):
    """Finds `<bdi` where the browser would show it as text: in an attribute, in <title>,
    <textarea> or <option> (whose content is text)."""
    TEXT_ONLY = frozenset({"title", "textarea", "option"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems, self.open, self.isolated = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag == "bdi":
            self.isolated += 1
            if self.open:
                self.problems.append(f"<bdi> inside <{self.open[-1]}>")
        for name, value in attrs:
            if value and "<bdi" in value:
                self.problems.append(f'<{tag} {name}="{value[:120]}">')
        if tag in self.TEXT_ONLY:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if self.open and self.open[-1] == tag:
            self.open.pop()

    def handle_data(self, data):
        if "<bdi" in data:  # escaped markup shown as text
            self.problems.append(f"text: {data.strip()[:120]}")


@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_no_arabic_page_shows_isolating_markup_as_text(app, world, who):  # noqa: F811
    client = world["clients"][who]
    client.set_cookie("portal_lang", "ar")
    problems, isolated = [], 0
    for rule, url in routes(app, world):
        if "GET" not in rule.methods or rule.endpoint in ("static", "accounts.logout"):
            continue
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        parser = _MarkupAsText()
        parser.feed(response.get_data(as_text=True))
        isolated += parser.isolated
        problems += [f"{url}: {problem}" for problem in parser.problems]
    assert not problems, "\n".join(problems)
    assert isolated, "no page isolated any value: the check above proves nothing"


def test_mail_merge_isolates_values_in_arabic_messages_but_not_links(app_ctx):
    from portal.campaigns.placeholders import render_html, render_text
    values = {"full_name": "Salma Bennani", "reference": "CC-ABCD2345", "manage_link": "https://portal.example.org/manage/x"}
    body = "مرحبًا {{ full_name }}، رقم التسجيل: {{ reference }}.\n{{ manage_link }}"
    text = render_text(body, values, "ar")
    assert f"{FSI}Salma Bennani{PDI}،" in text and f"{FSI}CC-ABCD2345{PDI}." in text
    assert "\nhttps://portal.example.org/manage/x" in text and not text.endswith(PDI)  # a link stays clickable
    html = render_html(body, {**values, "full_name": "<Salma>"}, "ar")
    assert '<bdi dir="ltr">&lt;Salma&gt;</bdi>' in html and 'href="https://portal.example.org/manage/x"' in html
    assert render_text("Bonjour {{ full_name }}", values, "fr") == "Bonjour Salma Bennani"
    assert "<bdi" not in render_html("Bonjour {{ full_name }}", values, "fr")
