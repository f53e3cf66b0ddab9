"""The two downloads of the participant list (the filters of the page's URL apply)."""
from flask import Blueprint, Response, request, stream_with_context
from flask_login import current_user

from ..accounts.permissions import EXPORT, SEE_HEALTH_DATA, event_permission, may
from ..clock import utcnow
from ..database import writing
from ..security_log import security_event
from .exports import column_set, columns, csv_chunks, export_filename, log_export, record_row_count, xlsx_bytes
from .queries import ListFilters

bp = Blueprint("exports", __name__, url_prefix="/review")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(event, file_format: str, body, mimetype: str, chosen: str) -> Response:
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{export_filename(event, chosen, file_format, utcnow())}"',
        "Cache-Control": "no-store"})


def _request(event):
    """The filters, the column set allowed to this user, and its columns."""
    can_see_health = may(current_user, SEE_HEALTH_DATA)
    chosen = column_set(request.args.get("columns"), can_see_health)
    return ListFilters.from_args(request.args, event, can_see_health), chosen, columns(chosen)


def _log(event, file_format, chosen, rows=None) -> int:
    """Every export is logged: a GET that writes, in its own short transaction."""
    with writing():
        entry = log_export(current_user.id, event, file_format, chosen,
                           request.query_string.decode("utf-8", "replace"), utcnow(), rows)
        log_id = entry.id
    security_event("export", user=current_user.id, event_id=event.id, format=file_format, columns=chosen)
    return log_id


def _count_rows(log_id: int):
    def record(rows: int) -> None:
        with writing():
            record_row_count(log_id, rows)
    return record


@bp.get("/events/<id:event_id>/export.csv")
@event_permission(EXPORT)
def export_csv(event):
    """Streamed: rows are written as they are read, whatever the size of the list."""
    filters, chosen, spec = _request(event)
    log_id = _log(event, "csv", chosen)
    chunks = csv_chunks(event, filters, spec, on_done=_count_rows(log_id))
    return _download(event, "csv", stream_with_context(chunks), "text/csv", chosen)


@bp.get("/events/<id:event_id>/export.xlsx")
@event_permission(EXPORT)
def export_xlsx(event):
    filters, chosen, spec = _request(event)
    body, count = xlsx_bytes(event, filters, spec)
    _log(event, "xlsx", chosen, count)
    return _download(event, "xlsx", body, XLSX, chosen)
