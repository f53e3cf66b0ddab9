"""Reading an uploaded list (CSV or XLSX) into rows of text, for the imports that check every row
before writing anything (the directory's institutions, an event's registrations).

A problem with the file as a whole raises SheetRefused (its message is for the page); the rows'
own checks belong to each import. Messages use gettext, not lazy_gettext: a lazy string passes
for safe markup in Jinja (it has __html__), and these quote what the file holds."""
import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass

from flask import request
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.exceptions import RequestEntityTooLarge

from .bidi import join_list
from .extensions import csrf

MAX_BYTES = 2 * 1024 * 1024
MAX_COLUMNS = 50  # far more than any import's columns: a file with more is not ours, refused before it is read
XLSX_SIGNATURE = b"PK\x03\x04"


class SheetRefused(Exception):
    """A problem with the file as a whole (size, encoding, header, number of rows)."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.message, self.status = message, status


def too_large() -> SheetRefused:
    return SheetRefused(_("Le fichier dépasse %(size)d Mo : découpez-le en plusieurs fichiers.",
                          size=MAX_BYTES // (1024 * 1024)), status=413)


def nothing_imported(errors: int) -> str:
    """What the page says when rows were refused: the import is all or nothing."""
    return ngettext("Le fichier contient %(num)d erreur : rien n'a été importé. Corrigez-la puis envoyez-le à nouveau.",
                    "Le fichier contient %(num)d erreurs : rien n'a été importé. Corrigez-les puis envoyez-le à "
                    "nouveau.", errors)


@dataclass
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    message: str


@dataclass
class ImportAttempt:
    """What an import view shows after a POST: a count (all imported) or the reasons (none)."""
    count: int | None = None
    problem: str | None = None  # for the file field and the error summary
    status: int = 200
    errors: list[RowError] | None = None


def import_upload(check_then_import) -> ImportAttempt:
    """The one flow of an import's POST. check_then_import(uploaded file) reads it, checks every
    row and, only when none failed, writes them all in one transaction: it returns (row errors,
    number imported). Such views are exempt from the site-wide CSRF hook, because that hook reads
    the upload under the site-wide size limit before the view can raise it: the token is checked
    here, once the limit allows the file."""
    request.max_content_length = MAX_BYTES + 256 * 1024  # the file, its multipart envelope, the token
    try:
        csrf.protect()
        errors, count = check_then_import(request.files.get("file"))
    except RequestEntityTooLarge:
        return ImportAttempt(problem=too_large().message, status=413)
    except SheetRefused as refused:
        return ImportAttempt(problem=refused.message, status=refused.status)
    if errors:
        return ImportAttempt(problem=nothing_imported(len(errors)), status=422, errors=errors)
    return ImportAttempt(count=count)


def read_upload(storage, empty_message: str) -> bytes:
    data = storage.stream.read(MAX_BYTES + 1) if storage else b""
    if len(data) > MAX_BYTES:
        raise too_large()
    if not data.strip():
        raise SheetRefused(empty_message)
    return data


def csv_template(columns, example) -> str:
    """The header and one example row; with a BOM so that spreadsheets read the Arabic as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerow(example)
    return "\ufeff" + out.getvalue()


def csv_records(data: bytes, max_rows: int, too_many: str) -> list[list[str]]:
    """The CSV's records (the header first). `too_many`: the message when it holds more than
    `max_rows` filled rows besides the header."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SheetRefused(_("Le fichier n'est pas encodé en UTF-8. Dans votre tableur, enregistrez-le "
                             "au format « CSV UTF-8 »."))
    first_line = text.split("\n", 1)[0]
    # A French spreadsheet writes ";" between cells: the header line tells which one was used.
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records, filled = [], 0
    try:
        for record in reader:
            records.append(record)
            filled += any(cell.strip() for cell in record)
            if filled > max_rows + 1:  # the header is not a row
                raise SheetRefused(too_many)
    except csv.Error:
        raise SheetRefused(_("Le fichier CSV est mal formé vers la ligne %(row)d (un guillemet non fermé ?).",
                             row=reader.line_num))
    return records


def _cell_text(value) -> str:
    """A cell as the person typed it: whole numbers without ".0", dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def xlsx_records(data: bytes, max_rows: int, too_many: str) -> list[list[str]]:
    """The first sheet's rows as text (the header first)."""
    from openpyxl import load_workbook  # only when an XLSX is sent
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise SheetRefused(_("Le fichier XLSX est illisible : enregistrez-le à nouveau depuis votre tableur, "
                             "ou au format « CSV UTF-8 »."))
    try:
        sheet = workbook.worksheets[0]
        records, filled = [], 0
        for values in sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True):
            record = [_cell_text(value).strip() for value in values]
            while record and not record[-1]:
                record.pop()
            records.append(record)
            filled += bool(record)
            if filled > max_rows + 1:
                raise SheetRefused(too_many)
    finally:
        workbook.close()
    return records


def records_of(data: bytes, max_rows: int, too_many: str) -> list[list[str]]:
    """CSV or XLSX, told by the content (an XLSX is a zip), not by the file's name."""
    if data.startswith(XLSX_SIGNATURE):
        return xlsx_records(data, max_rows, too_many)
    return csv_records(data, max_rows, too_many)


def header_of(record: list[str], columns, required) -> list[str]:
    """The header's column names, lower-case; refused when one is unknown, missing or repeated."""
    if len(record) > MAX_COLUMNS:
        raise SheetRefused(ngettext("La première ligne compte %(num)d colonne : %(max)d au plus.",
                                    "La première ligne compte %(num)d colonnes : %(max)d au plus.",
                                    len(record), max=MAX_COLUMNS))
    header = [name.strip().lower() for name in record]
    unknown = [name for name in header if name and name not in columns]
    missing = [name for name in required if name not in header]
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if unknown or missing or repeated:
        problems = []
        if missing:
            problems.append(_("colonnes manquantes : %(names)s", names=join_list(missing)))
        if unknown:
            problems.append(_("colonnes inconnues : %(names)s", names=join_list(n[:40] for n in unknown[:10])))
        if repeated:
            problems.append(_("colonnes en double : %(names)s", names=join_list(repeated)))
        raise SheetRefused(_("La première ligne doit nommer les colonnes (%(problems)s).",
                             problems="; ".join(str(p) for p in problems)))
    return header


def rows_of(records: list[list[str]], header: list[str]):
    """(row number, {column: text}) of each filled row after the header, or (number, None) for a row
    with more cells than the header has columns."""
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # a blank line, as spreadsheets leave at the end
        if len(record) > len(header) and any(cell.strip() for cell in record[len(header):]):
            yield number, None
            continue
        yield number, {name: value.strip() for name, value in zip(header, record) if name}
