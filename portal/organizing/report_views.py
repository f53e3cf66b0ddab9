"""The event report's pages: read by whoever may view the event (the need counts only with
SEE_HEALTH_DATA), its texts written by admins (ADMINISTER)."""
from flask import flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.permissions import ADMINISTER, EDIT, SEE_HEALTH_DATA, VIEW, event_permission, may
from ..clock import utcnow
from ..database import writing
from ..events.operations import EditConflict
from ..security import keep_private
from .blueprint import bp
from .events import conflict_message
from .forms import ReportTextsForm
from .report import TEXT_FIELDS, figures, save_texts, texts, texts_version, workshops


@bp.get("/events/<id:event_id>/report")
@event_permission(VIEW)
def report(event):
    """Printable (A4) and printed to PDF by the browser; in the viewer's language."""
    return keep_private(make_response(render_template(
        "organizing/report.html", event=event, texts=texts(event), workshops=workshops(event),
        figures=figures(event, may(current_user, SEE_HEALTH_DATA)), may_edit=may(current_user, EDIT),
        may_write=may(current_user, ADMINISTER), section="report")))


@bp.route("/events/<id:event_id>/report/texts", methods=["GET", "POST"])
@event_permission(ADMINISTER)
@writing()
def report_texts(event):
    current = texts(event)
    form = ReportTextsForm(data={f"{name}_{language}": getattr(current, f"{name}_{language}")
                                 for name in TEXT_FIELDS for language in ("fr", "ar")}
                           | {"version": texts_version(current)})
    conflict, status = None, 200
    if form.validate_on_submit():
        try:
            save_texts(event, form.data, current_user.id, utcnow(), seen_version=form.version.data or "")
        except EditConflict as stale:
            conflict, status = conflict_message(stale), 409
            form.version.data = stale.version  # saving again, knowingly, replaces that version
        else:
            flash(_("Textes du rapport enregistrés."), "success")
            return redirect(url_for("organizing.report", event_id=event.id), 303)
    return render_template("organizing/report_texts.html", event=event, form=form, section="report",
                           texts_fields=TEXT_FIELDS, conflict=conflict), 422 if form.errors else status
