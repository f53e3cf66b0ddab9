"""The suppliers' lists in a real browser (issue 10, item 4): by keyboard alone, an admin confirms the
grants the saved rules propose and overrides one with a reason, then finds it on the hotel list;
the hotel list prints to PDF without navigation; axe on both lists in French and Arabic."""
import datetime as dt
import io

from pdfminer.high_level import extract_text
from playwright.sync_api import expect

from portal.events.models import Event
from portal.events.support import DEFAULT_RULES, save_rules
from portal.extensions import db
from portal.registration.models import Registration
from tests.support.browser import assert_accessible
from tests.support.data import make_registrations
from tests.support.pages import expect_language, settled_on_main, tab_to, use_language
from tests.support.web import squeeze

FES, OUJDA = "03.231", "02.411"


def _setup(app, event_id):
    """The event held in Fès with the default rules saved (one night for zones 2-3), and two approved
    persons from Oujda (zone 2) asking for travel and accommodation, one with a consented wheelchair need."""
    with app.app_context():
        event = db.session.get(Event, event_id)
        event.province_code = FES
        save_rules(event, DEFAULT_RULES, None, dt.datetime(2026, 11, 2, 9, 0))
        db.session.commit()
    make_registrations(app, event_id, 1, status="approved", province_code=OUJDA, travel_support=True,
                       accommodation_support=True, first_name="Yasmine", last_name="Zerhouni",
                       access_needs=["wheelchair"], consent_needs_at=dt.datetime(2026, 11, 1, 9, 0))
    make_registrations(app, event_id, 1, status="approved", province_code=OUJDA, travel_support=True,
                       accommodation_support=True, first_name="Karim", last_name="Alami")


def test_override_a_grant_by_keyboard_then_print_the_hotel_list(page, app, auth, events, live_server):
    event_id = events["fes-meknes"]
    _setup(app, event_id)
    auth.sign_in("admin", page=page, keyboard=True)
    page.goto(f"/organizing/events/{event_id}/grants")
    expect(page.locator("main")).to_contain_text("Confirmer les 2 propositions")

    tab_to(page, "form[action$='/grants/confirm'] button", limit=80)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("2 prises en charge confirmées.")
    settled_on_main(page)

    tab_to(page, "#registration_id", limit=80)
    page.keyboard.type("Karim")
    expect(page.locator("#registration_id option:checked")).to_have_text("Karim Alami")
    tab_to(page, "#nights")
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    tab_to(page, "#reason")
    page.keyboard.type("Arrive la veille au soir par le train de nuit")
    tab_to(page, "form[action$='/grants/override'] button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("Prise en charge modifiée pour Karim Alami.")
    settled_on_main(page)
    karim = page.locator("table.grants-list tr", has_text="Karim Alami")
    expect(karim).to_contain_text("Modifiée")
    expect(karim).to_contain_text("Arrive la veille au soir par le train de nuit")

    tab_to(page, "main a[href$='/lists/hotel']", limit=80)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Liste pour l'hôtel")
    hotel = page.locator("table.supplier-list")
    expect(hotel.locator("tr", has_text="Karim Alami")).to_contain_text("2")
    expect(hotel.locator("tr", has_text="Yasmine Zerhouni")).to_contain_text("Chambre accessible en fauteuil roulant")
    assert_accessible(page, "hotel list")

    page.emulate_media(media="print")
    for navigation in page.locator("nav").all():
        expect(navigation).to_be_hidden()
    expect(hotel).to_be_visible()
    text = squeeze(extract_text(io.BytesIO(page.pdf(format="A4"))))  # cells wrap: words, not lines
    assert "Liste pour l'hôtel" in text and "Karim Alami" in text and "Chambre accessible en fauteuil roulant" in text
    assert "Tableau de bord" not in text and "Décisions de prise en charge" not in text  # no navigation
    assert "Télécharger" not in text
    page.emulate_media(media="screen")

    page.goto(f"/organizing/events/{event_id}/lists/transport")
    expect(page.locator("table.supplier-list")).to_contain_text("Zone 2")
    assert_accessible(page, "transport list")

    use_language(page.context, live_server, "ar")
    for name, title in (("hotel", "لائحة الفندق"), ("transport", "لائحة النقل")):
        page.goto(f"/organizing/events/{event_id}/lists/{name}")
        expect_language(page, "ar")
        expect(page.locator("h1")).to_contain_text(title)
        assert_accessible(page, f"{name} list in Arabic")
    use_language(page.context, live_server, "fr")
    with app.app_context():
        assert db.session.query(Registration).filter_by(event_id=event_id, status="approved").count() == 2
