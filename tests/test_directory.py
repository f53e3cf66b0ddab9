"""The institutions directory: the ministry's list, its filters, the add and edit screens, the CSV
import (all or nothing, with a report per row), and hostile input refused or shown escaped."""
import io
import re

import pytest
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.directory.importing import COLUMNS, MAX_BYTES, MAX_ROWS
from portal.directory.models import Institution, InstitutionEmail
from portal.extensions import db
from tests.support.data import count
from tests.support.web import csrf_token, submit_form

SCRIPT = "<script>alert(1)</script>"
HEADER = ",".join(COLUMNS)


@pytest.fixture(autouse=True)
def _empty_directory(app):
    """These tests count and filter what they enter themselves: they start from an empty directory
    (the 99 institutions migration 0010 installs are tested in test_prefilled_directory.py)."""
    with app.app_context():
        db.session.execute(Institution.__table__.delete())
        db.session.commit()


@pytest.fixture
def admin(auth):
    return auth.sign_in("admin")


def make_institution(app, emails=("contact@example.org",), **fields):
    values = {"kind": "commune", "name_fr": "Commune d'Oujda", "region_code": "02", "province_code": "02.411",
              **fields}
    with app.app_context():
        institution = Institution(**values)
        institution.emails = [InstitutionEmail(email=address) for address in emails]
        db.session.add(institution)
        db.session.commit()
        return institution.id


def institutions(app):
    with app.app_context():
        rows = list(db.session.scalars(select(Institution).options(selectinload(Institution.emails))
                                       .order_by(Institution.id)))
        db.session.expunge_all()
        return rows


def valid(**overrides):
    data = {"kind": "province", "name_fr": "Province de Nador", "name_ar": "إقليم الناظور", "region_code": "02",
            "province_code": "02.381", "emails": "contact@example.org", "contact_name": "Samira Bennani",
            "contact_title": "Cheffe de division", "language": "ar", "notes": ""}
    data.update(overrides)
    return data


def upload(client, content, filename="institutions.csv"):
    token = csrf_token(client.get("/directory/import").get_data(as_text=True))
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post("/directory/import", data={"csrf_token": token, "file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


# --- add and edit -------------------------------------------------------------------------------
def test_admin_adds_an_institution(app, admin):
    response = submit_form(admin, "/directory/new", valid(
        emails="Contact@Example.ORG\r\n\r\ncontact@example.org\r\n  secretariat@example.org  "))
    assert response.status_code == 303 and response.headers["Location"].endswith("/directory/")
    [institution] = institutions(app)
    assert institution.name_fr == "Province de Nador" and institution.language == "ar"
    # Normalised (domain in lower case) and without the duplicate.
    assert institution.addresses == ["Contact@example.org", "secretariat@example.org"]
    assert "Institution ajoutée" in admin.get("/directory/").get_data(as_text=True)


def test_the_region_follows_from_the_province(app, admin):
    assert submit_form(admin, "/directory/new", valid(region_code="")).status_code == 303
    assert institutions(app)[0].region_code == "02"


@pytest.mark.parametrize("overrides, field, message", [
    ({"name_fr": "  "}, "name_fr", "Ce champ est obligatoire"),
    ({"kind": ""}, "kind", "Choisissez le type d&#39;institution."),
    ({"kind": "embassy"}, "kind", "Type d&#39;institution inconnu ; valeurs possibles : wilaya, region_council"),
    ({"emails": ""}, "emails", "au moins une adresse"),
    ({"emails": "contact@example.org\nnot-an-address"}, "emails", "not-an-address"),
    ({"region_code": "01"}, "province_code", "n&#39;appartient pas à la région"),
    ({"province_code": "99.999"}, "province_code", "Province inconnue"),
    ({"region_code": "13"}, "region_code", "Région inconnue"),
    ({"language": "en"}, "language", "par son code : fr, ar."),
    ({"name_fr": "N" * 201}, "name_fr", "200 caractères au maximum"),
])
def test_refused_input_comes_back_with_its_errors_and_values(app, admin, overrides, field, message):
    response = submit_form(admin, "/directory/new", valid(**overrides))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="error-summary"' in html and message in html
    assert f'id="{field}-error"' in html or f'id="{field}"' in html
    assert "<title>Erreur : " in html
    assert "Samira Bennani" in html and "Cheffe de division" in html  # what was typed is kept
    assert count(app, Institution) == 0


@pytest.mark.parametrize("field", ["name_fr", "name_ar", "contact_name", "contact_title"])
@pytest.mark.parametrize("injection", ["Nador\r\nBcc: evil@example.org", "Nador\nBcc: evil@example.org",
                                       "Nador\rX", "Nador\x00"])
def test_line_breaks_in_single_line_values_are_refused(app, admin, field, injection):
    response = submit_form(admin, "/directory/new", valid(**{field: injection}))
    assert response.status_code == 422
    assert "caractères non autorisés" in response.get_data(as_text=True)
    assert count(app, Institution) == 0


@pytest.mark.parametrize("emails", ["contact@example.org\r\nBcc: evil@example.org",
                                    "contact@example.org%0d%0aBcc:evil@example.org",
                                    "contact@example.org\x0bevil@example.org", '"a\nb"@example.org'])
def test_no_header_can_be_smuggled_in_an_address(app, admin, emails):
    response = submit_form(admin, "/directory/new", valid(emails=emails))
    assert response.status_code == 422
    assert count(app, Institution) == 0


def test_the_same_institution_twice_is_refused(app, admin):
    assert submit_form(admin, "/directory/new", valid()).status_code == 303
    response = submit_form(admin, "/directory/new", valid(name_fr="  PROVINCE DE NADOR "))
    assert response.status_code == 422 and "déjà dans l&#39;annuaire" in response.get_data(as_text=True)
    # Same name in another place is another institution.
    assert submit_form(admin, "/directory/new", valid(region_code="", province_code="02.411")).status_code == 303


def test_admin_edits_an_institution_and_its_addresses(app, admin):
    institution_id = make_institution(app, emails=("old@example.org", "kept@example.org"))
    url = f"/directory/{institution_id}/edit"
    html = admin.get(url).get_data(as_text=True)
    assert "Commune d&#39;Oujda" in html and "old@example.org\nkept@example.org</textarea>" in html
    response = submit_form(admin, url, valid(kind="commune", name_fr="Commune d'Oujda",
                                           emails="kept@example.org\nnew@example.org", province_code="02.411"))
    assert response.status_code == 303
    [institution] = institutions(app)
    assert institution.addresses == ["kept@example.org", "new@example.org"]
    assert institution.contact_name == "Samira Bennani" and institution.name_ar == "إقليم الناظور"


def test_a_refused_edit_changes_nothing(app, admin):
    institution_id = make_institution(app)
    response = submit_form(admin, f"/directory/{institution_id}/edit", valid(emails="nobody", contact_name="New"))
    assert response.status_code == 422 and 'value="New"' in response.get_data(as_text=True)
    [institution] = institutions(app)
    assert institution.addresses == ["contact@example.org"] and institution.contact_name == ""


def test_an_unknown_institution_is_not_found(app, admin):
    assert admin.get("/directory/999999/edit").status_code == 404


# --- the list -----------------------------------------------------------------------------------
@pytest.fixture
def directory(app):
    return {
        "oujda": make_institution(app, contact_name="Karim Alaoui"),
        "nador": make_institution(app, kind="province", name_fr="Province de Nador", province_code="02.381",
                                  emails=("nador@example.org",)),
        "rabat": make_institution(app, kind="region_council", name_fr="Conseil de la région Rabat-Salé-Kénitra",
                                  region_code="04", province_code=None, emails=("cr.rsk@example.org",)),
        "cndh": make_institution(app, kind="consultative_body", name_fr="Conseil national des droits de l'Homme",
                                 region_code=None, province_code=None, name_ar="المجلس الوطني لحقوق الإنسان",
                                 emails=("cndh@example.org",)),
    }


def rows_of(html):
    return {int(value) for value in re.findall(r'id="institution-(\d+)"', html)}


@pytest.mark.parametrize("query, expected", [
    ("", {"oujda", "nador", "rabat", "cndh"}),
    ("?kind=province", {"nador"}),
    ("?region=02", {"oujda", "nador"}),
    ("?region=02&kind=commune", {"oujda"}),
    ("?q=conseil", {"rabat", "cndh"}),
    ("?q=alaoui", {"oujda"}),                # contact
    ("?q=CR.RSK@", {"rabat"}),               # e-mail, any case
    ("?q=الإنسان", {"cndh"}),                 # Arabic name
    ("?q=100%25", set()),                    # LIKE wildcards are taken literally
    ("?kind=embassy&region=99", {"oujda", "nador", "rabat", "cndh"}),  # unknown values ignored
])
def test_the_list_filters_by_query_string(admin, directory, query, expected):
    response = admin.get(f"/directory/{query}")
    assert response.status_code == 200
    assert rows_of(response.get_data(as_text=True)) == {directory[name] for name in expected}


def test_htmx_gets_the_results_only(admin, directory):
    response = admin.get("/directory/?kind=province", headers={"HX-Request": "true", "HX-Target": "results"})
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith("{#") is False and html.lstrip().startswith('<section id="results"')
    assert rows_of(html) == {directory["nador"]}
    assert "HX-Request" in response.headers["Vary"]


def test_the_list_is_paginated(app, admin):
    for number in range(55):
        make_institution(app, name_fr=f"Commune {number:02d}", emails=(f"c{number}@example.org",))
    first = admin.get("/directory/?region=02").get_data(as_text=True)
    second = admin.get("/directory/?region=02&page=2").get_data(as_text=True)
    assert len(rows_of(first)) == 50 and len(rows_of(second)) == 5
    assert "Page 1 sur 2" in first and 'href="?region=02&amp;page=2"' in first
    assert "Commune 54" in second and "Commune 00" not in second


def test_values_are_shown_escaped(app, admin):
    institution_id = make_institution(app, name_fr=SCRIPT, name_ar=SCRIPT, contact_name=SCRIPT,
                                      contact_title=SCRIPT, notes=SCRIPT)
    for url in ("/directory/", f"/directory/{institution_id}/edit"):
        html = admin.get(url).get_data(as_text=True)
        assert SCRIPT not in html and str(escape(SCRIPT)) in html


def test_list_and_pages_are_not_cached(admin):
    assert admin.get("/directory/").headers["Cache-Control"] == "no-store"


# --- who may -------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["coordinator", "observer"])
def test_only_admins_see_the_directory(app, auth, role):
    institution_id = make_institution(app)
    client = auth.sign_in(role, organization="ACODEC" if role == "coordinator" else None)
    assert "Institutions</a>" not in client.get("/review/").get_data(as_text=True)
    token = csrf_token(client.get("/account/password").get_data(as_text=True))
    for url in ("/directory/", "/directory/new", f"/directory/{institution_id}/edit", "/directory/import",
                "/directory/import/template.csv"):
        assert client.get(url).status_code == 403, url
    assert client.post("/directory/new", data=valid(csrf_token=token)).status_code == 403
    assert client.post(f"/directory/{institution_id}/edit", data=valid(csrf_token=token)).status_code == 403
    response = client.post("/directory/import", content_type="multipart/form-data", data={
        "csrf_token": token, "file": (io.BytesIO(f"{HEADER}\nprovince,X,,,,x@example.org,,,fr".encode()), "a.csv")})
    assert response.status_code == 403 and count(app, Institution) == 1


def test_anonymous_people_are_sent_to_sign_in(client):
    for url in ("/directory/", "/directory/new", "/directory/import", "/directory/import/template.csv"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = client.post("/directory/import", data={})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_admins_have_the_link(admin):
    assert 'href="/directory/">Institutions</a>' in admin.get("/review/").get_data(as_text=True)


# --- CSV import ----------------------------------------------------------------------------------
def csv_text(*rows, header=HEADER, newline="\r\n"):
    return newline.join((header,) + rows) + newline


GOOD_ROWS = (
    "wilaya,Wilaya de la région de l'Oriental,ولاية جهة الشرق,02,,wilaya@example.org,,,fr",
    'province,Province de Nador,إقليم الناظور,02,02.381,"a@example.org; b@example.org  c@example.org",Samira,Cheffe,ar',
    "commune,Commune d'Oujda,,,02.411,oujda@example.org;OUJDA@example.org,,,",
)


def test_a_good_file_is_imported_whole(app, admin):
    response = upload(admin, csv_text(*GOOD_ROWS))
    assert response.status_code == 303
    assert "3 institutions importées" in admin.get("/directory/").get_data(as_text=True)
    wilaya, nador, oujda = institutions(app)
    assert wilaya.kind == "wilaya" and wilaya.name_ar == "ولاية جهة الشرق" and wilaya.province_code is None
    assert nador.addresses == ["a@example.org", "b@example.org", "c@example.org"] and nador.language == "ar"
    assert oujda.region_code == "02" and oujda.addresses == ["oujda@example.org"] and oujda.language == "fr"


def test_a_spreadsheet_export_is_understood(app, admin):
    """A French spreadsheet: BOM, ";" between cells, columns in its own order, codes without their 0."""
    content = "\ufeff" + csv_text("Province de Nador;province;2;2.381;nador@example.org",
                                  header="name_fr;kind;region_code;province_code;emails", newline="\n")
    assert upload(admin, content).status_code == 303
    [nador] = institutions(app)
    assert (nador.region_code, nador.province_code) == ("02", "02.381")


def test_one_bad_row_and_nothing_is_imported(app, admin):
    make_institution(app, kind="commune", name_fr="Commune d'Oujda", region_code="02", province_code="02.411")
    content = csv_text(
        GOOD_ROWS[0],
        "embassy,Ambassade,,02,,x@example.org,,,fr",                      # row 3: kind
        "province,Province de Nador,,01,02.381,nador@example.org,,,fr",   # row 4: province outside region
        "",                                                               # row 5: blank, skipped
        "commune,,,02,,not-an-address,,,en",                              # row 6: name, emails, language
        GOOD_ROWS[2],                                                     # row 7: already in the directory
        GOOD_ROWS[0],                                                     # row 8: twice in the file
        'commune,"Commune\r\nBcc: evil@example.org",,,,c@example.org,,,fr',  # row 9: a line break in a name
    )
    response = upload(admin, content)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Le fichier contient 8 erreurs : rien n&#39;a été importé" in html
    report = html.split('id="report"')[1]
    for row, column in [(3, "kind"), (4, "province_code"), (6, "name_fr"), (6, "emails"), (6, "language"),
                        (7, "name_fr"), (8, "name_fr"), (9, "name_fr")]:
        assert f"<tr><td>{row}</td><td dir=\"ltr\"><code>{column}</code></td>" in report, (row, column)
    assert "not-an-address" in report and "caractères non autorisés" in report
    assert count(app, Institution) == 1  # the one made before, nothing else


def test_the_report_shows_values_escaped(admin):
    response = upload(admin, csv_text(f'commune,Commune,,,,"{SCRIPT}",,,fr'))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and SCRIPT not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("content, message", [
    (csv_text(GOOD_ROWS[0], header="kind,name_fr"), "colonnes manquantes : emails"),
    (csv_text(GOOD_ROWS[0], header=HEADER + ",email"), "colonnes inconnues : email"),
    (csv_text(GOOD_ROWS[0], header=HEADER + ",kind"), "colonnes en double : kind"),
    (csv_text(), "seulement l&#39;en-tête"),
    ("", "Choisissez un fichier CSV non vide"),
    (csv_text(GOOD_ROWS[0]).encode("cp1256", errors="replace") + "é".encode("latin-1"), "pas encodé en UTF-8"),
    (csv_text(GOOD_ROWS[0] + ',extra'), "plus de cellules que l&#39;en-tête"),
    (csv_text('commune,"Commune,,,,c@example.org,,,fr'), "mal formé"),
])
def test_a_bad_file_is_refused_with_a_clear_message(app, admin, content, message):
    response = upload(admin, content)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(app, Institution) == 0


def test_too_many_rows_are_refused(app, admin):
    rows = [f"commune,Commune {n},,02,,c{n}@example.org,,,fr" for n in range(MAX_ROWS + 1)]
    response = upload(admin, csv_text(*rows))
    assert response.status_code == 422 and f"plus de {MAX_ROWS} institutions" in response.get_data(as_text=True)
    assert count(app, Institution) == 0


@pytest.mark.parametrize("extra", [1, MAX_BYTES], ids=["just-over", "refused-unread"])
def test_a_file_over_the_size_limit_is_refused_on_the_page(app, admin, extra):
    content = csv_text(GOOD_ROWS[0]) + "\n" * (MAX_BYTES + extra - len(csv_text(GOOD_ROWS[0]).encode()))
    response = upload(admin, content)
    html = response.get_data(as_text=True)
    assert response.status_code == 413 and "Le fichier dépasse 2 Mo" in html and 'id="error-summary"' in html
    assert count(app, Institution) == 0


@pytest.mark.parametrize("site_limit", [1024 * 1024, 64 * 1024 * 1024])
def test_the_import_has_its_own_size_limit_whatever_the_sites(app, admin, monkeypatch, site_limit):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", site_limit)
    content = csv_text(GOOD_ROWS[0]) + "\n" * (MAX_BYTES - 2000 - len(csv_text(GOOD_ROWS[0]).encode()))
    assert upload(admin, content).status_code == 303
    assert count(app, Institution) == 1
    assert upload(admin, content + "\n" * 3000).status_code == 413


def test_the_import_checks_the_csrf_token(app, admin):
    response = admin.post("/directory/import", content_type="multipart/form-data",
                          data={"file": (io.BytesIO(csv_text(GOOD_ROWS[0]).encode()), "a.csv")})
    assert response.status_code == 400 and count(app, Institution) == 0


def test_the_template_is_documented_and_imports_as_is(app, admin):
    page = admin.get("/directory/import").get_data(as_text=True)
    for column in COLUMNS:
        assert f"<code>{column}</code>" in page
    response = admin.get("/directory/import/template.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    text = response.get_data().decode("utf-8-sig")
    assert text.splitlines()[0] == HEADER and len(text.splitlines()) == 2
    assert upload(admin, response.get_data()).status_code == 303
    assert institutions(app)[0].name_ar == "إقليم الناظور"
