"""Exports of the filtered list: CSV (streamed) and XLSX, formula-safe, every one logged.

Two column sets: "full" for the organisers, and "partners", which leaves out health data
(access needs, the health diets and the diet's details) for lists shared outside. Observers get the
partners' set only; its diet column says "vegetarian" and nothing else.
"""
import csv
import io
import re
from collections.abc import Iterator

from flask_babel import gettext as _
from sqlalchemy import select

from ..events.models import Workshop
from ..extensions import db
from ..geo.models import Province, Region
from ..i18n import current_language, localized
from ..registration.models import Registration, RegistrationAccessNeed, RegistrationDiet
from ..registration.vocabularies import (
    ACCESS_NEED,
    AGE_BAND,
    CHANNEL,
    DIET,
    GENDER,
    HEALTH_DIETS,
    ORGANIZATION_TYPE,
    STATUS,
)
from .models import ExportLog
from .queries import filtered_query, ordered

# What a spreadsheet may read as the start of a formula (full-width forms too: some convert them).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%", "\uff1d", "\uff0b", "\uff0d", "\uff20")


_FORMULA_AFTER_SEPARATOR = re.compile(r"([,;\t|]\s*)(?=[=+\-@\uff1d\uff0b\uff0d\uff20])")


def inert(value) -> str:
    """A cell a spreadsheet will not run: text starting like a formula (after any spaces) gets a
    leading quote; so does every part of it that follows a separator (",", ";", tab, "|"), since a
    spreadsheet that guesses another delimiter than ours (French ones take ";") splits there."""
    text = "" if value is None else str(value)
    text = _FORMULA_AFTER_SEPARATOR.sub(r"\1'", text)
    return "'" + text if text.lstrip(" ").startswith(FORMULA_STARTS) else text


def columns(column_set: str) -> list[tuple[str, callable]]:
    """(title, getter of a record) for each column; records come from export_records(). A coded
    value is written as its label, and a place or workshop by its name, in the language of the
    export's titles (the labels are translated once per export, not once per cell)."""
    yes, no, language = _("oui"), _("non"), current_language()
    flag = lambda key: lambda r: yes if r[key] else no

    def words(vocabulary) -> dict[str, str]:
        return {value: str(word) for value, word in vocabulary.items()}

    def label(vocabulary, key):
        named = words(vocabulary)
        return lambda r: named.get(r[key], r[key])

    def labels(vocabulary, key, leave_out=()):
        named = words(vocabulary)
        return lambda r: ", ".join(named.get(value, value) for value in r[key] if value not in leave_out)
    base = [
        (_("Référence"), lambda r: r["reference"]),
        (_("Nom"), lambda r: r["last_name"]),
        (_("Prénom"), lambda r: r["first_name"]),
        (_("E-mail"), lambda r: r["email"]),
        (_("Téléphone"), lambda r: r["phone"]),
        (_("Organisation"), lambda r: r["organization"]),
        (_("Type d'organisation"), label(ORGANIZATION_TYPE, "organization_type")),
        (_("Province ou préfecture de résidence"), lambda r: localized(r, "province_name", language)),
        (_("Code HCP de la province de résidence"), lambda r: r["province_code"]),
        (_("Région"), lambda r: localized(r, "region_name", language)),
        (_("Ville"), lambda r: r["city"]),
        (_("Atelier"), lambda r: localized(r, "workshop_title", language)),
        (_("Statut"), label(STATUS, "status")),
        (_("Genre"), label(GENDER, "gender")),
        (_("Tranche d'âge"), label(AGE_BAND, "age_band")),
        (_("Déplacement demandé"), flag("travel_support")),
        (_("Hébergement demandé"), flag("accommodation_support")),
        (_("Hors région"), flag("out_of_region")),
        (_("Inscrit(e) le"), lambda r: r["created_at"].strftime("%Y-%m-%d %H:%M") if r["created_at"] else ""),
        (_("Canal d'inscription"), label(CHANNEL, "channel")),
        (_("Enregistrée par"), lambda r: r["registered_by_name"]),
    ]
    if column_set == "full":
        base[15:15] = [
            (_("Besoins d'accessibilité"), labels(ACCESS_NEED, "access_needs")),
            (_("Précisions sur les besoins"), lambda r: r["access_needs_details"]),
            (_("Régime alimentaire"), labels(DIET, "diets")),
            (_("Précisions sur le régime"), lambda r: r["diet_details"]),
        ]
    else:
        base[15:15] = [(_("Régime alimentaire"), labels(DIET, "diets", leave_out=HEALTH_DIETS))]
    return base


def column_set(wanted: str | None, can_see_health: bool) -> str:
    """"full" or "partners"; without the right to see health data, always "partners"."""
    wanted = wanted if wanted in ("full", "partners") else "full"
    return wanted if can_see_health else "partners"


EXPORT_COLUMNS = ("id", "reference", "last_name", "first_name", "email", "phone", "organization", "organization_type",
                  "province_code", "city", "status", "gender", "age_band", "access_needs_details", "diet_details",
                  "travel_support", "accommodation_support", "out_of_region", "created_at", "channel",
                  "registered_by_name")


def export_records(event, filters, batch: int = 1000):
    """Plain records (dicts), read in batches: no ORM objects, so memory stays flat and the
    export of 100,000 rows takes seconds, not minutes."""
    query = ordered(filtered_query(event.id, filters), filters).join(
        Region, Region.code == Province.region_code).join(Workshop, Workshop.id == Registration.workshop_id)
    query = query.with_only_columns(*[getattr(Registration, name) for name in EXPORT_COLUMNS],
                                    Province.name_fr.label("province_name_fr"), Province.name_ar.label("province_name_ar"),
                                    Region.name_fr.label("region_name_fr"), Region.name_ar.label("region_name_ar"),
                                    Workshop.title_fr.label("workshop_title_fr"),
                                    Workshop.title_ar.label("workshop_title_ar"))
    result = db.session.execute(query.execution_options(yield_per=batch))
    for rows in result.partitions():
        records = [dict(row._mapping) for row in rows]
        needs: dict[int, list[str]] = {}
        for registration_id, need in db.session.execute(
                select(RegistrationAccessNeed.registration_id, RegistrationAccessNeed.need)
                .where(RegistrationAccessNeed.registration_id.in_([r["id"] for r in records]))):
            needs.setdefault(registration_id, []).append(need)
        diets: dict[int, set[str]] = {}
        for registration_id, diet in db.session.execute(
                select(RegistrationDiet.registration_id, RegistrationDiet.diet)
                .where(RegistrationDiet.registration_id.in_([r["id"] for r in records]))):
            diets.setdefault(registration_id, set()).add(diet)
        for record in records:
            declared = set(needs.get(record["id"], ()))
            record["access_needs"] = [need for need in ACCESS_NEED if need in declared]
            record["diets"] = [diet for diet in DIET if diet in diets.get(record["id"], ())]
            yield record


def csv_chunks(event, filters, spec, on_done=None) -> Iterator[str]:
    """The CSV file, a few hundred rows at a time (BOM first, so spreadsheets read UTF-8);
    on_done(row_count) is called once the last row is written."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    yield "\ufeff"
    writer.writerow([inert(title) for title, _ in spec])
    count = 0
    for count, record in enumerate(export_records(event, filters), start=1):
        writer.writerow([inert(get(record)) for _, get in spec])
        if count % 200 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
    if on_done is not None:
        on_done(count)


def xlsx_bytes(event, filters, spec) -> tuple[bytes, int]:
    """The XLSX file and its row count. Every cell is text, which a spreadsheet never evaluates."""
    counted = [0]

    def rows():
        for counted[0], record in enumerate(export_records(event, filters), start=1):
            yield [get(record) for _, get in spec]
    body = xlsx_document(_("Participants"), [title for title, _ in spec], rows())
    return body, counted[0]


def xlsx_document(sheet_title: str, header, rows) -> bytes:
    """An XLSX file of one sheet whose cells are all text (a spreadsheet never evaluates text):
    the one XLSX writer of the portal's exports (the participant list, the suppliers' lists)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])

    def text_cells(values):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value="" if value is None else str(value))
            cell.data_type = "s"
            cells.append(cell)
        return cells

    sheet.append(text_cells(header))
    for row in rows:
        sheet.append(text_cells(row))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def csv_document(header, rows) -> str:
    """A small CSV file in one piece (BOM first, every cell inert): for lists that need no streaming."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerow([inert(title) for title in header])
    for row in rows:
        writer.writerow([inert(value) for value in row])
    return "\ufeff" + buffer.getvalue()


def log_export(user_id: int, event, file_format: str, column_set_name: str, query: str, now, rows=None) -> ExportLog:
    entry = ExportLog(user_id=user_id, event_id=event.id, created_at=now, file_format=file_format,
                      column_set=column_set_name, query=query[:2000], row_count=rows)
    db.session.add(entry)
    db.session.flush()
    return entry


def record_row_count(log_id: int, rows: int) -> None:
    """A streamed export is logged before its first row; its row count once the last is sent."""
    db.session.get(ExportLog, log_id).row_count = rows


def export_filename(event, column_set_name: str, extension: str, now) -> str:
    return f"participants-{event.slug}-{column_set_name}-{now:%Y%m%d-%H%M}.{extension}"
