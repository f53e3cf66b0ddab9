"""Exports of the filtered list: CSV (streamed) and XLSX, formula-safe, every one logged.

Two column sets: "full" for the organisers, and "partners", which leaves out health data
(access needs) for lists shared outside. Observers get the partners' set only.
"""
import csv
import io

from flask import Blueprint, Response, request, stream_with_context
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..accounts.permissions import EXPORT, SEE_HEALTH_DATA, event_permission, may
from ..events.models import Workshop
from ..events.queries import utcnow
from ..extensions import db
from ..geo.models import Province, Region
from ..registration.models import ACCESS_NEEDS, Registration, RegistrationAccessNeed
from .models import ExportLog
from .queries import ListFilters, filtered_query, ordered

bp = Blueprint("exports", __name__, url_prefix="/review")

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value) -> str:
    """A cell a spreadsheet will not run: text starting like a formula gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def columns(column_set: str) -> list[tuple[str, callable]]:
    """(title, getter of a record) for each column; records come from export_records()."""
    yes, no = _("oui"), _("non")
    flag = lambda key: lambda r: yes if r[key] else no
    base = [
        (_("Référence"), lambda r: r["reference"]),
        (_("Nom"), lambda r: r["last_name"]),
        (_("Prénom"), lambda r: r["first_name"]),
        (_("E-mail"), lambda r: r["email"]),
        (_("Téléphone"), lambda r: r["phone"]),
        (_("Organisation"), lambda r: r["organization"]),
        (_("Type d'organisation"), lambda r: r["organization_type"]),
        (_("Province"), lambda r: r["province_name"]),
        (_("Code province"), lambda r: r["province_code"]),
        (_("Région"), lambda r: r["region_name"]),
        (_("Ville"), lambda r: r["city"]),
        (_("Atelier"), lambda r: r["workshop_title"]),
        (_("Statut"), lambda r: r["status"]),
        (_("Genre"), lambda r: r["gender"]),
        (_("Tranche d'âge"), lambda r: r["age_band"]),
        (_("Déplacement demandé"), flag("travel_support")),
        (_("Hébergement demandé"), flag("accommodation_support")),
        (_("Hors région"), flag("out_of_region")),
        (_("Inscrit·e le"), lambda r: r["created_at"].strftime("%Y-%m-%d %H:%M") if r["created_at"] else ""),
    ]
    if column_set == "full":
        base[15:15] = [
            (_("Besoins d'accessibilité"), lambda r: ", ".join(r["access_needs"])),
            (_("Précisions sur les besoins"), lambda r: r["access_needs_details"]),
        ]
    return base


def _column_set() -> str:
    wanted = request.args.get("columns", "full")
    if wanted not in ("full", "partners"):
        wanted = "full"
    if wanted == "full" and not may(current_user, SEE_HEALTH_DATA):
        wanted = "partners"  # an observer never receives health data
    return wanted


EXPORT_COLUMNS = ("id", "reference", "last_name", "first_name", "email", "phone", "organization", "organization_type",
                  "province_code", "city", "status", "gender", "age_band", "access_needs_details", "travel_support",
                  "accommodation_support", "out_of_region", "created_at")


def export_records(event, filters, batch: int = 1000):
    """Plain records (dicts), read in batches: no ORM objects, so memory stays flat and the
    export of 100,000 rows takes seconds, not minutes."""
    query = ordered(filtered_query(event.id, filters), filters).join(
        Region, Region.code == Province.region_code).join(Workshop, Workshop.id == Registration.workshop_id)
    query = query.with_only_columns(*[getattr(Registration, name) for name in EXPORT_COLUMNS],
                                    Province.name_fr.label("province_name"), Region.name_fr.label("region_name"),
                                    Workshop.title_fr.label("workshop_title"))
    result = db.session.execute(query.execution_options(yield_per=batch))
    for rows in result.partitions():
        records = [dict(row._mapping) for row in rows]
        needs: dict[int, list[str]] = {}
        for registration_id, need in db.session.execute(
                select(RegistrationAccessNeed.registration_id, RegistrationAccessNeed.need)
                .where(RegistrationAccessNeed.registration_id.in_([r["id"] for r in records]))):
            needs.setdefault(registration_id, []).append(need)
        for record in records:
            declared = set(needs.get(record["id"], ()))
            record["access_needs"] = [need for need in ACCESS_NEEDS if need in declared]
            yield record


def _log(event, file_format, column_set, rows=None) -> None:
    db.session.add(ExportLog(user_id=current_user.id, event_id=event.id, created_at=utcnow(), file_format=file_format,
                             column_set=column_set, query=request.query_string.decode("utf-8", "replace")[:2000],
                             row_count=rows))
    db.session.commit()


def _filename(event, column_set, extension):
    return f"participants-{event.slug}-{column_set}-{utcnow():%Y%m%d-%H%M}.{extension}"


@bp.get("/events/<int:event_id>/export.csv")
@event_permission(EXPORT)
def export_csv(event):
    """Streamed: rows are written as they are read, whatever the size of the list."""
    filters = ListFilters.from_args(request.args, event)
    column_set = _column_set()
    spec = columns(column_set)
    _log(event, "csv", column_set)

    def generate():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        yield "\ufeff"  # so that spreadsheet programs read UTF-8 (Arabic names)
        writer.writerow([title for title, _ in spec])
        for number, record in enumerate(export_records(event, filters), start=1):
            writer.writerow([inert(get(record)) for _, get in spec])
            if number % 200 == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return Response(stream_with_context(generate()), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{_filename(event, column_set, "csv")}"',
        "Cache-Control": "no-store"})


@bp.get("/events/<int:event_id>/export.xlsx")
@event_permission(EXPORT)
def export_xlsx(event):
    """Every cell is written as text, which a spreadsheet never evaluates."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    filters = ListFilters.from_args(request.args, event)
    column_set = _column_set()
    spec = columns(column_set)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Participants"))

    def text_cells(values):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value="" if value is None else str(value))
            cell.data_type = "s"
            cells.append(cell)
        return cells

    sheet.append(text_cells(title for title, _ in spec))
    count = 0
    for record in export_records(event, filters):
        sheet.append(text_cells(get(record) for _, get in spec))
        count += 1
    output = io.BytesIO()
    workbook.save(output)
    _log(event, "xlsx", column_set, count)
    return Response(output.getvalue(),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{_filename(event, column_set, "xlsx")}"',
                             "Cache-Control": "no-store"})
