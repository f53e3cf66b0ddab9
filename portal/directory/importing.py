"""CSV import of institutions. Every row is checked, with the screen's own form, before anything is
written: one error anywhere and nothing is imported, so a file is never half in.

Messages use gettext, not lazy_gettext: a lazy string passes for safe markup in Jinja (it has
__html__), and these quote what the file holds."""
import re

from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.datastructures import MultiDict

from ..i18n import default_language
from ..spreadsheets import MAX_BYTES, RowError, csv_records, csv_template, header_of, rows_of, too_large
from ..spreadsheets import SheetRefused as ImportRefused
from ..spreadsheets import read_upload as _read_upload
from .forms import GeoChoices, InstitutionForm
from .queries import duplicate_key, existing_keys

__all__ = ("MAX_BYTES", "MAX_ROWS", "ImportRefused", "RowError", "check_file", "read_upload", "template_csv",
           "too_large")

MAX_ROWS = 5000
COLUMNS = ("kind", "name_fr", "name_ar", "region_code", "province_code", "emails", "contact_name",
           "contact_title", "language")
REQUIRED_COLUMNS = ("kind", "name_fr", "emails")
EXAMPLE_ROW = ("province", "Province de Nador", "إقليم الناظور", "02", "02.381",
               "contact@example.org; secretariat@example.org", "Nom Prénom", "Chef de division", "fr")
# Spreadsheets drop the leading zero of codes they take for numbers (02 → 2, 02.411 → 2.411).
_SHORT_REGION = re.compile(r"^\d$")
_SHORT_PROVINCE = re.compile(r"^\d\.\d{3}$")


def template_csv() -> str:
    """The header and one example row; with a BOM so that spreadsheets read the Arabic as UTF-8."""
    return csv_template(COLUMNS, EXAMPLE_ROW)


def read_upload(storage) -> bytes:
    return _read_upload(storage, _("Choisissez un fichier CSV non vide."))


def _records(data: bytes) -> list[list[str]]:
    return csv_records(data, MAX_ROWS, ngettext("Le fichier compte plus de %(num)d institution : découpez-le en "
                                                "plusieurs fichiers.",
                                                "Le fichier compte plus de %(num)d institutions : découpez-le en "
                                                "plusieurs fichiers.", MAX_ROWS))


def _formdata(values: dict) -> MultiDict:
    values["kind"] = values.get("kind", "").lower()
    values["language"] = values.get("language", "").lower() or default_language()
    for name in ("region_code", "province_code"):
        code = values.get(name, "")
        if _SHORT_REGION.match(code) or _SHORT_PROVINCE.match(code):
            values[name] = "0" + code
    return MultiDict(values)


def check_file(data: bytes) -> tuple[list[dict], list[RowError]]:
    """(the rows' values ready for import, the errors): import only when there is no error."""
    records = _records(data)
    if not records:
        raise ImportRefused(_("Choisissez un fichier CSV non vide."))
    header = header_of(records[0], COLUMNS, REQUIRED_COLUMNS)
    geo, known, rows, errors = GeoChoices.load(), existing_keys(), [], []
    for number, values in rows_of(records, header):
        if values is None:
            errors.append(RowError(number, "—", _("Cette ligne a plus de cellules que l'en-tête de colonnes.")))
            continue
        form = InstitutionForm(formdata=_formdata(values), meta={"csrf": False}, geo=geo)
        if not form.validate():
            errors.extend(RowError(number, field.name, field.errors[0]) for field in form if field.errors)
            continue
        values = form.values()
        key = duplicate_key(values["kind"], values["name_fr"], values["region_code"], values["province_code"])
        if key in known:
            errors.append(RowError(number, "name_fr", _("Cette institution est déjà dans l'annuaire ou plus haut "
                                                          "dans le fichier (même type, même nom, même lieu).")))
            continue
        known.add(key)
        rows.append(values)
    if not rows and not errors:
        raise ImportRefused(_("Le fichier ne contient aucune institution (seulement l'en-tête)."))
    return rows, errors
