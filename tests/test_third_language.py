"""A third language is configuration only (issue 12, item 10).

An app whose PORTAL_LANGUAGES adds Tamazight (zgh, in Tifinagh), with a pseudo catalogue made
here from the extracted template (each text its French source between ⟦ ⟧): the switcher offers
it under its own name, every page an admin reaches answers in it (lang, direction, texts), a
registration made in it keeps it and its acknowledgement arrives in it, and an institution's
invitation letter (PDF) is written in it. Content stored in French and Arabic only (event titles)
is shown in French. Nothing in the code names the language.
"""
import io
import re

import pytest
from flask import url_for
from markupsafe import escape
from pdfminer.high_level import extract_text
from sqlalchemy import select

from portal import ROOT, create_app
from portal.directory.models import Institution
from portal.extensions import db
from portal.registration.models import Registration
from tests.support.mail import use_smtp_server
from tests.support.pseudo_language import CLOSE, OPEN, pseudo, write_pseudo_catalogue
from tests.support.web import csrf_token, squeeze, valid_registration
from tests.test_campaigns import deliver_all, new_campaign, send
from tests.test_hostile_params import page_fields, routes, world  # noqa: F401 (world: a fixture)

LANGUAGE = "zgh"
NAME = "ⵜⴰⵎⴰⵣⵉⵖⵜ"  # Tamazight, as Babel's locale data writes it in Tifinagh
SLUG = "oriental"


@pytest.fixture(scope="module")
def third(app, tmp_path_factory):
    """A second app on the test database, offering French, Arabic and the pseudo language."""
    translations = tmp_path_factory.mktemp("translations")
    write_pseudo_catalogue(translations, LANGUAGE)
    config = {key: app.config[key] for key in ("TESTING", "INSTANCE_PATH", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI",
                                               "SQLALCHEMY_ENGINE_OPTIONS", "RATELIMIT_ENABLED",
                                               "OUTBOX_DELIVER_IN_APP", "PORTAL_BASE_URL")}
    config["INSTANCE_PATH"] = app.instance_path
    config["PORTAL_LANGUAGES"] = ["fr", "ar", LANGUAGE]
    config["BABEL_TRANSLATION_DIRECTORIES"] = f"{ROOT}/portal/translations;{translations}"
    third = create_app(config)
    yield third
    with third.app_context():
        db.engine.dispose()


def in_language(client):
    """The client chooses the language through the switcher, as a person does."""
    home = client.get("/").get_data(as_text=True)
    switch = re.search(rf'<a href="([^"]+)" lang="{LANGUAGE}" hreflang="{LANGUAGE}"[^>]*>([^<]+)</a>', home)
    assert switch, "the language switcher does not offer the third language"
    assert switch.group(2) == NAME  # named in itself
    assert client.get(switch.group(1).replace("&amp;", "&")).status_code == 303
    return client


# Pages written as a whole in each language (templates/pages/<name>_<code>.html), not through the
# catalogue: until a version is written for the language, the French one is shown, marked French.
WRITTEN_PAGES = ("pages.privacy", "pages.accessibility")


def assert_in_language(html: str, where: str, written_in_french: bool = False) -> None:
    assert re.search(rf'<html lang="{LANGUAGE}" dir="ltr">', html), where
    title = re.search(r"<title>(.*?)</title>", html, re.DOTALL).group(1)
    assert pseudo("Portail de co-création") in title, where
    assert re.search(rf'class="skip-link"[^>]*>{OPEN}', html), where  # the page's frame, not only its main part
    main = re.search(r"<main\b[^>]*>.*?</main>", html, re.DOTALL).group(0)
    if written_in_french:
        assert re.match(r'<main [^>]*lang="fr" dir="ltr">', main) and OPEN not in main, where
    else:
        assert OPEN in main and CLOSE in main, f"{where}: no text of the catalogue in the page's main part"


def test_every_page_an_admin_reaches_is_in_the_third_language(app, third, auth, world):  # noqa: F811
    admin = in_language(auth.sign_in("admin", client=third.test_client()))
    walked, failures = 0, []
    for rule, url in routes(third, world):
        if "GET" not in rule.methods or rule.endpoint in ("static", "pages.set_language"):
            continue
        response = admin.get(url)
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {url}")
        elif response.status_code == 200 and response.mimetype == "text/html":
            html = response.get_data(as_text=True)
            if html.lstrip().lower().startswith("<!doctype html>"):  # a page (not an htmx fragment)
                try:
                    assert_in_language(html, f"{rule.endpoint} {url}", rule.endpoint in WRITTEN_PAGES)
                except AssertionError as error:
                    failures.append(str(error))
                walked += 1
    assert not failures, "\n".join(failures)
    print(f"{walked} pages in {LANGUAGE}")
    assert walked > 60  # the walk went through the back office and the public pages
    missing = admin.get("/events/no-such-event")
    assert missing.status_code == 404
    assert_in_language(missing.get_data(as_text=True), "the 404 page")


def test_the_public_pages_offer_the_language_and_show_content_in_french(app, third, events):
    visitor = in_language(third.test_client())
    html = visitor.get(f"/events/{SLUG}").get_data(as_text=True)
    assert_in_language(html, "the event page")
    with app.app_context():
        from portal.events.models import Event
        event = db.session.scalar(select(Event).where(Event.slug == SLUG))
        title_fr, regions_fr = event.title_fr, [region.name_fr for region in event.regions]
    assert escape(title_fr) in html and all(escape(name) in html for name in regions_fr)  # no column: French
    form = visitor.get(f"/events/{SLUG}/register").get_data(as_text=True)
    assert_in_language(form, "the registration form")
    assert re.search(rf'<input[^>]*name="language"[^>]*value="{LANGUAGE}"[^>]*checked', form) \
        or re.search(rf'<input[^>]*value="{LANGUAGE}"[^>]*name="language"[^>]*checked', form), \
        "the form proposes mail in the page's language"


def test_a_registration_in_the_language_keeps_it_and_its_acknowledgement_is_in_it(app, third, events, smtp_server,
                                                                                   monkeypatch):
    use_smtp_server(third, monkeypatch, smtp_server.port)
    visitor = in_language(third.test_client())
    token = csrf_token(visitor.get(f"/events/{SLUG}/register").get_data(as_text=True))
    data = valid_registration(app, SLUG, language=LANGUAGE)
    response = visitor.post(f"/events/{SLUG}/register", data={**data, "csrf_token": token})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    with app.app_context():
        assert db.session.scalar(select(Registration.language)) == LANGUAGE
    deliver_all(third)
    [(envelope, message)] = smtp_server.messages
    assert envelope.rcpt_tos == ["amina@example.org"]
    assert message["Subject"].startswith(OPEN)
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert pseudo("Portail de co-création du ")[:-1] in html  # the footer naming the plan and the OGP
    assert "dans le cadre du Partenariat pour un Gouvernement Ouvert.⟧" in html
    assert re.search(rf'<html lang="{LANGUAGE}" dir="ltr">', html)
    assert text.count(OPEN) >= 3


def test_an_institution_written_to_in_the_language_gets_its_letter_in_it(app, third, auth, events, smtp_server,
                                                                         monkeypatch):
    from tests.support.data import set_venue
    set_venue(app, events[SLUG])
    use_smtp_server(third, monkeypatch, smtp_server.port)
    admin = in_language(auth.sign_in("admin", client=third.test_client()))
    with app.app_context():
        wilaya = db.session.scalar(select(Institution.id).where(
            Institution.name_fr == "Wilaya de la région de l'Oriental"))
    # The directory's form offers the language, and keeps it.
    edit = f"/directory/{wilaya}/edit"
    page = admin.get(edit).get_data(as_text=True)
    assert f'value="{LANGUAGE}"' in page and NAME in page
    fields = {**page_fields(page), "province_code": "", "emails": "wilaya@example.org",
              "contact_name": "Contact", "language": LANGUAGE}
    assert admin.post(edit, data={**fields, "csrf_token": csrf_token(page)}).status_code == 303
    with app.app_context():
        assert db.session.get(Institution, wilaya).language == LANGUAGE
    campaign_id = new_campaign(app, admin, "Invitation institutionnelle", event=str(events[SLUG]), kind="wilaya",
                               region="02")
    assert send(admin, campaign_id).status_code == 303
    deliver_all(third)
    [(_envelope, message)] = smtp_server.messages
    [letter] = [part for part in message.iter_attachments() if part.get_content_type() == "application/pdf"]
    text = squeeze(extract_text(io.BytesIO(letter.get_content())))
    from babel.dates import format_date
    with app.app_context():
        from portal.events.models import Event
        event = db.session.get(Event, events[SLUG])
        date = format_date(event.starts_on, "full", locale=LANGUAGE)
        title = event.title_fr
    assert f"{OPEN}Réf. : {campaign_id}/{wilaya}{CLOSE}" in text
    assert date in text  # the date written in the language (Babel's Tamazight month names)
    assert squeeze(title) in text  # the content, with no column of its own, in French


def test_the_app_knows_the_language_from_its_setting_only(third):
    from portal.i18n import LANGUAGES, text_direction
    with third.test_request_context():
        assert LANGUAGES.items() == [("fr", "Français"), ("ar", "العربية"), (LANGUAGE, NAME)]
        assert (text_direction("ar"), text_direction(LANGUAGE)) == ("rtl", "ltr")
        assert url_for("pages.set_language", code=LANGUAGE)


@pytest.mark.parametrize(("code", "message"), [
    ("zgh-Tfng", "'zgh-Tfng' is not a language code Babel knows (write it 'zgh')"),
    ("tamazight", "'tamazight' is not a language code Babel knows."),
])
def test_a_language_code_babel_does_not_write_so_stops_the_start(tmp_path, code, message):
    with pytest.raises(RuntimeError, match=re.escape(message)):
        create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                    "INSTANCE_PATH": str(tmp_path), "PORTAL_LANGUAGES": ["fr", "ar", code]})
