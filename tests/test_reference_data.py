"""Morocco's regions and provinces, loaded by the migrations, and the province list of the form.
The portal's copy is the reference dataset plus the corrections written in corrections.csv."""
import csv
import os
import re

import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy import func, select

from portal.directory.models import Institution
from portal.extensions import db
from portal.geo.models import Province, Region
from tests.support.database import app_on_new_database

DATA = os.path.join(os.path.dirname(__file__), "..", "portal", "geo", "data")


def _rows(name):
    with open(os.path.join(DATA, name), encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


CORRECTIONS = _rows("corrections.csv")


def test_migrations_load_12_regions_and_75_provinces_with_hcp_codes(app_ctx):
    assert db.session.scalar(select(func.count()).select_from(Region)) == 12
    assert db.session.scalar(select(func.count()).select_from(Province)) == 75
    oujda = db.session.get(Province, "02.411")
    assert oujda.name_fr == "Oujda-Angad" and oujda.region.name_fr == "Oriental" and oujda.name_ar
    kinds = dict(db.session.execute(select(Province.kind, func.count()).group_by(Province.kind)).all())
    assert kinds == {"prefecture": 13, "province": 62}


def test_the_project_keeps_its_copy_of_the_data_with_the_source_notice():
    with open(os.path.join(DATA, "SOURCE.md"), encoding="utf-8") as handle:
        notice = handle.read()
    assert "MIT" in notice and "HCP" in notice
    with open(os.path.join(DATA, "provinces.csv"), encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == 75


def test_form_lists_all_75_provinces_grouped_by_region_without_js(client, events):
    html = client.get("/events/oriental/register").get_data(as_text=True)
    select_html = re.search(r'<select id="province".*?</select>', html, re.DOTALL).group(0)
    assert select_html.count("<optgroup") == 12
    assert len(re.findall(r'<option value="\d\d\.\d{3}"', select_html)) == 75


def test_province_options_narrowed_to_a_region(client):
    html = client.get("/geo/provinces?region=02&province=02.411").get_data(as_text=True)
    codes = re.findall(r'<option value="(\d\d\.\d{3})"', html)
    assert len(codes) == 8 and all(code.startswith("02.") for code in codes)
    assert '<option value="02.411" selected>' in html
    everything = client.get("/geo/provinces?region=<script>").get_data(as_text=True)
    assert len(re.findall(r'<option value="\d\d\.\d{3}"', everything)) == 75


def test_the_copy_holds_each_documented_correction_with_its_reason():
    assert CORRECTIONS, "corrections.csv lists the differences from the reference dataset"
    for correction in CORRECTIONS:
        assert correction["reason"].strip() and correction["source_value"] != correction["corrected_value"]
        row = next(r for r in _rows(correction["file"]) if r["code"] == correction["code"])
        assert row[correction["column"]] == correction["corrected_value"]
    nador = next(r for r in _rows("provinces.csv") if r["code"] == "02.381")
    assert nador["name_ar"] == "الناظور"
    wrong = {c["source_value"] for c in CORRECTIONS}
    every_name = [row["name_ar"] for name in ("regions.csv", "provinces.csv") for row in _rows(name)]
    assert not [name for name in every_name if name in wrong]
    assert all(name.strip() == name and "  " not in name for name in every_name)


def test_the_database_shows_the_corrected_names_on_the_form_and_in_the_directory(app, client, events):
    with app.app_context():
        assert db.session.get(Province, "02.381").name_ar == "الناظور"
        nador = db.session.scalar(select(Institution).where(Institution.kind == "province",
                                                            Institution.reference_code == "02.381"))
        assert nador.name_ar == "إقليم الناظور"
    html = client.get("/events/oriental/register", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert "الناظور" in html and "الناضور" not in html


def test_migration_0025_corrects_an_older_database_and_keeps_a_name_an_administrator_changed(tmp_path):
    with app_on_new_database(tmp_path, "spellings") as app, app.app_context():
        upgrade(revision="0023")
        with db.engine.begin() as connection:  # as the source dataset had it before the correction
            connection.execute(sa.text("UPDATE province SET name_ar = 'الناضور' WHERE code = '02.381'"))
            connection.execute(sa.text("UPDATE institution SET name_ar = 'إقليم الناضور' "
                                       "WHERE kind = 'province' AND reference_code = '02.381'"))
            connection.execute(sa.text("UPDATE institution SET name_ar = 'عمالة وجدة-أنجاد (الديوان)' "
                                       "WHERE kind = 'prefecture' AND reference_code = '02.411'"))
        upgrade()
        read = lambda sql: db.session.execute(sa.text(sql)).scalar()
        assert read("SELECT name_ar FROM province WHERE code = '02.381'") == "الناظور"
        assert read("SELECT name_ar FROM institution WHERE kind = 'province' AND reference_code = '02.381'") \
                == "إقليم الناظور"
        assert read("SELECT name_ar FROM institution WHERE reference_code = '02.411'") == "عمالة وجدة-أنجاد (الديوان)"
        db.session.remove()
