"""CSV import of institutions. Every row is checked, with the screen's own form, before anything is
written: one error anywhere and nothing is imported, so a file is never half in.

Messages use gettext, not lazy_gettext: a lazy string passes for safe markup in Jinja (it has
__html__), and these quote what the file holds."""
import csv
import io
import re
from dataclasses import dataclass

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from .forms import GeoChoices, InstitutionForm
from .queries import duplicate_key, existing_keys

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 50  # far more than COLUMNS: a file with more is not ours, refused before it is read
COLUMNS = ("kind", "name_fr", "name_ar", "region_code", "province_code", "emails", "contact_name",
           "contact_title", "language")
REQUIRED_COLUMNS = ("kind", "name_fr", "emails")
EXAMPLE_ROW = ("province", "Province de Nador", "إقليم الناظور", "02", "02.381",
               "contact@example.org; secretariat@example.org", "Nom Prénom", "Chef de division", "fr")
# Spreadsheets drop the leading zero of codes they take for numbers (02 → 2, 02.411 → 2.411).
_SHORT_REGION = re.compile(r"^\d$")
_SHORT_PROVINCE = re.compile(r"^\d\.\d{3}$")


class ImportRefused(Exception):
    """A problem with the file as a whole (size, encoding, header, number of rows)."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.message, self.status = message, status


def too_large() -> ImportRefused:
    return ImportRefused(_("Le fichier dépasse %(size)d Mo : découpez-le en plusieurs fichiers.",
                           size=MAX_BYTES // (1024 * 1024)), status=413)


@dataclass
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    message: str


def template_csv() -> str:
    """The header and one example row; with a BOM so that spreadsheets read the Arabic as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow(EXAMPLE_ROW)
    return "\ufeff" + out.getvalue()


def read_upload(storage) -> bytes:
    data = storage.stream.read(MAX_BYTES + 1) if storage else b""
    if len(data) > MAX_BYTES:
        raise too_large()
    if not data.strip():
        raise ImportRefused(_("Choisissez un fichier CSV non vide."))
    return data


def _records(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(_("Le fichier n'est pas encodé en UTF-8. Dans votre tableur, enregistrez-le "
                               "au format « CSV UTF-8 »."))
    first_line = text.split("\n", 1)[0]
    # A French spreadsheet writes ";" between cells: the header line tells which one was used.
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records, filled = [], 0
    try:
        for record in reader:
            records.append(record)
            filled += any(cell.strip() for cell in record)
            if filled > MAX_ROWS + 1:  # the header is not an institution
                raise ImportRefused(_("Le fichier compte plus de %(max)d institutions : découpez-le en "
                                       "plusieurs fichiers.", max=MAX_ROWS))
    except csv.Error:
        raise ImportRefused(_("Le fichier CSV est mal formé vers la ligne %(row)d (un guillemet non fermé ?).",
                               row=reader.line_num))
    return records


def _header(record: list[str]) -> list[str]:
    if len(record) > MAX_COLUMNS:
        raise ImportRefused(_("La première ligne compte %(count)d colonnes : %(max)d au plus.",
                               count=len(record), max=MAX_COLUMNS))
    header = [name.strip().lower() for name in record]
    unknown = [name for name in header if name and name not in COLUMNS]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if unknown or missing or repeated:
        problems = []
        if missing:
            problems.append(_("colonnes manquantes : %(names)s", names=", ".join(missing)))
        if unknown:
            problems.append(_("colonnes inconnues : %(names)s", names=", ".join(n[:40] for n in unknown[:10])))
        if repeated:
            problems.append(_("colonnes en double : %(names)s", names=", ".join(repeated)))
        raise ImportRefused(_("La première ligne doit nommer les colonnes (%(problems)s).",
                               problems="; ".join(str(p) for p in problems)))
    return header


def _formdata(header: list[str], record: list[str]) -> MultiDict:
    values = {name: value.strip() for name, value in zip(header, record) if name}
    values["kind"] = values.get("kind", "").lower()
    values["language"] = values.get("language", "").lower() or "fr"
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
    header = _header(records[0])
    geo, known, rows, errors = GeoChoices.load(), existing_keys(), [], []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # a blank line, as spreadsheets leave at the end
        if len(record) > len(header) and any(cell.strip() for cell in record[len(header):]):
            errors.append(RowError(number, "—", _("Cette ligne a plus de cellules que l'en-tête de colonnes.")))
            continue
        form = InstitutionForm(formdata=_formdata(header, record), meta={"csrf": False}, geo=geo)
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
