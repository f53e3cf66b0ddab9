"""Dates in Arabic as Moroccan texts write them (شتنبر, not سبتمبر; "على الساعة", not a comma), on the
event page, in a mail, in the .ics and in the letter (PDF); in French, "à 9 h 30". The formats
locale comes from PORTAL_FORMAT_LOCALES (ar -> ar_MA); the texts stay those of the ar catalogue."""
import datetime as dt
import io
import re

import icalendar
import pytest
from pdfminer.high_level import extract_text

from portal.clock import utcnow
from portal.events.demo import registration_window, upcoming_date
from portal.events.models import Event
from portal.extensions import db
from tests.support.data import make_registrations, set_venue
from tests.support.web import nfkc, post_registration, valid_registration
from tests.test_campaigns import deliver_all, new_campaign, send
from tests.test_invitations import give_addresses, invite, letters

SLUG = "oriental"


@pytest.fixture
def september(app, events):
    """The Oriental event moved to 14 September, 9:30 (a month whose Moroccan name differs), its
    registration still open; returns the day."""
    day = upcoming_date(9, 14, utcnow().date())
    opens, closes = registration_window(day, False)
    with app.app_context():
        event = db.session.get(Event, events[SLUG])
        event.starts_on, event.start_time = day, dt.time(9, 30)
        event.registration_opens_at, event.registration_closes_at = opens, closes
        db.session.commit()
    set_venue(app, events[SLUG])
    return day


@pytest.fixture
def admin(auth, september):
    return auth.sign_in("admin", organization="MTNRA")


def test_the_event_page_writes_the_moroccan_month_in_arabic_and_the_french_hour(app, client, september):
    french = client.get(f"/events/{SLUG}").get_data(as_text=True)
    assert f"14 septembre {september.year}" in french
    # Registration closes three days before at 23:59, Casablanca time: French administrative style.
    assert f"11 septembre {september.year} à 23\u00a0h\u00a059" in french
    client.set_cookie("portal_lang", "ar")
    arabic = client.get(f"/events/{SLUG}").get_data(as_text=True)
    assert f"14 شتنبر {september.year}" in arabic and "سبتمبر" not in arabic
    assert f"11 شتنبر {september.year} على الساعة 23:59" in arabic


def test_the_arabic_acknowledgement_mail_writes_the_moroccan_month(app, client, september, smtp_server):
    client.set_cookie("portal_lang", "ar")
    response = post_registration(client, SLUG, valid_registration(app, SLUG, language="ar"))
    assert response.status_code == 303
    deliver_all(app)
    [(_envelope, message)] = smtp_server.messages
    for part in ("plain", "html"):
        body = message.get_body((part,)).get_content()
        assert f"14 شتنبر {september.year} على الساعة 09:30" in body and "سبتمبر" not in body, part


def test_the_arabic_calendar_invitation_says_the_day_and_the_hour_in_arabic(app, admin, events, september,
                                                                            smtp_server):
    make_registrations(app, events[SLUG], 1, status="approved", language="ar")
    make_registrations(app, events[SLUG], 1, status="approved", language="fr")
    campaign_id = new_campaign(app, admin, "Confirmation de participation", event=str(events[SLUG]),
                               status="approved", include_ics="y")
    send(admin, campaign_id)
    deliver_all(app)
    descriptions = []
    for _envelope, message in smtp_server.messages:
        [ics] = [part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]
        content = ics.get_content()
        [entry] = icalendar.Calendar.from_ical(content if isinstance(content, str) else content.decode()).walk("VEVENT")
        descriptions.append(str(entry.get("description")))
    [arabic] = [text for text in descriptions if "شتنبر" in text]
    [french] = [text for text in descriptions if "septembre" in text]
    assert f"14 شتنبر {september.year} على الساعة 09:30" in arabic and "سبتمبر" not in arabic
    assert f"14 septembre {september.year} à 9\u00a0h\u00a030" in french


def test_the_arabic_letter_writes_the_moroccan_month(app, admin, events, september, smtp_server):
    [wilaya] = give_addresses(app, "Wilaya de la région de l'Oriental", language="ar")
    invite(app, admin, events, kind="wilaya", region="02")
    deliver_all(app)
    pdf = letters(app, smtp_server)[f"inst{wilaya}-0@example.org"]
    # pdfminer gives an Arabic line in visual order: each line read backwards (see test_invitations).
    text = nfkc("\n".join(line[::-1] for line in extract_text(io.BytesIO(pdf)).splitlines()))
    assert "شتنبر" in text and "سبتمبر" not in text


def test_a_language_without_a_formats_locale_uses_its_own_code(app):
    from portal.i18n import format_date
    day = dt.date(2027, 9, 14)
    with app.app_context():
        assert format_date(day, "event_day", language="ar") == "الثلاثاء 14 شتنبر 2027"
        saved = app.config["PORTAL_FORMAT_LOCALES"]
        app.config["PORTAL_FORMAT_LOCALES"] = {}
        try:
            assert format_date(day, "event_day", language="ar") == "الثلاثاء 14 سبتمبر 2027"
        finally:
            app.config["PORTAL_FORMAT_LOCALES"] = saved


def test_templates_cannot_format_with_the_catalogue_locale(app):
    """Flask-Babel's filters are replaced: {{ day|dateformat }} also gives the Moroccan month."""
    from flask import render_template_string
    from flask_babel import force_locale
    with app.test_request_context(), force_locale("ar"):
        rendered = render_template_string("{{ day|dateformat('date') }} {{ format_date(day, 'date') }}",
                                          day=dt.date(2027, 8, 2))
    assert re.fullmatch("2 غشت 2027 2 غشت 2027", rendered), rendered


def test_a_language_without_its_own_patterns_gets_those_of_cldr(app):
    """A third language (Tamazight, say) formats with CLDR's patterns of its formats locale."""
    from portal.i18n import date_pattern, format_datetime
    with app.app_context():
        written = format_datetime(dt.datetime(2027, 9, 14, 9, 30), "day_and_time", language="zgh", rebase=False)
        assert "ⵛⵓⵜⴰⵏⴱⵉⵔ" in written and "09:30" in written and "2027" in written
        assert all(date_pattern(name, "zgh") for name in ("event_day", "date", "short", "month", "time", "stamp"))
        with pytest.raises(KeyError):
            date_pattern("d MMMM y", "ar")  # a pattern is named, never written where it is used
