"""Morocco's regions and provinces, loaded by the migrations, and the province list of the form."""
import csv
import os
import re

from sqlalchemy import func, select

from portal.extensions import db
from portal.geo.models import Province, Region

DATA = os.path.join(os.path.dirname(__file__), "..", "portal", "geo", "data")


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
