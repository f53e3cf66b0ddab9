"""Counts are said as each language says them: every number shown next to a noun goes through
ngettext, and the Arabic catalogue gives its six forms (zero, one, two, few 3–10, many 11–99,
other 100+) as Arabic writes them, never one text copied six times. French uses the singular for
0 and 1."""
import io
import re
import subprocess
import sys
from gettext import c2py

import pytest
from babel.messages.pofile import read_po

from portal.directory.importing import COLUMNS
from portal.directory.models import Institution, InstitutionEmail
from portal.extensions import db
from tests.support.web import csrf_token, squeeze, submit_form
from tests.test_translations import PO, ROOT

FR_PO = PO.replace("/ar/", "/fr/")
ZERO, ONE, TWO, FEW, MANY, OTHER = range(6)
# A number in a sentence: 'n' must be told apart from the bidi isolation another layer may add around it.
ISOLATION = re.compile(r"</?bdi>|[\u2066-\u2069]")


def _catalog(path):
    with open(path, "rb") as handle:
        return read_po(handle)


def _plural_entries():
    return [message for message in _catalog(PO) if message.id and isinstance(message.id, tuple)]


def test_the_arabic_catalogue_has_the_six_forms_in_the_order_the_fills_assume():
    """The header's formula picks, for a count, the form written at this index below."""
    catalog = _catalog(PO)
    assert catalog.num_plurals == 6
    form_of = c2py(catalog.plural_expr)
    for n, form in [(0, ZERO), (1, ONE), (2, TWO), (3, FEW), (10, FEW), (11, MANY), (99, MANY), (100, OTHER),
                    (102, OTHER), (103, FEW), (111, MANY)]:
        assert form_of(n) == form, n


def test_no_arabic_plural_entry_says_every_count_the_same_way():
    entries = _plural_entries()
    assert len(entries) >= 60  # every count of the portal, not a handful
    for message in entries:
        forms = list(message.string)
        assert len(set(forms)) > 1, f"one text copied in every form: {message.id[0]!r}"
        # one and two are words in Arabic (واحد، the dual), not the figure beside the plural
        assert forms[ONE] != forms[OTHER] and forms[TWO] != forms[OTHER] and forms[ONE] != forms[TWO], message.id[0]
        for form in (ONE, TWO):
            assert "%(num)d" not in forms[form], f"'{forms[form]}' says the figure instead of the word"


def test_french_singular_and_plural_differ():
    for message in _plural_entries():
        singular, plural = message.id
        assert singular != plural, singular


@pytest.fixture(scope="module")
def code_texts(tmp_path_factory):
    """The texts of the code and templates, as `make extract-messages` finds them."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg", "-k", "_l",
                    "-k", "lazy_ngettext:1,2", "--no-location", "-o", str(pot), "."], cwd=ROOT, check=True,
                   capture_output=True)
    return [message for message in _catalog(pot) if message.id]


def test_no_count_is_left_outside_ngettext(code_texts):
    """A figure followed by a noun in a text translated once (`_("%(n)d inscriptions")`) reads "1
    inscriptions" in French and has one Arabic form: such texts go through ngettext. Figures that
    stand after a label ("Destinataires : %(n)d"), in a table cell under its header, or as "%(n)d sur
    %(pages)d" need no plural. Nor is a plural faked with "(s)"."""
    counted = re.compile(r"%\(\w+\)d (?!sur\b)[a-zàâçéèêëîïôûùüÿœ]")
    for message in code_texts:
        if isinstance(message.id, str):
            assert not counted.search(message.id), f"use ngettext: {message.id!r}"
        for text in (message.id,) if isinstance(message.id, str) else message.id:
            assert not re.search(r"\w\(s\)", text), f"use ngettext rather than (s): {text!r}"


def test_french_has_its_plural_rule_for_every_count(code_texts):
    """Without an entry in the French catalogue, gettext falls back to "n == 1": "0 inscriptions"."""
    french = _catalog(FR_PO)
    assert french.plural_expr.startswith("(n == 0 || n == 1) ? 0") or french.plural_expr == "(n > 1)"
    missing = [m.id[0] for m in code_texts if isinstance(m.id, tuple) and m.id[0] not in french]
    assert not missing, f"run `make extract-messages`: {missing[:5]}"


# --- on the pages ---------------------------------------------------------------------------------
@pytest.fixture
def admin(auth):
    return auth.sign_in("admin")


def _text(response) -> str:
    html = ISOLATION.sub("", response.get_data(as_text=True))
    return squeeze(html.replace("&#39;", "'"))


def _institutions(app, n: int) -> None:
    with app.app_context():
        for i in range(n):
            institution = Institution(kind="commune", name_fr=f"Commune Pluriel {i}", region_code="02",
                                      province_code="02.411")
            institution.emails = [InstitutionEmail(email=f"pluriel{i}@example.org")]
            db.session.add(institution)
        db.session.commit()


def _heading(admin) -> str:
    text = _text(admin.get("/directory/?q=Pluriel"))
    heading = re.search(r'<h2 id="results-title">(.*?)</h2>', text).group(1)
    return heading.split("<span")[0].strip()  # without "(filtered)"


@pytest.mark.parametrize("n, expected", [(0, "0 institution"), (1, "1 institution"), (2, "2 institutions")])
def test_the_directory_counts_in_french(app, admin, n, expected):
    _institutions(app, n)
    assert _heading(admin) == expected


@pytest.mark.parametrize("n, expected", [(0, "لا توجد أي مؤسسة"), (1, "مؤسسة واحدة"), (2, "مؤسستان"),
                                         (3, "3 مؤسسات"), (11, "11 مؤسسةً")])
def test_the_directory_counts_in_arabic(app, admin, n, expected):
    _institutions(app, n)
    admin.set_cookie("portal_lang", "ar")
    assert _heading(admin) == expected


def _import_with_errors(admin, n: int):
    """A directory file whose n rows each have one error (an unknown kind of institution)."""
    rows = [",".join(COLUMNS)] + [f"embassy,Ambassade {i},,02,,a{i}@example.org,,,fr" for i in range(n)]
    token = csrf_token(admin.get("/directory/import").get_data(as_text=True))
    response = admin.post("/directory/import", content_type="multipart/form-data", data={
        "csrf_token": token, "file": (io.BytesIO("\r\n".join(rows).encode()), "institutions.csv")})
    assert response.status_code == 422
    return _text(response)


@pytest.mark.parametrize("n, expected", [
    (1, "Le fichier contient 1 erreur : rien n'a été importé. Corrigez-la puis"),
    (2, "Le fichier contient 2 erreurs : rien n'a été importé. Corrigez-les puis"),
])
def test_the_import_report_counts_errors_in_french(admin, n, expected):
    assert expected in _import_with_errors(admin, n)


@pytest.mark.parametrize("n, expected", [
    (1, "يحتوي الملف على خطأ واحد: لم يُستورد أي شيء. صححوه"),
    (2, "يحتوي الملف على خطأين: لم يُستورد أي شيء. صححوهما"),
    (3, "يحتوي الملف على 3 أخطاء: لم يُستورد أي شيء. صححوها"),
    (11, "يحتوي الملف على 11 خطأً: لم يُستورد أي شيء. صححوها"),
])
def test_the_import_report_counts_errors_in_arabic(admin, n, expected):
    admin.set_cookie("portal_lang", "ar")
    assert expected in _import_with_errors(admin, n)


def test_a_length_limit_is_counted_in_arabic(admin):
    """200 is said with the singular genitive (the "other" form), not the 11–99 accusative."""
    admin.set_cookie("portal_lang", "ar")
    response = submit_form(admin, "/directory/new", {"kind": "commune", "name_fr": "N" * 201,
                                                     "emails": "contact@example.org", "language": "fr"})
    assert response.status_code == 422
    assert "200 حرف على الأكثر." in _text(response)
