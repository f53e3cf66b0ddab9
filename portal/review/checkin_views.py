"""The day itself (issue 11, items 3 and 4): the check-in screen, the badges and the attendance sheets.

Admins and the event's coordinators (DECIDE); observers get 403, as for decisions. The check-in
screen works without JavaScript (a search form, one form and button per person); with htmx the
search runs as one types and a tap swaps its row and the count (announced: aria-live). The badges'
QR codes hold the reference; the camera reads them where the browser has BarcodeDetector
(static/js/checkin.js, progressive enhancement). Nothing here shows health data."""
from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..accounts.permissions import DECIDE, event_permission
from ..clock import utcnow
from ..database import writing
from ..forms import ConfirmForm, Refused
from ..htmx import is_htmx, render_page_or_partial
from ..params import parse_id, parse_text
from ..registration.attendance import count, mark_present, undo
from ..security import PERMISSIONS_POLICY, keep_private
from ..security_log import security_event
from .checkin import participants, qr_svg, search
from .queries import registration_of

bp = Blueprint("checkin", __name__, url_prefix="/review")
bp.after_request(keep_private)  # names, phones, references

# The check-in screen may use the camera (scanning badges) on this origin only; every other page keeps
# the camera off (security.PERMISSIONS_POLICY). A document keeps the policy it was loaded with, so the
# links to this screen are not boosted (hx-boost="false"): the screen is always a full page load.
CAMERA_ALLOWED = PERMISSIONS_POLICY.replace("camera=()", "camera=(self)")


def _query() -> str:
    return parse_text(request.values.get("q"), 60)


def _walk_in_url(event):
    """The walk-in form, which comes back here once the person is registered (and marked present)."""
    return url_for("assisted.walk_in", event_id=event.id, next=url_for("checkin.screen", event_id=event.id))


@bp.get("/events/<id:event_id>/check-in")
@event_permission(DECIDE)
def screen(event):
    q = _query()
    rows, more = search(event.id, q)
    body, status = render_page_or_partial(
        "review/check_in.html", "review/_check_in_results.html", target="checkin-results",
        event=event, q=q, rows=rows, more=more, count=count(event.id),
        walk_in_url=_walk_in_url(event))
    response = make_response(body, status)
    response.headers["Permissions-Policy"] = CAMERA_ALLOWED
    return response


def _tap(event, registration_id, operation, done_message, already_message):
    if not ConfirmForm().validate():
        abort(400)
    try:
        outcome = operation(event.id, registration_id, current_user.id, utcnow())
    except Refused as refused:
        person = registration_of(event.id, registration_id)
        message, error = " ".join(refused.show_on(None)), True
    else:
        if outcome is None:
            abort(404)
        person = outcome.registration
        message = (done_message if outcome.changed else already_message) % {"name": person.full_name}
        error = False
    figures = count(event.id)
    if is_htmx():
        return render_template("review/_check_in_answer.html", event=event, row=person,
                               count=figures, message=message, message_is_error=error)
    flash(" ".join([message, ngettext("Présents : %(present)d / %(num)d approuvé",
                                       "Présents : %(present)d / %(num)d approuvés", figures.approved,
                                       present=figures.present)]), "error" if error else "success")
    q = _query()
    return redirect(url_for("checkin.screen", event_id=event.id, q=q or None, _anchor=f"row-{person.id}"), 303)


@bp.post("/events/<id:event_id>/check-in/<id:registration_id>/present")
@event_permission(DECIDE)
@writing()
def mark(event, registration_id):
    return _tap(event, registration_id, mark_present, _("%(name)s : présence enregistrée."),
                _("%(name)s était déjà présent(e)."))


@bp.post("/events/<id:event_id>/check-in/<id:registration_id>/undo")
@event_permission(DECIDE)
@writing()
def unmark(event, registration_id):
    return _tap(event, registration_id, undo, _("%(name)s : présence annulée."),
                _("%(name)s n'était pas marqué(e) présent(e)."))


def _workshop(event):
    """The workshop chosen in ?workshop= (None: the whole event); 404 for one of another event."""
    wanted = request.args.get("workshop")
    if not wanted:
        return None
    workshop_id = parse_id(wanted)
    return next((w for w in event.workshops if w.id == workshop_id), None) or abort(404)


def _printed_list(event, kind: str, template: str, **context):
    """A printed list of the event's (or ?workshop='s) participants: personal data leaving the
    screen, so logged as an export."""
    workshop = _workshop(event)
    rows = participants(event.id, workshop.id if workshop else None)
    security_event("export", user=current_user.id, event_id=event.id, format=kind,
                   workshop=workshop.id if workshop else None)
    return render_template(template, event=event, rows=rows, workshop=workshop, **context)


@bp.get("/events/<id:event_id>/badges")
@event_permission(DECIDE)
def badges(event):
    return _printed_list(event, "badges", "review/badges.html", qr=qr_svg)


@bp.get("/events/<id:event_id>/attendance-sheet")
@event_permission(DECIDE)
def sheet(event):
    return _printed_list(event, "attendance_sheet", "review/attendance_sheet.html")
