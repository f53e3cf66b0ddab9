"""Exports of the filtered list: columns, formula safety, streaming, logging, partners' set."""
import csv
import io

import pytest
from flask_babel import gettext as _
from openpyxl import load_workbook
from sqlalchemy import select

from portal.extensions import db
from portal.geo.models import Province, Region
from portal.registration.models import Registration
from portal.registration.vocabularies import AGE_BAND, DIET, GENDER, ORGANIZATION_TYPE
from portal.review.models import ExportLog
from tests.support.data import make_registrations

SLUG = "oriental"
FORMULAS = {"first_name": "=cmd|' /C calc'!A0", "last_name": "+SUM(A1:A9)", "organization": "@HYPERLINK(\"x\")",
            "city": "-2+3"}


@pytest.fixture
def coordinator(auth, events):
    return auth.sign_in("coordinator", SLUG)


def read_csv(response):
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_has_the_logisticians_columns_and_follows_the_filters(app, coordinator, events):
    event_id = events[SLUG]
    make_registrations(app, event_id, 3, gender="female", travel_support=True, access_needs=["wheelchair"])
    make_registrations(app, event_id, 2, gender="male")
    response = coordinator.get(f"/review/events/{event_id}/export.csv?gender=female")
    assert response.mimetype == "text/csv" and response.is_streamed
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response)
    header = rows[0]
    for column in ("Nom", "Prénom", "Organisation", "Province ou préfecture de résidence", "Région", "Atelier", "Statut",
                   "Besoins d'accessibilité", "Déplacement demandé", "Hébergement demandé"):
        assert column in header, column
    assert len(rows) == 1 + 3
    record = dict(zip(header, rows[1]))
    assert record["Région"] == "Oriental" and record["Déplacement demandé"] == "oui"
    # Coded values are written as their labels, as the list shows them.
    assert record["Besoins d'accessibilité"] == "Accès en fauteuil roulant"
    assert record["Genre"] == "Femme" and record["Statut"] == "En cours d'examen"


def test_partners_list_leaves_out_health_data(app, coordinator, events):
    make_registrations(app, events[SLUG], 1, access_needs=["sign_language"], access_needs_details="LSM")
    rows = read_csv(coordinator.get(f"/review/events/{events[SLUG]}/export.csv?columns=partners"))
    assert not any("Besoins" in title or "besoins" in title for title in rows[0])
    assert "sign_language" not in str(rows) and "langue des signes" not in str(rows) and "LSM" not in str(rows)


def test_formula_payloads_export_inert_in_csv_and_xlsx(app, coordinator, events):
    make_registrations(app, events[SLUG], 1, **FORMULAS)
    rows = read_csv(coordinator.get(f"/review/events/{events[SLUG]}/export.csv"))
    record = dict(zip(rows[0], rows[1]))
    for field, title in (("first_name", "Prénom"), ("last_name", "Nom"), ("organization", "Organisation"), ("city", "Ville")):
        assert record[title] == "'" + FORMULAS[field], title
    response = coordinator.get(f"/review/events/{events[SLUG]}/export.xlsx")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    header = [cell.value for cell in sheet[1]]
    cells = dict(zip(header, sheet[2]))
    for field, title in (("first_name", "Prénom"), ("last_name", "Nom"), ("organization", "Organisation"), ("city", "Ville")):
        assert cells[title].data_type == "s", title  # text, never a formula
        assert cells[title].value == FORMULAS[field]


def test_every_export_is_logged(app, coordinator, events):
    coordinator.get(f"/review/events/{events[SLUG]}/export.csv?gender=female&columns=partners").get_data()
    coordinator.get(f"/review/events/{events[SLUG]}/export.xlsx").get_data()
    with app.app_context():
        logs = db.session.scalars(select(ExportLog).order_by(ExportLog.id)).all()
        assert [(log.file_format, log.column_set) for log in logs] == [("csv", "partners"), ("xlsx", "full")]
        assert "gender=female" in logs[0].query and logs[0].user_id is not None


def test_coded_values_are_exported_in_the_language_of_the_export(app, coordinator, events):
    make_registrations(app, events[SLUG], 1, gender="female", age_band="25_34", diets=["vegetarian"])
    coordinator.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ar"
    rows = read_csv(coordinator.get(f"/review/events/{events[SLUG]}/export.csv"))
    with app.test_request_context(headers={"Accept-Language": "ar"}):
        expected = {_("Genre"): str(GENDER.label("female")), _("Tranche d'âge"): str(AGE_BAND.label("25_34")),
                    _("Régime alimentaire"): str(DIET.label("vegetarian")),
                    _("Type d'organisation"): str(ORGANIZATION_TYPE.label("association"))}
        registration = db.session.scalar(select(Registration).where(Registration.event_id == events[SLUG]))
        province = db.session.get(Province, registration.province_code)
        expected[_("Province ou préfecture de résidence")] = province.name_ar
        expected[_("Région")] = db.session.get(Region, province.region_code).name_ar
    record = dict(zip(rows[0], rows[1]))
    for title, label in expected.items():
        assert title in record, title
        assert record[title] == label and label.isascii() is False, (title, record[title])
