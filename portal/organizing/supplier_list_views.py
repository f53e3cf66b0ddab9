"""The suppliers' lists of an event, on screen (printable) and as CSV and XLSX downloads.

They live in the organisers' workspace, on the top floor, because they need the decided grants
(registration), the review's one exporter (formula-safe CSV and XLSX, the export log) and the
permissions. VIEW and EXPORT let observers in, but they always get the partners' version: the
column set is chosen by review.exports.column_set, which refuses "full" without SEE_HEALTH_DATA.
"""
from flask import Response, make_response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.permissions import EXPORT, SEE_HEALTH_DATA, VIEW, event_permission, may
from ..clock import utcnow
from ..database import writing
from ..review.exports import column_set, csv_document, log_export, xlsx_document
from ..security import keep_private
from ..security_log import security_event
from .blueprint import bp
from .supplier_lists import supplier_list

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _chosen_list(event, name: str):
    can_see_health = may(current_user, SEE_HEALTH_DATA)
    return supplier_list(event, name, column_set(request.args.get("columns"), can_see_health)), can_see_health


def _page(event, name: str):
    chosen, can_see_health = _chosen_list(event, name)
    return keep_private(make_response(render_template(
        "organizing/supplier_list.html", event=event, supplier_list=chosen, can_see_health=can_see_health,
        list_name=name)))


def _download(event, name: str, file_format: str):
    chosen, _can_see_health = _chosen_list(event, name)
    if file_format == "csv":
        body, mimetype = csv_document(chosen.header, chosen.rows), "text/csv"
    else:
        title = _("Hébergement") if name == "hotel" else _("Transport")
        body, mimetype = xlsx_document(title, chosen.header, chosen.rows), XLSX
    with writing():  # every export is logged, as the participant list's are
        log_export(current_user.id, event, file_format, chosen.column_set, f"list={name}", utcnow(), len(chosen.rows))
    security_event("export", user=current_user.id, event_id=event.id, format=file_format,
                   columns=chosen.column_set, list=name)
    filename = f"{name}-{event.slug}-{chosen.column_set}-{utcnow():%Y%m%d-%H%M}.{file_format}"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


@bp.get("/events/<id:event_id>/lists/hotel")
@event_permission(VIEW)
def hotel_list(event):
    """Who sleeps at the hotel, which nights, in which room: the list the hotel books from."""
    return _page(event, "hotel")


@bp.get("/events/<id:event_id>/lists/hotel.csv")
@event_permission(EXPORT)
def hotel_list_csv(event):
    return _download(event, "hotel", "csv")


@bp.get("/events/<id:event_id>/lists/hotel.xlsx")
@event_permission(EXPORT)
def hotel_list_xlsx(event):
    return _download(event, "hotel", "xlsx")


@bp.get("/events/<id:event_id>/lists/transport")
@event_permission(VIEW)
def transport_list(event):
    """Who travels from where: the list the transport company plans from."""
    return _page(event, "transport")


@bp.get("/events/<id:event_id>/lists/transport.csv")
@event_permission(EXPORT)
def transport_list_csv(event):
    return _download(event, "transport", "csv")


@bp.get("/events/<id:event_id>/lists/transport.xlsx")
@event_permission(EXPORT)
def transport_list_xlsx(event):
    return _download(event, "transport", "xlsx")
