"""Issue 10, item 4: the lists for suppliers (hotel, transport), built from the decided grants only,
printable and exported (CSV, XLSX, formula-safe, logged), with a partners' version without health data."""
import csv
import datetime as dt
import io
import logging

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from portal.events.models import Event
from portal.extensions import db
from portal.registration.models import Registration
from portal.review.models import ExportLog
from tests.support.data import make_registrations
from tests.support.web import submit_form

FES, MEKNES, OUJDA = "03.231", "03.061", "02.411"
APPROVED = dt.datetime(2026, 11, 2, 9, 0)
CONSENTED = dt.datetime(2026, 11, 1, 9, 0)


def _person(app, event_id, province, last_name, *, needs=(), consent=False, phone="0600000000"):
    [registration_id] = make_registrations(
        app, event_id, 1, status="approved", province_code=province, travel_support=True,
        accommodation_support=True, access_needs=list(needs), last_name=last_name, first_name="Amal", phone=phone,
        consent_needs_at=CONSENTED if consent else None)
    with app.app_context():
        db.session.get(Registration, registration_id).status_changed_at = APPROVED
        db.session.commit()
    return registration_id


@pytest.fixture
def decided(app, auth, client, fes_event_with_rules):
    """Three beneficiaries from Oujda (zone 2: travel and one night) and one from Meknès (zone 1:
    travel only), confirmed by an admin; then one more from Oujda, only proposed."""
    _person(app, fes_event_with_rules, OUJDA, "Alaoui", needs=["wheelchair"], consent=True)
    _person(app, fes_event_with_rules, OUJDA, "Bennani", needs=["wheelchair"], consent=False)
    _person(app, fes_event_with_rules, OUJDA, "=HYPERLINK(\"http://x\")")
    _person(app, fes_event_with_rules, MEKNES, "Chraibi")
    auth.sign_in("admin")
    url = f"/organizing/events/{fes_event_with_rules}/grants"
    assert submit_form(client, url, {}, action=f"{url}/confirm").status_code == 303
    _person(app, fes_event_with_rules, OUJDA, "Proposé")
    with app.app_context():
        starts_on = db.session.get(Event, fes_event_with_rules).starts_on
    return fes_event_with_rules, starts_on


def _csv(response):
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    return rows[0], {row[0]: dict(zip(rows[0], row)) for row in rows[1:]}


def test_the_hotel_list_holds_the_decided_nights_and_room_needs_only_with_consent(decided, client):
    event_id, starts_on = decided
    header, rows = _csv(client.get(f"/organizing/events/{event_id}/lists/hotel.csv"))
    assert header == ["Prénom et nom", "Téléphone", "Nuits", "Date d'arrivée", "Date de départ", "Type de chambre",
                      "Besoins de la chambre"]
    # By hand: the three from Oujda sleep one night, arriving the day before the event, leaving on its
    # day; the one from Meknès travels only; the proposal is not decided yet.
    assert len(rows) == 3 and not any("Chraibi".upper() in name or "Propos" in name for name in rows)
    arrival, departure = starts_on - dt.timedelta(days=1), starts_on
    for row in rows.values():
        assert row["Nuits"] == "1"
        assert row["Date d'arrivée"] == f"{arrival:%d/%m/%Y}" and row["Date de départ"] == f"{departure:%d/%m/%Y}"
    alaoui = next(row for name, row in rows.items() if "Alaoui".casefold() in name.casefold())
    bennani = next(row for name, row in rows.items() if "Bennani".casefold() in name.casefold())
    assert alaoui["Besoins de la chambre"] == "Chambre accessible en fauteuil roulant"
    assert alaoui["Type de chambre"] == "Chambre individuelle"
    assert bennani["Besoins de la chambre"] == ""  # a need, but no consent: nothing shown
    page = client.get(f"/organizing/events/{event_id}/lists/hotel").get_data(as_text=True)
    assert page.count("Chambre accessible en fauteuil roulant") == 1
    assert "1 proposition attend encore une décision." in page


def test_the_csv_is_formula_safe_and_the_xlsx_holds_text(decided, client):
    event_id, _ = decided
    _, rows = _csv(client.get(f"/organizing/events/{event_id}/lists/hotel.csv"))
    [hostile] = [name for name in rows if "HYPERLINK" in name.upper()]
    assert not hostile.lstrip().startswith("=")
    response = client.get(f"/organizing/events/{event_id}/lists/transport.xlsx")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["Prénom et nom", "Téléphone", "Province", "Zone", "Mode", "Montant estimé (MAD)"]
    assert len(values) == 1 + 4  # four travel (three from Oujda, one from Meknès); the proposal is not there
    assert all(cell.data_type == "s" for row in sheet.iter_rows() for cell in row)
    zones = {row[0]: row[3] for row in values[1:]}
    assert zones[next(name for name in zones if "CHRAIBI" in name.upper())].startswith("Zone 1")
    # No unit cost priced for this event: "to estimate", never an invented 0; the mode is still open.
    assert {(row[4], row[5]) for row in values[1:]} == {("À déterminer", "à estimer")}


def test_every_export_is_logged(decided, app, client, caplog):
    event_id, _ = decided
    with caplog.at_level(logging.INFO, logger="portal.security"):
        client.get(f"/organizing/events/{event_id}/lists/hotel.csv?columns=partners").get_data()
        client.get(f"/organizing/events/{event_id}/lists/transport.xlsx").get_data()
    with app.app_context():
        logs = db.session.scalars(select(ExportLog).order_by(ExportLog.id)).all()
        assert [(log.file_format, log.column_set, log.query, log.row_count) for log in logs] == [
            ("csv", "partners", "list=hotel", 3), ("xlsx", "full", "list=transport", 4)]
    assert caplog.text.count('"event": "export"') == 2 and '"list": "hotel"' in caplog.text


def test_the_observer_gets_the_partners_version_only(decided, app, auth):
    event_id, _ = decided
    observer = app.test_client()
    auth.sign_in("observer", event_id, client=observer)
    base = f"/organizing/events/{event_id}/lists"
    for url in (f"{base}/hotel", f"{base}/hotel?columns=full", f"{base}/hotel.csv?columns=full",
                f"{base}/transport?columns=full", f"{base}/transport.csv"):
        response = observer.get(url)
        assert response.status_code == 200, url
        text = response.get_data(as_text=True)
        for health in ("Chambre accessible", "Besoins de la chambre", "Chambre individuelle", "Type de chambre",
                       "fauteuil"):
            assert health not in text, (url, health)
    sheet = load_workbook(io.BytesIO(observer.get(f"{base}/hotel.xlsx?columns=full").get_data())).active
    assert [cell.value for cell in sheet[1]] == ["Prénom et nom", "Téléphone", "Nuits", "Date d'arrivée", "Date de départ"]
    assert "Version pour les partenaires" in observer.get(f"{base}/hotel").get_data(as_text=True)


def test_the_coordinators_partners_version_has_no_health_column(decided, client):
    event_id, _ = decided
    header, _ = _csv(client.get(f"/organizing/events/{event_id}/lists/hotel.csv?columns=partners"))
    assert header == ["Prénom et nom", "Téléphone", "Nuits", "Date d'arrivée", "Date de départ"]
    page = client.get(f"/organizing/events/{event_id}/lists/hotel?columns=partners").get_data(as_text=True)
    assert "Chambre accessible" not in page and "Version complète" in page


def test_the_lists_in_arabic(decided, client):
    event_id, _ = decided
    client.get("/language/ar?next=/")
    page = client.get(f"/organizing/events/{event_id}/lists/hotel").get_data(as_text=True)
    assert 'lang="ar"' in page and "لائحة الفندق" in page and "Liste pour l'hôtel" not in page
